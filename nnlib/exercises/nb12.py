"""Exercises for notebook 12 (R's nnet and the L2 scale): names across libraries, L2 scales, carrying a strength to
more data, where the line blurs."""
import numbers

from .framework import Exercise, relative_difference
from .sorting import sorting_exercise

L2, BATCH_SIZE, N_TRAIN = 1e-3, 32, 1079

LIBRARY_NAMES = {
    "alpha": ("hyperparameter", "scikit-learn's L2 strength, a constructor argument (not a step size)."),
    "coefs_": ("parameter", "it ends in an underscore: the weight matrices that fit() learned."),
    "random_state": ("neither", "scikit-learn's seed, like set.seed in R: a setting of the experiment. Choosing it "
                                "on the validation set would fit noise."),
    "loss_curve_": ("neither", "the training loss after each epoch, recorded by fit(): the underscore means 'set by "
                               "fit', not 'learned'. A measurement of the run, not a value of the model."),
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
    intro='Answer "parameter", "hyperparameter" or "neither" for each name (scikit-learn, PyTorch, R nnet, SVM).',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Does training compute it from the training data for the model to use (a parameter), or is it set before "
           "training and steers what training learns (a hyperparameter)? Otherwise: neither.",
           "Four are parameters: coefs_, model.parameters(), wts and dual_coef_; two are neither."],
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
OLD_DECAY, OLD_N, NEW_N = 0.5, 500, 2000


def _near(value, target):
    return relative_difference(value, target) < 1e-6


def _check_transfer(decay, alpha):
    for name, value in (("decay", decay), ("alpha", alpha)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return f"{name} should be one number; got {value!r}."
    l2 = 2 * OLD_DECAY / OLD_N  # nnlib's per-sample strength: decay = l2 * n / 2, read backwards
    expected_decay, expected_alpha = l2 * NEW_N / 2, l2 * NEW_N
    if not _near(decay, expected_decay):
        if _near(decay, OLD_DECAY):
            return ("decay: nnet adds decay * sum(w**2) to the SUM of the losses over all cases; with 4 times the "
                    "cases that sum is 4 times larger, so the same strength needs a 4 times larger decay.")
        if _near(decay, OLD_DECAY * OLD_N / NEW_N):
            return "decay: upside down. More cases make nnet's summed loss larger, so decay must grow, not shrink."
        if _near(decay, l2):
            return "decay: that is nnlib's l2 = 2 * 0.5 / 500; nnet's decay for 2,000 cases is l2 * 2000 / 2."
        if _near(decay, 2 * expected_decay):
            return "decay: nnet has no 1/2 in front of its penalty, nnlib has: decay = l2 * n / 2, so halve it."
        return f"decay: undo the old conversion first, l2 = 2 * decay / n = {l2:g}; then decay = l2 * 2000 / 2."
    if not _near(alpha, expected_alpha):
        if _near(alpha, l2):
            return ("alpha: scikit-learn divides its penalty by the number of samples in a batch, and lbfgs takes "
                    "all 2,000 at once: alpha = l2 * 2000.")
        if _near(alpha, l2 * min(200, NEW_N)):
            return ("alpha: 200 is batch_size's default, but solver='lbfgs' uses no mini-batches: its batch is the "
                    "whole training set, 2,000 cases.")
        if _near(alpha, l2 * OLD_N):
            return "alpha: the new model trains on 2,000 cases, not 500: alpha = l2 * 2000."
        if _near(alpha, expected_decay):
            return ("alpha: that is nnet's decay. scikit-learn writes its penalty (alpha / 2) * sum(W**2) / n, with "
                    "a 1/2 nnet does not have: alpha = l2 * n, twice the decay.")
        return f"alpha: expected l2 * n = {l2:g} * 2000 for solver='lbfgs' (all cases in one batch)."
    return None


q3 = Exercise(
    id="12.3",
    title="carry an L2 strength to more data",
    answers=("decay", "alpha"),
    placeholder='''
# Exercise 12.3: carry an L2 strength to more data
# A colleague chose decay = 0.5 for nnet on 500 training cases. With 2,000 cases she wants the same strength per
# case. Which decay should nnet get, and which alpha does MLPClassifier(solver="lbfgs") need on those 2,000 cases?
decay = ...
alpha = ...
''',
    solution='''
# Exercise 12.3: carry an L2 strength to more data
# nnlib's l2 is per case: l2 = 2 * decay / n = 2 * 0.5 / 500 = 0.002; lbfgs takes all n cases as one batch.
decay = (2 * 0.5 / 500) * 2000 / 2  # 2.0
alpha = (2 * 0.5 / 500) * 2000      # 4.0
''',
    checker=_check_transfer,
    hints=["Go through nnlib's l2, which does not depend on the number of cases: l2 = 2 * decay / n.",
           "decay = l2 * n / 2 for nnet; alpha = l2 * batch_size for scikit-learn, and solver='lbfgs' has one batch "
           "of all n cases."],
    points=2,
)


# --- 12.4 -----------------------------------------------------------------------------
BLUR_NAMES = {
    "lambda_": ("parameter", "BayesianRidge computes it from the training data during fit (evidence maximisation): "
                             "by the rule's first question it is learned, although Ridge and nnlib choose the same "
                             "kind of number on the validation set."),
    "n_iter_": ("neither", "how many rounds of evidence maximisation fit ran: set by fit (the underscore), but a "
                           "record of the run, not a value of the model, unlike lambda_, which shapes coef_."),
    "degree": ("hyperparameter", "you chose 12 before fitting; BayesianRidge learns the penalty, not the features."),
    "alpha_1": ("hyperparameter", "a constructor argument set before fit (the shape of the prior over the noise "
                                  "precision): it steers what fit learns, a parameter of a prior over parameters."),
}

q4 = sorting_exercise(
    "12.4", "where the line blurs", BLUR_NAMES,
    intro='For the BayesianRidge fitted above, answer "parameter" (learned from the training data),\n'
          '"hyperparameter" or "neither".',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Ask the rule's first question: does fit compute it from the training data?",
           "lambda_ ends in an underscore and appears only after fit; alpha_1 is passed to the constructor; "
           "n_iter_ ends in an underscore too, but it only counts the rounds fit ran."],
)
