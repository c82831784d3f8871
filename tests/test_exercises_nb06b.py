"""Exercises of notebook 06b (the network and its gradients): solutions pass and their pieces are saved to the
learner's library, typical mistakes get specific feedback (and a wrong piece is marked failed), ... is unanswered."""
import pytest
from exercise_code import define, run

from nnlib.exercises import nb06b
from nnlib.exercises.framework import exercises_in
from nnlib.exercises.pieces import SOLUTIONS
from nnlib.learner import store
from nnlib.learner.pieces import PIECES


def feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


def test_notebook_06b_builds_the_loss_the_networks_passes_and_the_initialisers():
    """Notebook 06 fits one sitting: its second part takes the stable loss and the network's passes (06.4 and 06.5
    before the split), the gradient check and initialisation; the training loop is 06c's."""
    assert [exercise.id for exercise in exercises_in(nb06b)] == ["06b.1", "06b.2", "06b.3", "06b.4"]
    assert {name: piece.exercise for name, piece in PIECES.items() if piece.notebook == "06b"} == {
        "softmax_cross_entropy": "06b.1", "network_forward": "06b.2", "network_backward": "06b.2", "xavier": "06b.4",
        "he": "06b.4"}


@pytest.mark.parametrize("exercise", [nb06b.q1, nb06b.q2, nb06b.q3, nb06b.q4])
def test_solution_is_correct_its_pieces_are_saved_and_placeholder_is_unanswered(exercise):
    pieces = list(getattr(exercise, "pieces", {}).values())
    saved = f" Saved to your library (my_nnlib): {', '.join(pieces)}." if pieces else ""
    assert feedback(exercise, exercise.solution_code) == ("correct", "Correct!" + saved)
    assert [store.read(piece)[0] for piece in pieces] == ["passed"] * len(pieces)
    assert all(SOLUTIONS[piece] in exercise.solution_code for piece in pieces), "one source"
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


@pytest.mark.parametrize("old, new, expected", [
    ("return loss, dscores / n", "return loss, dscores", "softmax_cross_entropy: dscores is n times too large"),
    ("shifted[np.arange(n), y].sum()) / n", "shifted[np.arange(n), y].sum())", "the loss is n times too large"),
    ("scores.max(axis=1, keepdims=True)", "scores.max(axis=1)", "scores.max(axis=1, keepdims=True)"),
    ("for layer in layers:", "for layer in reversed(layers):", "network_forward: you went through the layers in the "
                                                               "wrong order"),
    ("for layer in reversed(layers):", "for layer in layers:", "network_backward: you went through the layers in the "
                                                               "wrong order"),
    ("        X = layer.forward(X)\n    return X", "        out = layer.forward(X)\n    return out",
     "each layer must get what the layer before it returned"),
    ("        dscores = layer.backward(dscores)", "        layer.backward(dscores)", "network_backward: each layer"),
    ("    return X\n", "", "network_forward: return what the last layer's forward returned"),
])
def test_06b_1_and_06b_2_name_each_typical_mistake(old, new, expected):
    exercise = next(exercise for exercise in (nb06b.q1, nb06b.q2) if old in exercise.solution_code)
    status, message = feedback(exercise, exercise.solution_code.replace(old, new))
    assert status == "wrong" and expected in message, message


ONE_HOT = '''
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.sum(y * log_p) / n, (np.exp(log_p) - y) / n
'''
NOT_SHIFTED = '''
def softmax_cross_entropy(scores, y):
    n = len(scores)
    P = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    dscores = P.copy()
    dscores[np.arange(n), y] -= 1
    return -np.mean(np.log(P[np.arange(n), y])), dscores / n
'''


@pytest.mark.parametrize("code, expected", [
    (ONE_HOT, "y holds labels (0, 1, ..., K-1), one per sample, not one-hot rows"),
    (NOT_SHIFTED, "np.exp(1000) overflows, and np.exp(-1000) is 0. Subtract each row's own maximum first"),
    (NOT_SHIFTED.replace("np.exp(scores)", "np.exp(scores - scores.max(axis=1, keepdims=True))"),
     "dscores is right, but the loss is inf or nan for scores such as 1000"),
])
def test_06b_1_names_an_unstable_softmax_and_labels_taken_for_one_hot_rows(code, expected):
    status, message = feedback(nb06b.q1, "# Exercise 06b.1: x\n" + code)
    assert status == "wrong" and message.startswith("softmax_cross_entropy: ") and expected in message, message


WRONG_SOFTMAXES = {  # each written whole, as a learner would, with one slip: the words the feedback must say
    "no maximum subtracted": ("""
def softmax_cross_entropy(scores, y):
    n = scores.shape[0]
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(n), y]))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n
""", "Subtract each row's own maximum first"),
    "the gradient without its 1/n": ("""
def softmax_cross_entropy(scores, y):
    n = len(y)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(n), y])
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    return loss, dscores
""", "dscores is n times too large"),
    "whole columns picked": ("""
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.mean(log_p[:, y])
    Y = np.eye(scores.shape[1])[y]
    return loss, (np.exp(log_p) - Y) / n
""", "P[:, y] picks whole columns"),
    "normalised over the samples": ("""
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=0, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
    Y = np.eye(scores.shape[1])[y]
    loss = -np.sum(Y * np.log(P)) / n
    return loss, (P - Y) / n
""", "each row of your P should add up to 1"),
    "normalised over everything": ("""
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    P = np.exp(shifted) / np.sum(np.exp(shifted))
    loss = -np.mean(np.log(P[np.arange(n), y]))
    dscores = P.copy()
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n
""", "each row of your P should add up to 1"),
    "labels used as one-hot rows": ("""
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.sum(y * np.log(P)) / n
    return loss, (P - y) / n
""", "y holds labels (0, 1, ..., K-1), one per sample, not one-hot rows"),
    "log of P": ("""
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(P[range(n), y]).mean()
    dscores = P.copy()
    dscores[range(n), y] -= 1
    return loss, dscores / n
""", "Compute log P without P"),
    "the one-hot rows never subtracted": ("""
def softmax_cross_entropy(scores, y):
    n = scores.shape[0]
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.mean(log_p[np.arange(n), y])
    return loss, np.exp(log_p) / n
""", "dscores is P / n: subtract 1 at each sample's true class"),
}


@pytest.mark.parametrize("code, expected", WRONG_SOFTMAXES.values(), ids=WRONG_SOFTMAXES)
def test_06b_1_refuses_wrong_softmaxes_a_learner_writes(code, expected):
    status, message = feedback(nb06b.q1, code)
    assert status == "wrong" and message.startswith("softmax_cross_entropy: ") and expected in message, message
    assert store.read("softmax_cross_entropy")[0].startswith("failed"), "a wrong loss is never used"


WRONG_PASSES = {  # each written whole, as a learner would, with one slip: the words the feedback must say
    "backward in the forward order": ("""
def network_forward(layers, X):
    out = X
    for layer in layers:
        out = layer.forward(out)
    return out


def network_backward(layers, dscores):
    grad = dscores
    for layer in layers:
        grad = layer.backward(grad)
""", "network_backward: you went through the layers in the wrong order"),
    "a return inside the loop": ("""
def network_forward(layers, X):
    for layer in layers:
        X = layer.forward(X)
        return X


def network_backward(layers, dscores):
    for layer in reversed(layers):
        dscores = layer.backward(dscores)
""", "network_forward: only one layer ran: a return inside the loop"),
    "the network's list reversed in place": ("""
def network_forward(layers, X):
    for layer in layers:
        X = layer.forward(X)
    return X


def network_backward(layers, dscores):
    layers.reverse()
    for layer in layers:
        dscores = layer.backward(dscores)
""", "network_backward: you changed the network's own list of layers (layers.reverse()"),
    "every layer fed X": ("""
def network_forward(layers, X):
    for layer in layers:
        scores = layer.forward(X)
    return scores


def network_backward(layers, dscores):
    for layer in layers[::-1]:
        dout = layer.backward(dscores)
""", "network_forward: each layer must get what the layer before it returned"),
    "forward called on the way back": ("""
def network_forward(layers, X):
    for layer in layers:
        X = layer.forward(X)
    return X


def network_backward(layers, dscores):
    for layer in reversed(layers):
        dscores = layer.forward(dscores)
""", "network_backward: call each layer's backward once"),
}


@pytest.mark.parametrize("code, expected", WRONG_PASSES.values(), ids=WRONG_PASSES)
def test_06b_2_refuses_wrong_passes_a_learner_writes(code, expected):
    status, message = feedback(nb06b.q2, code)
    assert status == "wrong" and expected in message, message
    piece = expected.split(":")[0]
    assert store.read(piece)[0].startswith("failed"), "a wrong pass is never used"


def test_06b_2_accepts_a_backward_pass_written_with_indices_and_saves_it():
    code = nb06b.q2.solution_code.replace(
        "    for layer in reversed(layers):\n        dscores = layer.backward(dscores)",
        "    for position in range(len(layers) - 1, -1, -1):\n        dscores = layers[position].backward(dscores)")
    status, message = feedback(nb06b.q2, code)
    assert code != nb06b.q2.solution_code and status == "correct" and "Saved to your library" in message, message


def test_06b_3_the_symmetry_exercise_names_each_mistake():
    q3 = nb06b.q3
    assert q3.feedback(["normal", "xavier", "he"])[0] == "correct"
    assert "stay identical" in q3.feedback(["zeros", "xavier", "he", "normal"])[1]
    assert "tiny" in q3.feedback(["xavier", "he"])[1]
    assert "he also draws random" in q3.feedback(["normal", "xavier"])[1]
    assert "not in the list" in q3.feedback(["ones"])[1]
    assert q3.feedback(...)[0] == "unanswered"


INITIALIZERS = nb06b.q4.solution_code


@pytest.mark.parametrize("old, new, expected", [
    ("np.sqrt(6.0 / (n_inputs + n_units))", "6 / (n_inputs + n_units)", "xavier: your limit has no square root"),
    ("np.sqrt(6.0 / (n_inputs + n_units))", "np.sqrt(6 / n_inputs)",
     "xavier: the limit counts the inputs and the units"),
    ("rng.uniform(-limit, limit,", "rng.uniform(0, limit,", "xavier: your weights are all positive"),
    ("rng.uniform(-limit, limit, size=(n_inputs, n_units))",
     "rng.normal(0, np.sqrt(2 / (n_inputs + n_units)), size=(n_inputs, n_units))",
     "xavier: some of your weights lie outside +-sqrt(6 / (64 + 32)) = 0.250"),
    ("rng.uniform(-limit, limit, size=(n_inputs, n_units))", "np.random.uniform(-limit, limit, (n_inputs, n_units))",
     "xavier: draw the weights from the generator rng that the function receives"),
    ("rng.uniform(-limit, limit, size=(n_inputs, n_units))", "rng.uniform(-limit, limit, size=(n_units, n_inputs)).T",
     "xavier: the right numbers, arranged differently: draw the whole matrix in one call"),
    ("limit = np.sqrt(6.0 / (n_inputs + n_units))\n    return rng.uniform(-limit, limit, size=(n_inputs, n_units))",
     "return rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))", "xavier: that is he's formula"),
    ("np.sqrt(2.0 / n_inputs)", "2 / n_inputs", "he: rng.normal's second argument is the standard deviation"),
    ("np.sqrt(2.0 / n_inputs)", "np.sqrt(2 / n_units)", "he: the spread depends on how many inputs each unit adds up"),
    ("np.sqrt(2.0 / n_inputs)", "np.sqrt(1 / n_inputs)", "he: the factor 2 makes up for ReLU"),
    ("rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))",
     "np.random.default_rng(0).normal(0, np.sqrt(2 / n_inputs), (n_inputs, n_units))",
     "he: draw the weights from the generator rng"),
    ("rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))",
     "np.array([rng.normal(0, np.sqrt(2 / n_inputs), n_inputs) for unit in range(n_units)]).T",
     "he: the right numbers, arranged differently"),
])
def test_06b_4_names_each_typical_initialisation_mistake(old, new, expected):
    assert old in INITIALIZERS
    status, message = feedback(nb06b.q4, INITIALIZERS.replace(old, new))
    assert status == "wrong" and message.startswith(expected), message


def test_06b_4_a_wrong_initialiser_is_marked_failed_and_a_transposed_one_gets_the_pieces_shape_check():
    status, message = feedback(nb06b.q4, INITIALIZERS.replace("np.sqrt(2.0 / n_inputs)", "2 / n_inputs"))
    assert status == "wrong" and [store.read(piece)[0].startswith("failed") for piece in ("xavier", "he")] == [True] * 2
    transposed = INITIALIZERS.replace("size=(n_inputs, n_units))\n\n", "size=(n_units, n_inputs))\n\n")
    status, message = feedback(nb06b.q4, transposed)
    assert status == "wrong" and message.startswith(
        "xavier: xavier(64, 32, rng) should have shape (64, 32), but yours has shape (32, 64).")
    assert store.read("xavier")[0].startswith("failed") and store.read("he")[0] == "passed"


def test_06b_4_initialisers_written_differently_but_drawing_the_same_numbers_are_accepted():
    code = INITIALIZERS.replace("rng.uniform(-limit, limit, size=(n_inputs, n_units))",
                                "limit * (2 * rng.random((n_inputs, n_units)) - 1)")
    code = code.replace("rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_units))",
                        "math.sqrt(2 / n_inputs) * rng.standard_normal((n_inputs, n_units))")
    assert feedback(nb06b.q4, "import math\n" + code)[0] == "correct"


WRONG_INITIALISERS = {  # each written whole, as a learner would, with one slip: the words the feedback must say
    "xavier with sqrt(1 / n_inputs)": ("""
def xavier(n_inputs, n_units, rng):
    limit = np.sqrt(1 / n_inputs)
    return rng.uniform(-limit, limit, size=(n_inputs, n_units))


def he(n_inputs, n_units, rng):
    return rng.normal(0, np.sqrt(2 / n_inputs), size=(n_inputs, n_units))
""", "xavier: your weights are 0.5 times nnlib's: check the limit."),
    "he with n_units": ("""
def xavier(n_inputs, n_units, rng):
    limit = np.sqrt(6 / (n_inputs + n_units))
    return rng.uniform(-limit, limit, (n_inputs, n_units))


def he(n_inputs, n_units, rng):
    std = np.sqrt(2 / n_units)
    return rng.normal(0, std, (n_inputs, n_units))
""", "he: the spread depends on how many inputs each unit adds up"),
    "np.random instead of rng": ("""
def xavier(n_inputs, n_units, rng):
    limit = np.sqrt(6 / (n_inputs + n_units))
    return np.random.uniform(-limit, limit, size=(n_inputs, n_units))


def he(n_inputs, n_units, rng):
    return np.random.randn(n_inputs, n_units) * np.sqrt(2 / n_inputs)
""", "xavier: draw the weights from the generator rng that the function receives"),
    "xavier from a normal distribution": ("""
def xavier(n_inputs, n_units, rng):
    std = np.sqrt(2 / (n_inputs + n_units))
    return rng.normal(0, std, size=(n_inputs, n_units))


def he(n_inputs, n_units, rng):
    return rng.normal(0, np.sqrt(2 / n_inputs), size=(n_inputs, n_units))
""", "xavier: some of your weights lie outside +-sqrt(6 / (64 + 32))"),
    "he's square root misplaced": ("""
def xavier(n_inputs, n_units, rng):
    limit = np.sqrt(6 / (n_inputs + n_units))
    return rng.uniform(-limit, limit, size=(n_inputs, n_units))


def he(n_inputs, n_units, rng):
    return rng.standard_normal((n_inputs, n_units)) * np.sqrt(2) / n_inputs
""", "he: your weights are 0.125 times nnlib's: check the standard deviation."),
    "xavier with n_inputs * n_units": ("""
def xavier(n_inputs, n_units, rng):
    limit = np.sqrt(6 / (n_inputs * n_units))
    return rng.uniform(-limit, limit, size=(n_inputs, n_units))


def he(n_inputs, n_units, rng):
    return rng.normal(0, np.sqrt(2 / n_inputs), size=(n_inputs, n_units))
""", "xavier: your weights are 0.217 times nnlib's: check the limit."),
}


@pytest.mark.parametrize("code, expected", WRONG_INITIALISERS.values(), ids=WRONG_INITIALISERS)
def test_06b_4_refuses_wrong_initialisers_a_learner_writes(code, expected):
    status, message = feedback(nb06b.q4, code)
    assert status == "wrong" and message.startswith(expected.split(":")[0] + ": ") and expected in message, message
    assert store.read(expected.split(":")[0])[0].startswith("failed"), "a wrong initialiser is never used"
