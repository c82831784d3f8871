"""BoundaryPlot: the image shows the model's probabilities on the right grid, updates in place."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.layers import sigmoid  # noqa: E402
from nnlib.plots.boundary import CLASS_COLORS, BoundaryPlot, plot_decision_boundary, plot_unit_lines  # noqa: E402

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 2)) * [2.0, 10.0] + [40.0, 200.0]
Y = (X[:, 0] - 40 + (X[:, 1] - 200) / 5 > 0).astype(int)
W, B = np.array([1.0, 0.2]), -80.0


def linear_proba(points):
    """P(class 1) of a fixed logistic model, (m, 2) -> (m,)."""
    return sigmoid(points @ W + B)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_grid_covers_the_data_with_padding(ax):
    plot = BoundaryPlot(ax, X, Y, resolution=30, padding=0.1)
    assert plot.grid_points.shape == (900, 2)
    span = X.max(axis=0) - X.min(axis=0)
    np.testing.assert_allclose(plot.grid_points.min(axis=0), X.min(axis=0) - 0.1 * span)
    np.testing.assert_allclose(plot.grid_points.max(axis=0), X.max(axis=0) + 0.1 * span)
    assert ax.get_xlim() == pytest.approx((plot.x_grid[0], plot.x_grid[-1]))


def test_two_class_image_is_the_probability_of_class_1(ax):
    plot = BoundaryPlot(ax, X, Y, resolution=25)
    probabilities = plot.update(linear_proba)
    assert probabilities.shape == (25, 25)
    # Row r, column c of the image is the grid point (x_grid[c], y_grid[r]).
    expected = sigmoid(plot.x_grid[None, :] * W[0] + plot.y_grid[:, None] * W[1] + B)
    np.testing.assert_allclose(probabilities, expected, rtol=1e-12)
    np.testing.assert_allclose(plot.image.get_array(), expected, rtol=1e-12)
    assert len(plot.boundaries) == 1  # the 0.5 line crosses the plot


@pytest.mark.parametrize("as_columns", [lambda p: np.column_stack([1 - p, p]), lambda p: p.reshape(-1, 1)])
def test_probabilities_may_come_as_columns(ax, as_columns):
    plot = BoundaryPlot(ax, X, Y, resolution=20)
    reference = plot.update(linear_proba).copy()
    np.testing.assert_allclose(plot.update(lambda points: as_columns(linear_proba(points))), reference)


def test_the_boundary_line_lies_where_the_probability_is_one_half(ax):
    plot = BoundaryPlot(ax, X, Y, resolution=60)
    plot.update(linear_proba)
    vertices = np.concatenate([path.vertices for path in plot.boundaries[0].get_paths()])
    np.testing.assert_allclose(vertices @ W + B, 0, atol=0.05)


def test_update_reuses_the_image_and_replaces_the_boundary(ax):
    plot = BoundaryPlot(ax, X, Y, resolution=20)
    image = plot.image
    plot.update(linear_proba)
    n_collections = len(ax.collections)
    for shift in (-1.0, 0.0, 1.0):
        plot.update(lambda points, s=shift: sigmoid(points @ W + B + s))
    assert plot.image is image and len(ax.images) == 1
    assert len(ax.collections) == n_collections, "old boundary lines are removed, not piled up"


def test_no_boundary_when_one_class_wins_everywhere(ax):
    plot = BoundaryPlot(ax, X, Y, resolution=20)
    plot.update(lambda points: np.full(len(points), 0.9))
    assert plot.boundaries == []


def test_points_are_drawn_per_class(ax):
    plot = BoundaryPlot(ax, X, Y, class_names=["Adelie", "Gentoo"])
    for k, scatter in enumerate(plot.scatters):
        np.testing.assert_allclose(scatter.get_offsets(), X[Y == k])
        assert scatter.get_label() == ["Adelie", "Gentoo"][k]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Adelie", "Gentoo", "decision boundary"]


def test_set_data_moves_points_and_grid(ax):
    plot = BoundaryPlot(ax, X, Y, resolution=10)
    X_new = X[:10] * 2
    plot.set_data(X_new, Y[:10])
    np.testing.assert_allclose(np.concatenate([s.get_offsets() for s in plot.scatters]),
                               np.concatenate([X_new[Y[:10] == k] for k in (0, 1)]))
    assert plot.grid_points[:, 0].min() < X_new[:, 0].min() and plot.grid_points[:, 0].max() > X_new[:, 0].max()


def test_several_classes_colour_the_likeliest_class(ax):
    y3 = np.arange(len(X)) % 3
    plot = BoundaryPlot(ax, X, y3, resolution=12)

    def proba(points):
        scores = np.column_stack([points[:, 0] - 40, -(points[:, 0] - 40), (points[:, 1] - 200) / 5])
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    probabilities = plot.update(proba)
    assert probabilities.shape == (12, 12, 3)
    rgb = plot.image.get_array()
    assert rgb.shape == (12, 12, 3)
    winner = probabilities.argmax(axis=2)
    assert set(np.unique(winner)) == {0, 1, 2}
    # A pixel is pure white only when the model is at chance; confident pixels take their class's hue.
    confident = probabilities.max(axis=2) > 0.95
    assert confident.any()
    colours = np.array([matplotlib.colors.to_rgb(c) for c in CLASS_COLORS[:3]])
    r, c = np.argwhere(confident)[0]
    k = winner[r, c]
    direction = 1 - colours[k]
    darkening = 1 - rgb[r, c]
    np.testing.assert_allclose(darkening / np.linalg.norm(darkening), direction / np.linalg.norm(direction), atol=1e-9)
    assert len(plot.boundaries) == 3


def test_learner_mistakes_get_clear_messages(ax):
    with pytest.raises(ValueError, match="two features"):
        BoundaryPlot(ax, np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="one label per row"):
        BoundaryPlot(ax, X, Y[:-1])
    with pytest.raises(ValueError, match="resolution"):
        BoundaryPlot(ax, X, Y, resolution=1)
    plot = BoundaryPlot(ax, X, Y, resolution=10)
    with pytest.raises(ValueError, match=r"returned shape \(100, 3\), expected"):
        plot.update(lambda points: np.ones((len(points), 3)) / 3)
    with pytest.raises(ValueError, match="diverged"):
        plot.update(lambda points: np.full(len(points), np.nan))


def test_plot_decision_boundary_makes_its_own_axes():
    plot = plot_decision_boundary(linear_proba, X, Y, colorbar=True, class_names=["a", "b"])
    assert plot.probabilities.shape == (100, 100)
    assert any(a.get_ylabel() == "P(b)" for a in plot.ax.figure.axes)
    plt.close(plot.ax.figure)


def test_unit_lines_are_where_each_units_sum_is_zero(ax):
    weights = np.array([[1.0, 0.0, 2.0], [1.0, 3.0, -1.0]])
    biases = np.array([0.5, -1.0, 0.0])
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    lines = plot_unit_lines(ax, weights, biases)
    assert len(lines) == 3
    for j, line in enumerate(lines):
        x, y = line.get_data()
        np.testing.assert_allclose(weights[0, j] * np.asarray(x) + weights[1, j] * np.asarray(y) + biases[j], 0,
                                   atol=1e-12)
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-2, 2)
    # Each line carries its name, on the line and inside the Axes: the units are not told apart by colour alone.
    assert [text.get_text() for text in ax.texts] == ["unit 1", "unit 2", "unit 3"]
    for j, text in enumerate(ax.texts):
        x, y = text.get_position()
        assert -2 <= x <= 2 and -2 <= y <= 2
        assert weights[0, j] * x + weights[1, j] * y + biases[j] == pytest.approx(0, abs=1e-9)
    with pytest.raises(ValueError, match="two features"):
        plot_unit_lines(ax, np.ones((3, 2)), np.ones(2))
