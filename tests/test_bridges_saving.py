"""nnlib/bridges/saving.py: saving parameters (.npz) and hyperparameters (.json), and refusing bad files."""
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib import MLP, LinearRegression, LogisticRegression
from nnlib.datasets import make_moons

X, y = make_moons(80, seed=0)
NNLIB_ROOT = str(Path(nnlib.__file__).parents[1])


def tamper(stem, arrays=None, **description):
    """Rewrite a saved pair as someone editing it on purpose would: new arrays and/or JSON entries, and the digest
    of the new .npz, so that only the check under test can notice."""
    npz, js = stem.with_name(stem.name + ".npz"), stem.with_name(stem.name + ".json")
    if arrays is not None:
        with open(npz, "wb") as file:
            np.savez(file, **arrays)
    info = {**json.loads(js.read_text()), **description}
    js.write_text(json.dumps({**info, "npz_sha256": hashlib.sha256(npz.read_bytes()).hexdigest()}))


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
    with pytest.raises(ValueError, match=r"m\.npz is not a parameter file written by nnlib\.save: it is not a \.npz "
                                         r"archive of named numpy arrays, or it is damaged"):
        nnlib.load(tmp_path / "m")


def test_an_npz_from_another_save_is_refused_naming_both_files(tmp_path):
    nnlib.save(MLP(hidden_layers=(4,), epochs=1).fit(X, y), tmp_path / "small")
    nnlib.save(MLP(hidden_layers=(4,), epochs=1, seed=1).fit(X, y), tmp_path / "other")
    (tmp_path / "small.npz").write_bytes((tmp_path / "other.npz").read_bytes())  # same shapes: only the digest tells
    with pytest.raises(ValueError, match=r"small\.npz and \S+small\.json are not a pair: the \.json was saved with "
                                         r"another \.npz"):
        nnlib.load(tmp_path / "small")


def test_mismatched_shapes_are_refused(tmp_path):
    nnlib.save(MLP(hidden_layers=(4,), epochs=1).fit(X, y), tmp_path / "small")
    big = MLP(hidden_layers=(9,), epochs=1).fit(X, y)
    tamper(tmp_path / "small", big.parameters())
    with pytest.raises(ValueError, match=r"small\.npz does not match the model in small\.json: it holds 47 numbers, "
                                         r"and that model \(n_features=2, hidden_layers=\(4,\), n_outputs=2\) has "
                                         r"22 parameters\.$"):
        nnlib.load(tmp_path / "small")
    tamper(tmp_path / "small", dict(MLP(hidden_layers=(4,), epochs=1).fit(X, y).parameters(),
                                    **{"hidden_1.weights": np.zeros((4, 2))}))
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
    model = MLP(epochs=1, dtype=np.dtype("float32")).fit(X, y)  # the dtype object equals "float32"; JSON cannot hold it
    with pytest.raises(TypeError, match=r"save writes hyperparameters as JSON.*cannot write dtype\('float32'\)"):
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


# --- saving is all-or-nothing ---------------------------------------------------------------------------------------

def old_pair(folder):
    """A saved pair in ``folder`` and the probabilities it must still give after a failed save."""
    old = MLP(hidden_layers=(4,), epochs=2, seed=0).fit(X, y)
    nnlib.save(old, Path(folder) / "m")
    return old.predict_proba(X)


def run_save(folder, user=(), limit=None):
    """Fit a new model in a fresh Python (as ``user``, with a file-size ``limit``) and save it over folder/m."""
    script = f"""
import resource, signal, sys
sys.path.insert(0, {NNLIB_ROOT!r})
import nnlib
from nnlib.datasets import make_moons
X, y = make_moons(80, seed=0)
limit = {limit!r}
model = nnlib.MLP(hidden_layers=(4,) if limit is None else (64,), epochs=2, seed=1).fit(X, y)
if limit is not None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so that a write past the limit raises OSError (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    nnlib.save(model, {str(Path(folder) / "m")!r})
except OSError as error:
    print(type(error).__name__, error)
"""
    return subprocess.run([*user, sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def test_a_full_disk_leaves_the_previous_pair_loadable(tmp_path):
    before = old_pair(tmp_path)
    result = run_save(tmp_path, limit=2000)  # the new .npz needs about 4,600 bytes
    assert np.array_equal(nnlib.load(tmp_path / "m").predict_proba(X), before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.npz"], "no temporary file is left behind"
    assert result.stdout.startswith("OSError [Errno 27] save could not write m.npz and m.json in"), result
    assert "File too large" in result.stdout


def test_a_file_the_user_may_not_write_leaves_the_previous_pair_loadable():
    user = []
    if os.geteuid() == 0:  # root ignores file modes: run the save as the unprivileged user nobody
        if shutil.which("setpriv"):
            user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        elif shutil.which("runuser"):
            user = ["runuser", "-u", "nobody", "--"]
        else:
            pytest.skip("running as root, and neither setpriv nor runuser is here to run the save as another user")
    folder = Path(tempfile.mkdtemp())  # under /tmp, which nobody can reach (pytest's tmp_path is root's alone)
    try:
        before = old_pair(folder)
        if user:
            for path in (folder, *folder.iterdir()):
                os.chown(path, 65534, 65534)
            if subprocess.run([*user, sys.executable, "-c", "import numpy"], capture_output=True).returncode:
                pytest.skip("the unprivileged user cannot run this Python")
        (folder / "m.json").chmod(0o444)
        result = run_save(folder, user)
        assert np.array_equal(nnlib.load(folder / "m").predict_proba(X), before)
        assert sorted(p.name for p in folder.iterdir()) == ["m.json", "m.npz"]
        assert result.stdout.startswith("PermissionError [Errno 13] save could not write m.npz and m.json in"), result
        assert f"({folder / 'm.json'})" in result.stdout
    finally:
        shutil.rmtree(folder)


def test_a_folder_that_cannot_be_created_is_named_and_nothing_is_written(tmp_path):
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.raises(OSError, match=r"save could not write m\.npz and m\.json in \S+a_file/models: "):
        nnlib.save(MLP(epochs=1).fit(X, y), tmp_path / "a_file" / "models" / "m")
    assert [p.name for p in tmp_path.iterdir()] == ["a_file"]


def test_a_save_interrupted_while_writing_leaves_the_previous_pair(tmp_path, monkeypatch):
    import builtins
    import io

    before = old_pair(tmp_path)
    opened, real_open = [], io.open

    def open_then_interrupt_the_second_write(file, mode="r", *args, **kwargs):
        if "w" in mode and "m." in str(file):
            opened.append(file)
            if len(opened) == 2:  # the first file is written, the second is not: Ctrl+C
                raise KeyboardInterrupt
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(io, "open", open_then_interrupt_the_second_write)
    monkeypatch.setattr(builtins, "open", open_then_interrupt_the_second_write)
    new = MLP(hidden_layers=(4,), epochs=2, seed=1).fit(X, y)
    with pytest.raises(KeyboardInterrupt):
        nnlib.save(new, tmp_path / "m")
    monkeypatch.undo()
    assert np.array_equal(nnlib.load(tmp_path / "m").predict_proba(X), before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.npz"]


def test_a_save_interrupted_between_the_two_renames_is_refused_on_load(tmp_path, monkeypatch):
    old_pair(tmp_path)
    renamed, real_replace = [], os.replace

    def replace_then_interrupt(source, target):
        renamed.append(target)
        if len(renamed) == 2:
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        nnlib.save(MLP(hidden_layers=(4,), epochs=2, seed=1).fit(X, y), tmp_path / "m")
    monkeypatch.undo()
    with pytest.raises(ValueError, match=r"m\.npz and \S+m\.json are not a pair"):
        nnlib.load(tmp_path / "m")


def test_a_version_1_pair_without_digest_still_loads(tmp_path):
    model = MLP(hidden_layers=(4,), epochs=2).fit(X, y)
    _, js = nnlib.save(model, tmp_path / "m")
    info = json.loads(js.read_text())
    info.pop("npz_sha256", None)
    js.write_text(json.dumps({**info, "format_version": 1}))
    assert np.array_equal(nnlib.load(tmp_path / "m").predict_proba(X), model.predict_proba(X))
    js.write_text(json.dumps({**info, "format_version": 2}))
    with pytest.raises(ValueError, match=r"m\.json is not a valid nnlib model description: it has no 'npz_sha256'"):
        nnlib.load(tmp_path / "m")


# --- save writes what was built -------------------------------------------------------------------------------------

def test_save_after_set_params_records_what_the_parameters_were_trained_with_and_warns(tmp_path):
    model = MLP(hidden_layers=(4,), activation="tanh", epochs=3).fit(X, y)
    trained = model.predict_proba(X)
    model.set_params(activation="relu", hidden_layers=(8, 8))
    with pytest.warns(UserWarning, match=r"^hidden_layers is \(8, 8\) now, but the parameters were trained with "
                                         r"\(4,\); activation is 'relu' now, but the parameters were trained with "
                                         r"'tanh'\. The file records those; fit again to save the new ones\.$"):
        _, js = nnlib.save(model, tmp_path / "m")
    recorded = json.loads(js.read_text())["hyperparameters"]
    assert recorded["activation"] == "tanh" and recorded["hidden_layers"] == [4]
    assert np.array_equal(nnlib.load(tmp_path / "m").predict_proba(X), trained)


def test_partial_fit_records_the_training_hyperparameters_it_used(tmp_path):
    model = MLP(hidden_layers=(4,), epochs=1, learning_rate=0.1).fit(X, y)
    model.set_params(learning_rate=0.02, l2=0.01).partial_fit(X, y)  # these epochs ran with the new values
    model.set_params(learning_rate=0.5)  # and this value trained nothing
    with pytest.warns(UserWarning, match=r"^learning_rate is 0\.5 now, but the parameters were trained with 0\.02\."):
        _, js = nnlib.save(model, tmp_path / "m")
    recorded = json.loads(js.read_text())["hyperparameters"]
    assert (recorded["learning_rate"], recorded["l2"]) == (0.02, 0.01)


# --- load checks before it allocates ---------------------------------------------------------------------------------

def test_a_description_asking_for_terabytes_is_refused_before_building(tmp_path, monkeypatch):
    nnlib.save(MLP(hidden_layers=(4,), epochs=1).fit(X, y), tmp_path / "m")
    tamper(tmp_path / "m", hyperparameters={**json.loads((tmp_path / "m.json").read_text())["hyperparameters"],
                                            "hidden_layers": [1000000, 1000000]})
    monkeypatch.setattr(MLP, "build", lambda *args: pytest.fail("load built the model before checking its size"))
    with pytest.raises(ValueError, match=r"m\.npz does not match the model in m\.json: it holds 22 numbers, and that "
                                         r"model \(n_features=2, hidden_layers=\(1000000, 1000000\), n_outputs=2\) "
                                         r"has 1,000,006,000,002 parameters\.$"):
        nnlib.load(tmp_path / "m")


def test_an_npz_declaring_more_data_than_it_holds_is_refused_before_reading(tmp_path):
    """A .npy header can promise any shape: this 200-byte member declares a 8-terabyte array."""
    nnlib.save(MLP(hidden_layers=(4,), epochs=1).fit(X, y), tmp_path / "m")
    header = tmp_path / "header.npy"
    with open(header, "wb") as file:
        np.lib.format.write_array_header_1_0(file, {"descr": "<f8", "fortran_order": False,
                                                    "shape": (1000000, 1000000)})
        file.write(b"\0" * 64)
    with zipfile.ZipFile(tmp_path / "m.npz", "w") as archive:
        archive.write(header, "hidden_1.weights.npy")
    tamper(tmp_path / "m")
    with pytest.raises(ValueError, match=r"m\.npz declares 8,000,000,000,000 bytes of arrays in a file of \d{3} "
                                         r"bytes: it is compressed or damaged, and nnlib\.save writes neither\.$"):
        nnlib.load(tmp_path / "m")


@pytest.mark.parametrize("dtype", [complex, bool, "U8"])
def test_parameters_that_are_not_real_numbers_are_refused(tmp_path, dtype):
    model = MLP(hidden_layers=(4,), epochs=1).fit(X, y)
    nnlib.save(model, tmp_path / "m")
    parameters = model.parameters()
    tamper(tmp_path / "m", {**parameters, "output.weights": parameters["output.weights"].astype(dtype)})
    with pytest.raises(ValueError, match=rf"m\.npz holds 'output\.weights' as {np.dtype(dtype)} values; parameters "
                                         r"are real numbers \(floats\)\.$"):
        nnlib.load(tmp_path / "m")


def test_an_unknown_member_is_refused(tmp_path):
    model = MLP(hidden_layers=(4,), epochs=1).fit(X, y)
    nnlib.save(model, tmp_path / "m")
    tamper(tmp_path / "m", {**model.parameters(), "notes": np.zeros(0)})  # adds no numbers: only its name tells
    with pytest.raises(ValueError, match=r"does not match the model in m\.json: .*unexpected \['notes'\]"):
        nnlib.load(tmp_path / "m")


def test_an_array_cut_short_behind_a_valid_header_is_refused_naming_the_file(tmp_path):
    model = MLP(hidden_layers=(4,), epochs=1).fit(X, y)
    nnlib.save(model, tmp_path / "m")
    with zipfile.ZipFile(tmp_path / "m.npz", "w") as archive:
        for name, array in model.parameters().items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array)
            data = member.getvalue()  # its header still promises every number: the cut one loses its last
            archive.writestr(f"{name}.npy", data[:-8] if name == "hidden_1.weights" else data)
    tamper(tmp_path / "m")
    with pytest.raises(ValueError, match=r"m\.npz is damaged or does not match the model in m\.json: .*EOF"):
        nnlib.load(tmp_path / "m")


def test_running_out_of_memory_while_building_is_a_clear_value_error(tmp_path, monkeypatch):
    nnlib.save(MLP(hidden_layers=(4,), epochs=1).fit(X, y), tmp_path / "m")

    def out_of_memory(*args, **kwargs):
        raise MemoryError("Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000)")

    monkeypatch.setattr(nnlib.models, "Network", out_of_memory)
    with pytest.raises(ValueError, match=r"m\.json describes a model too large for this computer's memory\.$"):
        nnlib.load(tmp_path / "m")


def test_wrong_arguments_and_non_descriptions_each_get_one_sentence(tmp_path):
    model = MLP(hidden_layers=(4,), epochs=1).fit(X, y)
    for not_a_model in ("", {}, model.parameters()):
        with pytest.raises(TypeError, match=r"^save\(model, path\) saves an nnlib model \(MLP, LinearRegression or "
                                            r"LogisticRegression\), not a (str|dict); to save arrays alone, use "
                                            r"np\.savez\('arrays\.npz', \*\*arrays\)\.$"):
            nnlib.save(not_a_model, tmp_path / "m")
    for not_a_name in ("", {}, None):
        with pytest.raises(ValueError, match=r"^a saved model is named by a path such as 'my_model' \(for "
                                             rf"my_model\.npz and my_model\.json\); got {not_a_name!r}\.$"):
            nnlib.save(model, not_a_name)
    assert list(tmp_path.iterdir()) == []
    nnlib.save(model, tmp_path / "m")
    np.save(tmp_path / "m.npy", np.zeros(3))
    os.replace(tmp_path / "m.npy", tmp_path / "m.npz")
    with pytest.raises(ValueError, match=r"m\.npz is not a parameter file written by nnlib\.save: it is not a \.npz "
                                         r"archive of named numpy arrays, or it is damaged \(a \.npy file, even "
                                         r"renamed, holds one array\)\.$"):
        nnlib.load(tmp_path / "m")
    for text, shown in (("[1, 2]", r"\[1, 2\]"), ("null", "null")):
        (tmp_path / "m.json").write_text(text)
        with pytest.raises(ValueError, match=rf"m\.json is not a valid nnlib model description: it holds {shown}, "
                                             r"not the object \{\"model\": \.\.\.\} that save writes\.$"):
            nnlib.load(tmp_path / "m")


def test_a_batch_normalised_model_saves_and_loads_its_running_statistics(tmp_path):
    model = MLP(hidden_layers=(6, 3), epochs=4, batch_norm=True, dropout=0.2).fit(X, y)
    npz, js = nnlib.save(model, tmp_path / "bn")
    info = json.loads(js.read_text())
    assert info["format_version"] == 3 and info["hyperparameters"]["batch_norm"] is True
    with np.load(npz) as archive:
        assert {"hidden_1.running_mean", "hidden_2.running_var", "hidden_1.gamma"} <= set(archive.files)
    loaded = nnlib.load(tmp_path / "bn")
    for name, array in model.statistics().items():
        assert np.array_equal(loaded.statistics()[name], array)
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_running_statistics_of_the_wrong_shape_or_missing_are_refused(tmp_path):
    model = MLP(hidden_layers=(4,), epochs=1, batch_norm=True).fit(X, y)
    nnlib.save(model, tmp_path / "bn")
    arrays = {**model.parameters(), **model.statistics()}
    tamper(tmp_path / "bn", {**arrays, "hidden_1.running_var": np.ones(3), "hidden_1.running_mean": np.ones(5)})
    with pytest.raises(ValueError, match=r"parameter 'hidden_1.running_mean' must have shape \(4,\), got \(5,\)"):
        nnlib.load(tmp_path / "bn")
    tamper(tmp_path / "bn", model.parameters())  # saved as if without them
    with pytest.raises(ValueError, match=r"it holds 30 numbers, and that model \(n_features=2, hidden_layers=\(4,\), "
                                         r"n_outputs=2, batch_norm=True\) has 30 parameters and 8 running "
                                         r"statistics\.$"):
        nnlib.load(tmp_path / "bn")


def test_a_version_2_file_without_batch_normalisation_still_loads(tmp_path):
    model = MLP(hidden_layers=(4,), epochs=2).fit(X, y)
    nnlib.save(model, tmp_path / "old")
    info = json.loads((tmp_path / "old.json").read_text())
    hyperparameters = {k: v for k, v in info["hyperparameters"].items()
                       if k not in ("dropout", "batch_norm", "batch_norm_momentum", "weight_decay")}
    tamper(tmp_path / "old", format_version=2, hyperparameters=hyperparameters)
    assert np.array_equal(nnlib.load(tmp_path / "old").predict_proba(X), model.predict_proba(X))
