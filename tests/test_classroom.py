"""The classroom release is built from the notebooks and nnlib/exercises, and nbgrader grades it right.

Part 1 runs in the learner environment: classroom/build.py turns every notebook
into an nbgrader source notebook whose graded cells come from the Exercise
definitions, and reads its choices from classroom/assignments.toml.

Part 2 runs nbgrader itself, which lives only in .venv-classroom (made by
`make classroom`): `nbgrader generate_assignment` makes the student version,
then `nbgrader autograde` must give a perfect submission full marks (all but the
written answers, which wait for a person), the untouched release zero (running
every notebook to the end), and a submission that redefines a check nothing for
that exercise. Without .venv-classroom these tests skip, unless
NNLIB_REQUIRE_CLASSROOM=1 (CI), where they fail.
"""
import copy
import csv
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nnlib.exercises import notebook_number
from nnlib.exercises.capstone import DEFAULTS_TEST_CORRECT
from nnlib.learner.pieces import PIECES

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(path for path in NOTEBOOK_DIR.glob("*.ipynb") if notebook_number(path))  # not 12r (R)
CLASSROOM_BIN = REPO / ".venv-classroom" / "bin"
KERNEL = REPO / ".venv-classroom" / "share" / "jupyter" / "kernels" / "nnlib-classroom" / "kernel.json"

_spec = importlib.util.spec_from_file_location("classroom_build", REPO / "classroom" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)
ScoredExercise = build.ScoredExercise


def by_grade_id(notebook):
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells if "nbgrader" in cell.metadata}


def without_solution(source):
    """What nbgrader's ClearSolutions leaves of a cell (with this course's empty code and text stubs)."""
    return re.sub(r"\n### BEGIN SOLUTION\n.*?### END SOLUTION", "\n", source, flags=re.S)


def without_hidden_tests(source):
    """What nbgrader leaves of a tests cell in the student version."""
    return re.sub(r"\n### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS", "", source, flags=re.S)


def score_or_tests_ids(exercise):
    """The grade ids of an exercise's tests cells: one, or one per score tier of a scored exercise."""
    if isinstance(exercise, ScoredExercise):
        return build.tier_grade_ids(exercise)
    return [build.grade_id("tests", exercise)]


def graded_written(graded_notebook):
    return [answer for answer in graded_notebook.written if answer.id in graded_notebook.graded]


def write_config(path, text):
    path.write_text('course_id = "test-course"\n' + text, encoding="utf-8")
    return build.load_config(path)


# --- part 1: the build ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def default_build(tmp_path_factory):
    before = {path: path.read_bytes() for path in NOTEBOOKS}
    out = tmp_path_factory.mktemp("course")
    assignments = build.build(out, {}, NOTEBOOK_DIR)  # the defaults: nothing configured
    assert {path: path.read_bytes() for path in NOTEBOOKS} == before, "the build must not change the learner notebooks"
    return out, assignments


def test_every_notebook_becomes_an_assignment_graded_from_its_exercise_definitions(default_build):
    out, assignments = default_build
    assert [nb.path for a in assignments for nb in a.notebooks] == NOTEBOOKS
    for assignment in assignments:
        (graded,) = assignment.notebooks
        learner = nbformat.read(graded.path, as_version=4)
        source = nbformat.read(out / "source" / assignment.name / graded.path.name, as_version=4)
        cells = by_grade_id(source)
        assert graded.graded == {item.id: item.points for item in graded.exercises + graded.written}, \
            "default: all graded, own points"
        for exercise in graded.exercises:
            answer = cells[build.grade_id("answer", exercise)]
            assert answer.metadata["nbgrader"]["solution"] and not answer.metadata["nbgrader"]["grade"]
            body = exercise.solution_code.split("\n", 1)[1].strip()
            assert f"### BEGIN SOLUTION\n{body}\n### END SOLUTION" in answer.source
            assert without_solution(answer.source).rstrip() == exercise.placeholder.rstrip()
            tests = [cells[grade] for grade in score_or_tests_ids(exercise)]
            points = [cell.metadata["nbgrader"]["points"] for cell in tests]
            assert sum(points) == exercise.points
            for cell in tests:
                meta = cell.metadata["nbgrader"]
                assert meta["grade"] and meta["locked"] and meta["points"] > 0
                assert f"{exercise.variable}.assert_correct({', '.join(exercise.answers)})" in cell.source
                assert "### BEGIN HIDDEN TESTS" in cell.source and "### END HIDDEN TESTS" in cell.source
        for written in graded.written:  # a markdown cell graded by hand: the prompt, then the model answer
            cell = cells[build.grade_id("written", written)]
            meta = cell.metadata["nbgrader"]
            assert cell.cell_type == "markdown" and meta["grade"] and meta["solution"] and not meta["locked"]
            assert meta["points"] == written.points
            assert without_solution(cell.source).rstrip() == written.prompt
            assert written.model_answer in cell.source
        # Every learner cell is still there, in order; only exercise, check and written-answer cells were rewritten.
        graded_cells = {id(c) for c in cells.values()}
        kept = [c.source for c in source.cells
                if id(c) not in graded_cells and not c.get("id", "").startswith("classroom-")]
        rewritten = {i for index, _ in build.exercise_cells(learner) for i in (index, index + 1)}
        rewritten |= {index for index, _ in build.written_cells(learner)}
        assert kept == [c.source for i, c in enumerate(learner.cells) if i not in rewritten]
        assert source.metadata == learner.metadata


def capstone(default_build):
    """The capstone's assignment, graded notebook, instructor version and scored exercise."""
    out, assignments = default_build
    (assignment,) = [a for a in assignments if any(isinstance(ex, ScoredExercise) for ex in a.notebooks[0].exercises)]
    (graded,) = assignment.notebooks
    source = nbformat.read(out / "source" / assignment.name / graded.path.name, as_version=4)
    (exercise,) = [ex for ex in graded.exercises if isinstance(ex, ScoredExercise)]
    return assignment, graded, source, exercise


def test_the_test_labels_are_written_into_hidden_tests_only(default_build):
    _, graded, source, exercise = capstone(default_build)
    labels = build.hidden_labels(exercise)
    assert len(labels) == 2000 and set(labels) == set(range(26))
    cells = by_grade_id(source)
    tiers = [cells[grade] for grade in build.tier_grade_ids(exercise)]
    assert len(tiers) == len(exercise.tiers) == 2
    assert all(repr(labels) in cell.source for cell in tiers)
    assert all(repr(labels) not in without_hidden_tests(cell.source) for cell in source.cells), \
        "the labels must be inside hidden tests, which nbgrader removes from the student version"
    assert [cell.metadata["nbgrader"]["points"] for cell in tiers] == [3, 2]
    learner = graded.path.read_text(encoding="utf-8")
    assert repr(labels) not in learner and "_test_labels" not in learner, "the learner notebook never holds them"


SCORE_SCRIPT = """
import json, sys
import numpy as np
from nnlib.exercises import nb13
cells, labels, cases = json.load(sys.stdin)
results = {}
for name, correct in cases.items():
    predictions = ...
    if correct is not None:
        predictions = np.array(labels)
        predictions[:len(labels) - correct] = (predictions[:len(labels) - correct] + 1) % 26  # this many wrong
    passed = []
    for source in cells:
        try:
            exec(source, {"q3": nb13.q3, "predictions": predictions})
            passed.append(True)
        except AssertionError:
            passed.append(False)
    results[name] = passed
print(json.dumps(results))
"""


def test_the_hidden_score_tests_grade_by_the_thresholds(default_build):
    """Run the capstone's tier cells, hidden tests included, on predictions with a known number of right cases."""
    _, _, source, exercise = capstone(default_build)
    cells = [by_grade_id(source)[grade].source for grade in build.tier_grade_ids(exercise)]
    labels = build.hidden_labels(exercise)
    defaults_beaten, needed = (tier.minimum_correct for tier in exercise.tiers)
    cases = {"untouched": None, "the defaults' score": DEFAULTS_TEST_CORRECT, "just short of beating them":
             defaults_beaten - 1, "beats the defaults": defaults_beaten,
             "just short of the reference": needed - 1, "near the reference": needed, "all right": len(labels)}
    # In a fresh Python: the hidden tests reload nnlib.exercises, which must not happen inside this test session.
    result = subprocess.run([sys.executable, "-c", SCORE_SCRIPT], input=json.dumps([cells, labels, cases]),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    passed = json.loads(result.stdout.strip().splitlines()[-1])
    assert passed == {"untouched": [False, False], "the defaults' score": [False, False],
                      "just short of beating them": [False, False], "beats the defaults": [True, False],
                      "just short of the reference": [True, False], "near the reference": [True, True],
                      "all right": [True, True]}


def test_the_repositorys_configuration_plans_every_notebook_with_exercises():
    assignments = build.plan(build.load_config(REPO / "classroom" / "assignments.toml"), NOTEBOOK_DIR)
    assert all(a.max_score > 0 for a in assignments)


def test_source_notebooks_pass_nbgraders_metadata_rules(default_build):
    out, assignments = default_build
    for assignment in assignments:
        for path in (out / "source" / assignment.name).glob("*.ipynb"):
            notebook = nbformat.read(path, as_version=4)
            nbformat.validate(notebook)
            ids = [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells if "nbgrader" in cell.metadata]
            assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)


def test_the_config_chooses_notebooks_exercises_points_and_groups(tmp_path):
    config = write_config(tmp_path / "a.toml", '''
solutions = "shown"
[notebook."00"]
assignment = "week1"
[notebook."01"]
assignment = "week1"
graded = ["01.2"]
points = { "01.2" = 5 }
[notebook."02"]
skip = true
''')
    assignments = build.build(tmp_path / "course", config, NOTEBOOK_DIR)
    names = [a.name for a in assignments]
    assert names[0] == "week1" and "02_gradient_descent" not in names
    week1 = assignments[0]
    assert [nb.path.name[:2] for nb in week1.notebooks] == ["00", "01"]
    assert week1.notebooks[1].graded == {"01.2": 5}
    assert week1.max_score == sum(ex.points for ex in week1.notebooks[0].exercises) + 5
    source = nbformat.read(tmp_path / "course" / "source" / "week1" / "01_parameters_of_a_line.ipynb", as_version=4)
    assert set(by_grade_id(source)) == {"answer_01_2", "tests_01_2"}, "solutions shown: no hiding cell"
    assert by_grade_id(source)["tests_01_2"].metadata["nbgrader"]["points"] == 5
    learner = nbformat.read(NOTEBOOK_DIR / "01_parameters_of_a_line.ipynb", as_version=4)
    ungraded = [cell.source for cell in learner.cells  # they stay self-check cells, as in self-study
                if cell.source.startswith(("# Exercise 01.1", "q1.check(", "# Exercise 01.3", "q3.check("))]
    assert len(ungraded) == 4
    assert all(any(c.source == u and "nbgrader" not in c.metadata for c in source.cells) for u in ungraded)
    assert (tmp_path / "course" / "nbgrader_config.py").read_text().count("'test-course'") == 1


def test_the_later_parts_06b_06c_are_configured_graded_and_sorted_like_any_notebook_and_12r_stays_out(tmp_path):
    config = write_config(tmp_path / "a.toml", '''
[notebook."06"]
assignment = "week3"
[notebook."06b"]
assignment = "week3"
graded = ["06b.4"]
points = { "06b.4" = 4 }
[notebook."06c"]
assignment = "week3"
graded = ["06c.1"]
points = { "06c.1" = 5 }
''')
    assignments = build.build(tmp_path / "course", config, NOTEBOOK_DIR)
    numbers = [nb.number for a in assignments for nb in a.notebooks]
    assert numbers == sorted(numbers) and "12r" not in numbers
    assert numbers.index("06c") == numbers.index("06b") + 1 == numbers.index("06") + 2
    week3 = next(a for a in assignments if a.name == "week3")
    assert [nb.number for nb in week3.notebooks] == ["06", "06b", "06c"]
    assert week3.notebooks[1].graded == {"06b.4": 4} and week3.notebooks[2].graded == {"06c.1": 5}
    source = tmp_path / "course" / "source" / "week3"
    graded = by_grade_id(nbformat.read(source / "06b_the_network_and_its_gradients.ipynb", as_version=4))
    assert graded["tests_06b_4"].metadata["nbgrader"]["points"] == 4
    graded = by_grade_id(nbformat.read(source / "06c_training_the_network.ipynb", as_version=4))
    assert graded["tests_06c_1"].metadata["nbgrader"]["points"] == 5
    for number in ("12r", "06d", "6"):
        with pytest.raises(build.ClassroomError, match="named by their number"):
            write_config(tmp_path / "b.toml", f'[notebook."{number}"]\nskip = true\n')


@pytest.mark.parametrize("text, message", [
    ('[notebook."01"]\ngraded = ["01.9"]\n', "exercise '01.9' is not in nnlib.exercises.nb01"),
    ('[notebook."01"]\npoints = { "01.1" = 0 }\n', "must be a positive number"),
    ('[notebook."01"]\ngrade = ["01.1"]\n', "unknown key(s) ['grade']"),
    ('[notebook."99"]\nskip = true\n', "no notebooks/NN_*.ipynb for them"),
    ('[notebook."01"]\nassignment = "week 1"\n', "no spaces"),
    ('solutions = "secret"\n', 'must be "hidden" or "shown"'),
    ('deadline = "friday"\n', "unknown setting(s) ['deadline']"),
])
def test_configuration_mistakes_are_explained(tmp_path, text, message):
    with pytest.raises(build.ClassroomError) as error:
        build.plan(write_config(tmp_path / "a.toml", text), NOTEBOOK_DIR)
    assert message in str(error.value)


def test_a_notebook_edited_by_hand_is_refused(tmp_path, capsys):
    shutil.copy(NOTEBOOK_DIR / "01_parameters_of_a_line.ipynb", tmp_path)
    path = tmp_path / "01_parameters_of_a_line.ipynb"
    notebook = nbformat.read(path, as_version=4)
    index, _ = build.exercise_cells(notebook)[0]
    notebook.cells[index].source += "  # a hint added in the notebook"
    nbformat.write(notebook, path)
    config = tmp_path / "assignments.toml"
    config.write_text('course_id = "test-course"\n')
    assert build.main(["--out", str(tmp_path / "course"), "--notebooks", str(tmp_path), "--config", str(config)]) == 1
    assert "edit the definition, not the notebook" in capsys.readouterr().err
    with pytest.raises(build.ClassroomError, match="edit the definition, not the notebook"):
        build.build(tmp_path / "course", {}, tmp_path)


def test_classroom_lock_keeps_every_pin_of_the_course_lock():
    def pins(path):
        lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
        return dict(line.split("==") for line in lines if "==" in line)
    course, classroom = pins(REPO / "requirements.lock"), pins(REPO / "classroom" / "requirements.lock")
    differ = {name: (version, classroom.get(name)) for name, version in course.items()
              if classroom.get(name) != version}
    assert not differ, ("re-run `make classroom-lock`: classroom/requirements.lock differs from requirements.lock "
                        f"{differ}")
    assert classroom["nbgrader"].startswith("0.9.")


# --- typical mistakes in the "from scratch" exercises --------------------------------------
# A typical slip fails the exercise's graded tests cell -- the visible test and the hidden one -- with the same
# specific message as the self-check, so nbgrader gives the exercise 0 points (part 2 grades such a submission).
BUILD_MISTAKES = {  # exercise id: ((text of the solution, what the slip writes instead), words of its message)
    "01.1": (("return np.mean((y_hat - y) ** 2)", "return np.sum((y_hat - y) ** 2)"), "SUM of squared errors"),
    "02.1": (("return 2 * np.mean(error * x), 2 * np.mean(error)",
              "return 2 * np.mean(error), 2 * np.mean(error * x)"), "derivatives are swapped"),
    "02.2": (("return slope - learning_rate * dslope, intercept - learning_rate * dintercept",
              "return slope + learning_rate * dslope, intercept + learning_rate * dintercept"),
             "your step goes uphill"),
    "03.1": (("x_epoch, y_epoch = x[order], y[order]", "x_epoch, y_epoch = x, y"),
             "the same order (0, 1, 2, ...) every epoch"),
    "04.2": (("round(len(X) * test_size), round(len(X) * val_size)",
              "int(len(X) * test_size), int(len(X) * val_size)"), "int() cuts 38 * 0.2 = 7.6 down to 7"),
    "04.4": (("gradients = [l2 * W for W in weights]", "gradients = [2 * l2 * W for W in weights]"),
             "the 2 of the square cancels the 1/2"),
    "04b.2": (("train = np.concatenate(folds[:i] + folds[i + 1:])", "train = order"),
              "held-out samples are among its training rows too"),
    "05.1": (("    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))", "    return 1 / (1 + np.exp(-x))"),
             "exp(1000) is more than a float holds"),
    "05.2": (("np.mean(np.logaddexp(0, scores) - y * scores)",
              "-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"), "is log(0)"),
    "05.3": (("w - learning_rate * grad_w, b - learning_rate * grad_b",
              "w + learning_rate * grad_w, b + learning_rate * grad_b"), "your step goes uphill"),
    "06.2": (("x.T @ dout, dout.sum(axis=0)", "dout.T @ x, dout.sum(axis=0)"), "dweights is transposed"),
    "06.3": (("dout * (1 - out**2)", "dout * (1 - x**2)"), "computed the derivative from the input"),
    "06b.1": (("return loss, dscores / n", "return loss, dscores"), "dscores is n times too large"),
    "06b.2": (("for layer in reversed(layers):", "for layer in layers:"), "in the wrong order"),
    "06b.4": (("np.sqrt(2.0 / n_inputs)", "2.0 / n_inputs"), "rng.normal's second argument is the standard deviation"),
    "06c.1": (("X[order], y[order]", "X, y"), "the same order (0, 1, 2, ...) every epoch"),
    "08.1": (("model.data_loss(X_val, y_val)", "model.data_loss(X_train, y_train)"), "the loss on the training set"),
    "08b.1": (("10 ** rng.uniform(np.log10(values.low), np.log10(values.high))",
               "rng.uniform(values.low, values.high)"), "Draw the *exponent* uniformly"),
    "09.2": (("v -= learning_rate * g", "v += learning_rate * g"), "your steps go uphill"),
    "09.3": (("        m_hat = m / (1 - beta1**t)                    # bias corrections: m and v started at 0\n"
              "        v_hat = v / (1 - beta2**t)", "        m_hat, v_hat = m, v"), "no bias correction"),
    "09b.1": (("min(epoch, epochs) / epochs", "epoch / epochs"), "your rate climbs back up"),
    "09b.2": (("if loss < val_losses[best]:", "if loss <= val_losses[best]:"),
              "a loss equal to the best is not an improvement"),
}

RUN_GRADED_CELLS = """
import json, sys
outcomes = []
for answer, tests in json.loads(sys.argv[1]):
    namespace = {}
    try:
        exec(answer, namespace)
        exec(tests, namespace)
        outcomes.append(None)
    except AssertionError as error:
        outcomes.append(str(error))
print(json.dumps(outcomes))
"""


def with_slip(exercise):
    (old, new), _ = BUILD_MISTAKES[exercise.id]
    assert old in exercise.solution_code, f"{exercise.id}: the slip must change the solution"
    return exercise.solution_code.replace(old, new)


def graded_cells_outcomes(cases):
    """Run each (answer cell, tests cell) pair in a fresh namespace of one new Python process, as a kernel would;
    returns None (passed) or the AssertionError's message for each."""
    env = {k: v for k, v in os.environ.items() if k != "NNLIB_STRICT_CHECKS"}
    result = subprocess.run([sys.executable, "-c", RUN_GRADED_CELLS, json.dumps(cases)], capture_output=True,
                            text=True, timeout=600, env=env, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("exercise_id", BUILD_MISTAKES)
def test_a_typical_mistake_fails_the_graded_tests_with_its_specific_message(default_build, exercise_id):
    out, assignments = default_build
    assignment, graded_notebook = next((a, nb) for a in assignments for nb in a.notebooks
                                       if nb.number == exercise_id.split(".")[0])
    exercise = next(ex for ex in graded_notebook.exercises if ex.id == exercise_id)
    source = nbformat.read(out / "source" / assignment.name / graded_notebook.path.name, as_version=4)
    tests = by_grade_id(source)[build.grade_id("tests", exercise)].source
    hidden = tests.split(build.BEGIN_HIDDEN)[1].split(build.END_HIDDEN)[0]
    imports = f"import numpy as np\nimport nnlib\nfrom {graded_notebook.module} import {exercise.variable}\n"
    outcomes = graded_cells_outcomes([[imports + exercise.solution_code, tests],
                                      [imports + exercise.placeholder, tests],
                                      [imports + with_slip(exercise), tests],
                                      [imports + with_slip(exercise), hidden]])
    solution, untouched, slip, slip_hidden = outcomes
    assert solution is None, solution
    assert untouched.startswith(f"Exercise {exercise_id}: Not answered yet")
    words = BUILD_MISTAKES[exercise_id][1]
    assert slip.startswith(f"Exercise {exercise_id}: ") and words in slip, slip
    assert slip_hidden == slip, "the hidden test, with freshly loaded definitions, fails the same way"


# --- part 2: nbgrader ----------------------------------------------------------------------
def classroom_env():
    """The environment nbgrader runs in: no strict checks, and neither the capstone state file nor the learner's
    library folder of this test session, so each autograded notebook keeps its budget and its saved pieces beside
    itself, as in a real class (the perfect and the untouched courses, graded side by side, share nothing)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NNLIB_STRICT_CHECKS", "NNLIB_CAPSTONE_STATE", "NNLIB_MY_LIBRARY")}
    env["PATH"] = os.pathsep.join([str(CLASSROOM_BIN), env.get("PATH", "")])
    return env


def run(command, cwd):
    result = subprocess.run(command, cwd=cwd, env=classroom_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def submit(course, student, assignment, filename, notebook):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / filename)


def graded_exercises(graded_notebook):
    return [exercise for exercise in graded_notebook.exercises if exercise.id in graded_notebook.graded]


def answered(release, answers, written=()):
    """A copy of the release with the answer cells of the given exercises replaced ({exercise: source}), and the
    given written answers' cells replaced by their model answers."""
    notebook = copy.deepcopy(release)
    cells = by_grade_id(notebook)
    for exercise, source in answers.items():
        cells[build.grade_id("answer", exercise)].source = source
    for answer in written:
        cells[build.grade_id("written", answer)].source = answer.model_answer
    return notebook


def grades(course):
    run([CLASSROOM_BIN / "nbgrader", "export", "--to", "grades.csv"], course)
    with open(course / "grades.csv", newline="") as handle:
        return {(row["student_id"], row["assignment"]): (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(handle)}


WRITTEN_GRADES_SCRIPT = """
import json, sys
from nbgrader.api import Gradebook
student, cells = sys.argv[1], json.loads(sys.argv[2])
with Gradebook("sqlite:///gradebook.db") as gradebook:
    found = [gradebook.find_grade(grade_id, notebook, assignment, student) for grade_id, notebook, assignment in cells]
    print(json.dumps([[grade.auto_score, grade.needs_manual_grade] for grade in found]))
"""


def written_grades(course, student, assignments):
    """[auto_score, needs_manual_grade] of every graded written answer, from nbgrader's gradebook."""
    cells = [[build.grade_id("written", answer), graded_notebook.path.stem, assignment.name]
             for assignment in assignments for graded_notebook in assignment.notebooks
             for answer in graded_written(graded_notebook)]
    result = run([CLASSROOM_BIN / "python", "-c", WRITTEN_GRADES_SCRIPT, student, json.dumps(cells)], course)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build and release the course, submit three kinds of work, autograde; returns what tests need."""
    missing = [str(p.relative_to(REPO)) for p in (CLASSROOM_BIN / "nbgrader", KERNEL) if not p.exists()]
    if missing:
        reason = f"the classroom environment is missing ({', '.join(missing)}): run `make classroom` first"
        if os.environ.get("NNLIB_REQUIRE_CLASSROOM") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("classroom")
    course = root / "perfect"
    run([CLASSROOM_BIN / "python", REPO / "classroom" / "build.py", "--out", course, "--generate"], REPO)
    assignments = build.plan(build.load_config(REPO / "classroom" / "assignments.toml"), NOTEBOOK_DIR)
    shutil.copytree(course, root / "untouched")  # a second course folder (own gradebook): graded in parallel

    releases, cheated = {}, None
    for assignment in assignments:
        for graded_notebook in assignment.notebooks:
            name, exercises = graded_notebook.path.name, graded_exercises(graded_notebook)
            releases[name] = release = nbformat.read(course / "release" / assignment.name / name, as_version=4)
            solved = {exercise: exercise.solution_code for exercise in exercises}
            submit(root / "untouched", "untouched", assignment.name, name, release)
            submit(course, "perfect", assignment.name, name, answered(release, solved, graded_written(graded_notebook)))
            if cheated is None and exercises:  # solves all but the first, whose check it switches off
                cheated = (assignment, graded_notebook, exercises[0])
                solved[exercises[0]] = (exercises[0].placeholder
                                        + f"{exercises[0].variable}.assert_correct = lambda *a: None\n")
            if cheated and cheated[0] is assignment:
                submit(course, "cheater", assignment.name, name, answered(release, solved))

    autograde = [str(CLASSROOM_BIN / "nbgrader"), "autograde", "*", "--force"]
    jobs = [subprocess.Popen(autograde, cwd=folder, env=classroom_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for folder in (course, root / "untouched")]
    for job in jobs:
        log = job.communicate(timeout=900)[0]
        assert job.returncode == 0, f"nbgrader autograde failed:\n{log}"
    run([CLASSROOM_BIN / "nbgrader", "generate_feedback", cheated[0].name, "--student", "perfect"], course)
    scores = {**grades(course), **grades(root / "untouched")}
    written = {"perfect": written_grades(course, "perfect", assignments),
               "untouched": written_grades(root / "untouched", "untouched", assignments)}
    return dict(root=root, course=course, assignments=assignments, releases=releases, scores=scores, cheated=cheated,
                written=written)


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_release_exercise_cells_are_the_self_study_placeholders(graded):
    for assignment in graded["assignments"]:
        for graded_notebook in assignment.notebooks:
            release = graded["releases"][graded_notebook.path.name]
            text = "\n".join(cell.source for cell in release.cells)
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
            assert "_test_labels" not in text, "test labels live only in hidden tests"
            cells = by_grade_id(release)
            for exercise in graded_exercises(graded_notebook):
                assert cells[build.grade_id("answer", exercise)].source.rstrip() == exercise.placeholder.rstrip()
                assert exercise.solution_code.split("\n", 1)[1].strip() not in text
                for grade in score_or_tests_ids(exercise):
                    visible = cells[grade].source
                    answers = ", ".join(exercise.answers)
                    assert visible.splitlines()[-1] == f"{exercise.variable}.assert_correct({answers})"
            for answer in graded_written(graded_notebook):
                assert cells[build.grade_id("written", answer)].source.rstrip() == answer.prompt
                assert answer.model_answer not in text


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_a_perfect_submission_gets_full_marks(graded):
    """Full marks, except the written answers: nbgrader leaves them to a person (scored 0 until graded by hand)."""
    for assignment in graded["assignments"]:
        assert graded["scores"][("perfect", assignment.name)] == (assignment.max_score - assignment.manual_score,
                                                                  assignment.max_score)
    assert graded["written"]["perfect"] and all(grade == [None, True] for grade in graded["written"]["perfect"])


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_the_untouched_release_gets_zero_and_runs_to_the_end(graded):
    for assignment in graded["assignments"]:
        assert graded["scores"][("untouched", assignment.name)] == (0.0, assignment.max_score)
        for graded_notebook in assignment.notebooks:
            autograded = graded["root"] / "untouched" / "autograded" / "untouched"
            path = autograded / assignment.name / graded_notebook.path.name
            notebook = nbformat.read(path, as_version=4)
            failed = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells
                      if any(output.output_type == "error" for output in cell.get("outputs", []))]
            expected = [grade for exercise in graded_exercises(graded_notebook)
                        for grade in score_or_tests_ids(exercise)]
            assert failed == expected, "only the test cells may fail on unanswered exercises"
            assert all("Not answered yet" in "".join(o.get("evalue", "") for o in notebook.cells[i].outputs)
                       for i, c in enumerate(notebook.cells)
                       if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade"))
    # An untouched written answer is scored 0 by nbgrader itself, with nothing left to grade by hand.
    assert graded["written"]["untouched"] and all(grade == [0, False] for grade in graded["written"]["untouched"])


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_each_autograded_notebook_keeps_its_own_pieces_so_10_trains_on_stand_ins_and_says_why(graded):
    autograded = graded["course"] / "autograded" / "perfect"
    saved = {path.parent.parent.name: sorted(p.stem for p in path.parent.glob("*.py"))
             for path in autograded.glob("*/my_nnlib/README.txt")}
    for assignment, pieces in saved.items():  # each assignment's own folder holds only its own notebooks' pieces
        numbers = {notebook_number(notebook.path) for a in graded["assignments"] if a.name == assignment
                   for notebook in a.notebooks}
        assert pieces and all(PIECES[piece].notebook in numbers for piece in pieces), (assignment, pieces)
    digits = next(path for path in autograded.glob("*/10_*.ipynb"))
    text = "".join(output.get("text", "") for cell in nbformat.read(digits, as_version=4).cells
                   if cell.cell_type == "code" for output in cell.get("outputs", []))
    assert "is empty" in text and "graded on its own" in text
    assert f"nnlib stood in for {len(PIECES)} piece(s)" in text


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_switching_off_a_check_in_the_notebook_gains_nothing(graded):
    assignment, graded_notebook, exercise = graded["cheated"]
    assert graded["scores"][("cheater", assignment.name)] == (assignment.max_score - exercise.points,
                                                              assignment.max_score)
    path = graded["course"] / "autograded" / "cheater" / assignment.name / graded_notebook.path.name
    tests = by_grade_id(nbformat.read(path, as_version=4))[build.grade_id("tests", exercise)]
    (error,) = [output for output in tests.outputs if output.output_type == "error"]
    assert "sys.modules" in "\n".join(error.traceback), "the hidden test, not the switched-off one, must fail"


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_feedback_shows_the_score(graded):
    assignment, graded_notebook, _ = graded["cheated"]
    html = graded["course"] / "feedback" / "perfect" / assignment.name / f"{graded_notebook.path.stem}.html"
    assert html.exists()
    score = assignment.max_score
    assert re.search(rf"Score:\s*{score:.1f}\s*/\s*{score:.1f}", html.read_text(encoding="utf-8"))


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_typical_slips_in_the_build_exercises_score_zero_with_their_message(graded):
    """One submission of notebook 09 with two typical slips, momentum going uphill and Adam without its bias
    correction, everything else solved: nbgrader takes exactly those two exercises' points, and each failed tests
    cell shows the slip's own message."""
    course = graded["course"]
    assignment = next(a for a in graded["assignments"] if any(nb.number == "09" for nb in a.notebooks))
    slips = {}
    for graded_notebook in assignment.notebooks:
        exercises = graded_exercises(graded_notebook)
        answers = {exercise: (with_slip(exercise) if exercise.id in ("09.2", "09.3") else exercise.solution_code)
                   for exercise in exercises}
        slips.update({exercise.id: (graded_notebook, exercise) for exercise in exercises
                      if exercise.id in ("09.2", "09.3")})
        name = graded_notebook.path.name
        submit(course, "slipped", assignment.name, name,
               answered(graded["releases"][name], answers, graded_written(graded_notebook)))
    assert slips, "notebook 09's momentum and Adam exercises are graded"
    run([CLASSROOM_BIN / "nbgrader", "autograde", assignment.name, "--student", "slipped", "--force"], course)
    lost = sum(graded_notebook.graded[exercise.id] for graded_notebook, exercise in slips.values())
    assert grades(course)[("slipped", assignment.name)] == (assignment.max_score - assignment.manual_score - lost,
                                                           assignment.max_score)
    for exercise_id, (graded_notebook, exercise) in slips.items():
        path = course / "autograded" / "slipped" / assignment.name / graded_notebook.path.name
        tests = by_grade_id(nbformat.read(path, as_version=4))[build.grade_id("tests", exercise)]
        (error,) = [output for output in tests.outputs if output.output_type == "error"]
        assert BUILD_MISTAKES[exercise_id][1] in error["evalue"]
