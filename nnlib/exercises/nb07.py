"""Exercises for notebook 07 (the playground).

Exercise 07.3 is checked by training: the checker builds the playground's circle
data (300 points, no noise, seed 0, half for training), computes the learner's input
features and trains a network *without hidden layers* on them, then reads the
validation accuracy -- the same experiment the learner can run in the playground.
"""
import numpy as np

from ..data import train_val_test_split
from ..models import MLP
from ..widgets.playground_data import FEATURES, FeatureMap, make_playground_data
from .framework import Exercise
from .sorting import sorting_exercise

# --- 07.1 --------------------------------------------------------------------------------
PLAYGROUND_NAMES = {
    "learning_rate": ("hyperparameter", "you pick it from the list; training only uses it to size each step."),
    "hidden_1.weights": ("parameter", "these are the lines in the network drawing: training moves them every step."),
    "activation": ("hyperparameter", "the unit type is part of the architecture: you choose it, gradient descent "
                                     "cannot change it."),
    "output.biases": ("parameter", "biases are learned too (a bias is a parameter that is not a weight)."),
    "batch_size": ("hyperparameter", "it decides how many points each step looks at; you set it before training."),
    "features": ("hyperparameter", "which inputs the network sees is your choice, and it changes how many weights "
                                   "the first layer has."),
    "l2": ("hyperparameter", "the regularisation rate is chosen by you; it steers how the weights are learned."),
    "noise": ("neither", "it is a data control: how noisy the problem is, fixed before any tuning, not a choice you "
                         "compare on the validation set."),
    "train_ratio": ("neither", "the share of points used for training is a split size: the design of the evaluation, "
                               "not something to tune."),
}

q1 = sorting_exercise(
    "07.1", "controls or learned", PLAYGROUND_NAMES,
    intro='For each name from the playground, answer "parameter" (learned), "hyperparameter" (chosen by you) or '
          '"neither".',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Is it on a control you set, or does it tick in the 'Parameters' column while training runs?",
           "The controls of the input features, the architecture and the training are hyperparameters (the data "
           "controls are neither); the weights and biases are the parameters."],
)

# --- 07.2 --------------------------------------------------------------------------------
_SIZES = (5, 6, 3, 2)  # x1, x2, x1·x2, sin x1, sin x2 -> hidden_layers=(6, 3) -> 2 class scores


def _count(sizes, biases=True):
    return sum(a * b + (b if biases else 0) for a, b in zip(sizes[:-1], sizes[1:]))


def _check_count(n_parameters):
    if isinstance(n_parameters, bool) or not isinstance(n_parameters, (int, np.integer, float)):
        return "answer with a whole number."
    n = n_parameters
    if n == _count(_SIZES):
        return None
    if n == _count(_SIZES, biases=False):
        return f"{n} counts the weights only: each of the 6 + 3 + 2 units after the inputs also has a bias."
    if n == _count((2, 6, 3, 2)):
        return ("that is the count for the inputs x1 and x2 only. Each input feature is one input unit: "
                "with 5 features the first weight matrix has 5 rows.")
    if n == _count((5, 6, 3, 1)):
        return ("the playground's network has 2 output units (a score per class, turned into probabilities by "
                "softmax), not 1 as in TensorFlow Playground.")
    if n == _count((7, 6, 3, 2)):
        return "count only the features that are switched on: x1, x2, x1·x2, sin x1 and sin x2 are 5 inputs."
    return "sum over the layers 5 -> 6, 6 -> 3 and 3 -> 2 of (n_in x n_out weights + n_out biases)."


q2 = Exercise(
    id="07.2",
    title="features and layers make the parameters",
    answers=("n_parameters",),
    placeholder='''
# Exercise 07.2: features and layers make the parameters
# The inputs x1, x2, x1·x2, sin x1 and sin x2 are switched on, there are two hidden layers
# of 6 and 3 units, and the output layer scores the 2 classes. How many parameters does training learn?
n_parameters = ...
''',
    solution='''
# Exercise 07.2: features and layers make the parameters
n_parameters = (5 * 6 + 6) + (6 * 3 + 3) + (3 * 2 + 2)
''',
    checker=_check_count,
    hints=["Each switched-on feature is one input unit: 5 inputs.",
           "Layers 5 -> 6, 6 -> 3, 3 -> 2: each has n_in x n_out weights plus n_out biases."],
    points=1,
)

# --- 07.3 --------------------------------------------------------------------------------
_CIRCLE = {}


def _circle_accuracy(features):
    """Validation accuracy of a network with no hidden layer on the circle data, given these input features."""
    key = tuple(features)
    if key not in _CIRCLE:
        X, y, _ = make_playground_data("circle", 300, noise=0.0, seed=0)
        X_train, X_val, _, y_train, y_val, _ = train_val_test_split(X, y, val_size=0.5, test_size=0.0, seed=0)
        feature_map = FeatureMap(list(features)).fit(X_train)
        model = MLP(hidden_layers=(), learning_rate=0.3, epochs=60, batch_size=10, seed=0)
        model.fit(feature_map.transform(X_train), y_train)
        _CIRCLE[key] = model.score(feature_map.transform(X_val), y_val)
    return _CIRCLE[key]


def _check_circle_features(features):
    features = [features] if isinstance(features, str) else list(features)
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        return f"{unknown[0]!r} is not one of the playground's features: {', '.join(FEATURES)}."
    if not features:
        return "switch on at least one feature."
    if len(set(features)) != len(features):
        return "name each feature once."
    accuracy = _circle_accuracy(features)
    if accuracy >= 0.95:
        return None
    if set(features) <= {"x1", "x2"}:
        return (f"with x1 and x2 only, a network without hidden layers draws a straight line (validation accuracy "
                f"{accuracy:.0%}). A circle is about the distance from the centre: which features add up to it?")
    if "x1·x2" in features and not {"x1²", "x2²"} <= set(features):
        return (f"x1·x2 is the XOR feature (it tells the quadrants apart); here it gives {accuracy:.0%}. "
                "The circle's inside is where x1² + x2² is small.")
    if set(features) & {"x1²", "x2²"}:
        return (f"one square is not enough ({accuracy:.0%}): the radius needs both, since x1² + x2² = r². "
                "Switch on x1² and x2².")
    return (f"these features give {accuracy:.0%} on the validation points; the circle's inside is where "
            "x1² + x2² is small.")


q3 = Exercise(
    id="07.3",
    title="features instead of hidden layers",
    answers=("features",),
    placeholder='''
# Exercise 07.3: features instead of hidden layers
# Choose input features so that a network WITHOUT hidden layers (hidden_layers=()) separates the
# circle data: at least 95 % validation accuracy. Try them in the playground first, e.g.
# pg.configure(dataset="circle", hidden_layers=(), features=[...]); pg.train(60)
features = [...]
''',
    solution='''
# Exercise 07.3: features instead of hidden layers
features = ["x1²", "x2²"]
''',
    checker=_check_circle_features,
    hints=["Without hidden layers the boundary is a straight line in the space of the input features.",
           "The points of the inner circle are those close to the centre: x1² + x2² is small for them."],
    points=2,
)
