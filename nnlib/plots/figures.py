"""Showing a figure with its description in words: the image's alt text and a caption under it.

A reader who cannot see the plot (a screen reader, a text browser) gets the same result as one who can, so
the description gives the numbers and the shape that matter, not the title: "the validation loss falls to
0.21 at epoch 40, then rises to 0.35 while the training loss keeps falling". ``show`` puts it in the
output's metadata (``{"image/png": {"alt": ...}}``), which the course website reads into the image's alt
attribute, and displays it as a caption under the figure, because JupyterLab sets no alt text.
"""
import html

import matplotlib.pyplot as plt
from IPython.display import display

CAPTION_KEY = "nnlib_caption"  # marks the caption output (the website hides it from screen readers: the alt says it)
MIN_WORDS = 6


def show(fig, description=None):
    """Show ``fig`` (a matplotlib Figure) with ``description``, then close it so it is not shown twice.

    Use it instead of ``plt.show()``: ``show(fig, f"... minimum at slope {slope:.1f} g/mm ...")``.
    """
    if not hasattr(fig, "savefig"):
        raise TypeError(f"show(fig, description) shows a matplotlib Figure (e.g. fig, ax = plt.subplots()); "
                        f"got {type(fig).__name__}.")
    if not isinstance(description, str) or len(description.split()) < MIN_WORDS:
        raise ValueError(f"describe the figure in at least {MIN_WORDS} words: what it shows, with the numbers and "
                         f"the shape that matter (not its title); got {description!r}.")
    text = " ".join(description.split())
    display(fig, metadata={"image/png": {"alt": text}})
    display({"text/html": f'<p class="nnlib-caption"><b>Figure:</b> {html.escape(text)}</p>',
             "text/plain": f"Figure: {text}"}, raw=True, metadata={CAPTION_KEY: True})
    plt.close(fig)
