"""Losses: how wrong the predictions are, and the gradient that says which way to move.

A loss is the model's *head*: it owns the task. Besides ``value(scores, y)`` and
``gradient(scores, y)`` (Nielsen's ``fn`` / ``delta``; ``value_and_gradient`` does the
shared work once) each loss knows

- ``targets(y)``: your labels or targets, checked, in the form the loss computes with;
- ``n_outputs(targets)``: how many output units the network needs for them;
- ``predict(scores)`` and ``score(scores, targets)``: predictions, and accuracy or R².

``scores`` are the raw outputs of the last Dense layer, shape (n, n_outputs); the
cross-entropies take these *logits* and fold the sigmoid/softmax in, which is both
faster and numerically stable (no log(0)). ``WeightPenalty`` is the L1/L2 term that
regularisation adds to the loss, value and gradient side by side.
"""
import numpy as np

from .input_checks import check_labels, check_targets
from .layers import sigmoid


class MeanSquaredError:
    """Regression: mean((scores - y)**2), averaged over samples and outputs.

    scores (n, k), y (n, k) -> float; gradient (n, k) = 2 (scores - y) / (n k).
    """

    def value(self, scores, y):
        return float(np.mean((scores - y) ** 2))

    def gradient(self, scores, y):
        return 2 * (scores - y) / scores.size

    def value_and_gradient(self, scores, y):
        error = scores - y
        return float(np.mean(error**2)), 2 * error / error.size

    def targets(self, y, n_samples, name="y", n_outputs=None, training=False):
        """Targets y (n,) or (n, k) -> (n, k) floats; ``n_outputs`` (once fitted) must match k.

        (``training`` matters for labels only: any finite numbers are valid targets.)
        """
        y = check_targets(y, n_samples, name)
        y = y.reshape(len(y), -1)
        if n_outputs is not None and y.shape[1] != n_outputs:
            raise ValueError(f"{name} has {y.shape[1]} columns but the model predicts {n_outputs}.")
        return y

    def n_outputs(self, targets):
        return targets.shape[1]

    def predict(self, scores):
        """The predictions themselves: (n,) for one output, else (n, k)."""
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def score(self, scores, y):
        """R² = 1 - sum of squared errors / sum of squares around the mean, averaged over outputs.

        A constant target has no variation to explain: R² is then 1 for perfect predictions, else 0
        (scikit-learn's convention).
        """
        residual = np.sum((scores - y) ** 2, axis=0)
        total = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
        constant = np.where(residual == 0, 1.0, 0.0)
        return float(np.mean(np.where(total > 0, 1 - residual / np.where(total > 0, total, 1), constant)))


class _Classification:
    """What both cross-entropies share: labels 0..K-1 in, accuracy out."""

    def score(self, scores, y):
        """Accuracy: the fraction of samples whose predicted class is the true one."""
        return float(np.mean(self.predict(scores) == y.reshape(len(y))))


class BinaryCrossEntropy(_Classification):
    """Two classes, one output: -mean(y log p + (1 - y) log(1 - p)) with p = sigmoid(scores).

    scores (n, 1) logits, y (n, 1) in {0, 1} -> float; gradient = (p - y) / n.
    Written as logaddexp(0, s) - y s, which never takes log(0).
    """

    def value(self, scores, y):
        return float(np.mean(np.logaddexp(0, scores) - y * scores))

    def gradient(self, scores, y):
        return (sigmoid(scores) - y) / len(scores)

    def value_and_gradient(self, scores, y):
        return self.value(scores, y), self.gradient(scores, y)

    def targets(self, y, n_samples, name="y", n_outputs=None, training=False):
        """Labels 0 or 1 (n,) -> (n, 1) floats."""
        labels = check_labels(y, n_samples, name, training=training)
        if labels.max() > 1:
            raise ValueError(f"LogisticRegression separates two classes, labelled 0 and 1, but {name} has labels up "
                             f"to {labels.max()}. Pick two classes, or use MLP for more than two.")
        return labels.reshape(-1, 1).astype(float)

    def n_outputs(self, targets):
        return 1  # one neuron: its output is the log-odds of class 1

    def predict(self, scores):
        """Label 1 where P(y = 1) > 0.5, i.e. where the logit is positive: (n,)."""
        return (scores[:, 0] > 0).astype(np.intp)

    def probabilities(self, scores):
        """(n, 2): P(y = 0) and P(y = 1)."""
        p = sigmoid(scores)
        return np.hstack([1 - p, p])


class SoftmaxCrossEntropy(_Classification):
    """K classes: -mean(log softmax(scores)[i, y_i]) for integer labels y in 0..K-1.

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
        # -log softmax[i, y_i] = log(total_i) - shifted[i, y_i], averaged (two sums: cheaper than np.mean).
        loss = float(np.log(total).sum() - shifted[rows, y].sum()) / n
        grad = exp / total
        grad[rows, y] -= 1
        grad /= n
        return loss, grad

    def targets(self, y, n_samples, name="y", n_outputs=None, training=False):
        """Labels 0..K-1 (n,) -> the same ints; ``n_outputs`` (once fitted) is K."""
        labels = check_labels(y, n_samples, name, training=training)
        if n_outputs is not None and labels.max() >= n_outputs:
            raise ValueError(f"{name} contains label {labels.max()}, but the model was trained on labels "
                             f"0..{n_outputs - 1} only. Use the same label coding as in fit.")
        return labels

    def n_outputs(self, targets):
        return max(int(targets.max()) + 1, 2)

    def predict(self, scores):
        return scores.argmax(axis=1)

    def probabilities(self, scores):
        return softmax(scores)


def softmax(scores):
    """Row-wise softmax of logits (n, K) -> probabilities (n, K), stable for large scores."""
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


class WeightPenalty:
    """Regularisation: l1 * sum|W| + (l2 / 2) * sum W**2 over the weight matrices (biases are not penalised).

    value(weights) -> float; gradient(weights) -> one array per W: l1 * sign(W) + l2 * W.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)  # Python floats keep float32 weights float32

    def value(self, weights):
        return sum(self.l1 * float(np.abs(w).sum()) + 0.5 * self.l2 * float(np.sum(w * w)) for w in weights)

    def gradient(self, weights):
        return [self.l1 * np.sign(w) + self.l2 * w if self.l1 else self.l2 * w for w in weights]

    def __bool__(self):
        return bool(self.l1 or self.l2)
