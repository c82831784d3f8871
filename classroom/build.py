"""Build the nbgrader course folder for a classroom from the learner notebooks.

The single source of truth for every exercise is its ``nnlib.exercises.framework.Exercise``
in ``nnlib/exercises/nbNN.py`` (placeholder, solution, checker, hints, points).
This script reads each learner notebook ``notebooks/NN_*.ipynb``, checks that
its exercise cells equal those definitions, and writes an nbgrader *source*
notebook to ``<out>/source/<assignment>/`` in which, for every graded exercise,

- the exercise cell becomes an "autograded answer" cell: the learner's
  placeholder followed by the solution between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION``; nbgrader removes that region from the student version,
  so students start from exactly the self-study placeholder (``answer = ...``);
- the check cell ``qk.check(...)`` becomes an "autograder tests" cell worth the
  exercise's points, ``qk.assert_correct(...)``: what the student runs before
  submitting. When nbgrader autogrades, that code does not run: the grader
  (``nnlib_grading.verdict``) computes the cell's result outside the kernel, with the
  exercise's checker, from the answers as plain data, so nothing in the notebook
  can change a verdict (docs/instructor_guide.md, "What grading guarantees");
- for a ``ScoredExercise`` (predictions for a test set, notebook 13) the check cell
  becomes one tests cell per score tier, each worth its share of the points; the
  grader counts the predictions that match the test labels against the tier's
  threshold. The labels are in no notebook: only the grader reads them;
- a ``WrittenAnswer``'s markdown cell becomes a "manually graded answer" cell: the
  prompt the learner sees, then a model answer for the graders as the region
  nbgrader removes.

The learner notebooks are only read. Which notebooks and exercises are graded,
and their points, come from ``classroom/assignments.toml``.

Usage (nbgrader is needed only for --generate; ``make classroom`` does all of it):

    python classroom/build.py [--out build/classroom] [--config classroom/assignments.toml]
                              [--notebooks notebooks] [--kernel-name nnlib-grading] [--generate]
"""
import argparse
import copy
import importlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nnlib.exercises import NUMBER, notebook_number
from nnlib.exercises.framework import exercises_in
from nnlib.exercises.graded import ScoredExercise, written_in

sys.path.insert(0, str(Path(__file__).resolve().parent))  # nnlib_grading, next to this file
from nnlib_grading.ids import grade_id, tier_grade_ids  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HEADER = re.compile(rf"^# Exercise ({NUMBER}\.\d+): ")
WRITTEN_HEADER = re.compile(rf"^\*\*Written answer ({NUMBER}\.\d+): ")
NOTEBOOK_KEYS = {"graded", "points", "assignment", "skip"}
TOP_KEYS = {"course_id", "solutions", "notebook"}
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"


class ClassroomError(Exception):
    """A problem with the configuration or the notebooks, explained for the instructor."""


@dataclass
class GradedNotebook:
    """One learner notebook in the classroom: its exercises and written answers, and which of them are graded
    (id -> points)."""
    path: Path
    module: str
    exercises: list
    graded: dict = field(default_factory=dict)
    written: list = field(default_factory=list)

    @property
    def number(self):
        return notebook_number(self.path)

    @property
    def manual_score(self):
        """The points of the graded written answers, which nbgrader leaves to a person."""
        return sum(self.graded[answer.id] for answer in self.written if answer.id in self.graded)


@dataclass
class Assignment:
    name: str
    notebooks: list = field(default_factory=list)

    @property
    def max_score(self):
        return sum(sum(nb.graded.values()) for nb in self.notebooks)

    @property
    def manual_score(self):
        return sum(nb.manual_score for nb in self.notebooks)


# --- configuration -------------------------------------------------------------------------
def load_config(path):
    """Read assignments.toml and check its keys; returns a dict."""
    path = Path(path)
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClassroomError(f"no configuration file at {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise ClassroomError(f"{path} is not valid TOML: {error}") from None
    unknown = set(config) - TOP_KEYS
    if unknown:
        raise ClassroomError(f"{path}: unknown setting(s) {sorted(unknown)}; known: {sorted(TOP_KEYS)}")
    if config.get("solutions", "hidden") not in ("hidden", "shown"):
        raise ClassroomError(f"{path}: solutions must be \"hidden\" or \"shown\", not {config['solutions']!r}")
    for number, table in config.get("notebook", {}).items():
        if not re.fullmatch(NUMBER, number) or not isinstance(table, dict):
            raise ClassroomError(f'{path}: notebook tables are named by their number, e.g. [notebook."01"] or '
                                 f'[notebook."06b"]; got {number!r}')
        unknown = set(table) - NOTEBOOK_KEYS
        if unknown:
            raise ClassroomError(f'{path}: [notebook."{number}"] has unknown key(s) {sorted(unknown)}; '
                                 f"known: {sorted(NOTEBOOK_KEYS)}")
    return config


def plan(config, notebook_dir):
    """The assignments to build: every notebook NN_*.ipynb unless skipped, with its graded exercises."""
    notebooks = sorted(path for path in Path(notebook_dir).glob("*.ipynb") if notebook_number(path))
    if not notebooks:
        raise ClassroomError(f"no notebooks NN_*.ipynb in {notebook_dir}")
    overrides = dict(config.get("notebook", {}))
    assignments = {}
    for path in notebooks:
        table = overrides.pop(notebook_number(path), {})
        if table.get("skip", False):
            continue
        module_name = f"nnlib.exercises.nb{notebook_number(path)}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            raise ClassroomError(f"{path.name} has no exercise definitions: {module_name} does not exist") from None
        exercises, written = exercises_in(module), written_in(module)
        notebook = GradedNotebook(path, module_name, exercises, written=written)
        by_id = {item.id: item for item in exercises + written}
        graded = table.get("graded", list(by_id))
        points = table.get("points", {})
        for ex_id in list(graded) + list(points):
            if ex_id not in by_id:
                raise ClassroomError(f'[notebook."{notebook.number}"]: exercise {ex_id!r} is not in {module_name} '
                                     f"(it has {', '.join(by_id) or 'no exercises'})")
        for ex_id in by_id:  # keep the notebook's order
            if ex_id in graded:
                value = points.get(ex_id, by_id[ex_id].points)
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                    raise ClassroomError(f"points for {ex_id} must be a positive number, not {value!r}")
                notebook.graded[ex_id] = value
        name = table.get("assignment", path.stem)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
            raise ClassroomError(f"assignment name {name!r}: use letters, digits, '_', '-', '.' (no spaces)")
        assignments.setdefault(name, Assignment(name)).notebooks.append(notebook)
    if overrides:
        raise ClassroomError(f"the configuration names notebook(s) {sorted(overrides)}, "
                             f"but there is no notebooks/NN_*.ipynb for them")
    return list(assignments.values())


# --- notebooks -----------------------------------------------------------------------------
def exercise_cells(notebook):
    """(index, exercise id) of each code cell whose first line announces an exercise."""
    return [(i, HEADER.match(cell.source).group(1)) for i, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and HEADER.match(cell.source)]


def written_cells(notebook):
    """(index, answer id) of each markdown cell whose first line announces a written answer."""
    return [(i, WRITTEN_HEADER.match(cell.source).group(1)) for i, cell in enumerate(notebook.cells)
            if cell.cell_type == "markdown" and WRITTEN_HEADER.match(cell.source)]


def check_against_definitions(notebook, graded_notebook):
    """Raise ClassroomError unless the notebook's exercise and written-answer cells equal their definitions."""
    by_id = {ex.id: ex for ex in graded_notebook.exercises}
    cells = exercise_cells(notebook)
    name = graded_notebook.path.name
    if [ex_id for _, ex_id in cells] != list(by_id):
        raise ClassroomError(f"{name}: its exercise cells {[i for _, i in cells]} do not match the exercises "
                             f"{list(by_id)} of {graded_notebook.module}")
    for index, ex_id in cells:
        exercise = by_id[ex_id]
        if notebook.cells[index].source != exercise.placeholder.rstrip("\n"):
            raise ClassroomError(f"{name}: the cell of exercise {ex_id} differs from its placeholder in "
                                 f"{graded_notebook.module}: edit the definition, not the notebook")
        if index + 1 >= len(notebook.cells) or notebook.cells[index + 1].source != exercise.check_code:
            raise ClassroomError(f"{name}: the cell after exercise {ex_id} must be {exercise.check_code!r}")
    written = {answer.id: answer for answer in graded_notebook.written}
    cells = written_cells(notebook)
    if [answer_id for _, answer_id in cells] != list(written):
        raise ClassroomError(f"{name}: its written-answer cells {[i for _, i in cells]} do not match the written "
                             f"answers {list(written)} of {graded_notebook.module}")
    for index, answer_id in cells:
        if notebook.cells[index].source != written[answer_id].prompt:
            raise ClassroomError(f"{name}: the cell of written answer {answer_id} differs from its prompt in "
                                 f"{graded_notebook.module}: edit the definition, not the notebook")


def nbgrader_metadata(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def tier_points(exercise, points):
    """The exercise's points, split by the tiers' shares (whole numbers stay whole: 5 -> [3, 2])."""
    shares = [round(points * tier.share, 6) for tier in exercise.tiers]
    return [int(share) if share == int(share) else share for share in shares]


def answer_source(exercise):
    """The placeholder, then the solution (without its header line) as the region nbgrader removes."""
    body = exercise.solution_code.split("\n", 1)[1].strip("\n")
    return f"{exercise.placeholder.rstrip()}\n{BEGIN_SOLUTION}\n{body}\n{END_SOLUTION}"


GRADED_OUTSIDE = ("# When your work is graded, this cell's result is computed by the grader, outside your notebook, "
                  "from your answers.")


def tests_source(exercise, points):
    answers = ", ".join(exercise.answers)
    plural = "s" * (points != 1)
    return "\n".join([
        f"# Tests for exercise {exercise.id} ({points:g} point{plural}): quiet when your answer passes the check here,",
        "# an error that says what is wrong otherwise.",
        GRADED_OUTSIDE,
        f"{exercise.variable}.assert_correct({answers})",
    ])


def score_tests_source(exercise, points, tier):
    """A tests cell for one tier of a scored exercise: the format checked here, the score computed when graded."""
    (answer,) = exercise.answers
    plural = "s" * (points != 1)
    heading = f"Tests for exercise {exercise.id}: {points:g} point{plural} if your predictions {tier.reason}."
    return "\n".join([
        *textwrap.wrap(heading, width=110, initial_indent="# ", subsequent_indent="# "),
        "# Here the format of your predictions is tested; when your work is graded, their score on the test set,",
        "# against test labels that only the grader has.",
        f"{exercise.variable}.assert_correct({answer})",
    ])


def written_source(answer):
    """The prompt, then the model answer (for the graders) as the region nbgrader removes."""
    return f"{answer.prompt}\n{BEGIN_SOLUTION}\n{answer.model_answer}\n{END_SOLUTION}"


def notice_item(item, points):
    text = f"{item.id} *{item.title}* ({points:g} point{'s' * (points != 1)}"
    if isinstance(item, ScoredExercise):
        shares = tier_points(item, points)
        text += ": " + ", ".join(f"{share:g} if your predictions {tier.reason}"
                                 for share, tier in zip(shares, item.tiers))
    elif not hasattr(item, "check_code"):  # a written answer
        text += ", graded by hand"
    return text + ")"


def notice_source(graded_notebook, hide_solutions):
    by_id = {item.id: item for item in graded_notebook.exercises + graded_notebook.written}
    items = [notice_item(by_id[item_id], p) for item_id, p in graded_notebook.graded.items()]
    total = sum(graded_notebook.graded.values())
    written = [answer for answer in graded_notebook.written if answer.id in graded_notebook.graded]
    scored = [by_id[item_id] for item_id in graded_notebook.graded if isinstance(by_id[item_id], ScoredExercise)]
    lines = [f"> **Graded assignment.** {len(items)} exercise{'s' * (len(items) != 1)} "
             f"{'is' if len(items) == 1 else 'are'} graded here, {total:g} point{'s' * (total != 1)} "
             f"in all: {'; '.join(items)}.",
             ">",
             "> Answer in each exercise cell by replacing the `...`, then run the test cell below it: it stays "
             "quiet when your answer is right, and stops with an error that says what is wrong otherwise. "
             "When your work is graded the same tests run again, together with hidden ones."]
    if scored:
        lines += [">", "> Predictions for a test set are scored when your work is graded, against test labels that "
                       "only the grader has; their test cells here check the format only."]
    if written:
        lines += [">", f"> Write your answer{'s' * (len(written) != 1)} in the markdown cell"
                       f"{'s' * (len(written) != 1)} marked *Written answer*, in place of the prompt; "
                       f"{'they are' if len(written) != 1 else 'it is'} graded by hand."]
    lines += [">",
              "> Hints work as usual (`q1.hint()`)."
              + (" Solutions stay hidden until your work is graded." if hide_solutions else ""),
              ">",
              "> Before you submit: *Kernel → Restart Kernel and Run All Cells*, and check that it runs to the end."]
    return "\n".join(lines)


def hide_solutions_source(variables):
    return "\n".join([
        "# Graded version: the exercises' solutions stay hidden until your work is graded (hints still work).",
        f"for _exercise in [{', '.join(variables)}]:",
        '    _exercise.solution = lambda: print("Solutions are hidden in the graded version: try .hint().")',
    ])


def classroom_notebook(learner, graded_notebook, hide_solutions=True):
    """The nbgrader source version of one learner notebook (the learner notebook is not changed)."""
    check_against_definitions(learner, graded_notebook)
    notebook = copy.deepcopy(learner)
    by_id = {ex.id: ex for ex in graded_notebook.exercises}
    insertions = []  # (index, cells): the extra tests cells of scored exercises, inserted at the end
    for index, ex_id in exercise_cells(learner):
        if ex_id not in graded_notebook.graded:
            continue
        exercise, points = by_id[ex_id], graded_notebook.graded[ex_id]
        answer, tests = notebook.cells[index], notebook.cells[index + 1]
        answer.source = answer_source(exercise)
        answer.metadata.update(nbgrader_metadata(grade_id("answer", exercise), solution=True))
        if not isinstance(exercise, ScoredExercise):
            tests.source = tests_source(exercise, points)
            tests.metadata.update(nbgrader_metadata(grade_id("tests", exercise), grade=True, locked=True,
                                                    points=points))
            continue
        cells = [tests]
        for number, (tier, share, grade) in enumerate(zip(exercise.tiers, tier_points(exercise, points),
                                                          tier_grade_ids(exercise))):
            if number:
                cells.append(nbformat.v4.new_code_cell())
                cells[-1]["id"] = f"classroom-{grade.replace('_', '-')}"  # fixed ids keep rebuilds identical
            cells[-1].source = score_tests_source(exercise, share, tier)
            cells[-1].metadata.update(nbgrader_metadata(grade, grade=True, locked=True, points=share))
        insertions.append((index + 2, cells[1:]))
    for at, cells in reversed(insertions):
        notebook.cells[at:at] = cells
    written = {answer.id: answer for answer in graded_notebook.written}
    for index, answer_id in written_cells(notebook):
        if answer_id in graded_notebook.graded:
            answer = written[answer_id]
            notebook.cells[index].source = written_source(answer)
            notebook.cells[index].metadata.update(nbgrader_metadata(grade_id("written", answer), grade=True,
                                                                    solution=True,
                                                                    points=graded_notebook.graded[answer_id]))
    if not graded_notebook.graded:
        return notebook
    if hide_solutions:
        importer = re.compile(rf"^from {re.escape(graded_notebook.module)} import ", re.MULTILINE)
        at = next((i for i, cell in enumerate(notebook.cells)
                   if cell.cell_type == "code" and importer.search(cell.source)), None)
        if at is None:
            raise ClassroomError(f"{graded_notebook.path.name}: no cell imports the exercises "
                                 f"(from {graded_notebook.module} import ...)")
        variables = [by_id[ex_id].variable for ex_id in graded_notebook.graded if ex_id in by_id]
        cell = nbformat.v4.new_code_cell(hide_solutions_source(variables),
                                         metadata=nbgrader_metadata(f"hide_solutions_{graded_notebook.number}",
                                                                    locked=True))
        cell["id"] = f"classroom-hide-solutions-{graded_notebook.number}"  # fixed ids keep rebuilds identical
        notebook.cells.insert(at + 1, cell)
    notice = nbformat.v4.new_markdown_cell(notice_source(graded_notebook, hide_solutions))
    notice["id"] = f"classroom-notice-{graded_notebook.number}"
    notebook.cells.insert(1, notice)
    return notebook


# --- the course folder ---------------------------------------------------------------------
NBGRADER_CONFIG = '''\
"""nbgrader settings for the nnlib course, written by classroom/build.py (a rebuild overwrites this file).

Put your own settings (exchange root, due dates, late penalties, ...) in nbgrader_config_local.py
next to this file: it is loaded at the end and a rebuild keeps it.
"""
import os

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)
root = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = root
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(root, "gradebook.db")

# The student version keeps the self-study placeholder (answer = ...) that precedes each
# "### BEGIN SOLUTION" region; the region itself is replaced by nothing. A written answer (a markdown
# cell) keeps its prompt the same way, and loses the model answer written for the graders.
c.ClearSolutions.code_stub = {{"python": ""}}
c.ClearSolutions.text_stub = ""

# autograde and validate run the notebooks with this kernel: the student edition of the course, started by
# classroom/nnlib_grading/sandbox.py as an unprivileged Unix user (make classroom installs the kernelspec).
c.ExecutePreprocessor.kernel_name = {kernel_name!r}
c.Execute.timeout = 300

# Every tests cell is graded outside the kernel, from the answers as plain data (classroom/nnlib_grading/verdict.py):
# nbgrader's Execute is replaced by ExecuteAndGradeOutside, the rest of autograde is nbgrader's own.
import sys  # noqa: E402
sys.path.insert(0, {grading_path!r})
c.Autograde.autograde_preprocessors = [
    "nnlib_grading.verdict.ExecuteAndGradeOutside", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata"]

local = os.path.join(root, "nbgrader_config_local.py")
if os.path.exists(local):
    load_subconfig(local)  # noqa: F821
'''


def build(out, config, notebook_dir, kernel_name="nnlib-grading"):
    """Write the course folder; returns the list of Assignments. Only source/<assignment>/ is replaced."""
    out = Path(out)
    assignments = plan(config, notebook_dir)
    hide_solutions = config.get("solutions", "hidden") == "hidden"
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(
        NBGRADER_CONFIG.format(course_id=config.get("course_id", "nnlib-course"), kernel_name=kernel_name,
                               grading_path=str(Path(__file__).resolve().parent)),
        encoding="utf-8")
    for assignment in assignments:
        folder = out / "source" / assignment.name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for graded_notebook in assignment.notebooks:
            learner = nbformat.read(graded_notebook.path, as_version=4)
            nbformat.write(classroom_notebook(learner, graded_notebook, hide_solutions),
                           folder / graded_notebook.path.name)
    return assignments


def generate(out, assignments):
    """Run `nbgrader generate_assignment` for each assignment (needs nbgrader in this Python)."""
    try:
        import nbgrader  # noqa: F401
    except ModuleNotFoundError:
        raise ClassroomError("nbgrader is not installed in this Python: run `make classroom`, which builds "
                             "the course with .venv-classroom/bin/python") from None
    # nbgrader runs the `alembic` program of its environment: put that environment's bin/ first on PATH.
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    names = [assignment.name for assignment in assignments]
    present = sorted(path.name for path in (Path(out) / "source").iterdir() if path.is_dir())
    # One nbgrader run for all ("*") is much faster, but only if source/ holds nothing else of yours.
    for name in ["*"] if present == sorted(names) else names:
        command = [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force"]
        result = subprocess.run(command, cwd=out, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise ClassroomError(f"nbgrader generate_assignment {name} failed:\n{result.stderr}")


def kernel_is_installed(name):
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ModuleNotFoundError:
        return False
    return name in KernelSpecManager().find_kernel_specs()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "build" / "classroom"), help="the nbgrader course folder")
    parser.add_argument("--config", default=str(REPO / "classroom" / "assignments.toml"))
    parser.add_argument("--notebooks", default=str(REPO / "notebooks"), help="the learner notebooks")
    parser.add_argument("--kernel-name", default="nnlib-grading", help="kernel that autograde runs")
    parser.add_argument("--generate", action="store_true", help="also run nbgrader generate_assignment")
    args = parser.parse_args(argv)
    try:
        assignments = build(args.out, load_config(args.config), args.notebooks, args.kernel_name)
        if args.generate:
            generate(args.out, assignments)
    except ClassroomError as error:
        print(f"classroom build failed: {error}", file=sys.stderr)
        return 1
    out = Path(args.out).resolve()
    print(f"Course folder: {out}")
    for assignment in assignments:
        graded = sum(len(nb.graded) for nb in assignment.notebooks)
        by_hand = f" ({assignment.manual_score:g} of them graded by hand)" if assignment.manual_score else ""
        print(f"  {assignment.name}: {len(assignment.notebooks)} notebook(s), {graded} graded exercise(s), "
              f"{assignment.max_score:g} points{by_hand}")
    if args.generate:
        print(f"Student version (give these to students): {out / 'release'}/<assignment>/")
    print(f"Instructor version with solutions: {out / 'source'}/<assignment>/")
    if not kernel_is_installed(args.kernel_name):
        print(f"warning: no Jupyter kernel {args.kernel_name!r} here; nbgrader autograde needs it "
              "(make classroom installs it)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
