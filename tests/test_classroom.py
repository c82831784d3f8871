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
import tomllib
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnlib.exercises import notebook_number
from nnlib.exercises.capstone import DEFAULTS_TEST_CORRECT
from nnlib.learner.pieces import PIECES

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(path for path in NOTEBOOK_DIR.glob("*.ipynb") if notebook_number(path))  # not 12r (R)
CLASSROOM_BIN = REPO / ".venv-classroom" / "bin"
KERNEL = REPO / ".venv-classroom" / "share" / "jupyter" / "kernels" / "nnlib-grading" / "kernel.json"

sys.path.insert(0, str(REPO / "classroom"))
from nnlib_grading import judge, sandbox  # noqa: E402

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
                assert "HIDDEN TESTS" not in cell.source
                assert "only the grader" in cell.source or build.GRADED_OUTSIDE in cell.source
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


def test_the_test_labels_are_in_no_notebook_and_the_tests_cells_hide_nothing(default_build):
    """The grader computes the capstone's score outside the kernel (classroom/nnlib_grading/judge.py): the labels are
    in no cell of the instructor's version, the student's or the learner's, and no tests cell has hidden tests."""
    out, assignments = default_build
    _, graded, source, exercise = capstone(default_build)
    labels = judge.labels_of(exercise)
    assert len(labels) == 2000 and set(labels) == set(range(26))
    cells = by_grade_id(source)
    tiers = [cells[grade] for grade in build.tier_grade_ids(exercise)]
    assert len(tiers) == len(exercise.tiers) == 2
    assert [cell.metadata["nbgrader"]["points"] for cell in tiers] == [3, 2]
    texts = [cell.source for a in assignments for nb in a.notebooks
             for cell in nbformat.read(out / "source" / a.name / nb.path.name, as_version=4).cells]
    assert not any("HIDDEN TESTS" in text or "_test_labels" in text for text in texts)
    assert not any(str(labels[:40])[1:-1] in text.replace("\n", " ") for text in texts)
    learner = graded.path.read_text(encoding="utf-8")
    assert str(labels[:40])[1:-1] not in learner and "_test_labels" not in learner, "the learner notebook has none"


def test_the_capstone_tiers_grade_by_the_thresholds(default_build):
    """judge() counts the predictions that match the test labels against each tier's threshold."""
    _, _, _, exercise = capstone(default_build)
    labels = judge.labels_of(exercise)
    defaults_beaten, needed = (tier.minimum_correct for tier in exercise.tiers)

    def passed(correct):
        predictions = np.array(labels)
        predictions[:len(labels) - correct] = (predictions[:len(labels) - correct] + 1) % 26  # this many wrong
        return [judge.judge(exercise, tier, [predictions], labels)[0] for tier in range(2)]

    assert judge.judge(exercise, 0, [...], labels)[0] is False
    assert passed(DEFAULTS_TEST_CORRECT) == passed(defaults_beaten - 1) == [False, False]
    assert passed(defaults_beaten) == passed(needed - 1) == [True, False]
    assert passed(needed) == passed(len(labels)) == [True, True]
    assert "(1500 of 2000 test cases right); these points need at least 1555" in judge.judge(exercise, 0, [
        np.where(np.arange(2000) < 1500, labels, (np.array(labels) + 1) % 26)], labels)[1]


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


def test_hub_lock_keeps_the_classroom_pins_but_those_debians_python_cannot_install():
    """hub/requirements.lock (make hub) is the classroom lock plus JupyterHub and nbgitpuller, resolved with Debian's
    Python 3.11.2; only the pins the Makefile names in HUB_UNPINNED (releases that need a newer 3.11) may differ."""
    def pins(path):
        lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
        return dict(line.split("==") for line in lines if "==" in line)
    unpinned = re.search(r"^HUB_UNPINNED := (.*)$", (REPO / "Makefile").read_text(), re.MULTILINE).group(1).split()
    classroom, hub = pins(REPO / "classroom" / "requirements.lock"), pins(REPO / "hub" / "requirements.lock")
    differ = {name: (version, hub.get(name)) for name, version in classroom.items()
              if hub.get(name) != version and name not in unpinned}
    assert not differ, f"re-run `make hub-lock`: hub/requirements.lock differs from the classroom lock {differ}"
    assert hub["jupyterhub"].split(".")[0] in ("5", "6")
    from packaging.specifiers import SpecifierSet
    (spec,) = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["hub"]
    assert hub["nbgitpuller"] in SpecifierSet(spec.removeprefix("nbgitpuller")), f"nbgitpuller outside {spec}"


# --- typical mistakes in the "from scratch" exercises --------------------------------------
# A typical slip fails the exercise's graded tests cell with the same specific message as the self-check, so nbgrader
# gives the exercise 0 points: tests/test_grading_bridge.py checks each outside a kernel, part 2 under nbgrader.
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

def with_slip(exercise):
    (old, new), _ = BUILD_MISTAKES[exercise.id]
    assert old in exercise.solution_code, f"{exercise.id}: the slip must change the solution"
    return exercise.solution_code.replace(old, new)


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


def kernel_python():
    """The grading kernel's Python (the student edition's environment), from the kernelspec make classroom wrote."""
    argv = json.loads(KERNEL.read_text(encoding="utf-8"))["argv"]
    return Path(argv[argv.index("--python") + 1])


def require_classroom():
    """Skip (or, in CI, fail) unless nbgrader, the grading kernel and root (to grade as other users) are here."""
    missing = [str(p.relative_to(REPO)) for p in (CLASSROOM_BIN / "nbgrader", KERNEL) if not p.exists()]
    reason = (f"the classroom environment is missing ({', '.join(missing)}): run `make classroom` first" if missing
              else "grading runs each submission as an unprivileged Unix user, which needs root" if os.geteuid()
              else None)
    if reason and os.environ.get("NNLIB_REQUIRE_CLASSROOM") == "1":
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)


# What a determined student tries (issue 34). Each runs in an answer cell of an otherwise honest submission.
PATCH_THE_CHECKS = """
import importlib, nnlib.exercises.framework as _framework
_framework.Exercise.feedback = lambda self, *answers, **options: ("correct", "Correct!")
_framework.Exercise.assert_correct = lambda self, *answers: None
importlib.reload = lambda module: module
"""
REPLACE_LATER_CELLS = """
predictions = np.zeros(len(X_test), dtype=int)
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
"""
PATCH_SUM = """
import builtins
builtins.sum = lambda *values, **options: 10**6
"""
REACH_OUT = """
import nnlib.exercises.framework as _framework
for _path in [_framework.__file__, {framework!r}]:
    try:
        with open(_path, "a") as _file:
            _file.write("\\nExercise.feedback = lambda self, *a, **k: ('correct', 'Correct!')\\n")
        print("CHANGED", _path)
    except OSError as _error:
        print("REFUSED", _path, type(_error).__name__)
for _path in {private!r}:
    try:
        open(_path, "rb").read(1)
        print("OPENED", _path)
    except OSError as _error:
        print("DENIED", _path, type(_error).__name__)
"""


def attacked(release, graded_notebook, exercise, code, answer=None):
    """An otherwise perfect submission whose ``exercise`` answer is ``answer`` (default: its placeholder) + ``code``."""
    solved = {ex: ex.solution_code for ex in graded_exercises(graded_notebook)}
    solved[exercise] = (answer or exercise.placeholder) + "\n" + code
    return answered(release, solved)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build and release the course, submit honest work and attacks, autograde; returns what tests need."""
    require_classroom()
    root = tmp_path_factory.mktemp("classroom")  # under pytest's own folder, which only root can enter
    course = root / "perfect"
    run([CLASSROOM_BIN / "python", REPO / "classroom" / "build.py", "--out", course, "--generate"], REPO)
    assignments = build.plan(build.load_config(REPO / "classroom" / "assignments.toml"), NOTEBOOK_DIR)
    shutil.copytree(course, root / "untouched")  # a second course folder (own gradebook): graded in parallel
    private = [course / "gradebook.db", course / "source", REPO / "nnlib" / "exercises" / "nb01.py"]
    if problems := sandbox.problems(kernel_python(), private, user="nnlib-grader-p"):
        pytest.fail("grading would not be isolated here: " + "; ".join(problems))

    releases, cheated, attacks = {}, None, {}
    by_number = {nb.number: (a, nb) for a in assignments for nb in a.notebooks}
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

    def attack(student, number, exercise_id, code, answer=None):
        assignment, graded_notebook = by_number[number]
        exercise = next(ex for ex in graded_notebook.exercises if ex.id == exercise_id)
        name = graded_notebook.path.name
        notebook = attacked(releases[name], graded_notebook, exercise, code, answer)
        submit(course, student, assignment.name, name, notebook)
        attacks[student] = (assignment, graded_notebook, exercise)

    line = next(ex for ex in by_number["01"][1].exercises if ex.id == "01.1")
    (scored,) = [ex for ex in by_number["13"][1].exercises if isinstance(ex, ScoredExercise)]
    labels = np.array(judge.labels_of(scored))
    half_right = np.where(np.arange(len(labels)) % 2 == 0, labels, (labels + 1) % 26).tolist()
    attack("attack-patch", "01", "01.1", PATCH_THE_CHECKS, with_slip(line))
    attack("attack-hook", "13", scored.id, REPLACE_LATER_CELLS)
    attack("attack-sum", "13", scored.id, PATCH_SUM + f"predictions = np.array({half_right})\n")
    framework = REPO / "nnlib" / "exercises" / "framework.py"
    other = course / "submitted" / "perfect" / by_number["01"][0].name / by_number["01"][1].path.name
    attack("attack-write", "01", "01.1", REACH_OUT.format(framework=str(framework), private=[
        str(course / "gradebook.db"), str(other), str(REPO / "nnlib" / "exercises" / "nb01.py")]), with_slip(line))
    submit(course, "zz-after-the-attack", by_number["01"][0].name, by_number["01"][1].path.name,
           releases[by_number["01"][1].path.name])  # untouched, graded after attack-write by the same grading user
    framework_before = framework.read_bytes()

    autograde = [str(CLASSROOM_BIN / "nbgrader"), "autograde", "*", "--force"]
    jobs = [subprocess.Popen(autograde, cwd=folder, env={**classroom_env(), "NNLIB_GRADING_USER": user},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for folder, user in ((course, "nnlib-grader-p"), (root / "untouched", "nnlib-grader-u"))]
    for job in jobs:
        log = job.communicate(timeout=1200)[0]
        assert job.returncode == 0, f"nbgrader autograde failed:\n{log}"
    assert framework.read_bytes() == framework_before, "a submission changed the instructor's checkout"
    run([CLASSROOM_BIN / "nbgrader", "generate_feedback", cheated[0].name, "--student", "perfect"], course)
    scores = {**grades(course), **grades(root / "untouched")}
    written = {"perfect": written_grades(course, "perfect", assignments),
               "untouched": written_grades(root / "untouched", "untouched", assignments)}
    return dict(root=root, course=course, assignments=assignments, releases=releases, scores=scores, cheated=cheated,
                written=written, attacks=attacks)


def autograded(graded, student, assignment, graded_notebook):
    path = graded["course"] / "autograded" / student / assignment.name / graded_notebook.path.name
    return nbformat.read(path, as_version=4)


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
def test_each_autograded_notebook_is_graded_on_its_own_so_10_trains_on_stand_ins_and_says_why(graded):
    """The grader saves no pieces (a verdict is computed outside the kernel), so a notebook that trains on the
    learner's library finds it empty and says that nnlib stands in."""
    digits = next(path for path in (graded["course"] / "autograded" / "perfect").glob("*/10_*.ipynb"))
    text = "".join(output.get("text", "") for cell in nbformat.read(digits, as_version=4).cells
                   if cell.cell_type == "code" for output in cell.get("outputs", []))
    assert "is empty" in text and "graded on its own" in text
    assert f"nnlib stood in for {len(PIECES)} piece(s)" in text


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_switching_off_a_check_in_the_notebook_gains_nothing(graded):
    assignment, graded_notebook, exercise = graded["cheated"]
    assert graded["scores"][("cheater", assignment.name)] == (assignment.max_score - exercise.points,
                                                              assignment.max_score)
    tests = by_grade_id(autograded(graded, "cheater", assignment, graded_notebook))[
        build.grade_id("tests", exercise)]
    (error,) = [output for output in tests.outputs if output.output_type == "error"]
    assert "Not answered yet" in error.evalue and "graded outside your notebook" in "\n".join(error.traceback)


def lost_to_the_attack(graded, student):
    """(score, expected score): the attacked exercise scores 0, the rest of the honest submission keeps its points."""
    assignment, graded_notebook, exercise = graded["attacks"][student]
    expected = assignment.max_score - assignment.manual_score - graded_notebook.graded[exercise.id]
    return graded["scores"][(student, assignment.name)], (expected, assignment.max_score)


@pytest.mark.slow  # nbgrader autogrades whole notebooks
@pytest.mark.parametrize("student", ["attack-patch", "attack-hook", "attack-sum", "attack-write"])
def test_an_attack_in_the_notebook_scores_zero_for_its_exercise_and_honest_work_keeps_its_grade(graded, student):
    """Patching the exercise classes and importlib.reload (01), a hook that replaces every later cell (13), patching
    builtins.sum with half the predictions right (13), writing to the installed course (01): each answer stays what
    it is, wrong, because the verdict is computed outside the kernel; the honest submission graded in the same run
    keeps full marks (test_a_perfect_submission_gets_full_marks)."""
    score, expected = lost_to_the_attack(graded, student)
    assert score == expected
    assignment, graded_notebook, exercise = graded["attacks"][student]
    cells = by_grade_id(autograded(graded, student, assignment, graded_notebook))
    ids = score_or_tests_ids(exercise)
    for grade in ids:
        (error,) = [output for output in cells[grade].outputs if output.output_type == "error"]
        assert f"Exercise {exercise.id}" in error.evalue or "test cases right" in error.evalue, error.evalue
    if student == "attack-sum":
        assert "(1000 of 2000 test cases right)" in cells[ids[0]].outputs[0].evalue


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_a_submission_can_write_only_its_own_folder_and_read_nothing_private(graded):
    """Its kernel runs as an unprivileged user: the installed course and the instructor's checkout refuse its writes,
    the gradebook, another student's submission and the solutions refuse its reads, and the untouched submission
    graded after it by the same grading user still scores 0 (the fixture also checks the checkout is unchanged)."""
    assignment, graded_notebook, exercise = graded["attacks"]["attack-write"]
    answer = by_grade_id(autograded(graded, "attack-write", assignment, graded_notebook))[
        build.grade_id("answer", exercise)]
    printed = "".join(output.get("text", "") for output in answer.outputs)
    assert printed.count("REFUSED") == 2 and printed.count("DENIED") == 3, printed
    assert "CHANGED" not in printed and "OPENED" not in printed
    assert graded["scores"][("zz-after-the-attack", assignment.name)] == (0.0, assignment.max_score)


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


@pytest.mark.slow  # nbgrader autogrades whole notebooks
def test_grading_several_submissions_at_once_gives_each_the_grade_it_got_alone(graded):
    """classroom/grade.py grades the submissions of notebook 01 (at most 10, as CI allows) two at a time, each
    `nbgrader autograde --student` with its own grading user, after checking that grading is isolated: every student
    gets the score the one-at-a-time run gave."""
    course = graded["course"]
    assignment = next(a for a in graded["assignments"] if any(nb.number == "01" for nb in a.notebooks))
    submitted = sorted(path.parent.name for path in (course / "submitted").glob(f"*/{assignment.name}"))
    before = {(student, assignment.name): graded["scores"][(student, assignment.name)] for student in submitted}
    assert 3 <= len(before) <= 10 and len(set(before.values())) > 2, before
    result = run([CLASSROOM_BIN / "python", REPO / "classroom" / "grade.py", assignment.name, "--jobs", "2",
                  "--json", course / "timings.json"], course)
    timings = json.loads((course / "timings.json").read_text())
    assert timings["failed"] == [] and sorted(timings["seconds"]) == submitted
    assert f"{len(before)} submission(s) of {assignment.name} graded" in result.stdout
    after = grades(course)
    assert {key: after[key] for key in before} == before
