"""Saving parameters (.npz) and hyperparameters (.json), and refusing bad files."""
import json

import numpy as np
import pytest

import nnlib
from nnlib import MLP, LinearRegression, LogisticRegression
from nnlib.data import make_moons

X, y = make_moons(80, seed=0)


@pytest.mark.parametrize("model", [
    MLP(hidden_layers=(6, 3), activation="relu", epochs=5, learning_rate=0.05),
    LogisticRegression(epochs=5),
    LinearRegression(epochs=5, l2=0.1),
])
def test_round_trip_gives_identical_predictions(tmp_path, model):
    target = X[:, 0] if isinstance(model, LinearRegression) else y
    model.fit(X, target)
    npz, js = nnlib.save(model, tmp_path / "model")
    assert npz.name == "model.npz" and js.name == "model.json"
    info = json.loads(js.read_text())
    assert info["model"] == type(model).__name__
    assert info["hyperparameters"]["epochs"] == 5
    loaded = nnlib.load(tmp_path / "model")
    assert loaded.get_params() == model.get_params()
    assert np.array_equal(loaded.predict(X), model.predict(X))
    for name, array in model.parameters().items():
        assert np.array_equal(loaded.parameters()[name], array)


def test_parameters_file_holds_only_arrays(tmp_path):
    nnlib.save(MLP(epochs=1).fit(X, y), tmp_path / "m")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as archive:
        assert sorted(archive.files) == ["hidden_1.biases", "hidden_1.weights", "output.biases", "output.weights"]


def test_corrupt_parameter_file_is_refused(tmp_path):
    nnlib.save(MLP(epochs=1).fit(X, y), tmp_path / "m")
    (tmp_path / "m.npz").write_bytes(b"this is not a zip file")
    with pytest.raises(ValueError, match=r"m\.npz is corrupt or not a parameter file"):
        nnlib.load(tmp_path / "m")


def test_mismatched_shapes_are_refused(tmp_path):
    nnlib.save(MLP(hidden_layers=(4,), epochs=1).fit(X, y), tmp_path / "small")
    nnlib.save(MLP(hidden_layers=(9,), epochs=1).fit(X, y), tmp_path / "big")
    (tmp_path / "small.npz").write_bytes((tmp_path / "big.npz").read_bytes())
    with pytest.raises(ValueError, match=r"does not match the model in small\.json.*must have shape \(2, 4\)"):
        nnlib.load(tmp_path / "small")


def test_missing_and_invalid_description(tmp_path):
    nnlib.save(MLP(epochs=1).fit(X, y), tmp_path / "m")
    (tmp_path / "m.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"m\.json is not a valid nnlib model description"):
        nnlib.load(tmp_path / "m.npz")
    (tmp_path / "m.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"m\.json is missing"):
        nnlib.load(tmp_path / "m")
