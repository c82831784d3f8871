"""Line budgets that were met stay met (issue 28): the learner path reads as the lesson, in files a learner can read
in one sitting. A new feature finds its room elsewhere, or displaces lines, rather than regrowing these files.
The rooms stay livable (issue 31): each module named for its job, none reaching into another's private names, no
exercise helper written twice."""
import ast
from pathlib import Path

import pytest

NNLIB = Path(__file__).resolve().parent.parent / "nnlib"
# The modules holding the pieces the learner writes and the code that trains them (README, "nnlib, module by module");
# history.py was part of train.py when the budget was set.
LEARNER_PATH = ("layers", "losses", "network", "optim", "schedules", "initializers", "train", "history", "models")
LEARNER_PATH_BUDGET = 965  # 850, and 115 for dropout, batch normalisation and weight decay (issue 33 allowed 150)
BUDGETS = {"models": 260, "train": 130, "line": 40}
CORE_BUDGET = 2120  # nnlib/*.py: the network, its training and tuning, and the checks they use (2000 + issue 33's)
# What the core never calls has its own package: the data sets (datasets/), the model's files and R (bridges/), the
# exercises, plots and widgets. The two that took code out of the core may not grow: a new feature displaces lines.
CEILINGS = {"datasets": 166, "bridges": 295}  # their sizes when the core budget was met again
VAGUE_NAMES = {"checks", "common", "utils", "helpers", "misc"}  # a kind of code, not a job


def lines(module):
    return len((NNLIB / f"{module}.py").read_text(encoding="utf-8").splitlines())


def test_the_learner_path_stays_within_its_budget():
    counts = {module: lines(module) for module in LEARNER_PATH}
    assert sum(counts.values()) <= LEARNER_PATH_BUDGET, (
        f"the learner path has {sum(counts.values())} lines (budget {LEARNER_PATH_BUDGET}): {counts}")


@pytest.mark.parametrize("module, budget", BUDGETS.items())
def test_each_budgeted_module_stays_within_its_budget(module, budget):
    assert lines(module) <= budget, f"nnlib/{module}.py has {lines(module)} lines (budget {budget})"


def package_lines(folder):
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in folder.glob("*.py"))


def test_the_numpy_core_stays_within_its_budget():
    assert package_lines(NNLIB) <= CORE_BUDGET, f"nnlib/*.py has {package_lines(NNLIB)} lines (budget {CORE_BUDGET})"


@pytest.mark.parametrize("package, ceiling", CEILINGS.items())
def test_the_packages_beside_the_core_do_not_grow(package, ceiling):
    assert package_lines(NNLIB / package) <= ceiling, f"nnlib/{package}/ has {package_lines(NNLIB / package)} lines"


def test_no_module_outside_the_exercises_is_a_room_nobody_would_want_to_live_in():
    """One job per module: none in nnlib/ outside exercises/ (one module per notebook) grows past 350 lines."""
    long = {str(path.relative_to(NNLIB)): lines for path in NNLIB.rglob("*.py")
            if "exercises" not in path.parts and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 350}
    assert long == {}, f"split these modules by job: {long}"


def test_every_module_is_named_for_its_job():
    """Not for a kind of code: three modules called "checks" (the exercise framework among them) and a "_common"
    said nothing of what they held."""
    vague = sorted(str(path.relative_to(NNLIB)) for path in NNLIB.rglob("*.py") if path.stem.strip("_") in VAGUE_NAMES)
    assert vague == [], f"name these modules for what they hold: {vague}"


def test_no_module_imports_another_modules_private_names():
    """A name with a leading underscore belongs to its module: what another module needs is made public where it
    lives, or moved to the module both share."""
    private = {}
    for path in NNLIB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in getattr(node, "names", ()) if isinstance(node, ast.ImportFrom)]
            if taken := [name for name in names if name.startswith("_") and not name.startswith("__")]:
                private[f"{path.relative_to(NNLIB)} from {node.module}"] = taken
    assert private == {}, f"make these public where they live, or move them: {private}"


def without_docstring(function):
    """A function's name (leading underscores aside), arguments and code (docstring aside), as one string."""
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    return f"{function.name.lstrip('_')}({ast.unparse(function.args)}): " + "\n".join(map(ast.unparse, body))


def test_no_exercise_helper_is_written_twice():
    """A helper the exercises of several notebooks use lives once (exercises/framework.py, exercises/pieces.py): no
    two modules define a function with the same name (leading underscores aside) and the same code (docstring aside)."""
    where = {}
    for path in sorted((NNLIB / "exercises").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                where.setdefault(without_docstring(node), []).append(f"{path.name}:{node.name}")
    assert [places for places in where.values() if len(places) > 1] == []
