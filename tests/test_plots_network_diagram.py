"""NetworkDiagram: one line per weight, styled by size and sign, restyled in place."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

import nnlib  # noqa: E402
from nnlib.plots.network_diagram import (  # noqa: E402
    NEGATIVE,
    NEGATIVE_STYLE,
    POSITIVE,
    POSITIVE_STYLE,
    WEIGHT_ALPHA,
    NetworkDiagram,
    plot_weight_matrix,
)


@pytest.fixture
def ax():
    fig, ax = plt.subplots(figsize=(7, 4.5))
    yield ax
    plt.close(fig)


def weights_of(hidden_layers, seed=0):
    model = nnlib.MLP(hidden_layers=hidden_layers, seed=seed).build(n_features=2, n_outputs=3)
    return model.weights_, model.biases_


def test_one_segment_per_weight_from_unit_to_unit(ax):
    weights, biases = weights_of((4, 5))
    diagram = NetworkDiagram(ax, weights, biases)
    segments = diagram.lines.get_segments()
    assert len(segments) == 2 * 4 + 4 * 5 + 5 * 3
    assert [len(p) for p in diagram.positions] == [2, 4, 5, 3]
    # Segment order follows np.concatenate([w.ravel() for w in weights]): layer, then row i, then column j.
    i, j = 1, 3
    start, end = segments[i * 4 + j]
    np.testing.assert_allclose(start, diagram.positions[0][i])
    np.testing.assert_allclose(end, diagram.positions[1][j])
    start, end = segments[2 * 4 + 2 * 5 + 4]  # layer 2, unit 2 -> unit 4
    np.testing.assert_allclose(start, diagram.positions[1][2])
    np.testing.assert_allclose(end, diagram.positions[2][4])
    assert diagram.shapes == [(2, 4), (4, 5), (5, 3)]


def test_thickness_follows_size_and_colour_follows_sign(ax):
    weights = [np.array([[2.0, -1.0], [0.5, -2.0]]), np.array([[1.0], [0.0]])]
    diagram = NetworkDiagram(ax, weights, max_linewidth=4.0)
    values = np.concatenate([w.ravel() for w in weights])
    expected = 4.0 * np.abs(values) / 2.0 + 0.15  # the largest |w| = 2 gets the full width
    np.testing.assert_allclose(diagram.linewidths, expected)
    np.testing.assert_allclose(diagram.lines.get_linewidths(), expected)
    for value, colour in zip(values, diagram.lines.get_colors()):
        np.testing.assert_allclose(colour, to_rgba(POSITIVE if value >= 0 else NEGATIVE, WEIGHT_ALPHA))
    # The sign is also in the dashes (negative dashed), so it is not carried by colour alone.
    assert diagram.linestyles == [POSITIVE_STYLE if value >= 0 else NEGATIVE_STYLE for value in values]
    solid, dashed = diagram.lines.get_linestyles()[0], diagram.lines.get_linestyles()[1]
    assert solid[1] is None and dashed[1] is not None


def test_update_restyles_the_same_lines(ax):
    weights, biases = weights_of((3,))
    diagram = NetworkDiagram(ax, weights, biases, weight_scale=1.0)
    lines = diagram.lines
    doubled = [2 * w for w in weights]
    diagram.update(doubled, biases)
    assert diagram.lines is lines and len(ax.collections) == 2  # the lines and the units, nothing new
    values = np.concatenate([w.ravel() for w in doubled])
    scale_factor = diagram._linewidth_factor
    np.testing.assert_allclose(diagram.linewidths, 4.0 * scale_factor * np.clip(np.abs(values), 0, 1) + 0.15)


def test_biases_fill_the_units(ax):
    weights = [np.ones((2, 2)), np.ones((2, 1))]
    biases = [np.array([1.0, -1.0]), np.array([0.0])]
    diagram = NetworkDiagram(ax, weights, biases)
    input_1, input_2, positive, negative, zero = diagram.unit_colors
    np.testing.assert_allclose(input_1, input_2)
    assert input_1[0] == input_1[1] == input_1[2] < 1  # grey: inputs have no bias
    assert positive[2] > positive[0], "a positive bias is bluish"
    assert negative[0] > negative[2], "a negative bias is reddish"
    np.testing.assert_allclose(zero, [1, 1, 1, 1], atol=0.01)  # a zero bias is (nearly) white
    with pytest.raises(ValueError, match="biases must have sizes"):
        diagram.update(weights, [np.zeros(3), np.zeros(1)])


def test_new_architecture_needs_set_architecture(ax):
    diagram = NetworkDiagram(ax, *weights_of((3,)))
    with pytest.raises(ValueError, match="set_architecture"):
        diagram.update(weights_of((4,))[0])
    diagram.set_architecture(*weights_of((4, 4)))
    assert len(diagram.lines.get_segments()) == 2 * 4 + 4 * 4 + 4 * 3
    assert len(ax.collections) == 2, "the old lines and units were removed"
    assert len(ax.texts) == 4, "one label per layer, the old ones removed"


def test_labels_and_errors(ax):
    weights, _ = weights_of(())
    diagram = NetworkDiagram(ax, weights, input_labels=["x1", "x2"], output_labels=["a", "b", "c"])
    texts = [t.get_text() for t in ax.texts]
    assert "input\n2 features" in texts and "output\n3 units" in texts and "x1" in texts and "c" in texts
    assert diagram.shapes == [(2, 3)]
    with pytest.raises(ValueError, match="do not connect"):
        NetworkDiagram(ax, [np.ones((2, 3)), np.ones((4, 1))])
    with pytest.raises(ValueError, match="list of 2-D weight matrices"):
        NetworkDiagram(ax, [np.ones(3)])
    with pytest.raises(ValueError, match="layer_labels needs 2 entries"):
        NetworkDiagram(ax, weights, layer_labels=["only one"])


def test_weight_matrix_heatmap(ax):
    weights = np.array([[1.0, -3.0], [0.5, 2.0]])
    image = plot_weight_matrix(ax, weights, row_labels=["x1", "x2"], title="W1")
    np.testing.assert_allclose(image.get_array(), weights)
    assert image.get_clim() == (-3.0, 3.0), "symmetric colour scale, so 0 is white"
    assert [t.get_text() for t in ax.texts] == ["1.00", "-3.00", "0.50", "2.00"]
    assert ax.get_title() == "W1" and [t.get_text() for t in ax.get_yticklabels()] == ["x1", "x2"]
    with pytest.raises(ValueError, match="2-D"):
        plot_weight_matrix(ax, np.ones(3))
