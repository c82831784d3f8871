"""nnlib/learner/store.py: a piece is saved as its cell's own code, all or nothing, in the learner's folder; loading
reads the check as data and never runs a file that failed or changed since its check."""
import os
import subprocess
from pathlib import Path

import pytest
from exercise_code import define
from learner_solutions import SOLUTIONS

from nnlib.learner import store

ROOT = Path(__file__).resolve().parent.parent


def test_the_folder_is_my_nnlib_beside_the_notebook_unless_the_environment_names_one(monkeypatch, tmp_path):
    assert f'MY_LIBRARY_ENV = "{store.LIBRARY_ENV}"' in (ROOT / "conftest.py").read_text()  # the notebooks' tests
    monkeypatch.delenv(store.LIBRARY_ENV)
    monkeypatch.chdir(tmp_path)
    assert store.folder() == tmp_path / "my_nnlib"
    monkeypatch.setenv(store.LIBRARY_ENV, str(tmp_path / "elsewhere"))
    assert store.folder() == tmp_path / "elsewhere"


def test_the_learners_folder_is_ignored_by_git_beside_any_notebook():
    result = subprocess.run(["git", "check-ignore", "-q", "notebooks/my_nnlib/dense_forward.py"], cwd=ROOT)
    assert result.returncode == 0


def test_a_saved_piece_is_its_cell_code_under_a_check_line_and_loads_back(my_library_folder):
    function = define(SOLUTIONS)["relu_forward"]
    path = store.save("relu_forward", store.capture(function, "relu_forward"), "06.3", "06")
    first, text = path.read_text().split("\n", 1)
    assert first.startswith("CHECK = {'piece': 'relu_forward', 'exercise': '06.3', 'notebook': '06', 'status': "
                            "'passed'") and "def relu_forward(x):\n    return np.maximum(x, 0)\n" in text
    assert (my_library_folder / "README.txt").read_text().startswith("This folder is yours")
    status, loaded = store.read("relu_forward")
    assert status == "passed" and loaded(-1.0) == 0 and loaded(2.0) == 2


def test_a_function_saved_under_another_name_gets_the_pieces_name():
    function = define("def my_relu(x):\n    return np.maximum(x, 0)\n")["my_relu"]
    store.save("relu_forward", store.capture(function, "relu_forward"), "06.3", "06")
    assert store.read("relu_forward")[1](3.0) == 3


@pytest.mark.parametrize("code, name, why", [
    ("W1 = 2\ndef dense_forward(x, weights, biases):\n    return W1 * x @ weights + biases\n", "dense_forward",
     "dense_forward uses W1, defined elsewhere in this notebook; a piece must stand on its own"),
    ("def helper(x):\n    return x\ndef relu_forward(x):\n    return helper(np.maximum(x, 0))\n", "relu_forward",
     "relu_forward uses helper, defined elsewhere"),
    ("scale = 1\ndef relu_forward(x, s=scale):\n    return s * np.maximum(x, 0)\n", "relu_forward",
     "relu_forward's cell does not run on its own (NameError: name 'scale' is not defined)"),
    ("def outer():\n    k = 1\n    def relu_forward(x):\n        return k * np.maximum(x, 0)\n    return relu_forward\n"
     "relu_forward = outer()\n", "relu_forward", "relu_forward is defined inside another function"),
    ("relu_forward = lambda x: np.maximum(x, 0)\n", "relu_forward", "must be a function written with def"),
])
def test_a_piece_that_leans_on_the_notebook_is_not_saved_and_the_reason_says_what_to_change(code, name, why):
    with pytest.raises(store.NotSaved, match=why.replace("(", r"\(").replace(")", r"\)")):
        store.capture(define(code)[name], name)
    assert store.read(name) == ("missing", None)


def test_a_piece_whose_code_cannot_be_read_back_is_not_saved():
    namespace = {}
    exec("def relu_forward(x):\n    return x\n", namespace)  # no source kept, as at a plain console
    with pytest.raises(store.NotSaved, match="cannot be read back"):
        store.capture(namespace["relu_forward"], "relu_forward")


def test_a_file_edited_after_its_check_is_not_run(my_library_folder):
    function = define(SOLUTIONS)["relu_forward"]
    path = store.save("relu_forward", store.capture(function, "relu_forward"), "06.3", "06")
    path.write_text(path.read_text() + "\nraise SystemExit('ran')\n")
    assert store.read("relu_forward") == ("changed", None)
    path.write_text("CHECK = {'piece': __import__('os').system('echo ran')}\n")  # the check line is data, not code
    assert store.read("relu_forward") == ("changed", None)


def test_a_failed_piece_keeps_its_code_to_read_but_is_never_run(my_library_folder):
    store.save("relu_forward", "def relu_forward(x):\n    raise SystemExit('ran')\n", "06.3", "06", "failed",
               "relu_forward(x) differs from nnlib's")
    assert store.read("relu_forward") == ("failed: relu_forward(x) differs from nnlib's", None)


def test_saving_is_all_or_nothing_and_an_interrupted_save_keeps_the_previous_piece(monkeypatch, my_library_folder):
    function = define(SOLUTIONS)["relu_forward"]
    store.save("relu_forward", store.capture(function, "relu_forward"), "06.3", "06")
    before = (my_library_folder / "relu_forward.py").read_text()
    monkeypatch.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(store.NotSaved, match="could not write .*relu_forward.py .No space left on device"):
        store.save("relu_forward", "def relu_forward(x):\n    return x\n", "06.3", "06")
    assert (my_library_folder / "relu_forward.py").read_text() == before
    assert sorted(p.name for p in my_library_folder.iterdir()) == ["README.txt", "relu_forward.py"]


def test_a_folder_that_cannot_be_written_is_a_sentence_not_a_traceback(monkeypatch, tmp_path):
    (tmp_path / "a_file").write_text("")
    monkeypatch.setenv(store.LIBRARY_ENV, str(tmp_path / "a_file" / "my_nnlib"))  # even root cannot make this folder
    with pytest.raises(store.NotSaved, match=r"could not write .*a_file/my_nnlib/relu_forward.py \(Not a directory"):
        store.save("relu_forward", "def relu_forward(x):\n    return x\n", "06.3", "06")
