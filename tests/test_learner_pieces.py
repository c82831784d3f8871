"""nnlib/learner/pieces.py: each piece's own check says what to try, in one sentence."""
from exercise_code import define

from nnlib.exercises.pieces import SOLUTIONS
from nnlib.learner.pieces import check_piece
from nnlib.train import epoch_order

SOFTMAX_OF_P = '''
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    dscores = P.copy()
    dscores[np.arange(n), y] -= 1
    return -np.mean(np.log(P[np.arange(n), y])), dscores / n
'''


def test_a_softmax_that_subtracts_the_maximum_but_takes_the_log_of_an_underflowed_p_is_told_to_take_the_log_first():
    message = check_piece("softmax_cross_entropy", define(SOFTMAX_OF_P)["softmax_cross_entropy"])
    assert message == ("the loss for scores as large as 1000 (subtract each row's maximum, and take the log before "
                       "dividing: log P = shifted - log of the row's sum of exp(shifted)) holds NaN or infinite values "
                       "where nnlib's has finite ones.")


def test_a_softmax_that_does_not_subtract_the_maximum_gets_the_same_hint():
    unshifted = SOFTMAX_OF_P.replace("scores - scores.max(axis=1, keepdims=True)", "scores")
    message = check_piece("softmax_cross_entropy", define(unshifted)["softmax_cross_entropy"])
    assert "for scores as large as 1000 (subtract each row's maximum, and take the log before dividing" in message


def test_a_loop_that_steps_the_parameters_itself_instead_of_calling_the_optimiser_is_refused():
    code = SOLUTIONS["train"].replace("optimizer.step(params, list(network.gradients().values()), learning_rate)",
                                      "[p.__isub__(learning_rate * g) for p, g in zip(params, "
                                      "network.gradients().values())]")
    assert code != SOLUTIONS["train"]
    problem = check_piece("train", define(code, epoch_order=epoch_order)["train"])
    assert problem.endswith("let optimizer.step(params, grads, learning_rate) update the parameters.")


def test_a_piece_returning_nan_is_told_so_not_given_a_nan_distance():
    problem = check_piece("relu_forward", define("def relu_forward(x):\n    return x * np.nan\n")["relu_forward"])
    assert problem == "relu_forward(x) holds NaN or infinite values where nnlib's has finite ones."
