"""The pieces of the learner's library as a learner writes them in the notebooks' cells: the reference solutions
(SOLUTIONS), correct pieces written differently (VARIANTS) and a subtly wrong one (WRONG_TANH)."""

SOLUTIONS = '''
def dense_forward(x, weights, biases):
    return x @ weights + biases


def dense_backward(dout, x, weights):
    return dout @ weights.T, x.T @ dout, dout.sum(axis=0)


def relu_forward(x):
    return np.maximum(x, 0)


def relu_backward(dout, x, out):
    return dout * (out > 0)


def tanh_forward(x):
    return np.tanh(x)


def tanh_backward(dout, x, out):
    return dout * (1 - out**2)


def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    loss = float(np.log(total).sum() - shifted[np.arange(n), y].sum()) / n
    dscores = exp / total
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n


def network_forward(layers, X):
    for layer in layers:
        X = layer.forward(X)
    return X


def network_backward(layers, dscores):
    for layer in reversed(layers):
        dscores = layer.backward(dscores)


def xavier(n_inputs, n_units, rng):
    limit = np.sqrt(6.0 / (n_inputs + n_units))
    return rng.uniform(-limit, limit, size=(n_inputs, n_units))


def he(n_inputs, n_units, rng):
    return rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))


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


def momentum_step(params, grads, state, learning_rate, momentum):
    velocities = state.setdefault("velocities", [np.zeros_like(p) for p in params])
    for p, g, v in zip(params, grads, velocities):
        v *= momentum
        v -= learning_rate * g
        p += v
'''

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
