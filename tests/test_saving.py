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


def test_dots_in_a_name_are_part_of_the_name(tmp_path):
    a = MLP(epochs=1, learning_rate=0.1).fit(X, y)
    b = MLP(epochs=1, learning_rate=0.01).fit(X, y)
    assert nnlib.save(a, tmp_path / "mlp_lr0.1")[0].name == "mlp_lr0.1.npz"
    nnlib.save(b, tmp_path / "mlp_lr0.01")
    assert nnlib.load(tmp_path / "mlp_lr0.1").learning_rate == 0.1
    assert nnlib.load(tmp_path / "mlp_lr0.01").learning_rate == 0.01
    assert nnlib.load(tmp_path / "mlp_lr0.1.json").learning_rate == 0.1  # naming either file still works


def test_numpy_numbers_as_hyperparameters_are_saved_as_plain_numbers(tmp_path):
    model = MLP(hidden_layers=(np.int64(4),), epochs=np.arange(1, 3)[0], learning_rate=np.float64(0.1)).fit(X, y)
    _, js = nnlib.save(model, tmp_path / "m")
    assert json.loads(js.read_text())["hyperparameters"]["epochs"] == 1
    assert nnlib.load(tmp_path / "m").get_params() == model.get_params()


def test_a_hyperparameter_json_cannot_hold_writes_no_file_at_all(tmp_path):
    model = MLP(epochs=1).fit(X, y).set_params(activation=object())
    with pytest.raises(TypeError, match=r"save writes hyperparameters as JSON.*cannot write <object"):
        nnlib.save(model, tmp_path / "m")
    assert list(tmp_path.iterdir()) == []


def test_an_int_for_hidden_layers_round_trips(tmp_path):
    model = MLP(hidden_layers=8, epochs=1).fit(X, y)
    nnlib.save(model, tmp_path / "m")
    loaded = nnlib.load(tmp_path / "m")
    assert loaded.hidden_layers == 8 and np.array_equal(loaded.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("change, message", [
    (lambda info: info.update(model="SVM"), r"it names the model 'SVM', and nnlib can load LinearRegression, "
                                            r"LogisticRegression, MLP\.$"),
    (lambda info: info.update(n_outputs="2"), r"n_outputs must be a whole number >= 2, got '2'"),
    (lambda info: info.pop("n_features"), r"it has no 'n_features' entry"),
    (lambda info: info["hyperparameters"].update(learning_rate=-1), r"learning_rate must be a number greater than 0"),
    (lambda info: info["hyperparameters"].update(units=3),
     r"MLP has no hyperparameter 'units'\. Valid hyperparameters: hidden_layers, activation"),
])
def test_bad_contents_of_the_description_are_named_on_load(tmp_path, change, message):
    nnlib.save(MLP(epochs=1).fit(X, y), tmp_path / "m")
    info = json.loads((tmp_path / "m.json").read_text())
    change(info)
    (tmp_path / "m.json").write_text(json.dumps(info))
    with pytest.raises(ValueError, match=r"m\.json is not a valid nnlib model description: " + message):
        nnlib.load(tmp_path / "m")


def test_a_custom_optimiser_is_refused_with_what_to_do_and_no_file_is_written(tmp_path):
    from nnlib.optim import Custom

    def plain_step(params, grads, state, learning_rate):
        for p, g in zip(params, grads):
            p -= learning_rate * g

    model = MLP(hidden_layers=(3,), epochs=2, optimizer=Custom(plain_step)).fit(X, y)
    with pytest.raises(ValueError) as error:
        nnlib.save(model, tmp_path / "mine")
    message = str(error.value)
    assert "optimizer=Custom(plain_step)" in message and "your own Python function" in message  # what was wrong
    assert "np.savez('my_model.npz', **model.parameters())" in message and "optimizer='sgd'" in message  # what to try
    assert list(tmp_path.iterdir()) == [], "nothing was written"
    np.savez(tmp_path / "parameters.npz", **model.parameters())  # the suggested way out works
    with np.load(tmp_path / "parameters.npz") as saved:
        assert all(np.array_equal(saved[name], array) for name, array in model.parameters().items())
