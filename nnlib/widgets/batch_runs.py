"""The runs a BatchSizeExplorer draws (no controls, no figures): gradient descent on the line in mini-batches.

``RecordedRun`` trains an nnlib ``LinearRegression`` with its own loop and records (slope, intercept) after every
step (``RecordingSGD``); ``SummedRun`` takes the same steps about twenty times faster, from each sample's gradient
as an affine function of (slope, intercept) (``sample_maps``); ``seconds_per_epoch`` times one epoch of
LinearRegression with a batch size.
"""
import time
import warnings

import numpy as np

from ..divergence import EXPLOSION_FACTOR, DivergenceWarning, blown_up
from ..line import line_gradient, line_loss
from ..losses import WeightPenalty
from ..models import LinearRegression
from ..optim import SGD
from ..train import Plan, train_epochs
from .descent import gradient_map


class RecordingSGD:
    """nnlib's SGD step, plus a record of (slope, intercept) after every step (for one-feature lines)."""

    def __init__(self):
        self.sgd, self.steps = SGD(), []

    def step(self, params, grads, learning_rate):
        self.sgd.step(params, grads, learning_rate)
        weights, biases = params
        self.steps.append((float(weights[0, 0]), float(biases[0])))


class RecordedRun:
    """One LinearRegression trained by gradient descent, with its parameters recorded after every step.

    X (n, 1), y (n,); the other arguments are LinearRegression's hyperparameters. ``extend_to(epochs)``
    trains until ``epochs`` epochs are done with nnlib's own loop (``train_epochs``) on the model's network,
    loss, sample orders and history, handing it an SGD that records each step: exactly the steps one long
    ``fit`` takes. ``path`` (steps + 1, 2) holds (slope, intercept), row 0 = the start (0, 0).
    """

    def __init__(self, X, y, learning_rate, batch_size=None, seed=0, shuffle=True, max_epochs=100):
        self.model = LinearRegression(learning_rate=learning_rate, epochs=max_epochs, batch_size=batch_size,
                                      shuffle=shuffle, seed=seed).build(X.shape[1], 1)
        self.data = (X, self.model.loss_.targets(y, len(X)), None)  # as fit would check them
        self.plan = dict(batch_size=batch_size, learning_rate=learning_rate, rng=self.model.rng_, shuffle=shuffle)
        self.recorder = RecordingSGD()
        self._path = None

    @property
    def epochs(self):
        """Epochs trained so far."""
        return self.model.history_.epochs

    @property
    def diverged(self):
        return self.model.history_.diverged

    @property
    def path(self):
        if self._path is None or len(self._path) != len(self.recorder.steps) + 1:
            self._path = np.array([(0.0, 0.0)] + self.recorder.steps)
        return self._path

    def extend_to(self, epochs):
        """Train more epochs until ``epochs`` are done (nothing happens after a divergence); returns self."""
        if epochs > self.epochs and not self.diverged:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DivergenceWarning)
                train_epochs(self.model.network_, self.model.loss_, self.recorder, WeightPenalty(), self.data,
                             Plan(epochs - self.epochs, **self.plan), self.model.history_)
        return self


def sample_maps(x, y, gradient=line_gradient):
    """Each sample's gradient as an affine function of (slope, intercept) (``gradient_map`` of that sample alone):
    (n, 6), one row per sample, its offset (2,) then its matrix (2, 2) flattened. A mini-batch's gradient is the mean
    of its samples' (notebook 03), so the mean of its rows is the mini-batch's map. ``gradient``: nnlib's
    ``line_gradient`` (all samples at once) or one with its signature, e.g. yours, called three times per sample."""
    offset, matrix = gradient_map(x[:, None], y[:, None], gradient)
    return np.concatenate([offset, matrix.reshape(len(x), 4)], axis=1)


class SummedRun:
    """The path RecordedRun records, worked out from nnlib's line pieces, about twenty times faster.

    x (n,) one feature, y (n,); the other arguments are LinearRegression's hyperparameters. The same
    ``extend_to(epochs)``, ``path`` (steps + 1, 2), ``epochs`` and ``diverged`` as RecordedRun. The mini-batches
    are nnlib's own (``LinearRegression.epoch_orders``). The mean of a mini-batch's rows of ``maps`` (``sample_maps``
    from nnlib's ``line_gradient`` unless given) gives its step's gradient as an affine function of (slope,
    intercept), and a step is plain SGD's (``nnlib.optim.SGD``)  slope -= learning_rate * dL/dslope,
    intercept -= learning_rate * dL/dintercept  on two numbers instead of a pass through nnlib's network; the tests
    check that the path is RecordedRun's.
    nnlib stops a run whose loss explodes; a run whose loss rises anywhere near that is handed to RecordedRun, so
    nnlib's own training decides. ``model`` is a LinearRegression fitted with these hyperparameters for ``epochs``
    epochs, when first asked for.
    """

    def __init__(self, x, y, learning_rate, batch_size=None, seed=0, shuffle=True, max_epochs=100, maps=None):
        self.x, self.y, self.maps = x, y, sample_maps(x, y) if maps is None else maps
        self.hyperparameters = dict(learning_rate=learning_rate, batch_size=batch_size, seed=seed, shuffle=shuffle)
        self._orderer = LinearRegression(epochs=max_epochs, **self.hyperparameters).build(1, 1)  # trains nothing
        self.orders = self._orderer.epoch_orders(len(x))  # nnlib's sample order in each epoch (more drawn if needed)
        self.starts = np.arange(0, len(x), batch_size or len(x))  # where each mini-batch starts in an epoch's order
        self.counts = np.diff(np.append(self.starts, len(x)))  # each mini-batch's size
        self.slope = self.intercept = 0.0  # nnlib's start
        self.epochs, self.diverged, self.first_epoch_loss = 0, False, 0.0
        self._path, self._handed_over, self._model = np.zeros((1, 2)), None, None

    @property
    def path(self):
        return self._path if self._handed_over is None else self._handed_over.path

    @property
    def model(self):
        if self._handed_over is not None:
            return self._handed_over.model
        if self._model is None or self._model.history_.epochs != self.epochs:
            self._model = LinearRegression(epochs=max(self.epochs, 1), **self.hyperparameters)
            self._model.fit(self.x.reshape(-1, 1), self.y)
        return self._model

    def extend_to(self, epochs):
        """Take the steps of the epochs after ``self.epochs`` up to ``epochs``; returns self."""
        if self._handed_over is not None:
            self._handed_over.extend_to(epochs)
            self.epochs, self.diverged = self._handed_over.epochs, self._handed_over.diverged
            return self
        if epochs <= self.epochs:
            return self
        if epochs > len(self.orders):
            self.orders = self._orderer.epoch_orders(len(self.x), epochs)  # the same first ones, and more
        orders = self.orders[self.epochs:epochs]
        batches = self._batches(orders)
        means = np.add.reduceat(self.maps[orders], self.starts, axis=1) / self.counts[:, None]  # (E, k, 6)
        steps_maps = means.reshape(-1, 6)  # one row per step: offset (2,), matrix (4,)
        rate, w, b, slopes, intercepts = self.hyperparameters["learning_rate"], self.slope, self.intercept, [], []
        # Python floats: fast. zip over columns and two lists of floats make no new container per step, so the
        # garbage collector is not woken: in a kernel full of figures its full pass costs 60-120 ms.
        for g_w, g_b, ww, wb, bw, bb in zip(*steps_maps.T.tolist()):
            w, b = w - rate * (g_w + ww * w + wb * b), b - rate * (g_b + bw * w + bb * b)
            slopes.append(w)
            intercepts.append(b)
        self.slope, self.intercept = w, b
        path = np.column_stack([slopes, intercepts])
        with np.errstate(over="ignore", invalid="ignore"):
            before = np.concatenate([self._path[-1:], path[:-1]]).reshape(len(batches[0][0]), -1, 2)  # (E, k', 2)
            losses, k = [], 0  # each mini-batch's loss at the parameters of its step, as nnlib's loop sees it
            for x, y in batches:
                losses.append(line_loss(x, y, before[:, k:k + x.shape[1], 0], before[:, k:k + x.shape[1], 1]))
                k += x.shape[1]
            losses = np.concatenate(losses, axis=1).ravel()
        # A tenth of the way to nnlib's blow-up rule (against the call's first loss or the first epoch's mean) is near
        # enough to let nnlib's own training decide.
        if blown_up(losses, losses[0], self.first_epoch_loss, factor=EXPLOSION_FACTOR / 10).any():
            self._handed_over = RecordedRun(self.x.reshape(-1, 1), self.y, **self.hyperparameters)
            return self.extend_to(epochs)
        if self.epochs == 0:  # nnlib's history.loss[0]: each sample's loss at the parameters of its step
            self.first_epoch_loss = float(losses[:len(self.counts)] @ self.counts) / len(self.x)
        self._path, self.epochs = np.concatenate([self._path, path]), epochs
        return self

    def _batches(self, orders):
        """The mini-batches of the epochs with these sample orders (E, n), as stacks of (x, y) with one row per epoch:
        the full ones (E, k, batch_size), then the shorter last one (E, 1, rest) when n is not a multiple."""
        x, y, size = self.x[orders], self.y[orders], self.counts[0]
        full = len(self.counts) - (self.counts[-1] < size)  # how many mini-batches have batch_size samples
        stacks = [(x[:, :full * size].reshape(len(x), full, size), y[:, :full * size].reshape(len(x), full, size))]
        if full < len(self.counts):
            stacks.append((x[:, None, full * size:], y[:, None, full * size:]))
        return stacks


def seconds_per_epoch(X, y, batch_size, learning_rate, repeats=3):
    """Wall time of one epoch of LinearRegression with this batch size (s): the best of ``repeats`` epochs,
    the one least disturbed by other programs. X (n, 1), y (n,). The time depends on the number of steps
    per epoch, n / batch_size, not on the learning rate or the seed."""
    model = LinearRegression(learning_rate=learning_rate, epochs=1, batch_size=batch_size)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DivergenceWarning)
            model.fit(X, y)
        timings.append(time.perf_counter() - start)
    return min(timings)
