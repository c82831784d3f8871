"""Notebook 14's quiz: for each name, click "parameter", "hyperparameter" or "neither".

Every item gets instant feedback that explains the answer and points to the
notebook that shows it; the first click on an item counts (the buttons then
lock), and the score below the items updates as you go. The items and the
feedback texts live in ``nnlib.exercises.quiz_items``; this module only lays
them out.
"""
import html
import numbers

import ipywidgets as widgets
import numpy as np

from ..exercises.quiz_items import ANSWERS, QUIZ_ITEMS, QuizItem, feedback
from ..input_checks import check_seed
from .arguments import check_bool
from .base import NotebookWidget, describe, description_line

RIGHT, WRONG = "\u2705", "\u274c"


class Quiz(NotebookWidget):
    """One row per item: the name, three toggle buttons, and a feedback line.

    items: a list of ``QuizItem`` (default: the course's QUIZ_ITEMS).
    shuffle, seed: present the items in a seeded random order.

    Controls: ``choices[i]`` (ToggleButtons, value None until answered) and
    ``restart`` (Button). State: ``answers[i]`` (the first choice, or None),
    ``correct[i]`` (True/False/None), ``feedback_text[i]``, ``score``,
    ``n_answered``, ``score_html`` (the score in words, a ``description_line``).
    ``answer(i_or_name, choice)`` answers an item from code (tests, demos).
    """

    def __init__(self, items=None, shuffle=False, seed=0):
        if isinstance(items, str) or not (items is None or hasattr(items, "__iter__")):
            raise TypeError(f"items must be a list of QuizItem, got {items!r}.")
        self.items = list(QUIZ_ITEMS if items is None else items)
        if not self.items:
            raise ValueError("a quiz needs at least one item.")
        for number, item in enumerate(self.items, start=1):
            if not isinstance(item, QuizItem):
                raise TypeError(f"quiz item {number} is {item!r}, not a QuizItem: write each item as "
                                "QuizItem(name, answer, explanation, notebook), from nnlib.exercises.quiz_items.")
        check_bool("shuffle", shuffle)
        check_seed(seed)
        if shuffle:
            order = np.random.default_rng(seed).permutation(len(self.items))
            self.items = [self.items[i] for i in order]
        self.choices, self.feedback_html, rows = [], [], []
        for number, item in enumerate(self.items, start=1):
            choice = widgets.ToggleButtons(options=ANSWERS, value=None, style={"button_width": "130px"},
                                           tooltips=[f"{item.name}: {answer}" for answer in ANSWERS])
            choice.observe(lambda change, i=number - 1: self._on_choice(i, change["new"]), names="value")
            note = widgets.HTML()
            self.choices.append(choice)
            self.feedback_html.append(note)
            rows.append(widgets.VBox([widgets.HTML(f"<b>{number}.</b> {html.escape(item.name)}"), choice, note],
                                     layout=widgets.Layout(margin="0 0 10px 0")))
        self.score_html = description_line()
        self.restart = widgets.Button(description="start again", icon="refresh",
                                      tooltip="clear every answer and the score")
        self.restart.on_click(lambda _button: self.reset())
        self.widget = widgets.VBox([
            widgets.HTML("<b>Parameter, hyperparameter, or neither?</b> Your first click on each "
                         "item counts."),
            *rows, self.score_html, self.restart])
        self.reset()

    # --- answering --------------------------------------------------------------------
    def _on_choice(self, index, choice):
        if choice is None or self.answers[index] is not None:
            return
        is_right, text = feedback(self.items[index], choice)
        self.answers[index], self.correct[index], self.feedback_text[index] = choice, is_right, text
        self.choices[index].disabled = True
        colour = "#009E73" if is_right else "#D55E00"  # Okabe-Ito green / vermillion
        self.feedback_html[index].value = (f"<span style='color:{colour}'>{RIGHT if is_right else WRONG}</span> "
                                           f"{html.escape(text)}")
        self._show_score()

    def answer(self, item, choice):
        """Answer one item from code, as if its button were clicked; returns True if right.

        item: its index (0-based) or its exact name. choice: one of ANSWERS.
        """
        index = self._index(item)
        if choice not in ANSWERS:
            raise ValueError(f"answer with one of {', '.join(repr(a) for a in ANSWERS)}; got {choice!r}.")
        if self.answers[index] is not None:
            raise ValueError(f"item {index + 1} is already answered ({self.answers[index]!r}); "
                             "call reset() to start again.")
        self.choices[index].value = choice
        return self.correct[index]

    def _index(self, item):
        if isinstance(item, str):
            names = [it.name for it in self.items]
            if item not in names:
                raise ValueError(f"no quiz item is called {item!r}.")
            return names.index(item)
        if isinstance(item, bool) or not isinstance(item, numbers.Integral) or not 0 <= item < len(self.items):
            raise ValueError(f"item must be an item's exact name or its index, a whole number from 0 to "
                             f"{len(self.items) - 1}; got {item!r}.")
        return item

    def reset(self):
        """Clear every answer, unlock the buttons, and zero the score."""
        n = len(self.items)
        self.answers, self.correct, self.feedback_text = [None] * n, [None] * n, [""] * n
        for choice, note in zip(self.choices, self.feedback_html):
            choice.disabled = False
            choice.value = None
            note.value = ""
        self._show_score()

    # --- the score ----------------------------------------------------------------------
    @property
    def score(self):
        """How many items were answered right (first answers only)."""
        return sum(bool(c) for c in self.correct)

    @property
    def n_answered(self):
        return sum(a is not None for a in self.answers)

    def score_text(self):
        """The score as a sentence, with the notebooks to revisit for the wrong answers."""
        total = len(self.items)
        text = f"Score: {self.score} of {self.n_answered} answered right ({total} questions)."
        if self.n_answered == total:
            text = f"Final score: {self.score} / {total}."
            revisit = sorted({self.items[i].notebook for i, ok in enumerate(self.correct) if not ok})
            text += (" Revisit notebook " + ", ".join(revisit) + "." if revisit
                     else " Every answer right: you can tell what is learned from what is chosen.")
        return text

    def _show_score(self):
        describe(self.score_html, self.score_text())
