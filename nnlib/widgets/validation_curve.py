"""Degree and L2 sliders: a polynomial fitted on training data, judged on validation data.

``ValidationExplorer(X_train, y_train, X_val, y_val)`` fits a polynomial of the
chosen degree with the chosen L2 strength to the training data (closed form,
instantly) and shows the fitted curve, its training and validation error, and
both validation curves: error against degree and error against L2. The test
set is deliberately not an argument: it is used once, at the very end.
"""
import ipywidgets as widgets
import numpy as np

from ..features import polynomial_features
from ..input_checks import check_count
from ..plots import PALETTE, PERIWINKLE
from ..plots.validation import plot_curve, plot_split, plot_validation_curve
from .arguments import check_columns, check_range, check_target
from .base import NotebookWidget, describe, description_line
from .live_figure import BlittedFigure, freeze_layout

L2_VALUES = (0.0, *10.0 ** np.arange(-8, 0.01, 0.5))
ZERO_POSITION = 1e-9  # where L2 = 0 sits on the log axis (labelled "0")


def ridge_fit(features, y, l2):
    """The parameters that minimise nnlib's LinearRegression loss with an L2 penalty, in closed form.

    Loss: mean((features @ w + b - y)**2) + (l2 / 2) * sum(w**2), the intercept b not penalised.
    features (n, d), y (n,). Setting the gradient to zero gives, with centred data,
    (Xc^T Xc + (n * l2 / 2) I) w = Xc^T yc and b = mean(y) - mean(features) @ w; it is solved
    as a least-squares problem, which stays accurate for l2 = 0 and high degrees.
    Returns (w (d,), b).
    """
    n, d = features.shape
    x_mean, y_mean = features.mean(axis=0), y.mean()
    system = np.vstack([features - x_mean, np.sqrt(n * l2 / 2) * np.eye(d)])
    target = np.concatenate([y - y_mean, np.zeros(d)])
    w = np.linalg.lstsq(system, target, rcond=None)[0]
    return w, float(y_mean - x_mean @ w)


def nearest_l2(value):
    """The value in L2_VALUES (0 and half-decades from 1e-8 to 1) closest to ``value`` on a log scale."""
    if value < 0:
        raise ValueError(f"l2 must be >= 0, got {value!r}. Use 0 for no L2 regularisation.")
    if value < ZERO_POSITION:
        return 0.0
    positive = np.array(L2_VALUES[1:])
    return float(positive[np.argmin(np.abs(np.log10(positive) - np.log10(value)))])


def mean_squared_error(features, y, w, b):
    """mean((features @ w + b - y)**2) for features (n, d), y (n,)."""
    return float(np.mean((features @ w + b - y) ** 2))


class ValidationExplorer(NotebookWidget):
    """Degree and L2 sliders for a polynomial fitted on training data and scored on validation data.

    X_train (n, 1), y_train (n,), X_val (m, 1), y_val (m,). ``true_curve``: optional
    function drawn dashed (known only for toy data). After every change: ``coef_``
    (degree,) and ``intercept_`` are the fitted parameters, ``train_mse`` and
    ``val_mse`` their errors, ``degree_curve`` and ``l2_curve`` dicts of "train"/"val"
    error arrays over ``degrees`` and ``L2_VALUES``; ``description`` the three panels in words (a
    ``description_line``).
    """

    def __init__(self, X_train, y_train, X_val, y_val, degree=3, l2=0.0, max_degree=15, true_curve=None):
        self.x_train, self.y_train = _one_feature(X_train, y_train, "X_train", "y_train")
        self.x_val, self.y_val = _one_feature(X_val, y_val, "X_val", "y_val")
        max_degree = check_count("max_degree", max_degree)
        check_range("degree", degree, 1, max_degree, whole=True, hint="Raise max_degree for more.")
        check_range("l2", l2, 0, L2_VALUES[-1], hint="Values in between are rounded to the slider's steps.")
        if true_curve is not None and not callable(true_curve):
            raise TypeError(f"true_curve must be a function of x (e.g. np.sin) or None, got {true_curve!r}.")
        self.degrees = np.arange(1, max_degree + 1)
        self.degree = widgets.IntSlider(value=degree, min=1, max=max_degree, description="degree",
                                        tooltip="degree of the polynomial: it has degree + 1 parameters")
        self.l2 = widgets.SelectionSlider(options=[(f"{value:.2g}", value) for value in L2_VALUES],
                                          value=nearest_l2(l2),
                                          description="L2 strength", style={"description_width": "initial"},
                                          tooltip="L2 regularisation strength: the weight penalty's factor")
        self.description = description_line()
        low, high = min(self.x_train.min(), self.x_val.min()), max(self.x_train.max(), self.x_val.max())
        self.x_grid = np.linspace(low, high, 300)
        self._build_figure(true_curve)
        self.degree.observe(lambda change: self.update(), names="value")
        self.l2.observe(lambda change: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.degree, self.l2]), self.description, self.live.output])
        self.update()

    # --- drawing -----------------------------------------------------------------
    def _build_figure(self, true_curve):
        # A slider moves only the curves, markers and texts; data, axes and legends are drawn once.
        self.live = BlittedFigure(self._moving_artists, ncols=3, figsize=(14, 4.3))
        self.ax_fit, self.ax_degree, self.ax_l2 = self.live.axes
        plot_split(self.ax_fit, self.x_train[:, None], self.y_train, self.x_val[:, None], self.y_val)
        if true_curve is not None:
            self.ax_fit.plot(self.x_grid, true_curve(self.x_grid), color=PALETTE["black"], linestyle=":",
                             linewidth=1, label="true curve (unknown in practice)")
        self.fit_line = plot_curve(self.ax_fit, self.x_grid, np.zeros_like(self.x_grid), color=PERIWINKLE,
                                   label="fitted on training data", linewidth=2)
        self.ax_fit.legend(loc="lower right", fontsize=7)
        self.scores = self.ax_fit.text(0.03, 0.97, "", transform=self.ax_fit.transAxes, va="top", fontsize=9,
                                       bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
        nan_degrees = np.full(len(self.degrees), np.nan)
        self.degree_lines = plot_validation_curve(self.ax_degree, self.degrees, nan_degrees, nan_degrees,
                                                  "polynomial degree", title="Error against degree")
        self.degree_marker = self.ax_degree.axvline(1, color=PALETTE["black"], linewidth=1, linestyle="--",
                                                    label="current degree")
        self.ax_degree.legend(loc="upper left", fontsize=7)
        positions = [value if value > 0 else ZERO_POSITION for value in L2_VALUES]
        nan_l2 = np.full(len(L2_VALUES), np.nan)
        self.l2_lines = plot_validation_curve(self.ax_l2, positions, nan_l2, nan_l2, "L2 strength (log scale)",
                                              log_x=True, title="Error against L2 strength")
        self.ax_l2.set_xticks([ZERO_POSITION, 1e-8, 1e-6, 1e-4, 1e-2, 1],
                              ["0", "10⁻⁸", "10⁻⁶", "10⁻⁴", "10⁻²", "1"])
        self.l2_marker = self.ax_l2.axvline(ZERO_POSITION, color=PALETTE["black"], linewidth=1, linestyle="--",
                                            label="current L2")
        self.ax_l2.legend(loc="upper left", fontsize=7)
        self.ax_degree.set_xlim(0.5, self.degrees[-1] + 0.5)
        self.ax_l2.set_xlim(ZERO_POSITION / 2, 2 * L2_VALUES[-1])
        for ax in (self.ax_degree, self.ax_l2):
            ax.set_ylim(5e-3, 1e2)
        self._layout_frozen = False

    def _moving_artists(self):
        return (self.fit_line, self.scores, *self.degree_lines, self.degree_marker, *self.l2_lines,
                self.l2_marker, self.ax_fit.title, self.ax_degree.title, self.ax_l2.title)

    # --- fitting and updating ------------------------------------------------------
    def fit(self, degree, l2):
        """Parameters (w (degree,), b) fitted on the training data, with training and validation MSE."""
        train, val = polynomial_features(self.x_train, degree), polynomial_features(self.x_val, degree)
        w, b = ridge_fit(train, self.y_train, l2)
        return w, b, mean_squared_error(train, self.y_train, w, b), mean_squared_error(val, self.y_val, w, b)

    def update(self):
        """Refit for the current degree and L2, recompute both validation curves, move the artists, redraw."""
        degree, l2 = self.degree.value, self.l2.value
        self.coef_, self.intercept_, self.train_mse, self.val_mse = self.fit(degree, l2)
        self.fitted_curve = polynomial_features(self.x_grid, degree) @ self.coef_ + self.intercept_
        self.fit_line.set_ydata(self.fitted_curve)
        self.ax_fit.set_title(f"degree {degree}, L2 {l2:.2g}: {degree + 1} parameters")
        self.scores.set_text(f"training MSE   {self.train_mse:.3g}\nvalidation MSE {self.val_mse:.3g}")
        by_degree = np.array([self.fit(d, l2)[2:] for d in self.degrees])
        by_l2 = np.array([self.fit(degree, value)[2:] for value in L2_VALUES])
        self.degree_curve = {"train": by_degree[:, 0], "val": by_degree[:, 1]}
        self.l2_curve = {"train": by_l2[:, 0], "val": by_l2[:, 1]}
        for line, errors in zip(self.degree_lines, by_degree.T):
            line.set_ydata(errors)
        for line, errors in zip(self.l2_lines, by_l2.T):
            line.set_ydata(errors)
        self.degree_marker.set_xdata([degree, degree])
        self.l2_marker.set_xdata([l2 if l2 > 0 else ZERO_POSITION] * 2)
        self.ax_degree.set_title(f"Error against degree (L2 = {l2:.2g})")
        self.ax_l2.set_title(f"Error against L2 strength (degree {degree})")
        if not self._layout_frozen:  # lay out once: the labels that decide the margins never change
            freeze_layout(self.live.figure)
            self._layout_frozen = True
        self._describe()
        self.live.redraw()

    def _describe(self):
        """The three panels in words: this fit's errors, and where each validation curve is lowest."""
        degree, l2 = self.degree.value, self.l2.value
        best_degree = int(self.degrees[np.nanargmin(self.degree_curve["val"])])
        best_l2 = L2_VALUES[int(np.nanargmin(self.l2_curve["val"]))]
        describe(self.description, (
            f"Degree {degree}, L2 {l2:.2g} ({degree + 1} parameters): training MSE {self.train_mse:.3g}, validation "
            f"MSE {self.val_mse:.3g}. Against degree (L2 {l2:.2g}) the validation MSE is lowest at degree "
            f"{best_degree} ({np.nanmin(self.degree_curve['val']):.3g}) and the training MSE goes from "
            f"{self.degree_curve['train'][0]:.3g} at degree 1 to {self.degree_curve['train'][-1]:.3g} at degree "
            f"{self.degrees[-1]}; against L2 (degree {degree}) the validation MSE is lowest at L2 {best_l2:.2g} "
            f"({np.nanmin(self.l2_curve['val']):.3g})."))


def _one_feature(X, y, x_name, y_name):
    """X (n, 1) and y (n,) as the feature x (n,) and y (n,)."""
    X = check_columns(X, 1, "ValidationExplorer", name=x_name)
    return X[:, 0], check_target(y, len(X), name=y_name)
