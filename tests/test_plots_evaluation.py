"""Confusion matrix and image grids: counts match an independent computation, plots show them."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix  # noqa: E402

import nnlib  # noqa: E402
from nnlib.plots.evaluation import confusion_matrix, plot_confusion_matrix, plot_misclassified, show_images  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_confusion_matrix_matches_scikit_learn():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, size=500)
    y_pred = np.where(rng.random(500) < 0.8, y_true, rng.integers(0, 10, size=500))
    matrix = confusion_matrix(y_true, y_pred)
    assert np.array_equal(matrix, sklearn_confusion_matrix(y_true, y_pred))
    assert matrix.sum() == 500 and matrix.trace() == np.sum(y_true == y_pred)
    assert matrix[3].sum() == np.sum(y_true == 3) and matrix[:, 3].sum() == np.sum(y_pred == 3)


def test_confusion_matrix_rows_are_true_classes_and_n_classes_pads():
    matrix = confusion_matrix([0, 0, 1], [0, 1, 1], n_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 0]]


@pytest.mark.parametrize("y_true, y_pred, n_classes, message", [
    ([0, 1, 2], [0, 1], None, "one prediction per true label"),
    ([0, 1], [0, 3], 3, "outside 0..2"),
    ([0, 1.5], [0, 1], None, "whole-number class labels"),
    (["cat", "dog"], [0, 1], None, "not class names"),
    ([[0, 1]], [[0, 1]], None, "1-D array"),
])
def test_confusion_matrix_learner_errors(y_true, y_pred, n_classes, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(y_true, y_pred, n_classes)


def test_plot_confusion_matrix_draws_the_counts():
    matrix = np.array([[5, 1, 0], [0, 7, 2], [1, 0, 9]])
    ax = plot_confusion_matrix(matrix, class_names=["a", "b", "c"], title="T", xlabel="predicted", ylabel="true")
    assert np.array_equal(ax.images[0].get_array(), matrix)
    written = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert ((1, 0), "1") in written and ((2, 2), "9") in written and len(written) == np.count_nonzero(matrix)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "predicted", "true")
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.ones((2, 3)))
    with pytest.raises(ValueError, match="class_names has 2 names"):
        plot_confusion_matrix(matrix, class_names=["a", "b"])


def test_show_images_reshapes_each_row():
    X, y = nnlib.load_digits()
    fig = show_images(X[:12], titles=y[:12], n_cols=5, title="digits")
    shown = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 15 and len(shown) == 12
    assert np.array_equal(shown[7].images[0].get_array(), X[7].reshape(8, 8))
    assert shown[7].get_title() == str(y[7]) and fig._suptitle.get_text() == "digits"
    with pytest.raises(ValueError, match=r"shape \(n_images, 64\)"):
        show_images(X[:3, :10])
    with pytest.raises(ValueError, match="titles has 2 entries for 3 images"):
        show_images(X[:3], titles=[1, 2])


def test_plot_misclassified_shows_exactly_the_wrong_ones():
    X, y = nnlib.load_digits()
    X, y = X[:50], y[:50]
    y_pred = y.copy()
    wrong = [3, 17, 40]
    y_pred[wrong] = (y[wrong] + 1) % 10
    fig = plot_misclassified(X, y, y_pred)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 3
    assert [ax.get_title() for ax in shown] == [f"{y[i]} → {y_pred[i]}" for i in wrong]
    assert np.array_equal(shown[1].images[0].get_array(), X[17].reshape(8, 8))
    assert "3 of 50" in fig._suptitle.get_text()
    fig = plot_misclassified(X, y, y_pred, max_images=2)
    assert "the first 2 shown" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="nothing misclassified"):
        plot_misclassified(X, y, y)
