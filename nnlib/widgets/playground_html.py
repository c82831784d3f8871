"""The playground's texts (notebook 07): plain functions of a ``PlaygroundState``, no ipywidgets.

The widget puts each into an ``ipywidgets.HTML``: the epoch counter, the parameter count, the panel of
hyperparameters beside parameters, the status (a blow-up or a growing loss explained in words), and the table of
recorded runs; ``description`` (plain text) is the figure in words, for its description line. The labels the controls
show for data sets and activations are here too.
"""
import numpy as np

from ..plots import PALETTE
from .playground_state import LEARNING_RATES

DATASET_LABELS = {"circle": "circle", "xor": "XOR", "gaussian": "gaussian blobs", "spiral": "spiral",
                  "plane": "regression: plane", "gaussians": "regression: hills"}
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "identity": "Linear"}


def epoch_counter(epoch):
    return f"<span style='font-family: monospace; font-size: 1.25em; padding: 0 0.8em'>epoch {epoch}</span>"


def description(state):
    """The figure in words (plain text): the epoch, the losses (the lowest validation loss and when), what the
    network predicts for the training and validation points, and the network's shape."""
    val_loss = np.asarray(state.val_loss, dtype=float)
    best = int(np.nanargmin(val_loss)) if np.isfinite(val_loss).any() else 0
    text = (f"epoch {state.epoch}: training loss {state.train_loss[-1]:.3f}, validation loss {val_loss[-1]:.3f} "
            f"(lowest {val_loss[best]:.3f} at epoch {best}); ")
    with np.errstate(all="ignore"):  # a blown-up network predicts NaN: the numbers say so
        score, predicted = state.model.score(state.Z_val, state.y_val), state.model.predict(state.Z_train)
        right = int(np.sum(state.model.predict(state.Z_val) == state.y_val))
    if state.task == "classification":
        text += (f"validation accuracy {score:.0%}, {right} of {len(state.y_val)} validation points on the right side "
                 f"of the decision boundary; it puts {int(np.sum(predicted == 1))} of the {len(state.y_train)} "
                 f"training points in class 1 ({int(np.sum(state.y_train == 1))} are)")
    else:
        text += (f"validation R² {score:.2f}; the predicted surface goes from {np.min(predicted):.2f} to "
                 f"{np.max(predicted):.2f} at the training points (targets {np.min(state.y_train):.2f} to "
                 f"{np.max(state.y_train):.2f})")
    layers = " → ".join(map(str, state.hidden_layers))
    return (text + f". Network: {', '.join(state.feature_names)} → {layers + ' → ' if layers else ''}"
            f"{'2 class scores' if state.task == 'classification' else '1 prediction'}, {state.n_parameters} "
            f"parameters; data set {DATASET_LABELS[state.chosen['dataset']]}, noise {state.chosen['noise']} %.")


def parameter_count(n_parameters):
    return f"&rarr; <b>{n_parameters} parameters</b> (weights + biases) for training to learn"


def note(text):
    return f"<p style='color: {PALETTE['blue']}'>{text}</p>"


def runs_table(runs):
    """The recorded runs (a SearchResults) as a table under a heading."""
    return ("<b>Recorded runs</b> (compare them: which hyperparameters gave the lowest validation loss?)"
            + runs._repr_html_())  # IPython's display protocol: the table a notebook shows for ``runs``


def status(state):
    """Training blew up, or the loss is growing: what happened and what to try; "" when neither."""
    learning_rate = state.chosen["learning_rate"]
    if state.diverged:
        return divergence(learning_rate, state.epoch, state.message)
    losses = np.asarray(state.train_loss)
    best = int(np.argmin(losses))
    if losses[-1] > 2 * losses[best] and losses[-1] > losses[best] + 0.1:
        return (f"<div style='border-left: 4px solid {PALETTE['orange']}; padding-left: 0.8em; max-width: 60em'>"
                f"<b>The training loss is going the wrong way:</b> {losses[best]:.3f} at epoch {best}, "
                f"{losses[-1]:.3f} now. Steps of learning rate {learning_rate:g} are too large "
                "here: they jump over the valley of the loss instead of going down into it (with a saturating "
                "activation such as tanh the numbers stay finite; with Linear they would soon overflow). "
                "Try a smaller learning rate.</div>")
    return ""


def divergence(learning_rate, epoch, message):
    """Training blew up after ``epoch`` epochs at ``learning_rate``: why, in words, and a smaller rate to try;
    ``message`` is nnlib's (``history_.message``)."""
    smaller = max(r for r in LEARNING_RATES if r < learning_rate) if learning_rate > LEARNING_RATES[0] \
        else learning_rate
    return (
        f"<div style='border-left: 4px solid {PALETTE['vermillion']}; padding-left: 0.8em; max-width: 60em'>"
        f"<b style='color: {PALETTE['vermillion']}'>Training blew up after epoch {epoch}, so it was paused.</b> "
        "Nothing is broken: the loss grew instead of shrinking until the numbers became too large for the "
        "computer to store (they turn into <i>NaN</i>, 'not a number', or infinity). "
        f"The learning rate ({learning_rate:g}) is too large for this network: each step jumps past the valley "
        "of the loss and lands higher up the other side, the gradient there is steeper, so the next jump is "
        "larger still. The parameters were put back to where they were before the blow-up. "
        f"<b>Try a smaller learning rate, e.g. {smaller:g}, and press play again</b> (or reset to start over)."
        f"<br><small>nnlib's message: {message}</small></div>")


def panel(state):
    """The hyperparameters you set beside a few parameters that training changes."""
    def changed(name):
        if name in state.changes:
            epoch, old = state.changes[name]
            return f"<i>changed by you at epoch {epoch} (at epoch 0 it was {old:g})</i>"
        return ""

    hyper_rows = "".join(f"<tr><td>{name}</td><td><b>{value}</b></td><td>{changed(name)}</td></tr>"
                         for name, value in state.hyperparameters().items())
    parameters, initial = state.model.parameters(), state.initial_parameters
    param_rows = "".join(
        f"<tr><td>{name}[{', '.join(map(str, index))}]</td><td>{initial[name][index]:+.4f}</td>"
        f"<td><b>{parameters[name][index]:+.4f}</b></td></tr>" for name, index in tracked_parameters(parameters))
    n_changed = sum(int(np.count_nonzero(parameters[n] != initial[n])) for n in parameters)
    mean_change = np.mean(np.concatenate([np.abs(parameters[n] - initial[n]).ravel() for n in parameters]))
    chosen, cell = state.chosen, "style='vertical-align: top; padding-right: 3em'"
    return (
        "<table><tr>"
        f"<td {cell}><b>Hyperparameters</b>: chosen by you, never changed by training"
        f"<table>{hyper_rows}</table>"
        f"<small>epochs: you choose them too, by pausing (so far {state.epoch}).<br>"
        f"Neither learned nor tuned (settings of the experiment): the data, {DATASET_LABELS[chosen['dataset']]}, "
        f"noise {chosen['noise']} %, {chosen['train_ratio']} % of the {state.n_samples} points for training, "
        f"seed {chosen['seed']}.</small></td>"
        f"<td {cell}><b>Parameters</b>: learned, changed by every training step"
        f"<table><tr><th>parameter</th><th>at epoch 0</th><th>after {state.epoch} epochs</th></tr>"
        f"{param_rows}</table>"
        f"All {state.n_parameters} parameters: {n_changed} changed since epoch 0, by {mean_change:.3f} on average."
        "</td></tr></table>")


def tracked_parameters(parameters):
    """A few parameters to show ticking: two weights and a bias of the first layer, one of the output layer;
    a list of (name, index) without repeats."""
    names = list(parameters)
    first_w, first_b, out_w, out_b = names[0], names[1], names[-2], names[-1]
    chosen = [(first_w, (0, 0)), (first_w, (min(1, parameters[first_w].shape[0] - 1), 0)), (first_b, (0,)),
              (out_w, (0, 0)), (out_b, (0,))]
    return list(dict.fromkeys(chosen))
