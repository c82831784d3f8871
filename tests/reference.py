"""Reference algorithms the tests compare nnlib with, written independently of it: plain numpy, one definition each.

Gradient descent on a line -- the penguins' body mass against one feature -- is the course's running example, so the
tests of the training loop, of the optimisers and of the descent and batch-size widgets all check nnlib's steps
against ``line_descent``.
"""
import numpy as np


def scaled(X):
    """The first column of X (n, d) standardised (mean 0, population standard deviation 1): (n,)."""
    return (X[:, 0] - X[:, 0].mean()) / X[:, 0].std()


def least_squares(X, y):
    """Ordinary least squares with an intercept: [w_1, ..., w_d, b] minimising mean((X w + b - y)**2)."""
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.lstsq(A, y, rcond=None)[0]


def minibatches(n, epochs, batch_size=None, seed=0, shuffle=True):
    """The mini-batches (index arrays) of ``epochs`` epochs over n samples, drawn as nnlib draws them: each epoch a
    permutation from default_rng(seed) when shuffling and there is more than one batch, else 0..n-1, cut into
    consecutive slices of ``batch_size`` (None: the full batch, one step per epoch)."""
    batch_size = n if batch_size is None else batch_size
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(n) if shuffle and batch_size < n else np.arange(n)
        yield from (order[start:start + batch_size] for start in range(0, n, batch_size))


def line_descent(x, y, learning_rate, batches, momentum=0.0, start=(0.0, 0.0)):
    """Gradient descent on the mean squared error mean((w x + b - y)**2) of a line, x and y (n,): one step per
    index array in ``batches``, with heavy-ball momentum (velocity = momentum * velocity - learning_rate * gradient;
    0 is plain descent). Returns the path of (w, b) from ``start``: (steps + 1, 2)."""
    (w, b), velocity_w, velocity_b = start, 0.0, 0.0
    path = [(w, b)]
    for batch in batches:
        error = w * x[batch] + b - y[batch]  # d/d(score) of (score - y)**2 is 2 * error
        velocity_w = momentum * velocity_w - learning_rate * 2 * np.mean(error * x[batch])
        velocity_b = momentum * velocity_b - learning_rate * 2 * np.mean(error)
        w, b = w + velocity_w, b + velocity_b
        path.append((w, b))
    return np.array(path)


def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    """A learner's step function for ``nnlib.optim.Custom`` (exercise 09.2): SGD with heavy-ball momentum, in place."""
    velocities = state.setdefault("velocity", [np.zeros_like(p) for p in params])
    for p, g, v in zip(params, grads, velocities):
        v *= momentum
        v -= learning_rate * g
        p += v
