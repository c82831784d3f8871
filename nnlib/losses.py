"""Losses: how wrong the predictions are, and the gradient that says which way to move.

Each loss is a tiny class with ``value(scores, y)`` and ``gradient(scores, y)``
(Nielsen's ``fn`` / ``delta``), plus ``value_and_gradient`` which the training
loop calls so the shared work is done once.  ``scores`` are the raw outputs of
the last Dense layer, shape (n, n_outputs); the cross-entropies take these
*logits* and fold the sigmoid/softmax in, which is both faster and numerically
stable (no log(0)).
"""
import numpy as np

from .layers import sigmoid


class MeanSquaredError:
    """mean((scores - y)**2), averaged over samples and outputs.

    scores (n, k), y (n, k) -> float; gradient (n, k) = 2 (scores - y) / (n k).
    """

    def value(self, scores, y):
        return float(np.mean((scores - y) ** 2))

    def gradient(self, scores, y):
        return 2 * (scores - y) / scores.size

    def value_and_gradient(self, scores, y):
        error = scores - y
        return float(np.mean(error**2)), 2 * error / error.size


class BinaryCrossEntropy:
    """-mean(y log p + (1 - y) log(1 - p)) with p = sigmoid(scores).

    scores (n, 1) logits, y (n, 1) in {0, 1} -> float; gradient = (p - y) / n.
    Written as logaddexp(0, s) - y s, which never takes log(0).
    """

    def value(self, scores, y):
        return float(np.mean(np.logaddexp(0, scores) - y * scores))

    def gradient(self, scores, y):
        return (sigmoid(scores) - y) / len(scores)

    def value_and_gradient(self, scores, y):
        return self.value(scores, y), self.gradient(scores, y)


class SoftmaxCrossEntropy:
    """-mean(log softmax(scores)[i, y_i]) for integer labels y in 0..K-1.

    scores (n, K) logits, y (n,) ints -> float; gradient (n, K) = (softmax - onehot(y)) / n.
    Softmax and cross-entropy are fused: their joint derivative is that one line.
    """

    def value(self, scores, y):
        return self.value_and_gradient(scores, y)[0]

    def gradient(self, scores, y):
        return self.value_and_gradient(scores, y)[1]

    def value_and_gradient(self, scores, y):
        n = len(scores)
        rows = np.arange(n)
        shifted = scores - scores.max(axis=1, keepdims=True)  # exp never overflows
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        # -log softmax[i, y_i] = log(total_i) - shifted[i, y_i], averaged; two sums are
        # cheaper than np.mean, which matters on a mini-batch of a few dozen rows.
        loss = float(np.log(total).sum() - shifted[rows, y].sum()) / n
        grad = exp / total
        grad[rows, y] -= 1
        grad /= n
        return loss, grad


def softmax(scores):
    """Row-wise softmax of logits (n, K) -> probabilities (n, K), stable for large scores."""
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def weight_penalty(weights, l1=0.0, l2=0.0):
    """Regularisation added to the loss: l1 * sum|W| + (l2 / 2) * sum W**2 over weight matrices.

    Biases are not penalised. Its gradient for each W is l1 * sign(W) + l2 * W.
    """
    total = 0.0
    for w in weights:
        if l1:
            total += l1 * float(np.abs(w).sum())
        if l2:
            total += 0.5 * l2 * float(np.sum(w * w))
    return total
