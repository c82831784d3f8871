"""The axis helper plots and widgets share: log axes labelled in plain text (no mathtext, a faster redraw)."""
import matplotlib.pyplot as plt

from nnlib.plots.axes import plain_log_ticks


def test_plain_log_ticks_label_each_power_of_ten_with_unicode_superscripts_and_no_minor_ticks():
    fig, ax = plt.subplots()
    ax.set_yscale("log")
    ax.set_ylim(1e-2, 1e3)
    plain_log_ticks(ax.yaxis)
    fig.canvas.draw()
    labels = [tick.get_text() for tick in ax.get_yticklabels() if 1e-2 <= tick.get_position()[1] <= 1e3]
    assert labels == ["10⁻²", "10⁻¹", "10⁰", "10¹", "10²", "10³"]
    assert not any("$" in label for label in labels) and ax.yaxis.get_minorticklocs().size == 0
    plt.close(fig)
