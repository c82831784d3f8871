"""Line budgets that were met stay met (issue 28): the learner path reads as the lesson, in files a learner can read
in one sitting. A new feature finds its room elsewhere, or displaces lines, rather than regrowing these files."""
from pathlib import Path

import pytest

NNLIB = Path(__file__).resolve().parent.parent / "nnlib"
# The modules holding the pieces the learner writes and the code that trains them (README, "nnlib, module by module");
# history.py was part of train.py when the budget was set.
LEARNER_PATH = ("layers", "losses", "network", "optim", "schedules", "initializers", "train", "history", "models")
BUDGETS = {"models": 260, "train": 130, "line": 40}
# Not a budget: the numpy core's size (nnlib/*.py) when issue 28 stopped. Its budget, 2,000, is not met and awaits a
# maintainer's decision; until then the core may shrink but not grow: a new feature finds its room elsewhere.
CORE_CEILING = 2258


def lines(module):
    return len((NNLIB / f"{module}.py").read_text(encoding="utf-8").splitlines())


def test_the_learner_path_stays_within_850_lines():
    counts = {module: lines(module) for module in LEARNER_PATH}
    assert sum(counts.values()) <= 850, f"the learner path has {sum(counts.values())} lines (budget 850): {counts}"


@pytest.mark.parametrize("module, budget", BUDGETS.items())
def test_each_budgeted_module_stays_within_its_budget(module, budget):
    assert lines(module) <= budget, f"nnlib/{module}.py has {lines(module)} lines (budget {budget})"


def test_the_numpy_core_does_not_grow_while_its_budget_awaits_a_decision():
    total = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in NNLIB.glob("*.py"))
    assert total <= CORE_CEILING, f"nnlib/*.py has {total} lines, more than the {CORE_CEILING} it had (budget 2,000)"
