"""Build exercises whose answers are pieces of your library: checked on the spot, then saved to ``my_nnlib/``.

A ``PieceExercise`` is an ``Exercise`` whose answers include functions named in ``pieces`` ({answer: piece}). Its
check runs the exercise's own checker first (its mistake-specific feedback), then each piece's check against nnlib
and finite differences (``nnlib.learner.pieces``). A piece that passes is saved only as its cell's code, run again
on its own and checked once more, so that what later notebooks load is what was checked; a piece that fails is
marked as failed, so that later notebooks say so instead of using it.
"""
from ..learner import store
from ..learner.pieces import PIECES, check_piece
from .checks import Exercise


class PieceExercise(Exercise):
    """An exercise that builds pieces of your library: ``pieces`` maps answer names to piece names."""

    def __init__(self, *args, pieces, **kwargs):
        super().__init__(*args, **kwargs)
        self.pieces = dict(pieces)

    def feedback(self, *answers):
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
                self._keep(piece, answer, failed=problem)
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
    # --- 04: data for training (data_checks) ---
    # --- 05: one neuron (neuron_checks) ---
    # --- 06, 06b: the network (network_checks) ---
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
    # --- 08: search (search_checks) ---
    # --- 09: optimisers, schedules, early stopping (optimiser_checks) ---
    "momentum_step": """\
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    if "velocity" not in state:                      # the first call: every velocity starts at 0
        state["velocity"] = [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, state["velocity"]):
        v *= momentum                                 # in place, so state keeps the new velocity
        v -= learning_rate * g
        p += v
""",
}


def save_solutions(names=None):
    """Save the reference solution of each piece named (all by default), checked, as a learner who solved those
    exercises would have: for the tests, the benchmark and an instructor's demonstration."""
    for name in PIECES if names is None else names:
        problem = check_piece(name, store.rebuild(SOLUTIONS[name], name))
        if problem:
            raise AssertionError(f"the reference solution of {name} fails its own check: {problem}")
        store.save(name, SOLUTIONS[name], PIECES[name].exercise, PIECES[name].notebook)
