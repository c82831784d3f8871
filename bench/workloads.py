"""The benchmark workloads: one function per library, all training the same network.

Every ``run_<library>(case, repeats, save_to)`` trains the network described by
``case`` up to ``repeats`` times from the same initial weights (the ones nnlib
draws from ``SEED``) and returns the wall and CPU time of each training run, the
test accuracy and the final training loss; ``summarise`` derives the best time,
ms per epoch, samples/s and useful GFLOP/s.  ``run.py`` calls each library
in its own process, with the BLAS/OpenMP thread count fixed before numpy (or
torch) is imported, so thread pools of different libraries never compete.

Cases (``CASES``):
- digits: 64-128-10 ReLU on the UCI digits (1,437 training images), softmax
  cross-entropy, plain SGD with learning rate 0.1, 30 epochs per timed run,
  batch 32 or 256, float64 or float32.
- synthetic: 784-256-256-10 ReLU on 20,000 x 784 standard-normal inputs with
  labels from a random linear "teacher", batch 128, learning rate 0.1, one epoch.
"""
import gc
import time

import numpy as np

SEED = 0


def _digits_cases():
    for batch_size in (32, 256):
        for dtype in ("float64", "float32"):
            yield f"digits_b{batch_size}_{dtype}", dict(
                data="digits", hidden_layers=(128,), batch_size=batch_size, dtype=dtype,
                learning_rate=0.1, epochs=30)


def _synthetic_cases():
    for dtype in ("float64", "float32"):
        yield f"synthetic_b128_{dtype}", dict(
            data="synthetic", hidden_layers=(256, 256), batch_size=128, dtype=dtype,
            learning_rate=0.1, epochs=1)


CASES = dict([*_digits_cases(), *_synthetic_cases()])


# --- data -------------------------------------------------------------------------

def load_data(case):
    """X_train, y_train, X_test, y_test for a case, X already in the case's dtype."""
    import nnlib

    if case["data"] == "digits":
        X, y = nnlib.load_digits()
        X_train, _, X_test, y_train, _, y_test = nnlib.train_val_test_split(
            X, y, val_size=0.0, test_size=0.2, seed=SEED)
        X_train, X_test = nnlib.standardize(X_train, X_test)
    else:
        rng = np.random.default_rng(SEED)
        X = rng.standard_normal((22_000, 784))
        y = (X @ rng.standard_normal((784, 10))).argmax(axis=1)
        X_train, X_test, y_train, y_test = X[:20_000], X[20_000:], y[:20_000], y[20_000:]
    dtype = np.dtype(case["dtype"])
    return (np.ascontiguousarray(X_train, dtype=dtype), y_train.astype(np.int64),
            np.ascontiguousarray(X_test, dtype=dtype), y_test.astype(np.int64))


def useful_flops(case, n_samples):
    """Matrix-multiply FLOPs of one epoch: forward, weight gradients, input gradients.

    The first layer's input gradient is not needed (its input is the data), so
    every library skips it.
    """
    sizes = [784 if case["data"] == "synthetic" else 64, *case["hidden_layers"], 10]
    products = [n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return 2 * n_samples * (2 * sum(products) + sum(products[1:]))


def _nnlib_model(case):
    import nnlib

    return nnlib.MLP(hidden_layers=case["hidden_layers"], activation="relu", learning_rate=case["learning_rate"],
                     epochs=case["epochs"], batch_size=case["batch_size"], optimizer="sgd",
                     dtype=case["dtype"], seed=SEED)


def initial_state(case, n_features, n_classes):
    """nnlib's initial weights [(W, b), ...] with W (n_in, n_out), and its shuffling generator.

    nnlib draws the weights from ``default_rng(SEED)`` and then shuffles each
    epoch with ``rng.permutation(n)`` from the same generator; PyTorch replays
    exactly that, so the two follow the same trajectory.
    """
    model = _nnlib_model(case).build(n_features, n_classes)
    weights = [(w.copy(), b.copy()) for w, b in zip(model.weights_, model.biases_)]
    return weights, model.rng_


def _best_of(repeats, train, budget_seconds):
    """Run ``train()`` ``repeats`` times with the garbage collector off; all (wall, CPU) seconds.

    Stops early, after at least one run, once the runs took ``budget_seconds``
    in total: on a busy machine (or with a library whose threads fight) the
    benchmark still ends in time; ``summarise`` reports how many runs there were.
    The CPU time of the process is kept as a cross-check: when other programs
    use the cores, wall time grows but single-threaded CPU time hardly does.
    """
    times = []
    while len(times) < repeats and sum(wall for wall, _ in times) < budget_seconds:
        gc.collect()
        gc.disable()
        try:
            start, cpu_start = time.perf_counter(), time.process_time()
            train()
            times.append((time.perf_counter() - start, time.process_time() - cpu_start))
        finally:
            gc.enable()
    return times


def _budget(case):
    return 3.0 if case["data"] == "digits" else 4.0


def _result(case, times, n_train, accuracy, loss, weights, save_to):
    if save_to is not None:
        np.savez(save_to, **{f"w{i}": w for i, w in enumerate(weights)})
    return {"wall_seconds": [wall for wall, _ in times], "cpu_seconds": [cpu for _, cpu in times],
            "n_train": n_train, "test_accuracy": accuracy, "final_train_loss": loss,
            "parameter_dtype": str(weights[0].dtype)}


def summarise(case, result):
    """Add the derived numbers to a result whose runs may come from several processes."""
    best, epochs = min(result["wall_seconds"]), case["epochs"]
    return {**result, "runs": len(result["wall_seconds"]), "seconds_best_run": best,
            "ms_per_epoch": 1e3 * best / epochs, "cpu_ms_per_epoch": 1e3 * min(result["cpu_seconds"]) / epochs,
            "samples_per_s": result["n_train"] * epochs / best,
            "gflop_per_s": useful_flops(case, result["n_train"]) * epochs / best / 1e9}


# --- the libraries ----------------------------------------------------------------------

def run_nnlib(case, repeats, save_to=None):
    """nnlib.MLP(...).fit(X, y): the call a learner makes (input checks included)."""
    import warnings

    from nnlib.divergence import DivergenceWarning

    X_train, y_train, X_test, y_test = load_data(case)
    model = _nnlib_model(case)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)
        times = _best_of(repeats, lambda: model.fit(X_train, y_train), _budget(case))
    weights = list(model.parameters().values())
    return _result(case, times, len(X_train), model.score(X_test, y_test),
                   model.history_.loss[-1], weights, save_to)


def run_my_library(case, repeats, save_to=None):
    """The learner's library (nnlib.learner) built from the reference solutions of every piece: the same network,
    initial weights and batches as ``run_nnlib``, trained by the learner's loop through nnlib's adapters."""
    import os
    import tempfile

    from nnlib.exercises.pieces import save_solutions
    from nnlib.learner import my_library

    X_train, y_train, X_test, y_test = load_data(case)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["NNLIB_MY_LIBRARY"] = folder
        save_solutions()
        mine = my_library(quiet=True)
    model = _nnlib_model(case)
    state = {}

    def train():
        rng = np.random.default_rng(SEED)
        state["network"] = network = mine.network(X_train.shape[1], case["hidden_layers"], 10, activation="relu",
                                                  rng=rng)
        state["losses"] = mine.train(network, mine.loss, mine.optimizer("sgd", momentum=0.0), X_train, y_train,
                                     case["epochs"], case["batch_size"], case["learning_rate"], rng)

    times = _best_of(repeats, train, _budget(case))
    model.build(X_train.shape[1], 10).set_parameters(state["network"].parameters())
    return _result(case, times, len(X_train), model.score(X_test, y_test), state["losses"][-1],
                   list(state["network"].parameters().values()), save_to)


def run_torch(case, repeats, save_to=None):
    """The idiomatic PyTorch loop (nn.Sequential, CrossEntropyLoss, optim.SGD), tensors sliced per step."""
    import copy

    import torch

    X_train, y_train, X_test, y_test = load_data(case)
    start_weights, start_rng = initial_state(case, X_train.shape[1], 10)
    X, y = torch.from_numpy(X_train), torch.from_numpy(y_train)
    n, batch_size = len(X), case["batch_size"]
    layers = []
    for i, (w, _) in enumerate(start_weights):
        linear = torch.nn.Linear(*w.shape, dtype=getattr(torch, case["dtype"]))
        layers.append(linear)
        if i < len(start_weights) - 1:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    linears = layers[::2]
    state = {}

    def train():
        with torch.no_grad():
            for linear, (w, b) in zip(linears, start_weights):
                linear.weight.copy_(torch.from_numpy(w.T))
                linear.bias.copy_(torch.from_numpy(b))
        optimizer = torch.optim.SGD(net.parameters(), lr=case["learning_rate"])
        loss_fn = torch.nn.CrossEntropyLoss()
        rng = copy.deepcopy(start_rng)
        for _ in range(case["epochs"]):
            order = torch.from_numpy(rng.permutation(n))
            X_epoch, y_epoch = X[order], y[order]
            total = 0.0
            for start in range(0, n, batch_size):
                optimizer.zero_grad()
                loss = loss_fn(net(X_epoch[start:start + batch_size]), y_epoch[start:start + batch_size])
                loss.backward()
                optimizer.step()
                total += loss.item() * min(batch_size, n - start)  # the epoch's mean loss, as nnlib records
            state["loss"] = total / n

    times = _best_of(repeats, train, _budget(case))
    with torch.no_grad():
        accuracy = float((net(torch.from_numpy(X_test)).argmax(dim=1).numpy() == y_test).mean())
    weights = [a for linear in linears for a in (linear.weight.detach().numpy().T, linear.bias.detach().numpy())]
    return _result(case, times, n, accuracy, state["loss"], weights, save_to)


def run_sklearn(case, repeats, save_to=None):
    """sklearn.neural_network.MLPClassifier(solver='sgd', ...).fit(X, y), started from nnlib's weights."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    class GivenStartMLP(MLPClassifier):
        """MLPClassifier whose initial weights are nnlib's (it otherwise draws its own)."""

        def _init_coef(self, fan_in, fan_out, dtype):
            w, b = self.start_weights_[len(self.coefs_)]
            return w.astype(dtype), b.astype(dtype)

    X_train, y_train, X_test, y_test = load_data(case)
    model = GivenStartMLP(hidden_layer_sizes=case["hidden_layers"], activation="relu", solver="sgd",
                          alpha=0.0, batch_size=case["batch_size"], learning_rate="constant",
                          learning_rate_init=case["learning_rate"], max_iter=case["epochs"], shuffle=True,
                          momentum=0.0, nesterovs_momentum=False, tol=0.0,
                          n_iter_no_change=case["epochs"] + 1, random_state=SEED)
    model.start_weights_ = initial_state(case, X_train.shape[1], 10)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        times = _best_of(repeats, lambda: model.fit(X_train, y_train), _budget(case))
    weights = [a for w, b in zip(model.coefs_, model.intercepts_) for a in (w, b)]
    return _result(case, times, len(X_train), model.score(X_test, y_test), model.loss_,
                   weights, save_to)


def run_gemm(dtype, repeats, n=2048):
    """numpy's own large matrix multiply (n x n) @ (n x n): the throughput ceiling in FLOP/s."""
    rng = np.random.default_rng(SEED)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    out = np.empty((n, n), dtype=dtype)
    times = _best_of(repeats, lambda: np.matmul(a, b, out=out), budget_seconds=3.0)
    return {"n": n, "wall_seconds": [wall for wall, _ in times], "cpu_seconds": [cpu for _, cpu in times]}


RUNNERS = {"nnlib": run_nnlib, "torch": run_torch, "sklearn": run_sklearn, "my_library": run_my_library}
