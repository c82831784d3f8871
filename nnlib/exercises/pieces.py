"""Build exercises whose answers are pieces of your library: checked on the spot, then saved to ``my_nnlib/``.

A ``PieceExercise`` is an ``Exercise`` whose answers include functions named in ``pieces`` ({answer: piece}). Its
check runs the exercise's own checker first (its mistake-specific feedback), then each piece's check against nnlib
and finite differences (``nnlib.learner.pieces``). A piece that passes is saved only as its cell's code, run again
on its own and checked once more, so that what later notebooks load is what was checked; a piece that fails is
marked as failed, so that later notebooks say so instead of using it.
"""
import functools

from ..learner import store
from ..learner.pieces import PIECES, check_piece
from .framework import Exercise


class PieceExercise(Exercise):
    """An exercise that builds pieces of your library: ``pieces`` maps answer names to piece names."""

    def __init__(self, *args, pieces, **kwargs):
        super().__init__(*args, **kwargs)
        self.pieces = dict(pieces)

    def feedback(self, *answers, keep=True):
        """Exercise.feedback, then each piece's check; ``keep=False`` (a grader) saves nothing."""
        status, message = super().feedback(*answers)
        if status == "unanswered" or len(answers) != len(self.answers):
            return status, message
        verdict, saved, notes = status, [], []  # the exercise's own checker vouches for its pieces, or for none
        for name, answer in zip(self.answers, answers):
            piece = self.pieces.get(name)
            if piece is None:
                continue
            problem = message if verdict == "wrong" else check_piece(piece, answer)
            if problem:
                status, message = ("wrong", f"{piece}: {problem}") if status == "correct" else (status, message)
                if keep:
                    self._keep(piece, answer, failed=problem)
            elif not keep:
                continue
            elif note := self._keep(piece, answer):
                notes.append(note)
            else:
                saved.append(piece)
        if saved:
            done = "Saved" if status == "correct" else "Right, and saved"
            message += f" {done} to your library ({store.folder().name}): {', '.join(saved)}."
        return status, " ".join([message, *notes])

    def _keep(self, piece, function, failed=None):
        """Save ``function`` as ``piece`` (or mark it failed); returns None, or a sentence: why it was not saved."""
        try:
            source = store.capture(function, piece)
            if failed is None and (problem := check_piece(piece, store.rebuild(source, piece))):
                raise store.NotSaved(f"run on its own, {problem}")
            store.save(piece, source, self.id, PIECES[piece].notebook, "failed" if failed else "passed", failed or "")
        except store.NotSaved as why:
            if failed is None:
                return f"Not saved: {why}"
            try:  # a failed piece that cannot be captured is still marked, so that it is never used
                store.save(piece, "", self.id, PIECES[piece].notebook, "failed", failed)
            except store.NotSaved:
                pass
        return None


SOLUTIONS = {  # the reference solution of each piece, as a learner writes it in the notebook's cell
    # --- 01-03: the line (nnlib.learner.line_checks) ---
    "predict_line": """\
def predict_line(x, slope, intercept):
    return slope * x + intercept
""",
    "mean_squared_error": """\
def mean_squared_error(y_hat, y):
    return np.mean((y_hat - y) ** 2)
""",
    "line_gradient": """\
def line_gradient(x, y, slope, intercept):
    error = slope * x + intercept - y  # one error per sample
    return 2 * np.mean(error * x), 2 * np.mean(error)
""",
    "descent_step": """\
def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    return slope - learning_rate * dslope, intercept - learning_rate * dintercept
""",
    "gradient_descent": """\
def gradient_descent(x, y, learning_rate, epochs, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    for epoch in range(epochs):
        dslope, dintercept = gradient(x, y, slope, intercept)  # both derivatives at the same point,
        slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)  # then move both
        path.append((slope, intercept))
    return np.array(path)
""",
    "minibatch_descent": """\
def minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    for epoch in range(epochs):
        order = epoch_order(rng, len(x), batch_size, True)  # a new order every epoch
        x_epoch, y_epoch = x[order], y[order]
        for start in range(0, len(x), batch_size):
            x_batch, y_batch = x_epoch[start:start + batch_size], y_epoch[start:start + batch_size]
            dslope, dintercept = gradient(x_batch, y_batch, slope, intercept)
            slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)
            path.append((slope, intercept))
    return np.array(path)
""",
    # --- 04, 04b: data for training (data_checks) ---
    "train_val_test_split": """\
def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    n_test, n_val = round(len(X) * test_size), round(len(X) * val_size)
    order = np.random.default_rng(seed).permutation(len(X))  # one shuffle: the same seed, the same split
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return X[train], X[val], X[test], y[train], y[val], y[test]
""",
    "standardize": """\
def standardize(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)  # the training set's statistics, one per column
    std = np.where(std > 0, std, 1.0)                       # a column that does not vary: nothing to divide
    scaled = [(X - mean) / std for X in (X_train, *others)]
    return scaled[0] if not others else scaled
""",
    "l2_penalty": """\
def l2_penalty(weights, l2):
    value = l2 / 2 * sum(np.sum(W**2) for W in weights)
    gradients = [l2 * W for W in weights]
    return value, gradients
""",
    "k_fold_split": """\
def k_fold_split(X, y, k=5, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))  # one shuffle, before the folds are cut
    folds = np.array_split(order, k)                         # k folds, their sizes differ by at most 1
    splits = []
    for i in range(k):
        train = np.concatenate(folds[:i] + folds[i + 1:])    # the other folds, in order
        splits.append((X[train], X[folds[i]], y[train], y[folds[i]]))
    return splits
""",
    # --- 05: one neuron (neuron_checks) ---
    "sigmoid": """\
def sigmoid(x):
    e = np.exp(-np.abs(x))                              # between 0 and 1: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))   # e / (1 + e) is 1 / (1 + exp(-x)) for x < 0
""",
    "binary_cross_entropy": """\
def binary_cross_entropy(scores, y):
    p = np.exp(-np.logaddexp(0, -scores))                   # 1 / (1 + exp(-scores)), without overflow
    loss = np.mean(np.logaddexp(0, scores) - y * scores)   # -[y log p + (1 - y) log(1 - p)], without log(0)
    return float(loss), (p - y) / len(scores)
""",
    "neuron_step": """\
def neuron_step(w, b, X, y, learning_rate):
    p = np.exp(-np.logaddexp(0, -(X @ w + b)))             # sigmoid(X @ w + b), without overflow
    grad_w = X.T @ (p - y) / len(y)
    grad_b = np.mean(p - y)
    return w - learning_rate * grad_w, b - learning_rate * grad_b
""",
    # --- 06, 06b, 06c: the network (network_checks) ---
    "dense_forward": """\
def dense_forward(x, weights, biases):
    return x @ weights + biases
""",
    "dense_backward": """\
def dense_backward(dout, x, weights):
    return dout @ weights.T, x.T @ dout, dout.sum(axis=0)
""",
    "relu_forward": """\
def relu_forward(x):
    return np.maximum(x, 0)
""",
    "relu_backward": """\
def relu_backward(dout, x, out):
    return dout * (out > 0)
""",
    "tanh_forward": """\
def tanh_forward(x):
    return np.tanh(x)
""",
    "tanh_backward": """\
def tanh_backward(dout, x, out):
    return dout * (1 - out**2)
""",
    "softmax_cross_entropy": """\
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    loss = float(np.log(total).sum() - shifted[np.arange(n), y].sum()) / n
    dscores = exp / total
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n
""",
    "network_forward": """\
def network_forward(layers, X):
    for layer in layers:
        X = layer.forward(X)
    return X
""",
    "network_backward": """\
def network_backward(layers, dscores):
    for layer in reversed(layers):
        dscores = layer.backward(dscores)
""",
    "xavier": """\
def xavier(n_inputs, n_units, rng):
    limit = np.sqrt(6.0 / (n_inputs + n_units))
    return rng.uniform(-limit, limit, size=(n_inputs, n_units))
""",
    "he": """\
def he(n_inputs, n_units, rng):
    return rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))
""",
    "train": """\
def train(network, loss, optimizer, X, y, epochs, batch_size, learning_rate, rng):
    params = list(network.parameters().values())
    epoch_losses = []
    for epoch in range(epochs):
        order = epoch_order(rng, len(X), batch_size, True)
        X_epoch, y_epoch = X[order], y[order]
        total = 0.0
        for start in range(0, len(X), batch_size):
            X_batch, y_batch = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]
            batch_loss, dscores = loss(network.forward(X_batch), y_batch)
            network.backward(dscores)
            optimizer.step(params, list(network.gradients().values()), learning_rate)
            total += batch_loss * len(X_batch)
        epoch_losses.append(total / len(X))
    return epoch_losses
""",
    # --- 08, 08b: search (search_checks) ---
    "grid_search": """\
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    settings = [{}]
    for name, values in grid.items():                 # every combination; the last name changes fastest
        settings = [{**setting, name: value} for setting in settings for value in values]
    rows = []
    for hyperparameters in settings:
        model = make_model(**hyperparameters).fit(X_train, y_train)   # a fresh model, fitted on the training set
        val_loss = np.inf if model.history_.diverged else model.data_loss(X_val, y_val)
        rows.append((hyperparameters, val_loss))
    best = min(rows, key=lambda row: row[1])          # the lowest validation loss (the first, if tied)
    return rows, best
""",
    "random_search": """\
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)                 # once: each trial continues the same random sequence
    rows = []
    for _ in range(n_trials):
        hyperparameters = {}
        for name, values in space.items():            # every hyperparameter, in the space's order
            kind = type(values).__name__
            if kind == "LogUniform":                  # log-uniform: the exponent is uniform
                value = 10 ** rng.uniform(np.log10(values.low), np.log10(values.high))
            elif kind == "IntUniform":                # integers() leaves out its upper end
                value = int(rng.integers(values.low, values.high + 1))
            else:                                     # a Choice, or a plain list of options
                options = values.options if kind == "Choice" else values
                value = options[int(rng.integers(len(options)))]
            hyperparameters[name] = value
        model = make_model(**hyperparameters).fit(X_train, y_train)   # a fresh model, fitted on the training set
        val_loss = np.inf if model.history_.diverged else model.data_loss(X_val, y_val)
        rows.append((hyperparameters, val_loss))
    best = min(rows, key=lambda row: row[1])          # the lowest validation loss (the first, if tied)
    return rows, best
""",
    # --- 09, 09b: optimisers, schedules, early stopping (optimiser_checks) ---
    "momentum_step": """\
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    if "velocity" not in state:                      # the first call: every velocity starts at 0
        state["velocity"] = [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, state["velocity"]):
        v *= momentum                                 # in place, so state keeps the new velocity
        v -= learning_rate * g
        p += v
""",
    "adam_step": """\
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    if not state:                                     # the first call
        state["t"] = 0
        state["m"] = [np.zeros_like(p) for p in params]
        state["v"] = [np.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        m[...] = beta1 * m + (1 - beta1) * g          # m[...] = changes the array kept in state
        v[...] = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)                    # bias corrections: m and v started at 0
        v_hat = v / (1 - beta2**t)
        p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
""",
    "cosine_schedule": """\
def cosine_schedule(epoch, learning_rate, epochs):
    progress = min(epoch, epochs) / epochs            # 0 at the start, 1 at the end (and after it)
    return learning_rate * 0.5 * (1 + np.cos(np.pi * progress))
""",
    "early_stopping": """\
def early_stopping(val_losses, patience):
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:                   # strictly lower: a new best epoch
            best = epoch
    return best, len(val_losses) - 1 - best >= patience   # epochs since the best, up to the last one
""",
}


def solution(exercise_id, title, *pieces):
    """The solution cell of the exercise that builds ``pieces``: its first line, then each piece's reference."""
    return f"# Exercise {exercise_id}: {title}\n" + "\n\n".join(SOLUTIONS[piece] for piece in pieces)


def edited(piece, edits=()):
    """The reference solution of ``piece`` with each (old, new) edit made -- a typical slip, written as code -- run
    on its own as a saved piece is (``nnlib.learner.store.rebuild``); no edits: the reference itself."""
    return store.rebuild(functools.reduce(lambda code, edit: code.replace(*edit), edits, SOLUTIONS[piece]), piece)


def save_solutions(names=None):
    """Save the reference solution of each piece named (all by default), checked, as a learner who solved those
    exercises would have: for the tests, the benchmark and an instructor's demonstration."""
    for name in PIECES if names is None else names:
        problem = check_piece(name, store.rebuild(SOLUTIONS[name], name))
        if problem:
            raise AssertionError(f"the reference solution of {name} fails its own check: {problem}")
        store.save(name, SOLUTIONS[name], PIECES[name].exercise, PIECES[name].notebook)
