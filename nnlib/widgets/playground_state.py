"""What the playground (notebook 07) trains, without its controls: numpy only, no ipywidgets or matplotlib.

``PlaygroundState`` holds the settings (the data's and the hyperparameters), the data split and its input features,
the ``MLP`` and its starting point, and the table of recorded runs. ``configure`` checks and applies settings;
``train`` runs epochs. The widget (``nnlib.widgets.playground.Playground``) draws a state and moves it with its
controls; a test or a script can drive the state alone.
"""
import time
import warnings

from ..data import train_val_test_split
from ..divergence import DivergenceWarning
from ..input_checks import check_choice, check_count, check_hidden_layers
from ..layers import ACTIVATIONS
from ..models import MLP
from ..tune import SearchResults
from .arguments import check_range
from .playground_data import FEATURES, PLAYGROUND_CLASSIFICATION, PLAYGROUND_DATASETS, FeatureMap, make_playground_data

# What the controls offer (a setting outside them is refused: a control would silently show another value).
LEARNING_RATES = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = (("none", "none"), ("L1", "l1"), ("L2", "l2"))  # (label, value)
MAX_LAYERS = 6
MAX_SEED = 10**6
RANGES = {"noise": (0, 50), "train_ratio": (10, 90), "batch_size": (1, 30), "seed": (0, MAX_SEED)}
SETTINGS = ("dataset", "noise", "train_ratio", "features", "hidden_layers", "activation", "learning_rate",
            "batch_size", "regularization", "regularization_rate", "seed")
# Settings whose change needs new data or a new network: training restarts at epoch 0.
RESTARTING = ("dataset", "noise", "train_ratio", "seed", "features", "hidden_layers", "activation")


class PlaygroundState:
    """A network training on a 2-D toy data set, and everything the playground shows about it.

    The arguments are the starting settings (TensorFlow Playground's defaults): dataset "circle", "xor", "gaussian",
    "spiral" (classification) or "plane", "gaussians" (regression); noise 0..50 (%); train_ratio 10..90 (% of the
    n_samples points for training, the rest for validation); features, names from FEATURES; hidden_layers, 0 to
    MAX_LAYERS layers of 1..max_units units; activation; learning_rate from LEARNING_RATES; batch_size 1..30;
    regularization "none", "l1" or "l2" with regularization_rate from REGULARIZATION_RATES; seed 0..MAX_SEED (the
    data, the split and the initial weights).

    Holds: ``chosen`` (the settings, a dict: features a list in FEATURES order, hidden_layers a tuple);
    ``X_train``, ``X_val`` (points, (n, 2)), ``y_train``, ``y_val`` (n,), ``feature_map``, ``Z_train``, ``Z_val``
    (the network's inputs (n, len(features))); ``model`` (the MLP), ``initial_parameters`` (its parameters at
    epoch 0, name -> array) and ``initial_losses`` (training and validation loss at epoch 0); ``changes``
    (hyperparameter -> (epoch, value at epoch 0) for those changed since); ``training_seconds``; ``runs`` (a
    SearchResults of recorded runs). ``train_loss``, ``val_loss``, ``epoch``, ``diverged`` and ``message`` are read
    from ``model.history_``, never kept beside it.
    """

    # What the playground widget shows of a state as its own, read-only (``Playground.model`` is ``state.model``).
    SHOWN = ("model", "X_train", "y_train", "X_val", "y_val", "feature_map", "Z_train", "Z_val", "task", "epoch",
             "hidden_layers", "feature_names", "n_parameters", "n_samples", "train_loss", "val_loss", "diverged",
             "message", "changes", "runs", "settings", "hyperparameters")

    def __init__(self, dataset="circle", noise=0, train_ratio=50, batch_size=10, learning_rate=0.03,
                 activation="tanh", regularization="none", regularization_rate=0.0, hidden_layers=(4, 2),
                 features=("x1", "x2"), seed=0, n_samples=300, max_units=8):
        self.n_samples = check_count("n_samples", n_samples, minimum=20,
                                     hint="The playground splits them into training and validation.")
        self.max_units = check_count("max_units", max_units)
        self.chosen = dict.fromkeys(SETTINGS)  # nothing yet: configure builds everything
        self.runs = SearchResults([], [], kind="runs recorded by hand")
        self.configure(dataset=dataset, noise=noise, train_ratio=train_ratio, batch_size=batch_size,
                       learning_rate=learning_rate, activation=activation, regularization=regularization,
                       regularization_rate=regularization_rate, hidden_layers=hidden_layers, features=features,
                       seed=seed)

    def configure(self, **settings):
        """Change several settings at once, e.g. ``configure(dataset="xor", hidden_layers=(), features=["x1·x2"])``.

        Every value is checked before any is applied. Returns True if training restarted at epoch 0 (once, when
        any setting in RESTARTING is given); the others take effect at the next epoch and are noted in ``changes``.
        """
        unknown = set(settings) - set(SETTINGS)
        if unknown:
            raise ValueError(f"unknown playground setting(s) {sorted(unknown)}; choose from {sorted(SETTINGS)}.")
        self.chosen = check_settings({**self.chosen, **settings}, self.max_units)
        restart = any(name in RESTARTING for name in settings)
        if restart:
            self.restart()
        else:
            self._apply_hyperparameters()
        return restart

    def restart(self):
        """New data split and features from the settings, and a fresh network at epoch 0."""
        X, y, _ = make_playground_data(self.chosen["dataset"], self.n_samples, self.chosen["noise"] / 100,
                                       self.chosen["seed"])
        self.X_train, self.X_val, _, self.y_train, self.y_val, _ = train_val_test_split(
            X, y, val_size=1 - self.chosen["train_ratio"] / 100, test_size=0.0, seed=self.chosen["seed"])
        self.feature_map = FeatureMap(self.chosen["features"]).fit(self.X_train)
        self.Z_train, self.Z_val = self.feature_map.transform(self.X_train), self.feature_map.transform(self.X_val)
        self.reset()

    def reset(self):
        """Back to epoch 0 on the same data: the initial weights again (drawn from the seed), history cleared."""
        self.model = MLP(hidden_layers=self.hidden_layers, activation=self.chosen["activation"], task=self.task,
                         epochs=1, seed=self.chosen["seed"], **self._model_hyperparameters())
        self.model.build(len(self.feature_names), 2 if self.task == "classification" else 1)
        self.initial_parameters = {name: array.copy() for name, array in self.model.parameters().items()}
        self.initial_losses = (self.model.data_loss(self.Z_train, self.y_train),
                               self.model.data_loss(self.Z_val, self.y_val))
        self.changes = {}
        self.training_seconds = 0.0
        self._hyperparameters_at_start = self.hyperparameters()

    def _model_hyperparameters(self):
        rate, kind = self.chosen["regularization_rate"], self.chosen["regularization"]
        return {"learning_rate": self.chosen["learning_rate"], "batch_size": self.chosen["batch_size"],
                "l1": rate if kind == "l1" else 0.0, "l2": rate if kind == "l2" else 0.0}

    def _apply_hyperparameters(self):
        """Pass the learning rate, batch size and L1/L2 to the model; note which differ from epoch 0."""
        self.model.set_params(**self._model_hyperparameters())
        now = self.hyperparameters()
        for name in ("learning_rate", "batch_size", "l1", "l2"):
            if now[name] != self._hyperparameters_at_start[name]:
                self.changes[name] = (self.epoch, self._hyperparameters_at_start[name])
            else:
                self.changes.pop(name, None)

    def train(self, epochs):
        """Train ``epochs`` more epochs; returns the seconds taken. A blow-up stops training and puts the
        parameters back: then ``diverged`` is True and ``message`` says why (the widget says so in its own words)."""
        start = time.perf_counter()
        with warnings.catch_warnings(action="ignore", category=DivergenceWarning):
            self.model.partial_fit(self.Z_train, self.y_train, epochs=epochs, validation_data=(self.Z_val, self.y_val))
        seconds = time.perf_counter() - start
        self.training_seconds += seconds
        return seconds

    def predict(self, points):
        """The network at ``points`` (n, 2): class probabilities (n, 2), or predictions (n,) for regression."""
        inputs = self.feature_map.transform(points)
        return self.model.predict_proba(inputs) if self.task == "classification" else self.model.predict(inputs)

    def record(self):
        """Add this run (the settings, the validation and training loss now) to ``runs``; returns the row."""
        return self.runs.append({**self.settings(), "val_loss": self.val_loss[-1],
                                 "val_score": float(self.model.score(self.Z_val, self.y_val)),
                                 "train_loss": self.model.data_loss(self.Z_train, self.y_train),
                                 "epochs_run": self.epoch, "diverged": self.diverged, "seconds": self.training_seconds})

    def clear_runs(self):
        """Start a new, empty table of recorded runs."""
        self.runs = SearchResults([], [], kind="runs recorded by hand")

    def settings(self):
        """The data settings and the hyperparameters as a dict, features as one string (what ``record`` stores)."""
        return {**self.chosen, "features": ", ".join(self.chosen["features"])}

    def hyperparameters(self):
        """The network's hyperparameters as nnlib names them, plus the input features (a dict).

        The seed is not among them: it is a setting of the experiment (neither learned nor tuned).
        """
        params = self.model.get_params()
        return {"features": ", ".join(self.feature_names),
                **{name: params[name] for name in ("hidden_layers", "activation", "learning_rate", "batch_size",
                                                   "l1", "l2")}}

    @property
    def feature_names(self):
        """The input features, in the order of FEATURES (a list)."""
        return list(self.chosen["features"])

    @property
    def hidden_layers(self):
        """Units per hidden layer, e.g. (4, 2)."""
        return self.chosen["hidden_layers"]

    @property
    def task(self):
        return "classification" if self.chosen["dataset"] in PLAYGROUND_CLASSIFICATION else "regression"

    @property
    def n_parameters(self):
        return self.model.n_parameters

    @property
    def epoch(self):
        """Epochs trained since the last restart or reset."""
        return self.model.history_.epochs

    @property
    def train_loss(self):
        """Training loss per epoch, entry 0 before training (a list, epoch + 1 long)."""
        return [self.initial_losses[0], *self.model.history_.loss]

    @property
    def val_loss(self):
        """Validation loss per epoch, entry 0 before training (a list, epoch + 1 long)."""
        return [self.initial_losses[1], *self.model.history_.val_loss]

    @property
    def diverged(self):
        """Did the last ``train`` stop on a blow-up?"""
        return self.model.history_.diverged

    @property
    def message(self):
        """Why it blew up, in nnlib's words ("" if it did not)."""
        return self.model.history_.message


def check_settings(settings, max_units):
    """The settings (a dict with every name in SETTINGS), checked against what the controls offer: one clear message
    for the first value they cannot show. Returns them with features a list in FEATURES order, hidden_layers a tuple."""
    check_choice("dataset", settings["dataset"], list(PLAYGROUND_DATASETS))
    check_choice("activation", settings["activation"], list(ACTIVATIONS))
    check_choice("regularization", settings["regularization"], [value for _, value in REGULARIZATIONS])
    for name, options in (("learning_rate", LEARNING_RATES), ("regularization_rate", REGULARIZATION_RATES)):
        if settings[name] not in options:
            raise ValueError(f"{name} must be one of the playground's choices {', '.join(f'{o:g}' for o in options)}; "
                             f"got {settings[name]!r}.")
    for name, (low, high) in RANGES.items():
        check_range(name, settings[name], low, high, whole=True)
    layers = check_hidden_layers(settings["hidden_layers"])
    if len(layers) > MAX_LAYERS or any(units > max_units for units in layers):
        raise ValueError(f"the playground offers 0 to {MAX_LAYERS} hidden layers of 1 to max_units={max_units} units; "
                         f"got hidden_layers={settings['hidden_layers']!r}.")
    names = FeatureMap(settings["features"]).names
    return {**settings, "hidden_layers": layers, "features": [name for name in FEATURES if name in names]}
