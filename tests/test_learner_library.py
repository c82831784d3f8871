"""nnlib/learner/library.py and adapters.py: the learner's pieces, saved, train nnlib's network; nnlib stands in,
visibly, for each piece that is missing or failed its check."""
from pathlib import Path

import numpy as np
import pytest
from exercise_code import define
from learner_solutions import SOLUTIONS, VARIANTS, WRONG_TANH

import nnlib
from nnlib.exercises.pieces import PieceExercise
from nnlib.learner import my_library, store
from nnlib.learner.pieces import PIECES

HIDDEN, EPOCHS, BATCH, RATE = (32,), 4, 32, 0.01


def save_pieces(code, names=None):
    """Define ``code`` as a notebook cell and save each piece it defines (all of PIECES unless ``names``)."""
    namespace = define(code)
    for name in names or [n for n in PIECES if n in namespace]:
        store.save(name, store.capture(namespace[name], name), PIECES[name].exercise, PIECES[name].notebook)


@pytest.fixture(scope="module")
def digits():
    X, y = nnlib.load_digits()
    return nnlib.standardize(X[:500]), y[:500]


def train_both(library, X, y, momentum=0.0):
    """The digits network trained on ``library`` and by nnlib's MLP from the same seed: (mine, nnlib's) parameters."""
    rng = np.random.default_rng(0)  # the generator MLP(seed=0) makes
    network = library.network(X.shape[1], HIDDEN, 10, activation="relu", init="auto", rng=rng)
    library.train(network, library.loss, library.optimizer("sgd", momentum=momentum), X, y, EPOCHS, BATCH, RATE, rng)
    model = nnlib.MLP(hidden_layers=HIDDEN, activation="relu", learning_rate=RATE, epochs=EPOCHS, batch_size=BATCH,
                      momentum=momentum, seed=0).fit(X, y)
    return network.parameters(), model.parameters()


def largest_difference(mine, reference):
    return max(np.max(np.abs(mine[name] - reference[name])) / np.max(np.abs(reference[name])) for name in reference)


@pytest.mark.slow  # trains the digits or a widget's runs: in make test, not test-fast
def test_the_reference_solutions_as_the_learners_pieces_train_the_digits_network_as_nnlib_does_to_1e_9(digits):
    save_pieces(SOLUTIONS)
    library = my_library(quiet=True)
    assert library.all_yours and library.yours == list(PIECES)
    mine, reference = train_both(library, *digits, momentum=0.9)
    assert largest_difference(mine, reference) <= 1e-9


def test_the_learners_pieces_are_what_trains(digits):
    save_pieces(SOLUTIONS)
    library = my_library(quiet=True)
    network = library.network(64, HIDDEN, 10, activation="relu", init="auto", rng=np.random.default_rng(0))
    assert [layer.my_forward.__code__.co_filename for layer in network.dense.values()] == [
        str(store.folder() / "dense_forward.py")] * 2
    assert library.train.__code__.co_filename == str(store.folder() / "train.py")


@pytest.mark.slow  # trains the digits or a widget's runs: in make test, not test-fast
def test_with_nothing_saved_each_piece_is_a_stand_in_named_on_one_line_with_its_exercise(capsys, digits):
    library = my_library()
    lines = capsys.readouterr().out.splitlines()
    assert library.stand_ins == list(PIECES) and not library.yours
    assert "is empty" in lines[0] and "graded on its own" in lines[0]
    assert lines[1:] == [f"stand-in: {name} is nnlib's reference (not in your library yet) -- build it in exercise "
                         f"{piece.exercise} (notebook {piece.notebook})" for name, piece in PIECES.items()]
    mine, reference = train_both(library, *digits)
    assert largest_difference(mine, reference) == 0


@pytest.mark.slow  # trains the digits or a widget's runs: in make test, not test-fast
def test_a_missing_dense_backward_is_the_only_stand_in_and_training_still_equals_nnlib(capsys, digits):
    save_pieces(SOLUTIONS, [name for name in PIECES if name != "dense_backward"])
    library = my_library()
    assert library.stand_ins == ["dense_backward"]
    assert capsys.readouterr().out.splitlines() == [
        "stand-in: dense_backward is nnlib's reference (not in your library yet) -- build it in exercise "
        f"{PIECES['dense_backward'].exercise} (notebook 06)"]
    mine, reference = train_both(library, *digits)
    assert largest_difference(mine, reference) <= 1e-9


def piece_exercise(*pieces):
    return PieceExercise("06.9", "pieces", pieces, "# Exercise 06.9: pieces\n", "# Exercise 06.9: pieces\n",
                         lambda *answers: None, ["hint"], pieces={name: name for name in pieces})


@pytest.mark.slow  # trains the digits or a widget's runs: in make test, not test-fast
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_correct_pieces_written_differently_are_accepted_saved_and_used(variant, digits):
    save_pieces(SOLUTIONS)
    piece, code = VARIANTS[variant]
    status, message = piece_exercise(piece).feedback(define(code)[piece])
    assert status == "correct" and f"Saved to your library (my_nnlib): {piece}." in message
    library = my_library(quiet=True)
    path = store.folder() / f"{piece}.py"
    assert library.all_yours and library.functions[piece].__code__.co_filename == str(path)
    assert code.strip() in path.read_text()  # the variant, saved and used
    mine, reference = train_both(library, *digits, momentum=0.9)
    assert largest_difference(mine, reference) <= 1e-9


def test_a_tanh_derivative_from_the_input_is_refused_with_its_message_and_nnlibs_is_used(capsys):
    save_pieces(SOLUTIONS)
    status, message = piece_exercise("tanh_backward").feedback(define(WRONG_TANH)["tanh_backward"])
    assert status == "wrong" and message.startswith("tanh_backward: tanh_backward(dout, x, out) differs from nnlib's")
    assert store.read("tanh_backward") == (f"failed: {message.removeprefix('tanh_backward: ')}", None)
    library = my_library()
    assert library.stand_ins == ["tanh_backward"]
    assert capsys.readouterr().out.startswith("stand-in: tanh_backward is nnlib's reference (your version failed its "
                                              "check: tanh_backward(dout, x, out) differs from nnlib's")


def test_a_right_piece_beside_a_wrong_one_is_saved_and_the_message_says_so():
    namespace = define(SOLUTIONS + WRONG_TANH)
    status, message = piece_exercise("tanh_forward", "tanh_backward").feedback(
        namespace["tanh_forward"], namespace["tanh_backward"])
    assert status == "wrong" and message.endswith("Right, and saved to your library (my_nnlib): tanh_forward.")
    assert store.read("tanh_forward")[0] == "passed" and store.read("tanh_backward")[0].startswith("failed")


def test_a_saved_piece_that_no_longer_passes_its_check_is_not_used(capsys):
    save_pieces(SOLUTIONS)
    path = store.folder() / "relu_forward.py"
    wrong = "\ndef relu_forward(x):\n    return np.abs(x)\n"
    store.save("relu_forward", wrong, "06.3", "06")  # as if saved by an older, laxer check
    assert path.exists()
    library = my_library()
    assert library.stand_ins == ["relu_forward"]
    assert "your version failed its check: relu_forward(x) differs from nnlib's" in capsys.readouterr().out


def test_the_report_lists_every_piece_as_yours_or_a_stand_in(capsys):
    first, second = list(PIECES)[:2]
    save_pieces(SOLUTIONS, [first])
    my_library(quiet=True).report()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(f"1 of {len(PIECES)} pieces are yours.") and len(lines) == 1 + len(PIECES)
    assert lines[1].split() == ["yours", first, "exercise", PIECES[first].exercise]
    assert lines[2].split() == ["stand-in", second, "exercise", PIECES[second].exercise]


def test_in_colab_the_library_says_each_notebook_has_its_own_runtime(capsys, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "google.colab", object())
    my_library()
    assert "In Colab each notebook has its own runtime" in capsys.readouterr().out


@pytest.mark.slow  # trains the digits or a widget's runs: in make test, not test-fast
def test_the_benchmarks_workload_on_the_learners_library_trains_the_same_network_as_nnlibs(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "bench"))
    import workloads

    case = {**workloads.CASES["digits_b32_float64"], "epochs": 1}
    mine = workloads.run_my_library(case, 1, tmp_path / "mine.npz")
    reference = workloads.run_nnlib(case, 1, tmp_path / "nnlib.npz")
    a, b = np.load(tmp_path / "mine.npz"), np.load(tmp_path / "nnlib.npz")
    assert largest_difference(dict(a), dict(b)) <= 1e-9
    assert mine["test_accuracy"] == reference["test_accuracy"] > 0.9


def test_any_piece_is_reached_by_name_yours_or_nnlibs_standing_in():
    from nnlib.initializers import he, xavier

    save_pieces(SOLUTIONS, ["xavier"])
    library = my_library(quiet=True)
    assert library.xavier.__code__.co_filename == str(store.folder() / "xavier.py") and library.he is he
    assert library.xavier is not xavier
    with pytest.raises(AttributeError, match=f"your library has no piece 'xavir'; its pieces: {next(iter(PIECES))}, "):
        library.xavir  # noqa: B018 (reading the attribute is the test)


def test_the_optimiser_is_yours_where_written_else_nnlibs_and_an_unknown_name_is_refused():
    from nnlib.learner.adapters import MyOptimizer
    from nnlib.optim import SGD, Adam

    library = my_library(quiet=True)
    assert isinstance(library.optimizer("sgd", momentum=0.5), SGD) and isinstance(library.optimizer("adam"), Adam)
    save_pieces(SOLUTIONS, ["momentum_step"])
    mine = my_library(quiet=True).optimizer("sgd", momentum=0.5)
    assert isinstance(mine, MyOptimizer) and mine.hyperparameters == {"momentum": 0.5}
    with pytest.raises(ValueError, match="optimizer must be 'sgd' or 'adam', got 'rmsprop'"):
        library.optimizer("rmsprop")
