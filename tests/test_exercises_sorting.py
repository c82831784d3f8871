"""The sorting exercises ("parameter, hyperparameter or neither?"): one factory writes their cells and checks."""
from pathlib import Path

from exercise_code import run

from nnlib.exercises.sorting import sorting_exercise

SHORT = {
    "coef_": ("parameter", "fit learned it."),
    "epochs": ("hyperparameter", "you chose it."),
    "iterations_per_epoch": ("neither", "it follows from the data's size and batch_size."),
}
LONG = {f"name_{i}": ("parameter", "fit learned it.") for i in range(6)}


def test_the_cells_are_written_from_the_expected_names_in_their_order():
    exercise = sorting_exercise("99.1", "sort them", SHORT, intro="Answer for each name.\nThen rest.",
                                kinds=("parameter", "hyperparameter", "neither"), hints=["Ask fit."])
    assert exercise.placeholder == ('# Exercise 99.1: sort them\n# Answer for each name.\n# Then rest.\n'
                                    'kinds = {"coef_": ..., "epochs": ..., "iterations_per_epoch": ...}\n')
    assert exercise.solution_code == ('# Exercise 99.1: sort them\nkinds = {"coef_": "parameter", '
                                      '"epochs": "hyperparameter", "iterations_per_epoch": "neither"}\n')
    assert exercise.answers == ("kinds",) and exercise.points == 1 and exercise.hints == ["Ask fit."]
    assert exercise.feedback(run(exercise.placeholder)["kinds"])[0] == "unanswered"
    assert exercise.feedback(run(exercise.solution_code)["kinds"]) == ("correct", "Correct!")


def test_a_long_list_has_one_name_a_line_and_a_short_one_wraps_between_names_only():
    exercise = sorting_exercise("99.2", "many", LONG, intro="Sort.", hints=[])
    assert exercise.placeholder.splitlines()[2:] == ["kinds = {", *(f'    "name_{i}": ...,' for i in range(6)), "}"]
    assert exercise.solution_code.splitlines()[3] == '    "name_1": "parameter",'
    wide = {f"a_rather_long_name_{i}": ("hyperparameter", "chosen.") for i in range(4)}
    lines = sorting_exercise("99.3", "wide", wide, intro="Sort.", hints=[]).solution_code.splitlines()[1:]
    assert lines == ['kinds = {"a_rather_long_name_0": "hyperparameter", "a_rather_long_name_1": "hyperparameter",',
                     '         "a_rather_long_name_2": "hyperparameter", "a_rather_long_name_3": "hyperparameter"}']


def test_neither_is_said_in_words_and_a_kind_outside_the_list_is_refused_listing_the_kinds():
    exercise = sorting_exercise("99.1", "sort them", SHORT, intro="Sort.", hints=[],
                                kinds=("parameter", "hyperparameter", "neither"))
    message = exercise.feedback({"coef_": "parameter", "epochs": "parameter", "iterations_per_epoch": "parameter"})[1]
    assert message == ("2 of 3 wrong. 'epochs' is a hyperparameter: you chose it. 'iterations_per_epoch' is neither "
                       "a parameter nor a hyperparameter: it follows from the data's size and batch_size.")
    two_kinds = sorting_exercise("99.4", "two kinds", LONG, intro="Sort.", hints=[])
    answer = dict.fromkeys(LONG, "parameter") | {"name_0": "neither"}
    assert two_kinds.feedback(answer)[1] == "'name_0' is sorted as 'neither'; use one of 'parameter', 'hyperparameter'."


def test_the_extra_check_gets_the_more_answers_and_runs_only_once_the_sorting_is_right():
    calls = []

    def count(n_weights):
        calls.append(n_weights)
        return None if n_weights == 2 else "count the weights again."

    exercise = sorting_exercise("99.5", "and count", SHORT, intro="Sort, then count.", hints=[],
                                kinds=("parameter", "hyperparameter", "neither"), more_answers={"n_weights": 2},
                                extra_check=count)
    assert exercise.answers == ("kinds", "n_weights")
    assert exercise.placeholder.endswith("}\nn_weights = ...\n")
    assert exercise.solution_code.endswith("}\nn_weights = 2\n")
    right = run(exercise.solution_code)["kinds"]
    assert exercise.feedback(dict(right, epochs="parameter"), 3)[1].startswith("1 of 3 wrong.") and calls == []
    assert exercise.feedback(right, 3) == ("wrong", "count the weights again.") and calls == [3]
    assert exercise.feedback(right, 2) == ("correct", "Correct!")


def test_no_exercise_module_writes_a_sorting_cell_by_hand():
    modules = Path(__file__).resolve().parent.parent / "nnlib" / "exercises"
    by_hand = [path.name for path in modules.glob("nb*.py") if "kinds = {" in path.read_text(encoding="utf-8")]
    assert by_hand == []


def test_every_sorting_exercise_offers_neither_and_has_a_name_that_is_neither():
    """Issue 32: the rule has three answers, so a learner never sorts with two."""
    from nnlib.exercises import nb00, nb01, nb03, nb05, nb06c, nb07, nb08c, nb09c, nb10, nb10b, nb11, nb12

    sorting = (nb00.q1, nb01.q3, nb03.q4, nb05.q4, nb06c.q2, nb07.q1, nb08c.q3, nb09c.q4, nb10.q3, nb10b.q2, nb11.q3,
               nb12.q1, nb12.q4)
    for exercise in sorting:
        solved = run(exercise.solution_code)
        assert '"neither"' in exercise.placeholder, f"{exercise.id}'s instruction names the third answer"
        assert "neither" in solved["kinds"].values(), exercise.id
        assert exercise.feedback(*(solved[name] for name in exercise.answers)) == ("correct", "Correct!")
    modules = Path(nb00.__file__).parent
    written = sum(path.read_text(encoding="utf-8").count("sorting_exercise(") for path in modules.glob("nb*.py"))
    assert written == len(sorting), "a new sorting exercise joins this list"
