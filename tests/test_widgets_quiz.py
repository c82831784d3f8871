"""Notebook 14's quiz: answers give the right feedback, lock, and add up to the score (its description line)."""
import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from test_widgets_lifecycle import description  # noqa: E402

from nnlib.exercises.quiz_items import ANSWERS, NEITHER, NOTEBOOKS, QUIZ_ITEMS, QuizItem, feedback  # noqa: E402
from nnlib.widgets.quiz import Quiz  # noqa: E402


def test_the_course_quiz_covers_the_brief():
    names = " | ".join(item.name for item in QUIZ_ITEMS)
    assert 20 <= len(QUIZ_ITEMS) <= 28
    for word in ("slope", "learning rate", "hidden layers", "weight", "bias", "batch size", "dropout", "seed",
                 "momentum", "epochs", "standardisation"):
        assert word in names, f"the brief asks for an item about {word!r}"
    kinds = [item.answer for item in QUIZ_ITEMS]
    assert all(kinds.count(kind) >= 3 for kind in ANSWERS), "each of the three answers is right several times"
    assert len({item.name for item in QUIZ_ITEMS}) == len(QUIZ_ITEMS), "names are unique"
    misconceptions = " ".join(item.misconception for item in QUIZ_ITEMS)
    assert "model parameters" in misconceptions and "training stage" in misconceptions


def test_feedback_explains_and_points_to_a_notebook():
    layers = next(item for item in QUIZ_ITEMS if item.name == "the number of hidden layers")
    right, text = feedback(layers, "hyperparameter")
    assert right and text.startswith("Right:") and "See notebook 06 · Multilayer network." in text
    assert "misconception" not in text
    right, text = feedback(layers, "parameter")
    assert not right and text.startswith("Not quite: the answer is 'hyperparameter'.")
    assert "Common misconception: many answers online call layers and units 'model parameters'" in text
    with pytest.raises(ValueError, match="answer with one of"):
        feedback(layers, "weight")


def test_the_seed_and_the_standardisation_mean_follow_the_one_rule():
    # COURSE.md 1b: a seed is a setting of the experiment (neither), a Standardizer's mean_ is learned from the
    # training data (a parameter of the preprocessing). Each item has exactly one right answer.
    by_name = {item.name: item for item in QUIZ_ITEMS}
    seed = by_name["the random seed"]
    assert feedback(seed, NEITHER)[0] and not feedback(seed, "hyperparameter")[0]
    assert "constructor argument is not automatically a hyperparameter" in feedback(seed, NEITHER)[1]
    mean = by_name["the mean that standardisation subtracts (Standardizer.mean_)"]
    right, text = feedback(mean, "parameter")
    assert right and "a parameter of the preprocessing" in text and not feedback(mean, NEITHER)[0]


def test_a_malformed_item_is_refused():
    with pytest.raises(ValueError, match="is not one of"):
        QuizItem("x", "weight", "why", "01")
    with pytest.raises(ValueError, match="unknown notebook"):
        QuizItem("x", "parameter", "why", "99")
    assert set(NOTEBOOKS) >= {item.notebook for item in QUIZ_ITEMS}


def test_clicking_gives_feedback_locks_and_scores():
    quiz = Quiz()
    n = len(quiz.items)
    assert quiz.score == 0 and quiz.n_answered == 0
    assert description(quiz) == f"Score: 0 of 0 answered right ({n} questions)."

    quiz.choices[0].value = "parameter"  # the slope: right
    assert quiz.correct[0] is True and quiz.choices[0].disabled
    assert "\u2705" in quiz.feedback_html[0].value and "coef_" in quiz.feedback_html[0].value
    assert quiz.answer("the learning rate", "parameter") is False
    assert "training stage" in quiz.feedback_text[1]
    assert quiz.score == 1 and quiz.n_answered == 2
    assert description(quiz) == f"Score: 1 of 2 answered right ({n} questions)."

    quiz.choices[1].value = "hyperparameter"  # a second click after locking does not change the score
    assert quiz.answers[1] == "parameter" and quiz.score == 1
    with pytest.raises(ValueError, match="already answered"):
        quiz.answer(1, "hyperparameter")


def test_answering_everything_gives_a_final_score_and_what_to_revisit():
    quiz = Quiz()
    wrong = {"the number of hidden layers": "parameter", "the validation accuracy": "parameter"}
    for item in quiz.items:
        quiz.answer(item.name, wrong.get(item.name, item.answer))
    total = len(quiz.items)
    assert quiz.score == total - 2
    assert quiz.score_text() == f"Final score: {total - 2} / {total}. Revisit notebook 04, 06."
    assert description(quiz) == quiz.score_text()
    quiz.restart.click()
    assert quiz.score == 0 and quiz.answers == [None] * total and description(quiz).startswith("Score: 0 of 0 ")
    assert not quiz.choices[0].disabled and quiz.choices[0].value is None and quiz.feedback_html[0].value == ""


def test_a_perfect_run_says_so():
    quiz = Quiz(items=QUIZ_ITEMS[:3])
    for item in quiz.items:
        quiz.answer(item.name, item.answer)
    assert quiz.score_text().startswith("Final score: 3 / 3. Every answer right")


def test_shuffling_is_seeded_and_keeps_every_item():
    a, b = Quiz(shuffle=True, seed=1), Quiz(shuffle=True, seed=1)
    assert [i.name for i in a.items] == [i.name for i in b.items] != [i.name for i in QUIZ_ITEMS]
    assert sorted(i.name for i in a.items) == sorted(i.name for i in QUIZ_ITEMS)


def test_learner_errors_are_clear():
    quiz = Quiz()
    with pytest.raises(ValueError, match="no quiz item is called"):
        quiz.answer("the learning rat", "hyperparameter")
    with pytest.raises(ValueError, match="its index, a whole number from 0 to"):
        quiz.answer(99, "hyperparameter")
    with pytest.raises(ValueError, match="answer with one of"):
        quiz.answer(0, "learned")
    with pytest.raises(ValueError, match="at least one item"):
        Quiz(items=[])


@pytest.mark.parametrize("item", [1.5, None, True])
def test_an_item_that_is_neither_a_name_nor_a_whole_number_is_refused_in_words(item):
    quiz = Quiz()
    with pytest.raises(ValueError) as error:
        quiz.answer(item, "hyperparameter")
    assert str(error.value) == (f"item must be an item's exact name or its index, a whole number from 0 to "
                                f"{len(quiz.items) - 1}; got {item!r}.")
    assert quiz.n_answered == 0


@pytest.mark.parametrize("arguments, error, message", [
    ({"items": [1, 2]}, TypeError, r"quiz item 1 is 1, not a QuizItem: write each item as QuizItem\(name, answer"),
    ({"items": [QUIZ_ITEMS[0], "epochs"]}, TypeError, r"quiz item 2 is 'epochs', not a QuizItem"),
    ({"items": "the learning rate"}, TypeError, r"items must be a list of QuizItem, got 'the learning rate'"),
    ({"items": 3}, TypeError, r"items must be a list of QuizItem, got 3"),
    ({"shuffle": "yes"}, TypeError, r"shuffle must be True or False, got 'yes'"),
    ({"shuffle": True, "seed": -1}, ValueError, r"seed must be a whole number >= 0"),
])
def test_bad_arguments_get_a_clear_message(arguments, error, message):
    with pytest.raises(error, match=message):
        Quiz(**arguments)
