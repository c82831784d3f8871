"""Notebook 09's exercises: solutions pass, typical mistakes get specific feedback, and the numbers the notebook
states are nnlib's own. (Its optimiser explorer is tested with the other descent widget, in test_widgets_descent.py.)"""
import matplotlib

matplotlib.use("Agg")

import functools
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define, run

import nnlib
from nnlib.exercises import nb09
from nnlib.line import line_loss
from nnlib.optim import SGD, Adam, Custom
from nnlib.plots.descent import least_squares_line
from nnlib.widgets.descent import optimizer_path


@pytest.mark.parametrize("exercise", [nb09.q1, nb09.q2, nb09.q3, nb09.q4, nb09.q5])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = define(exercise.solution_code)  # as in a notebook cell: a piece's code can be read back and saved
    saved = "".join(f" Saved to your library (my_nnlib): {piece}." for piece in getattr(exercise, "pieces", {}))
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!" + saved)
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


def test_09_1_boost_is_where_nnlibs_velocity_settles():
    """A constant gradient: nnlib's SGD velocity tends to learning_rate * g / (1 - momentum)."""
    for momentum, boost in [(0.9, 10), (0.998, 500)]:
        optimizer, theta = SGD(momentum), np.zeros(1)
        for _ in range(20000):
            optimizer.step([theta], [np.ones(1)], 1e-3)
        assert abs(-optimizer.velocities[0][0] / 1e-3 - boost) < 1e-3 * boost
    assert nb09.q1.feedback(10, 500)[0] == "correct"


@pytest.mark.parametrize("answers, expected", [
    ((9, 499), "mu / (1 - mu)"),
    ((0.1, 0.002), "that is 1 - mu"),
    ((10, 100), "boost_09 is right"),
    (("10", 500), "one number"),
])
def test_09_1_recognises_momentum_mistakes(answers, expected):
    status, message = nb09.q1.feedback(*answers)
    assert status == "wrong" and expected in message


def solution_with(exercise, old, new):
    """The function of ``exercise``'s solution with ``old`` replaced by ``new`` (a typical mistake)."""
    assert old in exercise.solution_code, old
    return run(exercise.solution_code.replace(old, new))[exercise.answers[0]]


# --- 09.2: SGD with momentum --------------------------------------------------------------------------------------
def test_09_2_solution_steps_as_nnlibs_sgd_bitwise_and_trains_as_it_inside_mlp():
    momentum_step = run(nb09.q2.solution_code)["momentum_step"]
    params, grads = nb09.step_case()
    mine = nb09.trajectory(momentum_step, params, grads, momentum=0.7)
    nnlibs = nb09.nnlib_trajectory(SGD(momentum=0.7), params, grads)
    assert all(np.array_equal(a, b) for step_a, step_b in zip(mine, nnlibs) for a, b in zip(step_a, step_b))
    X, y = nnlib.datasets.make_moons(100, noise=0.3, seed=0)
    yours = nnlib.MLP(hidden_layers=(6,), optimizer=Custom(momentum_step, momentum=0.9), momentum=0.0, epochs=20,
                      lr_schedule="step", seed=0).fit(X, y)
    theirs = nnlib.MLP(hidden_layers=(6,), optimizer="sgd", momentum=0.9, epochs=20,
                       lr_schedule="step", seed=0).fit(X, y)
    assert yours.history_.loss == theirs.history_.loss


@pytest.mark.parametrize("old, new, expected", [
    ("v -= learning_rate * g", "v += learning_rate * g", "your steps go uphill"),
    ("        v *= momentum                                 # in place, so state keeps the new velocity\n"
     "        v -= learning_rate * g\n        p += v",
     "        v *= momentum\n        v += g\n        p -= learning_rate * v",
     "did you scale the gradient by the learning rate before or after adding momentum?"),
    ("v -= learning_rate * g", "v -= (1 - momentum) * learning_rate * g", "scaled the gradient by (1 - momentum)"),
    ("v *= momentum ", "v *= 0.9 ", "the check passed momentum=0.8"),
    ("        p += v", "        p = p + v", "params never changed"),
    ("    for p, g, v in zip(params, grads, state[\"velocity\"]):",
     "    state = {\"velocity\": [np.zeros_like(p) for p in params]}\n"
     "    for p, g, v in zip(params, grads, state[\"velocity\"]):", "plain gradient descent"),
    ("        v *= momentum                                 # in place, so state keeps the new velocity\n"
     "        v -= learning_rate * g\n        p += v",
     "        p += v\n        v *= momentum\n        v -= learning_rate * g", "your first step did not move them"),
    ("    for p, g, v in zip(params, grads, state[\"velocity\"]):\n"
     "        v *= momentum                                 # in place, so state keeps the new velocity\n"
     "        v -= learning_rate * g\n        p += v",
     "    for i, (p, g, v) in enumerate(zip(params, grads, state[\"velocity\"])):\n"
     "        v *= momentum\n        v -= learning_rate * g\n        params[i] = p + v",
     "put new arrays into the list"),
    ("        p += v", "        p += v * np.nan", "NaN or infinite at step 1"),
    ("v -= learning_rate * g", "v -= learning_rate * g * 1.1", "differ at step 1"),
    ("    if \"velocity\" not in state:", "    if \"velocity\" not in state or True:", "plain gradient descent"),
])
def test_09_2_names_each_typical_momentum_mistake(old, new, expected):
    status, message = nb09.q2.feedback(solution_with(nb09.q2, old, new))
    assert status == "wrong" and expected in message, message


def test_09_2_learning_rate_after_momentum_agrees_until_the_rate_changes():
    """PyTorch's form equals nnlib's while the rate is constant: the check's rates change at step 3, and it says so."""

    def pytorch_form(*args, **kwargs):
        return nb09.momentum_reference(*args, **kwargs, mistake="learning rate after momentum")

    params, grads = nb09.step_case()
    mine = nb09.trajectory(pytorch_form, params, grads, momentum=0.8)
    assert nb09.first_difference(mine, nb09.nnlib_trajectory(SGD(0.8), params, grads), 1e-12) == 3
    assert nb09.RATES[1] != nb09.RATES[2] and nb09.RATES[0] == nb09.RATES[1]
    assert "up to step 2 and differ from step 3 on, where the learning rate changed from 0.1 to 0.05" in \
        nb09.q2.feedback(pytorch_form)[1]


# --- 09.3: Adam ---------------------------------------------------------------------------------------------------
def test_09_3_solution_is_the_papers_adam_and_agrees_with_nnlibs_up_to_eps():
    adam_step = run(nb09.q3.solution_code)["adam_step"]
    params, grads = nb09.step_case()
    mine = nb09.trajectory(adam_step, params, grads, beta1=0.9, beta2=0.999, eps=1e-8)
    paper = nb09.trajectory(nb09.adam_reference, params, grads, learner=False)
    assert nb09.first_difference(mine, paper, 1e-15) is None
    nnlibs = nb09.nnlib_trajectory(Adam(), params, grads)
    assert nb09.first_difference(mine, nnlibs, 1e-6) is None  # nnlib does not bias-correct eps
    # Step 1 in closed form: m_hat = g and v_hat = g**2, so each parameter moves by -lr * g / (|g| + eps).
    g, p = grads[0][0], params[0]
    np.testing.assert_allclose(mine[0][0], p - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-14)


def test_09_3_nnlibs_own_form_counts_as_right():
    def nnlib_form(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
        state.setdefault("adam", Adam(beta1, beta2, eps)).step(params, grads, learning_rate)
    assert nb09.q3.feedback(nnlib_form) == ("correct", "Correct!")


@pytest.mark.parametrize("old, new, expected", [
    ("        m_hat = m / (1 - beta1**t)                    # bias corrections: m and v started at 0\n"
     "        v_hat = v / (1 - beta2**t)",
     "        m_hat, v_hat = m, v", "no bias correction"),
    ("m_hat = m / (1 - beta1**t)", "m_hat = m", "you corrected v but not m"),
    ("v_hat = v / (1 - beta2**t)", "v_hat = v", "you corrected m but not v"),
    ("    state[\"t\"] += 1\n    t = state[\"t\"]", "    t = 1", "your step count does not grow"),
    ("    state[\"t\"] += 1\n    t = state[\"t\"]", "    t = state[\"t\"]\n    state[\"t\"] += 1",
     "t must be 1 at the first step"),
    ("np.sqrt(v_hat) + eps", "v_hat + eps", "the *square root* of v_hat"),
    ("np.sqrt(v_hat) + eps", "np.sqrt(v_hat + eps)", "eps is added after the square root"),
    ("p -= learning_rate", "p += learning_rate", "your steps go uphill"),
    ("    if not state:                                     # the first call",
     "    state = {}\n    if not state:", "start from 0 at every call"),
    ("(1 - beta1) * g ", "g ", "without (1 - beta1) it grows as a sum"),
    ("(1 - beta2) * g**2", "(1 - beta2) * g", "the square root of a negative number"),
    ("    for p, g, m, v in zip(params, grads, state[\"m\"], state[\"v\"]):",
     "    beta1, beta2 = 0.9, 0.999\n    for p, g, m, v in zip(params, grads, state[\"m\"], state[\"v\"]):",
     "the check passed beta1=0.8, beta2=0.99"),
    ("        p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)",
     "        p = p - learning_rate * m_hat / (np.sqrt(v_hat) + eps)", "params never changed"),
])
def test_09_3_names_each_typical_adam_mistake(old, new, expected):
    status, message = nb09.q3.feedback(solution_with(nb09.q3, old, new))
    assert status == "wrong" and expected in message, message


@pytest.mark.parametrize("mistake", nb09.ADAM_MISTAKES)
def test_09_3_every_listed_adam_mistake_gets_its_own_message(mistake):
    wrong = functools.partial(nb09.adam_reference, mistake=mistake)
    status, message = nb09.q3.feedback(wrong)
    assert status == "wrong" and message == nb09.ADAM_MISTAKES[mistake].format(ratio=message_ratio(message), beta1=0.8,
                                                                               beta2=0.99)


def message_ratio(message):
    return float(message.split("Your first step was ")[1].split(" ")[0]) if "Your first step was" in message else 0


@pytest.mark.parametrize("mistakes, reference, exercise", [
    (nb09.MOMENTUM_MISTAKES, nb09.momentum_reference, nb09.q2),
    (nb09.COSINE_MISTAKES, nb09.cosine_reference, nb09.q4),
])
def test_every_listed_momentum_and_schedule_mistake_gets_its_own_message(mistakes, reference, exercise):
    for mistake, message in mistakes.items():
        status, feedback = exercise.feedback(functools.partial(reference, mistake=mistake))
        fixed = message.format(step=3, before=2, earlier=0.1, rate=0.05, momentum=0.8)
        assert status == "wrong" and feedback == fixed, (mistake, feedback)


def test_every_listed_early_stopping_mistake_gets_its_own_message():
    for mistake, message in nb09.STOPPING_MISTAKES.items():
        def wrong(val_losses, snapshots, patience, mistake=mistake):
            epochs, kept = nb09.early_stopping_reference(val_losses, patience, mistake)
            return epochs, snapshots[kept]
        assert nb09.q5.feedback(wrong) == ("wrong", message), mistake


def test_09_3_no_bias_correction_reports_how_much_too_long_the_first_step_was():
    """beta1 = 0.8, beta2 = 0.99: without corrections step 1 is (1 - 0.8) / sqrt(1 - 0.99) = 2 times nnlib's."""
    message = nb09.q3.feedback(solution_with(nb09.q3, "m_hat = m / (1 - beta1**t)", "m_hat = m / 1"))[1]
    assert "you corrected v but not m" in message
    no_correction = solution_with(nb09.q3, "m_hat = m / (1 - beta1**t)                    # bias corrections: m and v "
                                  "started at 0\n        v_hat = v / (1 - beta2**t)", "m_hat, v_hat = m, v")
    assert "Your first step was 2.0 times as long as nnlib's" in nb09.q3.feedback(no_correction)[1]


# --- 09.4: the cosine schedule ------------------------------------------------------------------------------------
def test_09_4_solution_is_the_schedule_fit_records():
    cosine_schedule = run(nb09.q4.solution_code)["cosine_schedule"]
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
    ("np.cos(np.pi * progress)", "np.cos(180 * progress)",
     "with learning_rate=0.5 and epochs=20, your rate at epoch 1"),
    ("return learning_rate * 0.5 * (1 + np.cos(np.pi * progress))", "return [learning_rate, progress]",
     "should return one number"),
])
def test_09_4_names_each_typical_schedule_mistake(old, new, expected):
    status, message = nb09.q4.feedback(solution_with(nb09.q4, old, new))
    assert status == "wrong" and expected in message, message


# --- 09.5: early stopping -----------------------------------------------------------------------------------------
def test_09_5_reference_rule_is_nnlibs_early_stopping():
    """early_stopping_reference reproduces where nnlib's fit stopped and which epoch it restored, on real runs."""
    X, y = nnlib.datasets.make_moons(200, noise=0.3, seed=0)
    X_train, X_val, y_train, y_val = X[:140], X[140:], y[:140], y[140:]
    for patience in (2, 5, 10):
        model = nnlib.MLP(hidden_layers=(32, 32), learning_rate=0.3, momentum=0.9, epochs=300, batch_size=32,
                          patience=patience, seed=0).fit(X_train, y_train, validation_data=(X_val, y_val))
        history = model.history_
        assert history.epochs < 300, "the run must really stop early for this test to mean something"
        assert nb09.early_stopping_reference(history.val_loss, patience) == (history.epochs, history.best_epoch)
    for losses, patience in nb09.STOPPING_CASES:
        assert nb09.early_stopping_reference(losses, patience)[0] < len(losses), "every made-up run stops early"


def test_09_5_the_checkers_real_run_stops_early_and_the_solution_replays_it():
    val_losses, snapshots, stopped = nb09.stopping_run()
    assert stopped.history_.epochs < len(val_losses) == len(snapshots)
    assert val_losses[:stopped.history_.epochs] == stopped.history_.val_loss, "the same seed: the same first epochs"
    early_stopping = run(nb09.q5.solution_code)["early_stopping"]
    epochs, kept = early_stopping(val_losses, snapshots, 5)
    assert epochs == stopped.history_.epochs
    assert all(np.array_equal(kept[name], array) for name, array in stopped.parameters().items())


@pytest.mark.parametrize("old, new, expected", [
    ("return epoch + 1, snapshots[best]", "return epoch + 1, snapshots[epoch]",
     "kept the parameters of the last epoch"),
    ("return epoch + 1, snapshots[best]", "return epoch + 1, snapshots[-1]", "the epochs after the stop never run"),
    ("return epoch + 1, snapshots[best]", "return epoch + 1, snapshots[int(np.argmin(val_losses))]",
     "the lowest loss of the whole list"),
    ("if loss < val_losses[best]:", "if loss <= val_losses[best]:", "a loss equal to the best is not an improvement"),
    ("elif epoch - best >= patience:", "elif epoch - best > patience:", "stops one epoch late"),
    ("elif epoch - best >= patience:", "elif epoch - best >= patience - 1:", "stops one epoch early"),
    ("return epoch + 1, snapshots[best]", "return epoch, snapshots[best]", "e + 1 epochs were trained"),
    ("elif epoch - best >= patience:", "elif False:", "never stops early"),
    ("return epoch + 1, snapshots[best]", "return epoch + 1, dict(snapshots[best])", "Correct!"),
    ("return epoch + 1, snapshots[best]", "return epoch + 1, {'w': 0}", "one of the snapshots"),
    ("return epoch + 1, snapshots[best]", "return epoch + 1.0, snapshots[best]", "whole number"),
    ("return epoch + 1, snapshots[best]", "return snapshots[best]", "return two things"),
    ("elif epoch - best >= patience:", "elif epoch - best >= patience + 3:",
     "nnlib trains 8 epochs and restores epoch 4"),
])
def test_09_5_names_each_typical_early_stopping_mistake(old, new, expected):
    status, message = nb09.q5.feedback(solution_with(nb09.q5, old, new))
    assert expected in message and status == ("correct" if expected == "Correct!" else "wrong"), message


def test_09_5_recognises_counting_rises_instead_of_epochs_since_the_best():
    def rises(val_losses, snapshots, patience):
        best = count = 0
        for epoch, loss in enumerate(val_losses):
            best = epoch if loss < val_losses[best] else best
            count = count + 1 if epoch and loss > val_losses[epoch - 1] else 0
            if count >= patience:
                return epoch + 1, snapshots[best]
        return len(val_losses), snapshots[-1]
    assert "not epochs in which the loss rose" in nb09.q5.feedback(rises)[1]


def markdown_09():
    path = Path(__file__).resolve().parent.parent / "notebooks" / "09_optimisers_and_schedules.ipynb"
    text = " ".join(cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown")
    return " ".join(text.split())  # one space between words: a reflowed paragraph says the same


def test_the_notebooks_claims_hold(penguins):
    """Notebook 09 section 1: the curvatures differ 8.35 million-fold (notebook 02's words); plain gradient descent
    stays > 100 % above the minimum after 5000 epochs, momentum 0.998 gets below 50 % and 100x further along the floor,
    Adam within 0.2 %; momentum 0.998 survives 4.5e-5, where plain gradient descent diverges, but not 5e-5."""
    X, y = penguins
    x = X[:, 0]
    flat, steep = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))
    assert round(steep / flat / 1e6, 2) == 8.35 and 2.4e-5 < 2 / steep < 2.5e-5
    minimum = line_loss(x, y, *least_squares_line(x, y))
    plain, heavy, adam = (optimizer_path(x, y, opt, rate, 5000)
                          for opt, rate in [(SGD(0.0), 2e-5), (SGD(0.998), 2e-5), (Adam(), 30.0)])
    above = [line_loss(x, y, *path[-1]) / minimum - 1 for path in (plain, heavy, adam)]
    assert above[0] > 1.0 and above[1] < 0.5 and above[2] < 0.002
    assert heavy[-1, 1] < 100 * plain[-1, 1] < 0
    lasts = [len(optimizer_path(x, y, SGD(momentum), rate, 5000)) == 5001
             for momentum, rate in [(0.0, 4.5e-5), (0.998, 4.5e-5), (0.998, 5e-5)]]
    assert lasts == [False, True, False]


def test_09_states_the_valley_as_notebook_02_does_and_suggests_a_rate_momentum_survives():
    text = markdown_09()
    assert "The curvature across the valley is 8.35 million times the curvature along it" in text
    assert "ten million" not in text and "rises about" not in text
    assert "a rate of $4.5\\times10^{-5}$, too large for plain gradient descent" in text
    assert "a rate of $5\\times10^{-5}$, too large" not in text and "about twice the rate)" not in text


@pytest.fixture(scope="module")
def moons_split():
    X, y = nnlib.datasets.make_moons(n_samples=400, noise=0.3, seed=0)
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    return X_train, y_train, X_val, y_val


def test_09_says_what_the_schedules_bought_and_tunes_their_starting_rate(moons_split):
    """Section 5 at rate 1: step and cosine settle (10x less jitter) but do not end lower than the constant rate,
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
    text = markdown_09()
    assert "let it settle" not in text
    assert "**A settled end.**" in text and "**Not a lower loss**" in text
    assert "a schedule is chosen *together with its starting rate*" in text


def test_09_says_patience_buys_a_budget_because_more_patience_never_ends_worse(moons_split):
    """With restore_best the same seed walks the same path: more patience restores the same epoch or a lower one."""
    X_train, y_train, X_val, y_val = moons_split
    runs = [nnlib.MLP(hidden_layers=(32, 32), epochs=300, batch_size=64, learning_rate=0.3, momentum=0.9,
                      patience=patience, seed=0).fit(X_train, y_train, validation_data=(X_val, y_val))
            for patience in (2, 5, 10, 30)]
    losses = [run.data_loss(X_val, y_val) for run in runs]
    assert all(later <= earlier for earlier, later in zip(losses, losses[1:]))
    assert losses[1] == losses[2] == losses[3] and len({run.history_.best_epoch for run in runs[1:]}) == 1
    assert runs[3].history_.epochs > runs[1].history_.epochs
    text = markdown_09()
    assert "searched like any hyperparameter" not in text
    assert "what patience buys is a **budget**" in text and "never end worse" in text
