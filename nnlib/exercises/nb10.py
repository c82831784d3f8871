"""Exercises for notebook 10 (beyond nnlib): scikit-learn's parameters, names across libraries, L2 scales."""
from .checks import Exercise, relative_difference
from ..network import parameter_count
from ._common import check_sorting

N_FEATURES, HIDDEN_LAYERS, N_CLASSES = 64, (32,), 10
N_WEIGHTS = N_FEATURES * 32 + 32 * N_CLASSES
N_BIASES = 32 + N_CLASSES
L2, BATCH_SIZE, N_TRAIN = 1e-3, 32, 1079


def _check_count(n_parameters):
    n = float(n_parameters)
    expected = parameter_count(N_FEATURES, HIDDEN_LAYERS, N_CLASSES)
    if n == expected:
        return None
    if n == N_WEIGHTS:
        return "that counts only coefs_ (the weights); the intercepts_ (biases) are learned too — add their sizes."
    if n == N_BIASES:
        return "that counts only intercepts_ (the biases); add the sizes of the weight matrices in coefs_."
    if n in (2, 4):
        return "that is how many arrays there are (len); count the numbers inside them with .size."
    if n == N_FEATURES * 32 + 32:
        return "that is the hidden layer only; the output layer (coefs_[1], intercepts_[1]) has parameters too."
    return f"expected {expected:,}: add w.size for every w in coefs_ and b.size for every b in intercepts_."


q1 = Exercise(
    id="10.1",
    title="count scikit-learn's parameters",
    answers=("n_parameters",),
    placeholder='''
# Exercise 10.1: count scikit-learn's parameters
# Count every number mlp_sklearn learned, from its coefs_ and intercepts_ (lists of arrays).
n_parameters = ...
''',
    solution='''
# Exercise 10.1: count scikit-learn's parameters
n_parameters = sum(w.size for w in mlp_sklearn.coefs_) + sum(b.size for b in mlp_sklearn.intercepts_)
''',
    checker=_check_count,
    hints=["coefs_ is a list with one weight matrix per layer; intercepts_ one bias vector per layer.",
           "sum(w.size for w in mlp_sklearn.coefs_) counts the weights; do the same for the biases and add."],
    points=1,
)

LIBRARY_NAMES = {
    "hidden_layer_sizes": ("hyperparameter", "scikit-learn's architecture argument, chosen before fit."),
    "alpha": ("hyperparameter", "scikit-learn's L2 strength, a constructor argument (not a step size)."),
    "coefs_": ("parameter", "it ends in an underscore: the weight matrices that fit() learned."),
    "lr": ("hyperparameter", "PyTorch's step size, given to the optimiser, never changed by it."),
    "weight_decay": ("hyperparameter", "PyTorch's L2 strength, given to the optimiser."),
    "model.parameters()": ("parameter", "in PyTorch these are the weight and bias tensors that optimizer.step() "
                                        "updates."),
    "size": ("hyperparameter", "the number of hidden units in R's nnet: architecture, chosen by you."),
    "decay": ("hyperparameter", "nnet's weight decay (L2) strength, chosen by you."),
    "wts": ("parameter", "the fitted weights and biases of an nnet model."),
    "C": ("hyperparameter", "an SVM's regularisation knob, set before fitting and compared on validation data."),
    "dual_coef_": ("parameter", "the SVM's learned coefficients of its support vectors (note the underscore)."),
}


q2 = Exercise(
    id="10.2",
    title="the same split in other libraries",
    answers=("kinds",),
    placeholder='''
# Exercise 10.2: the same split in other libraries
# Answer "parameter" or "hyperparameter" for each name (scikit-learn, PyTorch, R nnet, SVM).
kinds = {
    "hidden_layer_sizes": ...,
    "alpha": ...,
    "coefs_": ...,
    "lr": ...,
    "weight_decay": ...,
    "model.parameters()": ...,
    "size": ...,
    "decay": ...,
    "wts": ...,
    "C": ...,
    "dual_coef_": ...,
}
''',
    solution='''
# Exercise 10.2: the same split in other libraries
kinds = {
    "hidden_layer_sizes": "hyperparameter",
    "alpha": "hyperparameter",
    "coefs_": "parameter",
    "lr": "hyperparameter",
    "weight_decay": "hyperparameter",
    "model.parameters()": "parameter",
    "size": "hyperparameter",
    "decay": "hyperparameter",
    "wts": "parameter",
    "C": "hyperparameter",
    "dual_coef_": "parameter",
}
''',
    checker=lambda kinds: check_sorting(kinds, LIBRARY_NAMES),
    hints=["Was it passed in before training (a constructor or optimiser argument), or produced by training?",
           "Four are parameters: coefs_, model.parameters(), wts and dual_coef_."],
    points=2,
)


def _check_l2(alpha, decay):
    alpha, decay = float(alpha), float(decay)
    expected_alpha, expected_decay = L2 * BATCH_SIZE, L2 * N_TRAIN / 2
    problems = []
    if relative_difference(alpha, expected_alpha) > 1e-6:
        if relative_difference(alpha, L2) < 1e-6:
            problems.append("alpha: scikit-learn divides its penalty by the number of samples in the mini-batch, "
                            "so alpha must be batch_size times larger than l2.")
        elif relative_difference(alpha, L2 * N_TRAIN) < 1e-6:
            problems.append("alpha: l2 * n_train would be right for solver='lbfgs' (all samples in one batch); "
                            "with solver='sgd' scikit-learn divides by the mini-batch size, batch_size.")
        elif relative_difference(alpha, L2 / BATCH_SIZE) < 1e-6:
            problems.append("alpha: upside down — scikit-learn divides alpha by the batch size, so multiply.")
        else:
            problems.append(f"alpha: expected l2 * batch_size = {expected_alpha:g}.")
    if relative_difference(decay, expected_decay) > 1e-6:
        if relative_difference(decay, L2 * N_TRAIN) < 1e-6:
            problems.append("decay: nnet adds decay * sum(w**2) with no 1/2 in front, while nnlib adds "
                            "(l2 / 2) * sum(W**2); halve it.")
        elif relative_difference(decay, L2) < 1e-6 or relative_difference(decay, L2 / 2) < 1e-6:
            problems.append("decay: nnet adds its penalty to the SUM of the losses over all training cases, "
                            "not the mean, so decay must grow with n_train.")
        else:
            problems.append(f"decay: expected l2 * n_train / 2 = {expected_decay:g}.")
    return " ".join(problems) or None


q3 = Exercise(
    id="10.3",
    title="the same L2 strength in three libraries",
    answers=("alpha", "decay"),
    placeholder='''
# Exercise 10.3: the same L2 strength in three libraries
# nnlib trained with l2 = 1e-3, batch_size = 32 on n_train = 1079 images.
# Which alpha gives scikit-learn (solver="sgd") the same weight penalty per step,
# and which decay gives R's nnet the same penalty relative to its loss?
l2, batch_size, n_train = 1e-3, 32, 1079
alpha = ...
decay = ...
''',
    solution='''
# Exercise 10.3: the same L2 strength in three libraries
l2, batch_size, n_train = 1e-3, 32, 1079
alpha = l2 * batch_size
decay = l2 * n_train / 2
''',
    checker=_check_l2,
    hints=["Write each library's penalty next to its loss as 'mean loss + something * sum(w**2)' and match the "
           "'something' to nnlib's l2 / 2.",
           "scikit-learn: (alpha / 2) * sum(W**2) / batch_size. nnet: sum of losses + decay * sum(w**2) = "
           "n_train * (mean loss + (decay / n_train) * sum(w**2))."],
    points=2,
)


# --- 10.4 -----------------------------------------------------------------------------
BLUR_NAMES = {
    "lambda_": ("parameter", "BayesianRidge computes it from the training data during fit (evidence maximisation): "
                             "by the rule's first question it is learned, although Ridge and nnlib choose the same "
                             "kind of number on the validation set."),
    "coef_": ("parameter", "the weights of the polynomial, learned by fit like any other model's."),
    "degree": ("hyperparameter", "you chose 12 before fitting; BayesianRidge learns the penalty, not the features."),
    "alpha_1": ("hyperparameter", "a constructor argument set before fit (the shape of the prior over the noise "
                                  "precision): it steers what fit learns, a parameter of a prior over parameters."),
}

q4 = Exercise(
    id="10.4",
    title="where the line blurs",
    answers=("kinds",),
    placeholder='''
# Exercise 10.4: where the line blurs
# For the BayesianRidge fitted above, answer "parameter" (learned from the training data) or "hyperparameter".
kinds = {"lambda_": ..., "coef_": ..., "degree": ..., "alpha_1": ...}
''',
    solution='''
# Exercise 10.4: where the line blurs
kinds = {"lambda_": "parameter", "coef_": "parameter", "degree": "hyperparameter", "alpha_1": "hyperparameter"}
''',
    checker=lambda kinds: check_sorting(kinds, BLUR_NAMES),
    hints=["Ask the rule's first question: does fit compute it from the training data?",
           "lambda_ ends in an underscore and appears only after fit; alpha_1 is passed to the constructor."],
)
