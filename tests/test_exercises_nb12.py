"""Notebook 12: its exercises, and the L2 conversions and the BayesianRidge claim it states."""
import warnings

import numpy as np
import pytest
from exercise_code import run
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import nnlib
from nnlib.exercises import nb12


@pytest.mark.parametrize("exercise", [nb12.q1, nb12.q2, nb12.q4])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    assert exercise.feedback(*[blank[name] for name in exercise.answers])[0] == "unanswered"


def test_12_1_explains_a_wrong_library_name():
    kinds = run(nb12.q1.solution_code)["kinds"]
    status, message = nb12.q1.feedback(dict(kinds, wts="hyperparameter", alpha="parameter"))
    assert status == "wrong" and message.startswith("2 of 10 wrong")
    assert "fitted weights and biases of an nnet model" in message and "not a step size" in message



@pytest.mark.parametrize("alpha, decay, expected", [
    (1e-3, 1e-3 * 1079 / 2, "alpha must be batch_size times larger"),
    (1e-3 * 1079, 1e-3 * 1079 / 2, "solver='lbfgs'"),
    (1e-3 / 32, 1e-3 * 1079 / 2, "upside down"),
    (0.032, 1e-3 * 1079, "halve it"),
    (0.032, 1e-3, "SUM of the losses"),
    (0.032, 7.0, "expected l2 * n_train / 2"),
    (1e-3 * 1079 / 2, 0.032, "alpha and decay are swapped"),
    ([0.032], 1e-3 * 1079 / 2, "alpha should be one number"),
    (0.032, "0.54", "decay should be one number"),
])
def test_12_2_recognises_scaling_mistakes(alpha, decay, expected):
    status, message = nb12.q2.feedback(alpha, decay)
    assert status == "wrong" and expected in message



def _digits(n):
    X, y = nnlib.load_digits()
    return nnlib.standardize(X[:n]), y[:n]



def _sklearn_from(start, alpha, **hyperparameters):
    """Train MLPClassifier with SGD from the given starting parameters (nnlib's names)."""
    X, y, epochs = hyperparameters.pop("X"), hyperparameters.pop("y"), hyperparameters.pop("epochs")
    clf = MLPClassifier(solver="sgd", alpha=alpha, max_iter=1, nesterovs_momentum=False, shuffle=False,
                        warm_start=True, tol=0.0, n_iter_no_change=10**6, random_state=0, **hyperparameters)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)  # creates the arrays; their values are replaced next
        for i, layer in enumerate(("hidden_1", "output")):
            clf.coefs_[i][...] = start[f"{layer}.weights"]
            clf.intercepts_[i][...] = start[f"{layer}.biases"]
        clf.set_params(max_iter=epochs).fit(X, y)  # warm_start: continues from those values
    return clf



@pytest.mark.parametrize("alpha_factor, same", [(32, True), (1, False), (960, False)])
def test_sklearn_alpha_equals_l2_times_batch_size(alpha_factor, same):
    """The notebook's table: same start, same batches -> identical parameters only when alpha = l2 * batch_size."""
    X, y = _digits(960)  # 30 full mini-batches of 32: no smaller last batch
    l2, batch_size = 1e-2, 32
    model = nnlib.MLP(hidden_layers=(16,), activation="relu", learning_rate=0.05, epochs=5, batch_size=batch_size,
                      momentum=0.9, l2=l2, shuffle=False, seed=0)
    start = {k: v.copy() for k, v in model.build(64, 10).parameters().items()}
    model.fit(X, y)
    clf = _sklearn_from(start, l2 * alpha_factor, X=X, y=y, epochs=5, hidden_layer_sizes=(16,), activation="relu",
                        learning_rate_init=0.05, batch_size=batch_size, momentum=0.9)
    gap = max(np.abs(clf.coefs_[0] - model.weights_[0]).max(), np.abs(clf.coefs_[1] - model.weights_[1]).max(),
              np.abs(clf.intercepts_[1] - model.biases_[1]).max())
    assert (gap < 1e-12) == same, gap



def test_torch_weight_decay_on_weights_equals_l2():
    torch = pytest.importorskip("torch")
    X, y = _digits(300)
    l2 = 1e-2
    model = nnlib.MLP(hidden_layers=(8,), activation="tanh", learning_rate=0.1, epochs=4, batch_size=25,
                      momentum=0.5, l2=l2, shuffle=False, seed=1)
    start = {k: v.copy() for k, v in model.build(64, 10).parameters().items()}
    model.fit(X, y)
    net = torch.nn.Sequential(torch.nn.Linear(64, 8), torch.nn.Tanh(), torch.nn.Linear(8, 10)).double()
    with torch.no_grad():
        for layer, name in [(net[0], "hidden_1"), (net[2], "output")]:
            layer.weight.copy_(torch.from_numpy(start[f"{name}.weights"].T))
            layer.bias.copy_(torch.from_numpy(start[f"{name}.biases"]))
    optimizer = torch.optim.SGD([{"params": [net[0].weight, net[2].weight], "weight_decay": l2},
                                 {"params": [net[0].bias, net[2].bias], "weight_decay": 0.0}], lr=0.1, momentum=0.5)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    for _ in range(4):
        for first in range(0, len(X), 25):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(net(Xt[first:first + 25]), yt[first:first + 25]).backward()
            optimizer.step()
    assert np.allclose(net[0].weight.detach().numpy().T, model.weights_[0], rtol=0, atol=1e-12)
    assert np.allclose(net[2].bias.detach().numpy(), model.biases_[1], rtol=0, atol=1e-12)



def test_blurred_line_exercise_explains_each_wrong_answer():
    right = run(nb12.q4.solution_code)["kinds"]
    assert nb12.q4.feedback(right)[0] == "correct"
    status, message = nb12.q4.feedback(dict(right, lambda_="hyperparameter"))
    assert status == "wrong" and "evidence maximisation" in message and "learned" in message
    status, message = nb12.q4.feedback(dict(right, alpha_1="parameter"))
    assert status == "wrong" and "constructor argument set before fit" in message



def test_bayesian_ridge_learns_the_penalty_from_the_training_data_only():
    """Notebook 12 section 4's claim, checked independently: fit computes lambda_ from the training rows alone
    (the validation rows are never passed), and the same rows in another order give the same lambda_."""
    from sklearn.linear_model import BayesianRidge

    from nnlib.features import polynomial_features

    X, y = nnlib.datasets.make_curve(n_samples=60, noise=0.25, seed=0)
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.25, test_size=0.25, seed=0)
    fitted = BayesianRidge().fit(polynomial_features(X_train, 12), y_train)
    order = np.random.default_rng(1).permutation(len(y_train))
    again = BayesianRidge().fit(polynomial_features(X_train[order], 12), y_train[order])
    assert abs(again.lambda_ - fitted.lambda_) < 1e-6 * fitted.lambda_ and fitted.lambda_ > 0



def test_12_1_and_12_4_sort_into_neither_too_with_names_the_text_has_not_shown():
    import json
    from pathlib import Path
    cells = json.loads((Path(__file__).resolve().parent.parent / "notebooks" / "12_r_nnet_and_l2_scale.ipynb")
                       .read_text(encoding="utf-8"))["cells"]
    text = " ".join("".join(cell["source"]) for cell in cells if not "".join(cell["source"]).startswith("# Exercise"))
    for exercise, unseen in ((nb12.q1, "loss_curve_"), (nb12.q4, "n_iter_")):
        kinds = run(exercise.solution_code)["kinds"]
        assert "neither" in kinds.values() and unseen in kinds and f"`{unseen}`" not in text.split("## Summary")[0]
    status, message = nb12.q1.feedback(dict(run(nb12.q1.solution_code)["kinds"], loss_curve_="parameter"))
    assert status == "wrong" and "not a value of the model" in message
    status, message = nb12.q4.feedback(dict(run(nb12.q4.solution_code)["kinds"], n_iter_="hyperparameter"))
    assert status == "wrong" and "record of the run, not a value of the model" in message


def test_12_1_and_12_4_records_and_seeds_are_not_what_predictions_use():
    """loss_curve_ and n_iter_ are set by fit but predictions use coef(s)_ and intercept(s)_ only; random_state is a
    constructor argument: what the exercises' "neither" says, checked on the installed scikit-learn."""
    from sklearn.linear_model import BayesianRidge
    X, y = _digits(200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0).fit(X, y)
    copy = nnlib.MLP(hidden_layers=(8,), activation="relu").build(n_features=64, n_outputs=10)
    copy.set_parameters({"hidden_1.weights": clf.coefs_[0], "hidden_1.biases": clf.intercepts_[0],
                         "output.weights": clf.coefs_[1], "output.biases": clf.intercepts_[1]})
    assert np.allclose(copy.predict_proba(X), clf.predict_proba(X)) and len(clf.loss_curve_) == clf.n_iter_ == 5
    assert "random_state" in clf.get_params()
    bayes = BayesianRidge().fit(X, y.astype(float))
    assert np.allclose(bayes.predict(X), X @ bayes.coef_ + bayes.intercept_) and bayes.n_iter_ >= 1


def test_12_3_solution_is_correct_and_placeholder_is_unanswered():
    solved, blank = run(nb12.q3.solution_code), run(nb12.q3.placeholder)
    assert nb12.q3.feedback(solved["decay"], solved["alpha"]) == ("correct", "Correct!")
    assert (solved["decay"], solved["alpha"]) == (2.0, 4.0)
    assert nb12.q3.feedback(blank["decay"], blank["alpha"])[0] == "unanswered"


@pytest.mark.parametrize("decay, alpha, expected", [
    (0.5, 4.0, "4 times larger decay"),
    (0.125, 4.0, "upside down"),
    (0.002, 4.0, "that is nnlib's l2"),
    (4.0, 4.0, "halve it"),
    (3.0, 4.0, "undo the old conversion first"),
    (2.0, 0.002, "lbfgs takes all 2,000 at once"),
    (2.0, 0.4, "uses no mini-batches"),
    (2.0, 1.0, "not 500"),
    (2.0, 2.0, "that is nnet's decay"),
    (2.0, 7.0, "expected l2 * n"),
    ("2.0", 4.0, "decay should be one number"),
])
def test_12_3_recognises_each_slip_in_carrying_the_strength(decay, alpha, expected):
    status, message = nb12.q3.feedback(decay, alpha)
    assert status == "wrong" and expected in message


def test_12_3_lbfgs_divides_alphas_penalty_by_all_the_training_cases():
    """The premise of 12.3: MLPClassifier(solver="lbfgs") minimises mean loss + (alpha / 2n) * sum(W**2), so
    alpha = l2 * n; its reported loss_ is the data loss plus exactly that penalty."""
    X, y = _digits(300)
    alpha = 0.6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", alpha=alpha, max_iter=30, random_state=0).fit(X, y)
    probabilities = clf.predict_proba(X)[np.arange(len(y)), y]
    data_loss = -np.mean(np.log(probabilities))
    penalty = alpha / (2 * len(y)) * sum(np.sum(w ** 2) for w in clf.coefs_)
    assert abs(clf.loss_ - (data_loss + penalty)) < 1e-3 * clf.loss_
