"""Exercises for notebook 12 (R's nnet and the L2 scale): names across libraries, L2 scales, where the line blurs."""
import numbers

from .framework import Exercise, relative_difference
from .sorting import sorting_exercise

L2, BATCH_SIZE, N_TRAIN = 1e-3, 32, 1079

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


q1 = sorting_exercise(
    "12.1", "the same split in other libraries", LIBRARY_NAMES, points=2,
    intro='Answer "parameter" or "hyperparameter" for each name (scikit-learn, PyTorch, R nnet, SVM).',
    hints=["Does training compute it from the training data (a parameter), or is it set before training and steers "
           "what training learns (a hyperparameter)?",
           "Four are parameters: coefs_, model.parameters(), wts and dual_coef_."],
)


def _check_l2(alpha, decay):
    for name, value in (("alpha", alpha), ("decay", decay)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return f"{name} should be one number, computed from l2, batch_size and n_train; got {value!r}."
    expected_alpha, expected_decay = L2 * BATCH_SIZE, L2 * N_TRAIN / 2
    if relative_difference([alpha, decay], [expected_decay, expected_alpha]) < 1e-6:
        return "alpha and decay are swapped: scikit-learn's alpha grows with batch_size, nnet's decay with n_train."
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


q2 = Exercise(
    id="12.2",
    title="the same L2 strength in three libraries",
    answers=("alpha", "decay"),
    placeholder='''
# Exercise 12.2: the same L2 strength in three libraries
# nnlib trained with l2 = 1e-3, batch_size = 32 on n_train = 1079 images.
# Which alpha gives scikit-learn (solver="sgd") the same weight penalty per step,
# and which decay gives R's nnet the same penalty relative to its loss?
l2, batch_size, n_train = 1e-3, 32, 1079
alpha = ...
decay = ...
''',
    solution='''
# Exercise 12.2: the same L2 strength in three libraries
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


# --- 12.3 -----------------------------------------------------------------------------
BLUR_NAMES = {
    "lambda_": ("parameter", "BayesianRidge computes it from the training data during fit (evidence maximisation): "
                             "by the rule's first question it is learned, although Ridge and nnlib choose the same "
                             "kind of number on the validation set."),
    "coef_": ("parameter", "the weights of the polynomial, learned by fit like any other model's."),
    "degree": ("hyperparameter", "you chose 12 before fitting; BayesianRidge learns the penalty, not the features."),
    "alpha_1": ("hyperparameter", "a constructor argument set before fit (the shape of the prior over the noise "
                                  "precision): it steers what fit learns, a parameter of a prior over parameters."),
}

q3 = sorting_exercise(
    "12.3", "where the line blurs", BLUR_NAMES,
    intro='For the BayesianRidge fitted above, answer "parameter" (learned from the training data) or '
          '"hyperparameter".',
    hints=["Ask the rule's first question: does fit compute it from the training data?",
           "lambda_ ends in an underscore and appears only after fit; alpha_1 is passed to the constructor."],
)
