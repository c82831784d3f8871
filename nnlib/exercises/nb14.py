"""Exercises for notebook 14 (the quiz): what fit() changes, true or false, and predicting what a change does."""
import functools

from ..datasets import make_moons
from ..models import MLP
from .answer_kinds import check_picked
from .framework import Exercise

CANDIDATES = ("learning_rate", "hidden_layers", "hidden_1.weights", "hidden_1.biases", "epochs",
              "output.weights", "output.biases", "batch_size", "seed")
CHANGED_BY_FIT = {"hidden_1.weights", "hidden_1.biases", "output.weights", "output.biases"}


def _check_changed(changed_by_fit):
    problem = check_picked(changed_by_fit, CANDIDATES, '["output.weights", ...]')
    if problem:
        return problem
    answer = set(changed_by_fit)
    chosen = sorted(answer - CHANGED_BY_FIT)
    if chosen:
        kinds = ["a setting of the experiment (neither)" if name == "seed" else "a hyperparameter" for name in chosen]
        return (f"fit() never changes {', '.join(f'{name!r}: it is {kind}' for name, kind in zip(chosen, kinds))}; "
                "fit reads the constructor's arguments and keeps them exactly as you gave them (compare "
                "model.hyperparameters() before and after fit).")
    missing = CHANGED_BY_FIT - answer
    if missing and all(name.endswith(".biases") for name in missing):
        return "the biases are learned too: gradient descent updates them at every step, like the weights."
    if missing and all(name.startswith("hidden_1.") for name in missing):
        return "fit() trains every layer, not only the output: backpropagation carries the gradient to hidden_1."
    if missing:
        return f"fit() also changes {', '.join(repr(m) for m in sorted(missing))}."
    return None


q1 = Exercise(
    id="14.1",
    title="which of these does fit() change",
    answers=("changed_by_fit",),
    placeholder='''
# Exercise 14.1: which of these does fit() change
# model = nnlib.MLP(hidden_layers=(8,), learning_rate=0.1, epochs=20) is about to be trained with model.fit(X, y).
candidates = ["learning_rate", "hidden_layers", "hidden_1.weights", "hidden_1.biases", "epochs",
              "output.weights", "output.biases", "batch_size", "seed"]
changed_by_fit = ...  # a list of the names from candidates that fit() changes
''',
    solution='''
# Exercise 14.1: which of these does fit() change
changed_by_fit = ["hidden_1.weights", "hidden_1.biases", "output.weights", "output.biases"]
''',
    checker=_check_changed,
    hints=["fit() learns the parameters; everything you passed to MLP(...) stays as you gave it.",
           "Four names: the weights and the biases of both layers."],
    points=1,
)

STATEMENTS = {
    "the number of hidden layers is a model parameter": (
        False, "the number of hidden layers is chosen, not learned: it is a hyperparameter that decides how many "
               "parameters exist."),
    "hyperparameters are tuned in the training stage, parameters in the validation stage": (
        False, "it is the other way round: parameters are fitted on the training set, hyperparameters are "
               "compared on the validation set."),
    "a bias is a parameter, although it is not a weight": (
        True, "training learns a bias as it learns a weight, so it is a parameter; whether it also counts as a "
              "weight is bookkeeping (R's nnet keeps the biases in wts). 'Parameters' covers both."),
    "the L2 strength could be learned by minimising the training loss": (
        False, "the penalty only ever adds to the training loss, so minimising it would always give l2 = 0; "
               "the L2 strength is chosen on validation data (BayesianRidge, notebook 12, learns it another way: "
               "by evidence maximisation, not by minimising the training loss)."),
    "the test set is used once, after all choices are made": (
        True, "every look at the test set that changes a decision makes the final score optimistic."),
}


def _check_statements(statements):
    if not isinstance(statements, dict):
        return "answer with the dict from the exercise cell, with True or False for each statement."
    if set(statements) != set(STATEMENTS):
        return "keep the five statements exactly as given and answer each with True or False."
    not_bool = [s for s, value in statements.items() if not isinstance(value, bool)]
    if not_bool:
        return (f"answer with True or False (no quotes); {statements[not_bool[0]]!r} is given for "
                f"'{not_bool[0]}'.")
    wrong = [f"'{s}' is {truth}: {why}" for s, (truth, why) in STATEMENTS.items() if statements[s] != truth]
    if wrong:
        return f"{len(wrong)} of {len(STATEMENTS)} wrong. " + " ".join(wrong)
    return None


q2 = Exercise(
    id="14.2",
    title="true or false",
    answers=("statements",),
    placeholder='''
# Exercise 14.2: true or false
# Replace each ... with True or False.
statements = {
    "the number of hidden layers is a model parameter": ...,
    "hyperparameters are tuned in the training stage, parameters in the validation stage": ...,
    "a bias is a parameter, although it is not a weight": ...,
    "the L2 strength could be learned by minimising the training loss": ...,
    "the test set is used once, after all choices are made": ...,
}
''',
    solution='''
# Exercise 14.2: true or false
statements = {
    "the number of hidden layers is a model parameter": False,
    "hyperparameters are tuned in the training stage, parameters in the validation stage": False,
    "a bias is a parameter, although it is not a weight": True,
    "the L2 strength could be learned by minimising the training loss": False,
    "the test set is used once, after all choices are made": True,
}
''',
    checker=_check_statements,
    hints=["Two of the five are true.",
           "Both misconceptions from the course's introduction are in the list, word for word."],
    points=2,
)

# --- 14.3: predict, then run ------------------------------------------------------------------------------------
BASE = {"hidden_layers": (8,), "learning_rate": 0.1, "epochs": 20, "seed": 0}  # section 1's network, on its moons
CHANGES = {"learning_rate=0.001": {"learning_rate": 0.001}, "batch_size=None": {"batch_size": None},
           "epochs=200": {"epochs": 200}, "seed=1": {"seed": 1}}
SAME_WITHIN = 0.15  # "about the same": the training loss within 15 % of the base's
WHY = {
    "learning_rate=0.001": "each step is a hundredth as long for the same gradient, so in the same 20 epochs the "
                           "weights get nowhere near as far from their start",
    "batch_size=None": "the full batch makes 1 step per epoch instead of 10 (300 samples in batches of 32): 20 "
                       "steps in all instead of 200",
    "epochs=200": "ten times as many steps, from the same start and with the same step size",
    "seed=1": "the seed changes the starting weights and the order of the samples, not how far training gets; that "
              "is why you report the spread over seeds instead of tuning the seed",
}


@functools.cache
def training_losses():
    """The training loss after fit of section 1's network (the base) and of each change: {name: loss}."""
    X, y = make_moons(n_samples=300, noise=0.25, seed=0)
    settings = {"base": BASE} | {name: BASE | change for name, change in CHANGES.items()}
    return {name: float(MLP(**setting).fit(X, y).data_loss(X, y)) for name, setting in settings.items()}


def effect(loss, base):
    """'higher', 'lower' or 'about the same' (within SAME_WITHIN of the base's loss)."""
    return "higher" if loss > base * (1 + SAME_WITHIN) else "lower" if loss < base * (1 - SAME_WITHIN) else \
        "about the same"


def _check_predictions(predictions):
    effects = ("higher", "lower", "about the same")
    if not isinstance(predictions, dict) or set(predictions) != set(CHANGES):
        return "answer with the dict from the exercise cell: one prediction for each of the four changes."
    odd = [name for name, value in predictions.items() if value not in effects]
    if odd:
        return (f"predict each change as \"higher\", \"lower\" or \"about the same\"; got {predictions[odd[0]]!r} "
                f"for {odd[0]}.")
    losses = training_losses()
    wrong = [f"{name}: {effect(losses[name], losses['base'])}, not {predictions[name]}, because {WHY[name]} "
             f"(training loss {losses[name]:.3f} against the base's {losses['base']:.3f})"
             for name in CHANGES if predictions[name] != effect(losses[name], losses["base"])]
    return f"{len(wrong)} of {len(CHANGES)} predictions wrong. " + "; ".join(wrong) + "." if wrong else None


q3 = Exercise(
    id="14.3",
    title="predict, then run",
    answers=("predictions",),
    placeholder='''
# Exercise 14.3: predict, then run
# Section 1's network, MLP(hidden_layers=(8,), learning_rate=0.1, epochs=20, seed=0), on its moons. After each
# change, will the training loss after fit be "higher", "lower" or "about the same" (within 15 %)?
predictions = {
    "learning_rate=0.001": ...,
    "batch_size=None": ...,
    "epochs=200": ...,
    "seed=1": ...,
}
''',
    solution='''
# Exercise 14.3: predict, then run
predictions = {
    "learning_rate=0.001": "higher",  # each step a hundredth as long
    "batch_size=None": "higher",  # 1 step per epoch instead of 10
    "epochs=200": "lower",  # ten times as many steps
    "seed=1": "about the same",  # another start and order, the same road
}
''',
    checker=_check_predictions,
    hints=["For each change ask: does it change how far training gets in its steps (how many steps, how long each "
           "is), or only where it starts?",
           "Batches of 32 on 300 samples make 10 steps per epoch; the full batch makes 1."],
    points=2,
)
