"""Losses: how wrong the predictions are, and the gradient that says which way to move.

A loss is the model's *head* and owns the task: ``value_and_gradient(scores, y)`` writes the loss and beside it its
gradient (Nielsen's ``fn`` and ``delta``); ``targets``, ``n_outputs``, ``predict`` and ``score`` turn labels into its
form and back. ``scores`` are the last Dense layer's raw outputs (n, n_outputs); the cross-entropies take these
*logits* and fold the sigmoid/softmax in: faster, and no log(0). ``WeightPenalty`` is the L1/L2 term.
"""
import numpy as np

from .input_checks import check_count, check_labels, check_targets
from .layers import sigmoid


class Loss:
    """What every loss shares; each writes value_and_gradient(scores, y) -> (float, gradient like scores)."""

    def value(self, scores, y):
        return self.value_and_gradient(scores, y)[0]

    def check_n_outputs(self, n_outputs):  # the number of output neurons build asks for, checked for this loss
        return check_count("n_outputs", n_outputs)

    def score(self, scores, y):
        """Accuracy: the fraction of samples whose predicted class is the true one (R² for regression)."""
        return float(np.mean(self.predict(scores) == y.reshape(len(y))))


class MeanSquaredError(Loss):
    """Regression: mean((scores - y)**2) over samples and outputs; scores, y (n, k) -> float, gradient (n, k)."""

    def value_and_gradient(self, scores, y):
        error = scores - y
        return float(np.mean(error**2)), 2 * error / error.size

    def targets(self, y, n_samples, name="y", n_outputs=None, training=False):
        """Targets (n,) or (n, k) -> (n, k) floats (any finite numbers: ``training`` changes nothing)."""
        return check_targets(y, n_samples, name, n_outputs)

    def n_outputs(self, targets):
        return targets.shape[1]

    def predict(self, scores):
        """The predictions themselves: (n,) for one output, else (n, k)."""
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def score(self, scores, y):
        """R² = 1 - (sum of squared errors) / (sum of squares around the mean), averaged over outputs; for a constant
        target (nothing to explain) 1 if predicted perfectly, else 0, as in scikit-learn."""
        residual = np.sum((scores - y) ** 2, axis=0)
        total = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
        explained = 1 - residual / np.where(total > 0, total, 1)
        return float(np.mean(np.where(total > 0, explained, residual == 0)))


class BinaryCrossEntropy(Loss):
    """Two classes, one output: -mean(y log p + (1 - y) log(1 - p)) with p = sigmoid(scores).

    scores (n, 1) logits, y (n, 1) in {0, 1} -> float (as logaddexp(0, s) - y s: no log(0)); gradient (p - y) / n.
    """

    def value_and_gradient(self, scores, y):
        return float(np.mean(np.logaddexp(0, scores) - y * scores)), (sigmoid(scores) - y) / len(scores)

    def targets(self, y, n_samples, name="y", n_outputs=None, training=False):
        """Labels 0 or 1 (n,) -> (n, 1) floats."""
        labels = check_labels(y, n_samples, name, training)
        if labels.max() > 1:
            raise ValueError(f"LogisticRegression separates two classes, labelled 0 and 1, but {name} has labels up "
                             f"to {labels.max()}. Pick two classes, or use MLP for more than two.")
        return labels.reshape(-1, 1).astype(float)

    def n_outputs(self, targets):  # one neuron: its output is the log-odds of class 1
        return 1

    def check_n_outputs(self, n_outputs):
        if n_outputs != 1:  # two columns would give predict_proba four
            raise ValueError(f"LogisticRegression has one output neuron, the log-odds of class 1 (predict_proba "
                             f"derives both classes from it): build it with n_outputs=1, not {n_outputs!r}.")
        return 1

    def predict(self, scores):
        """Label 1 where P(y = 1) > 0.5, i.e. where the logit is positive: (n,)."""
        return (scores[:, 0] > 0).astype(np.intp)

    def probabilities(self, scores):
        """(n, 2): P(y = 0) and P(y = 1)."""
        return np.hstack([1 - sigmoid(scores), sigmoid(scores)])


class SoftmaxCrossEntropy(Loss):
    """K classes: -mean(log softmax(scores)[i, y_i]) for integer labels y in 0..K-1.

    scores (n, K) logits, y (n,) ints -> float; gradient (n, K) = (softmax - onehot(y)) / n.
    Softmax and cross-entropy are fused: their joint derivative is that one line.
    """

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
        """Labels 0..K-1 (n,) -> the same ints; once fitted (``n_outputs`` = K) no label may exceed K - 1."""
        return check_labels(y, n_samples, name, training, n_classes=n_outputs)

    def n_outputs(self, targets):
        return max(int(targets.max()) + 1, 2)

    def check_n_outputs(self, n_outputs):
        return check_count("n_outputs", n_outputs, minimum=2, hint="A classifier has one output per class.")

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

    value(weights) -> float; gradient(weights) -> one array per W: l1 * sign(W) + l2 * W. ``weight_decay`` is
    decoupled weight decay (Loshchilov & Hutter, 2019; AdamW): W -= learning_rate * weight_decay * W at every step,
    beside the optimiser's step rather than through the gradient. Under SGD, weight_decay = l2 is the same step;
    under Adam it is not, because Adam rescales the gradient, l2's term included, parameter by parameter.
    """

    def __init__(self, l1=0.0, l2=0.0, weight_decay=0.0):
        self.l1, self.l2, self.weight_decay = float(l1), float(l2), float(weight_decay)  # Python floats keep float32

    def value(self, weights):
        return sum(self.l1 * float(np.abs(w).sum()) + 0.5 * self.l2 * float(np.sum(w * w)) for w in weights)

    def gradient(self, weights):
        return [self.l1 * np.sign(w) + self.l2 * w if self.l1 else self.l2 * w for w in weights]

    def add_gradient(self, network):
        """Add the penalty's gradient to the gradient of each of ``network``'s weight matrices, in place."""
        if self.l1 or self.l2:
            for grad, extra in zip(network.weight_gradients(), self.gradient(network.weights())):
                grad += extra

    def decay(self, network, learning_rate):
        """Shrink each of ``network``'s weight matrices by the factor 1 - learning_rate * weight_decay, in place."""
        for w in network.weights() if self.weight_decay else ():
            w *= 1 - learning_rate * self.weight_decay
