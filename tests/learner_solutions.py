"""The pieces of the learner's library as a learner writes them in the notebooks' cells: the reference solutions
(SOLUTIONS, from nnlib.exercises.pieces), correct pieces written differently (VARIANTS) and a subtly wrong one
(WRONG_TANH)."""

from nnlib.exercises.pieces import SOLUTIONS as PIECE_SOLUTIONS

SOLUTIONS = "\n\n".join(PIECE_SOLUTIONS.values())  # one cell defining every piece


VARIANTS = {
    "loops": ("dense_forward", '''
def dense_forward(x, weights, biases):
    out = np.zeros((x.shape[0], weights.shape[1]))
    for i in range(x.shape[0]):
        for j in range(weights.shape[1]):
            out[i, j] = sum(x[i, k] * weights[k, j] for k in range(x.shape[1])) + biases[j]
    return out
'''),
    "logsumexp": ("softmax_cross_entropy", '''
def softmax_cross_entropy(scores, y):
    top = scores.max(axis=1, keepdims=True)
    log_probabilities = scores - top - np.log(np.exp(scores - top).sum(axis=1, keepdims=True))
    onehot = np.eye(scores.shape[1])[y]
    return -np.mean(log_probabilities[np.arange(len(y)), y]), (np.exp(log_probabilities) - onehot) / len(y)
'''),
    "ones_column": ("dense_forward", '''
def dense_forward(x, weights, biases):
    with_ones = np.hstack([x, np.ones((len(x), 1))])
    return with_ones @ np.vstack([weights, biases])
'''),
    "returned_arrays": ("momentum_step", '''
def momentum_step(params, grads, state, learning_rate, momentum):
    if "v" not in state:
        state["v"] = [np.zeros_like(p) for p in params]
    state["v"] = [momentum * v - learning_rate * g for v, g in zip(state["v"], grads)]
    return [p + v for p, v in zip(params, state["v"])]
'''),
}

WRONG_TANH = '''
def tanh_backward(dout, x, out):
    return dout * (1 - x**2)
'''
