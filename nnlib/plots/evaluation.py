"""Looking at a classifier's results: the confusion matrix, and images with their labels.

``confusion_matrix(y_true, y_pred)`` counts, for every true class, which class
was predicted (numpy only); ``plot_confusion_matrix`` draws it with the counts
written in the cells (in black or white, whichever stands out on the cell:
``text_color_on``). ``show_images`` draws a grid of small images such as the
8x8 digits, and ``plot_misclassified`` shows the images a model got wrong, with
the true and the predicted label.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Counts (n_classes, n_classes): row = true class, column = predicted class.

    y_true, y_pred: (n,) whole-number labels 0..K-1. The diagonal holds the correct
    predictions, so ``matrix.trace() / matrix.sum()`` is the accuracy.
    n_classes: K (default: the largest label seen + 1).
    """
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}: "
                         "pass one prediction per true label.")
    largest = int(max(y_true.max(initial=-1), y_pred.max(initial=-1)))
    if n_classes is None:
        n_classes = largest + 1
    elif largest >= n_classes:
        raise ValueError(f"label {largest} is outside 0..{n_classes - 1}: increase n_classes or check the labels.")
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def plot_confusion_matrix(matrix, class_names=None, ax=None, title="Confusion matrix",
                          xlabel="predicted class", ylabel="true class", count_label="images (count)"):
    """Draw a confusion matrix (K, K) as a heatmap with each count written in its cell; returns the Axes.

    class_names: K tick labels (default 0..K-1). The colour scale is a perceptually
    uniform one that stays readable in greyscale and for colour-blind readers.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"a confusion matrix is square, (n_classes, n_classes); got shape {matrix.shape}.")
    n = len(matrix)
    names = [str(k) for k in range(n)] if class_names is None else [str(c) for c in class_names]
    if len(names) != n:
        raise ValueError(f"class_names has {len(names)} names for a {n} x {n} matrix.")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.42 * n + 2.2, 0.42 * n + 1.4), layout="constrained")
    image = ax.imshow(matrix, cmap="cividis")
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            ax.text(column, row, str(count), ha="center", va="center", fontsize=8,
                    color=text_color_on(image.cmap(image.norm(count))))
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.figure.colorbar(image, ax=ax, label=count_label, shrink=0.85)
    return ax


def text_color_on(background):
    """"black" or "white", whichever stands out more on ``background`` (a colour, e.g. a heatmap cell's RGBA).

    WCAG 2.1 (1.4.3) asks 4.5:1 contrast of text. Black has (L + 0.05) / 0.05 on a colour of relative luminance L,
    white 1.05 / (L + 0.05); they are equal, 4.58:1, at L = 0.179, so the better of the two always has 4.58:1 or more.
    A fixed threshold on the value ("white below the median") falls short where the colour map crosses L = 0.179.
    """
    rgb = np.asarray(to_rgb(background))
    luminance = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4) @ [0.2126, 0.7152, 0.0722]
    return "black" if luminance > 0.179 else "white"


def show_images(images, titles=None, n_cols=10, image_shape=(8, 8), title=None, title_colors=None):
    """Draw images (n, height*width) in a grid, dark ink on white; returns the Figure.

    titles: n short captions (e.g. the labels), drawn above each image.
    title_colors: n colours for the captions (default black).
    image_shape: (height, width) to reshape each row to, (8, 8) for the digits.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 2 or images.shape[1] != image_shape[0] * image_shape[1]:
        raise ValueError(f"images must have shape (n_images, {image_shape[0] * image_shape[1]}) for "
                         f"{image_shape[0]} x {image_shape[1]} images; got {images.shape}.")
    n = len(images)
    if n == 0:
        raise ValueError("there are no images to show.")
    for name, values in (("titles", titles), ("title_colors", title_colors)):
        if values is not None and len(values) != n:
            raise ValueError(f"{name} has {len(values)} entries for {n} images.")
    n_cols = min(n_cols, n)
    n_rows = -(-n // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(0.95 * n_cols, 1.15 * n_rows + (0.4 if title else 0)),
                             squeeze=False, layout="constrained")
    low, high = float(images.min()), float(images.max())
    for index, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if index < n:
            ax.imshow(images[index].reshape(image_shape), cmap="gray_r", vmin=low, vmax=high)
            if titles is not None:
                ax.set_title(str(titles[index]), fontsize=9,
                             color="black" if title_colors is None else title_colors[index])
    if title:
        fig.suptitle(title)
    return fig


def plot_misclassified(X, y_true, y_pred, class_names=None, max_images=30, n_cols=10, image_shape=(8, 8),
                       title="Misclassified images"):
    """Show the images whose prediction is wrong, captioned "true → predicted"; returns the Figure.

    The captions are black: text needs 4.5:1 contrast on white (WCAG 2.1, 1.4.3), which the palette's vermillion
    (3.87:1) lacks, and every image here is a mistake, so no colour needs to say so.

    X (n, height*width) images; y_true, y_pred (n,) labels. At most ``max_images``
    are shown, in their order in X; the title says how many there are in total.
    """
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    X = np.asarray(X)
    if not len(X) == len(y_true) == len(y_pred):
        raise ValueError(f"X has {len(X)} images, y_true {len(y_true)} labels and y_pred {len(y_pred)}: "
                         "they must match one to one.")
    wrong = np.flatnonzero(y_true != y_pred)
    if wrong.size == 0:
        raise ValueError("every prediction is right: there is nothing misclassified to show.")
    shown = wrong[:max_images]
    name = (lambda k: str(k)) if class_names is None else (lambda k: str(class_names[k]))
    captions = [f"{name(y_true[i])} → {name(y_pred[i])}" for i in shown]
    more = f", the first {len(shown)} shown" if len(shown) < len(wrong) else ""
    return show_images(X[shown], captions, n_cols=n_cols, image_shape=image_shape,
                       title=f"{title}: {len(wrong)} of {len(X)}{more} (true → predicted)")


def _labels(values, name):
    try:
        labels = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        labels = None
    if labels is not None and labels.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels, shape (n,); got shape {labels.shape}.")
    if labels is None or (labels.size and (not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels))
                                           or labels.min() < 0)):
        raise ValueError(f"{name} must hold whole-number class labels 0, 1, ..., K-1 (use the labels, "
                         "not class names or probabilities).")
    return labels.astype(np.intp)
