"""nnlib/learner/pieces.py: each piece's own check says what to try, in one sentence."""
from exercise_code import define

from nnlib.learner.pieces import check_piece

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
    assert message.startswith("the loss for scores as large as 1000 (subtract each row's maximum, and take the log "
                              "before dividing: log P = shifted - log of the row's sum of exp(shifted)) differs from "
                              "nnlib's"), message
    assert message.count(". ") == 0 and message.endswith(").")


def test_a_softmax_that_does_not_subtract_the_maximum_gets_the_same_hint():
    unshifted = SOFTMAX_OF_P.replace("scores - scores.max(axis=1, keepdims=True)", "scores")
    message = check_piece("softmax_cross_entropy", define(unshifted)["softmax_cross_entropy"])
    assert "for scores as large as 1000 (subtract each row's maximum, and take the log before dividing" in message
