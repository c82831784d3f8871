"""Notebook 09b's exercises (learning-rate schedules and early stopping, the second part of notebook 09): solutions
pass and their pieces (cosine_schedule, early_stopping) are saved to the learner's library, typical mistakes get
specific feedback (and a wrong piece is marked failed, nnlib standing in), other right ways are accepted, and the
notebook's claims are nnlib's own numbers."""
import functools
import inspect
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define, run, run_notebook

import nnlib
from nnlib.exercises import nb09b
from nnlib.learner import my_library, store
from nnlib.learner.pieces import PIECES, check_piece
from nnlib.schedules import cosine
from nnlib.train import early_stopping as nnlib_early_stopping

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09b_schedules_and_early_stopping.ipynb"


def feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


def solution_with(exercise, old, new):
    """``exercise``'s solution with ``old`` replaced by ``new`` (a typical mistake), as written in a cell."""
    assert old in exercise.solution_code, old
    return exercise.solution_code.replace(old, new)


@pytest.mark.parametrize("exercise", [nb09b.q1, nb09b.q2])
def test_solution_is_correct_its_piece_is_saved_and_placeholder_is_unanswered(exercise):
    (piece,) = exercise.pieces.values()
    assert feedback(exercise, exercise.solution_code) == ("correct", f"Correct! Saved to your library (my_nnlib): "
                                                                     f"{piece}.")
    assert store.read(piece)[0] == "passed"
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


@pytest.mark.parametrize("piece, exercise", [("cosine_schedule", nb09b.q1), ("early_stopping", nb09b.q2)])
def test_the_stand_ins_are_nnlibs_own_functions_with_the_learners_signature(piece, exercise):
    reference = PIECES[piece].reference
    assert reference in (cosine, nnlib_early_stopping)
    assert inspect.signature(reference) == inspect.signature(run(exercise.solution_code)[piece])
    assert check_piece(piece, reference) is None and exercise.feedback(reference)[0] == "correct"


# --- 09b.1: the cosine schedule -----------------------------------------------------------------------------------
def test_09b_1_solution_is_the_schedule_fit_records():
    cosine_schedule = run(nb09b.q1.solution_code)["cosine_schedule"]
    X, y = nnlib.datasets.make_moons(60, seed=0)
    history = nnlib.MLP(hidden_layers=(3,), epochs=12, learning_rate=0.4, lr_schedule="cosine").fit(X, y).history_
    np.testing.assert_allclose([cosine_schedule(e, 0.4, 12) for e in range(12)], history.learning_rate, rtol=1e-15)
    assert cosine_schedule(12, 0.4, 12) == 0 and cosine_schedule(30, 0.4, 12) == 0
    assert cosine_schedule(6, 0.4, 12) == 0.2


@pytest.mark.parametrize("old, new, expected", [
    ("min(epoch, epochs) / epochs", "min(epoch + 1, epochs) / epochs", "epochs count from 0"),
    ("learning_rate * 0.5 * (1 + np.cos(np.pi * progress))", "learning_rate * np.cos(np.pi * progress)",
     "goes negative"),
    ("return learning_rate * 0.5 * (1 + np.cos(np.pi * progress))",
     "return learning_rate * np.cos(np.pi / 2 * progress)", "a quarter of a cosine wave"),
    ("min(epoch, epochs) / epochs", "epoch / epochs", "climbs back up"),
    ("min(epoch, epochs) / epochs", "min(epoch, epochs - 1) / (epochs - 1)", "divide by epochs, not epochs - 1"),
    ("min(epoch, epochs) / epochs", "min(epoch, epochs) / epochs if epochs > 1 else 0.5",
     "with learning_rate=0.1 and epochs=1, your rate at epoch 0 is 0.05"),
    ("return learning_rate * 0.5 * (1 + np.cos(np.pi * progress))", "return learning_rate", "does not change"),
    ("np.cos(np.pi * progress)", "np.cos(180 * progress)", "half a wave is pi, not 180 (degrees)"),
    ("np.cos(np.pi * progress)", "np.cos(np.pi * progress * 0.9)",
     "with learning_rate=0.5 and epochs=20, your rate at epoch 1"),
    ("return learning_rate * 0.5 * (1 + np.cos(np.pi * progress))", "return [learning_rate, progress]",
     "should return one number"),
])
def test_09b_1_names_each_typical_schedule_mistake_and_marks_the_piece_failed(old, new, expected):
    status, message = feedback(nb09b.q1, solution_with(nb09b.q1, old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("cosine_schedule")[0] == f"failed: {message}"


def test_09b_1_every_listed_schedule_mistake_gets_its_own_message_and_fails_the_pieces_check():
    for mistake, message in nb09b.COSINE_MISTAKES.items():
        wrong = functools.partial(nb09b.cosine_reference, mistake=mistake)
        assert nb09b.q1.feedback(wrong) == ("wrong", message), mistake
        assert check_piece("cosine_schedule", wrong).startswith("your cosine_schedule, at epochs 0 to epochs + 2")


# Wrong schedules written whole, as learners write them (not the solution edited): the words that name each slip.
LEARNERS_SCHEDULES = {
    "zero at epochs - 1": ('''
def cosine_schedule(epoch, learning_rate, epochs):
    if epoch >= epochs:
        return 0.0
    return learning_rate * 0.5 * (1 + np.cos(np.pi * epoch / (epochs - 1)))
''', ["reaches 0 at epoch epochs - 1", "divide by epochs, not epochs - 1"]),
    "cos without 0.5 * (1 + ...)": ('''
import math


def cosine_schedule(epoch, learning_rate, epochs):
    epoch = min(epoch, epochs)
    return learning_rate * math.cos(math.pi * epoch / epochs)
''', ["goes negative in the second half", "0.5 * (1 + cos(...))"]),
    "an angle in degrees": ('''
import math


def cosine_schedule(epoch, learning_rate, epochs):
    angle = 180 * min(epoch, epochs) / epochs     # half a turn
    return learning_rate * 0.5 * (1 + math.cos(angle))
''', ["take radians", "half a wave is pi, not 180 (degrees)"]),
    "the rate rising": ('''
def cosine_schedule(epoch, learning_rate, epochs):
    progress = min(epoch, epochs) / epochs
    return learning_rate * 0.5 * (1 - np.cos(np.pi * progress))
''', ["your rate rises from 0 to learning_rate", "not 1 - cos"]),
    "not kept at 0 after the end": ('''
def cosine_schedule(epoch, learning_rate, epochs):
    return learning_rate / 2 * (1 + np.cos(np.pi * epoch / epochs))
''', ["after the end of the schedule (epoch > epochs) your rate climbs back up", "min(epoch, epochs)"]),
    "epochs counted from 1": ('''
def cosine_schedule(epoch, learning_rate, epochs):
    epoch = epoch + 1
    if epoch > epochs:
        return 0.0
    return learning_rate * 0.5 * (1 + np.cos(np.pi * epoch / epochs))
''', ["your rate at epoch 0 is already below learning_rate", "epochs count from 0"]),
    "a quarter wave": ('''
def cosine_schedule(epoch, learning_rate, epochs):
    return learning_rate * np.cos(np.pi / 2 * min(epoch, epochs) / epochs)
''', ["a quarter of a cosine wave", "half a wave"]),
    "every epoch's rate at once": ('''
def cosine_schedule(epoch, learning_rate, epochs):
    e = np.arange(epochs)
    return learning_rate * 0.5 * (1 + np.cos(np.pi * e / epochs))
''', ["should return one number, the learning rate"]),
}


@pytest.mark.parametrize("slip", LEARNERS_SCHEDULES)
def test_09b_1_a_learners_wrong_schedule_is_refused_with_its_slip_named_and_not_saved(slip):
    code, words = LEARNERS_SCHEDULES[slip]
    status, message = feedback(nb09b.q1, code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read("cosine_schedule") == (f"failed: {message}", None)


def test_09b_1_a_schedule_written_with_math_and_without_min_for_the_run_is_accepted_and_saved():
    code = '''
import math


def cosine_schedule(epoch, learning_rate, epochs):
    if epoch >= epochs:
        return 0.0
    return learning_rate / 2 * (math.cos(math.pi * epoch / epochs) + 1)
'''
    assert feedback(nb09b.q1, code) == ("correct", "Correct! Saved to your library (my_nnlib): cosine_schedule.")


# --- 09b.2: early stopping's rule ---------------------------------------------------------------------------------
def test_09b_2_the_checkers_rule_is_nnlibs_after_every_epoch_and_replays_where_fit_stops():
    """rule_reference answers as nnlib.train.early_stopping after every epoch of each made-up run, each run stops
    before its end, and replayed on real runs it stops where fit stopped and keeps the epoch fit restored."""
    for losses, patience in nb09b.STOPPING_CASES:
        for end in range(1, len(losses) + 1):
            assert nb09b.rule_reference(list(losses[:end]), patience) == nnlib_early_stopping(losses[:end], patience)
        assert nb09b.early_stopping_reference(losses, patience)[0] < len(losses), "every made-up run stops early"
    X, y = nnlib.datasets.make_moons(200, noise=0.3, seed=0)
    X_train, X_val, y_train, y_val = X[:140], X[140:], y[:140], y[140:]
    for patience in (2, 5, 10):
        model = nnlib.MLP(hidden_layers=(32, 32), learning_rate=0.3, momentum=0.9, epochs=300, batch_size=32,
                          patience=patience, seed=0).fit(X_train, y_train, validation_data=(X_val, y_val))
        history = model.history_
        assert history.epochs < 300, "the run must really stop early for this test to mean something"
        assert nb09b.early_stopping_reference(history.val_loss, patience) == (history.epochs, history.best_epoch)


def test_09b_2_the_checkers_real_run_stops_early_and_the_solution_replays_it():
    val_losses, stopped = nb09b.stopping_run()
    assert stopped.history_.epochs < len(val_losses)
    assert val_losses[:stopped.history_.epochs] == stopped.history_.val_loss, "the same seed: the same first epochs"
    early_stopping = run(nb09b.q2.solution_code)["early_stopping"]
    assert nb09b.replay(early_stopping, val_losses, 5) == (stopped.history_.epochs, stopped.history_.best_epoch)


def test_09b_2_every_listed_early_stopping_mistake_gets_its_own_message_and_fails_the_pieces_check():
    for mistake, message in nb09b.STOPPING_MISTAKES.items():
        wrong = functools.partial(nb09b.rule_reference, mistake=mistake)
        assert nb09b.q2.feedback(wrong) == ("wrong", message), mistake
        assert check_piece("early_stopping", wrong).startswith("early_stopping(["), mistake


@pytest.mark.parametrize("old, new, expected", [
    ("if loss < val_losses[best]:", "if loss <= val_losses[best]:", "a loss equal to the best is not an improvement"),
    (">= patience", "> patience", "stop one epoch late"),
    (">= patience", ">= patience - 1", "stop one epoch early"),
    ("len(val_losses) - 1 - best >= patience", "len(val_losses) - best >= patience", "stop one epoch early"),
    ("return best, len(val_losses) - 1 - best >= patience", "return best, False", "never says stop"),
    ("return best, len(val_losses) - 1 - best >= patience",
     "return len(val_losses) - 1, len(val_losses) - 1 - best >= patience", "not the epoch just trained"),
    ("return best, len(val_losses) - 1 - best >= patience", "return best + 1, len(val_losses) - 1 - best >= patience",
     "epochs count from 0"),
    ("return best, len(val_losses) - 1 - best >= patience", "return len(val_losses) - 1 - best >= patience, best",
     "you returned (stop, best)"),
    ("return best, len(val_losses) - 1 - best >= patience", "return best", "return two things, best and stop"),
    ("return best, len(val_losses) - 1 - best >= patience",
     "return val_losses[best], len(val_losses) - 1 - best >= patience", "best should be the number of an epoch"),
    ("return best, len(val_losses) - 1 - best >= patience", "return best, len(val_losses) - 1 - best - patience",
     "stop should be True or False"),
    (">= patience", ">= patience + 3", "after the validation losses [0.7, 0.52, 0.45, 0.47, 0.44, 0.46, 0.48, 0.49] "
                                       "nnlib's rule answers best = 4, stop = True; yours: best = 4, stop = False"),
])
def test_09b_2_names_each_typical_early_stopping_mistake_and_marks_the_piece_failed(old, new, expected):
    status, message = feedback(nb09b.q2, solution_with(nb09b.q2, old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("early_stopping")[0] == f"failed: {message}"


# Wrong rules written whole, as learners write them (not the solution edited): the words that name each slip.
LEARNERS_RULES = {
    "the last epoch returned as best": ('''
def early_stopping(val_losses, patience):
    best = val_losses.index(min(val_losses))
    stop = len(val_losses) - 1 - best >= patience
    return len(val_losses) - 1, stop
''', ["best should be the epoch of the lowest validation loss so far", "not the epoch just trained"]),
    "<= keeps the later of equal losses": ('''
def early_stopping(val_losses, patience):
    best, best_loss = 0, float("inf")
    for epoch, loss in enumerate(val_losses):
        if loss <= best_loss:
            best, best_loss = epoch, loss
    return best, len(val_losses) - 1 - best >= patience
''', ["a loss equal to the best is not an improvement", "the earlier of two equal epochs stays the best"]),
    "the last of equal losses by argmin from the end": ('''
def early_stopping(val_losses, patience):
    last = len(val_losses) - 1
    best = last - int(np.argmin(val_losses[::-1]))
    return best, last - best >= patience
''', ["a loss equal to the best is not an improvement"]),
    "one epoch early": ('''
def early_stopping(val_losses, patience):
    best = int(np.argmin(val_losses))
    return best, len(val_losses) - best >= patience
''', ["your rule says stop one epoch early", "len(val_losses) - 1 - best"]),
    "one epoch late": ('''
def early_stopping(val_losses, patience):
    best = int(np.argmin(val_losses))
    waited = len(val_losses) - 1 - best
    return best, waited > patience
''', ["your rule says stop one epoch late", ">= patience"]),
    "a waiting count that counts epoch 0": ('''
def early_stopping(val_losses, patience):
    best, wait = 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best, wait = epoch, 0
        else:
            wait += 1
    return best, wait >= patience
''', ["counts epoch 0 itself as an epoch without improvement", "stops one epoch early"]),
    "a waiting count reset by any fall": ('''
def early_stopping(val_losses, patience):
    best, wait = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[epoch - 1]:
            wait = 0
        else:
            wait += 1
        if val_losses[epoch] < val_losses[best]:
            best = epoch
    return best, wait >= patience
''', ["patience counts the epochs since the best one, not epochs in which the loss rose"]),
    "best compared with the epoch before": ('''
def early_stopping(val_losses, patience):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[epoch - 1]:
            best = epoch
    return best, len(val_losses) - 1 - best >= patience
''', ["your best is the last epoch whose loss fell below the epoch before's",
      "compare each loss with val_losses[best], not val_losses[epoch - 1]"]),
    "epochs counted from 1": ('''
def early_stopping(val_losses, patience):
    best, best_loss = 0, np.inf
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best_loss:
            best, best_loss = epoch, loss
    return best, len(val_losses) - best >= patience
''', ["your best is one too high", "epochs count from 0"]),
    "stop as a numpy array": ('''
def early_stopping(val_losses, patience):
    best = int(np.argmin(val_losses))
    return best, np.array(len(val_losses) - 1 - best >= patience)
''', ["stop should be True or False"]),
}


@pytest.mark.parametrize("slip", LEARNERS_RULES)
def test_09b_2_a_learners_wrong_rule_is_refused_with_its_slip_named_and_not_saved(slip):
    code, words = LEARNERS_RULES[slip]
    status, message = feedback(nb09b.q2, code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read("early_stopping") == (f"failed: {message}", None)


def test_09b_2_recognises_counting_rises_instead_of_epochs_since_the_best():
    code = '''
def early_stopping(val_losses, patience):
    best = count = 0
    for epoch, loss in enumerate(val_losses):
        best = epoch if loss < val_losses[best] else best
        count = count + 1 if epoch and loss > val_losses[epoch - 1] else 0
    return best, count >= patience
'''
    assert "not epochs in which the loss rose" in feedback(nb09b.q2, code)[1]


@pytest.mark.parametrize("code", [
    "def early_stopping(val_losses, patience):\n    best = int(np.argmin(val_losses))\n"
    "    return best, len(val_losses) - 1 - best >= patience\n",
    "def early_stopping(val_losses, patience):\n    best = val_losses.index(min(val_losses))\n"
    "    stop = len(val_losses) - best > patience\n    return best, stop\n",
    "def early_stopping(val_losses, patience):\n    best = min(range(len(val_losses)), key=lambda e: val_losses[e])\n"
    "    return [best, np.bool_(len(val_losses) - 1 - best >= patience)]\n",
])
def test_09b_2_rules_written_differently_are_accepted_and_saved(code):
    assert feedback(nb09b.q2, code) == ("correct", "Correct! Saved to your library (my_nnlib): early_stopping.")
    assert my_library(quiet=True).yours == ["early_stopping"]


def test_09b_2_a_failed_rule_is_never_used_nnlibs_stands_in_and_says_why():
    feedback(nb09b.q2, solution_with(nb09b.q2, "if loss < val_losses[best]:", "if loss <= val_losses[best]:"))
    mine = my_library(quiet=True)
    assert mine.early_stopping is nnlib_early_stopping
    assert mine.notice("early_stopping").startswith("stand-in: early_stopping is nnlib's reference (your version "
                                                    "failed its check: a loss equal to the best is not an improvement")


# --- the notebook -------------------------------------------------------------------------------------------------
def markdown_09b():
    text = " ".join(cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "markdown")
    return " ".join(text.split())  # one space between words: a reflowed paragraph says the same


@pytest.fixture(scope="module")
def moons_split():
    X, y = nnlib.datasets.make_moons(n_samples=400, noise=0.3, seed=0)
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    return X_train, y_train, X_val, y_val


def test_09b_says_what_the_schedules_bought_and_tunes_their_starting_rate(moons_split):
    """Section 2 at rate 1: step and cosine settle (10x less jitter) but do not end lower than the constant rate,
    whose dips go lower; the text says so instead of 'let it settle', and tunes each schedule's starting rate."""
    X_train, y_train, X_val, y_val = moons_split
    losses = {schedule: np.array(nnlib.MLP(hidden_layers=(8,), epochs=100, batch_size=64, learning_rate=1.0,
                                           lr_schedule=schedule, seed=0)
                                 .fit(X_train, y_train, validation_data=(X_val, y_val)).history_.val_loss)
              for schedule in ("constant", "step", "cosine")}
    constant = losses["constant"]
    for settled in (losses["step"], losses["cosine"]):
        assert settled[-20:].std() < constant[-20:].std() / 10
        assert settled.min() > constant.min() + 0.03 and settled[-1] > constant[-20:].mean() - constant[-20:].std()
    text = markdown_09b()
    assert "let it settle" not in text
    assert "**A settled end.**" in text and "**Not a lower loss**" in text
    assert "a schedule is chosen *together with its starting rate*" in text


def test_09b_says_patience_buys_a_budget_because_more_patience_never_ends_worse(moons_split):
    """With restore_best the same seed walks the same path: more patience restores the same epoch or a lower one."""
    X_train, y_train, X_val, y_val = moons_split
    runs = [nnlib.MLP(hidden_layers=(32, 32), epochs=300, batch_size=64, learning_rate=0.3, momentum=0.9,
                      patience=patience, seed=0).fit(X_train, y_train, validation_data=(X_val, y_val))
            for patience in (2, 5, 10, 30)]
    losses = [run.data_loss(X_val, y_val) for run in runs]
    assert all(later <= earlier for earlier, later in zip(losses, losses[1:]))
    assert losses[1] == losses[2] == losses[3] and len({run.history_.best_epoch for run in runs[1:]}) == 1
    assert runs[3].history_.epochs > runs[1].history_.epochs
    text = markdown_09b()
    assert "searched like any hyperparameter" not in text
    assert "what patience buys is a **budget**" in text and "never end worse" in text


def test_09b_shows_why_to_stop_at_all_with_notebook_05s_penguins_loaded_in_its_own_cells():
    """Moved from notebook 05: on 163 separable penguins a neuron's weights grow without bound, on all 164 they
    settle, and L2 bounds them; 09b loads the penguins itself, before the cell that trains on them."""
    code = [cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "code"]
    loads = next(i for i, source in enumerate(code) if "nnlib.load_penguins(" in source)
    grows = next(i for i, source in enumerate(code) if "def weight_sizes(" in source)
    assert loads < grows and "assert X_penguins.shape == (164, 2)" in code[loads]
    for claim in ("only_163[1] / only_163[0] > 1.1", "all_164[1] / all_164[0] < 1.01", "L2 bounds them"):
        assert claim in code[grows]
    text = markdown_09b()
    assert "## 4. Why stop at all? Weights that grow forever" in text and "the minimum is at infinity" in text
    assert "**Why stop at all:**" in text and "the L2 strength `l2`" in text


def test_09b_continues_09_runs_on_its_own_and_says_what_the_learner_writes():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    text = markdown_09b()
    assert text.count("### What was a parameter here") == 1
    assert "Next: **09c · Dropout, batch normalisation and weight decay**" in text
    assert "This notebook continues **09 · Optimisers: momentum and Adam**" in text
    assert "Write early stopping's rule yourself" in text and "write the cosine schedule yourself" in text
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "make_moons(n_samples=400, noise=0.3, seed=0)" in code, "section 1 rebuilds notebook 09's data"
    assert "mine.cosine_schedule(" in code and "mine.early_stopping(" in code, "the notebook uses the pieces"


@pytest.mark.slow
def test_solved_the_notebook_saves_both_pieces_and_replays_fits_early_stopping_with_the_learners_rule(
        my_library_folder):
    printed = run_notebook(NOTEBOOK, nb09b, extra='import json\nprint("REPORT" + json.dumps(mine.yours))')
    assert "Exercise 09b.1: Correct! Saved to your library (my_nnlib): cosine_schedule." in printed
    assert "Exercise 09b.2: Correct! Saved to your library (my_nnlib): early_stopping." in printed
    assert json.loads(printed.split("REPORT", 1)[1]) == ["cosine_schedule", "early_stopping"]
    assert "your cosine_schedule: learning rate 1.000 at epoch 0" in printed
    assert "stand-in: cosine_schedule" not in printed
    assert printed.count("stand-in: early_stopping") == 1, "listed once, by my_library() before 09b.2 is solved"
    assert re.search(r"early_stopping stops after (\d+) epochs and restores epoch (\d+); fit\(patience=10\): \1 "
                     r"epochs, epoch \2", printed)
