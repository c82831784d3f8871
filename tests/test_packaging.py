"""The set-up files agree with each other, and the numpy core stays numpy-only."""
import ast
import os
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def parse(requirement):
    name, spec = SPEC.match(requirement).groups()
    return name.lower().replace("_", "-"), ",".join(sorted(part.strip() for part in spec.split(",") if part.strip()))


def pyproject_dependencies():
    """What nnlib needs plus the course environment (the `course` extra): what conda must install too."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(parse(r) for r in project["dependencies"] + project["optional-dependencies"]["course"])


def conda_dependencies():
    deps = {}
    in_list = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_list = True
            continue
        match = re.match(r"^  - ([^:]+)$", line)
        if in_list and match and match.group(1).strip() not in ("pip",):
            name, spec = parse(match.group(1).strip())
            deps[name] = spec
    deps.pop("python", None)
    return deps


def test_importing_nnlib_needs_only_numpy_matplotlib_and_ipywidgets():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert sorted(parse(r)[0] for r in project["dependencies"]) == ["ipywidgets", "matplotlib", "numpy"]


def test_environment_yml_lists_the_same_packages_and_ranges_as_pyproject():
    """environment.yml is also the image of a JupyterHub (deploy/z2jh), so it has the `hub` extra too."""
    hub = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["hub"]
    assert conda_dependencies() == pyproject_dependencies() | dict(parse(r) for r in hub)


def test_environment_yml_pins_the_python_ci_tests_inside_the_supported_range():
    """Binder (repo2docker) reads only an exact `python=X.Y`; a range makes it fall back to Python 3.10."""
    from packaging.specifiers import SpecifierSet

    pins = re.findall(r"^  - python(.*)$", (ROOT / "environment.yml").read_text(), re.MULTILINE)
    assert len(pins) == 1 and re.fullmatch(r"=3\.\d+", pins[0]), f"pin one Python version, e.g. python=3.11; got {pins}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert pins[0][1:] + ".0" in SpecifierSet(requires), f"python{pins[0]} is outside requires-python {requires}"
    assert sys.version_info[:2] == tuple(map(int, pins[0][1:].split("."))) or not os.environ.get("CI"), \
        "CI must test the Python version that Binder builds"


def test_every_dependency_has_a_lower_and_an_upper_bound():
    for name, spec in pyproject_dependencies().items():
        assert ">=" in spec and "<" in spec.replace("<=", ""), \
            f"{name} needs tested lower and upper bounds, got {spec!r}"


def test_lock_pins_every_dependency_inside_its_range():
    from packaging.specifiers import SpecifierSet

    locked = dict(parse(line.replace("==", " ==")) for line in (ROOT / "requirements.lock").read_text().splitlines()
                  if line and not line.startswith("#"))
    for name, spec in pyproject_dependencies().items():
        assert name in locked, f"{name} is missing from requirements.lock: run `make lock`"
        version = locked[name].removeprefix("==")
        assert version in SpecifierSet(spec), f"{name}=={version} in the lock is outside {spec}: run `make lock`"




# Imported only inside a function, when a learner hands an nnlib model to scikit-learn (its estimator tags).
LAZY_IMPORTS = {"sklearn"}


def _imports(nodes):
    imported = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    return imported - set(sys.stdlib_module_names) - {"numpy"}


NUMPY_ONLY = ("*.py", "datasets/*.py", "bridges/*.py")  # the numpy core, the data sets, the bridges


@pytest.mark.parametrize("module", sorted(p.relative_to(ROOT / "nnlib").as_posix() for pattern in NUMPY_ONLY
                                          for p in (ROOT / "nnlib").glob(pattern)))
def test_core_modules_import_only_numpy_and_the_standard_library(module):
    tree = ast.parse((ROOT / "nnlib" / module).read_text())
    at_import_time = _imports(node for statement in tree.body if not isinstance(
        statement, (ast.FunctionDef, ast.ClassDef)) for node in ast.walk(statement))
    anywhere = _imports(ast.walk(tree))
    assert not at_import_time, f"nnlib/{module} imports {at_import_time}: only nnlib.plots and nnlib.widgets may"
    assert anywhere <= LAZY_IMPORTS, f"nnlib/{module} imports {anywhere - LAZY_IMPORTS}, even inside a function"


def test_importing_nnlib_does_not_import_matplotlib_or_ipywidgets():
    import subprocess

    code = "import sys, nnlib; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_locks_name_no_local_paths():
    for name in ("requirements.lock", "requirements-test.lock"):
        text = (ROOT / name).read_text()
        assert "file://" not in text and "nnlib" not in text, f"{name} must pin only PyPI packages, not this project"


def test_test_lock_extends_the_learner_lock_with_the_same_versions():
    def pins(name):
        return {line for line in (ROOT / name).read_text().splitlines() if line and not line.startswith("#")}

    learner, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert learner <= test, f"versions differ between the locks: {sorted(learner - test)}; run `make lock`"
    assert any(line.startswith("playwright==") for line in test - learner)
