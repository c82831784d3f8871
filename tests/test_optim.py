"""nnlib/optim.py: the optimisers -- SGD with momentum, Adam, and Custom, your own step function -- take the steps
they state, and a Custom step that would be lost is refused with what to do."""
import numpy as np
import pytest
from reference import least_squares, momentum_step

from nnlib import MLP, LinearRegression
from nnlib.datasets import make_moons
from nnlib.optim import Adam, Custom

X2, y2 = make_moons(40, seed=0)


def test_mini_batch_sgd_with_momentum_gets_close_to_least_squares(penguins_standardised):
    X, y = penguins_standardised
    model = LinearRegression(learning_rate=0.01, epochs=200, batch_size=16, momentum=0.9).fit(X, y)
    slope, intercept = least_squares(X, y)
    assert model.coef_[0] == pytest.approx(slope, rel=0.05)
    assert model.intercept_ == pytest.approx(intercept, rel=0.01)


def test_adam_steps_by_the_learning_rate_against_each_gradients_sign_whatever_its_size():
    """With a constant gradient the bias-corrected moments are g and g**2 at every step, so each step is
    learning_rate * g / |g| (up to eps): Adam's per-parameter step size."""
    p, adam = np.zeros(4), Adam()
    for _ in range(3):
        adam.step([p], [np.array([1e-3, 5.0, -200.0, 0.0])], 0.1)
    np.testing.assert_allclose(p, [-0.3, -0.3, 0.3, 0.0], rtol=1e-3)
    assert adam.t == 3


def test_a_custom_optimiser_trains_as_the_built_in_one_and_starts_fresh_each_fit():
    X, y = make_moons(120, noise=0.2, seed=0)
    settings = dict(hidden_layers=(8,), epochs=15, batch_size=16, lr_schedule="cosine", seed=0)
    mine = MLP(optimizer=Custom(momentum_step, momentum=0.8), **settings)
    first = mine.fit(X, y).history_.loss
    assert mine.fit(X, y).history_.loss == first, "every fit starts with an empty state"
    assert first == MLP(optimizer="sgd", momentum=0.8, **settings).fit(X, y).history_.loss
    assert mine.get_params()["optimizer"] == Custom(momentum_step, momentum=0.8) != Custom(momentum_step, momentum=0.5)
    assert mine.get_params()["optimizer"].state == {}, "the hyperparameter itself never holds training state"
    assert "optimizer=Custom(momentum_step, momentum=0.8)" in repr(mine)
    assert "Custom(momentum_step" in mine.summary_text()


def test_a_custom_optimiser_explains_what_it_needs():
    X, y = make_moons(40, seed=0)
    with pytest.raises(ValueError, match=r"Custom needs your step function itself.*without calling it"):
        Custom(None)  # what Custom(momentum_step(...)) passes: the result of calling the function
    def returns_new(params, grads, state, learning_rate):
        return [p - learning_rate * g for p, g in zip(params, grads)]
    with pytest.raises(ValueError, match=r"returned new arrays.*Update each array in place: p -= \.\.\."):
        MLP(hidden_layers=(3,), epochs=1, optimizer=Custom(returns_new)).fit(X, y)
    def replaces(params, grads, state, learning_rate):
        for i, (p, g) in enumerate(zip(params, grads)):
            params[i] = p - learning_rate * g
    with pytest.raises(ValueError, match="put new arrays into the list params"):
        MLP(hidden_layers=(3,), epochs=1, optimizer=Custom(replaces)).fit(X, y)
    def three_arguments(params, grads, state):
        pass
    with pytest.raises(TypeError) as error:
        MLP(hidden_layers=(3,), epochs=1, optimizer=Custom(three_arguments)).fit(X, y)
    assert "nnlib calls your step function as three_arguments(params, grads, state, learning_rate)" in \
        "\n".join(error.value.__notes__)
    with pytest.raises(ValueError, match="unknown optimizer 'momentum'. Choose one of: 'sgd', 'adam'"):
        MLP(optimizer="momentum").fit(X, y)


def rebinding_step(params, grads, state, learning_rate):
    for p, g in zip(params, grads):
        p = p - learning_rate * g  # rebinds the name p: the network's array stays as it was


def test_a_custom_step_that_rebinds_p_is_refused_at_the_first_step():
    with pytest.raises(ValueError, match=r"^rebinding_step changed no parameter although the gradients are not zero.*"
                                         r"Update each array in place: p -= \.\.\. or p\[\.\.\.\] = \.\.\., not p = p"):
        MLP(hidden_layers=(3,), epochs=1, optimizer=Custom(rebinding_step)).fit(X2, y2)
    Custom(rebinding_step).step([np.ones(2)], [np.zeros(2)], 0.1)  # zero gradients: standing still is right


def test_only_the_first_custom_step_is_checked():
    def first_step_only(params, grads, state, learning_rate):
        if not state:
            state["done"] = True
            for p, g in zip(params, grads):
                p -= learning_rate * g
    model = MLP(hidden_layers=(3,), epochs=3, batch_size=8, optimizer=Custom(first_step_only)).fit(X2, y2)
    assert model.history_.epochs == 3
