"""The student edition (classroom/student_edition.py): what a graded course installs holds no solution, expected
answer or test label -- in no file, and from no public call -- and the classroom's notebooks still run on it.

The edition is built once, installed non-editable with pip (``--target``), and every check that imports it runs in
a child process of the course's Python with PYTHONPATH naming that install (and the repository's editable nnlib
taken off the import path), so what is tested is what a student's kernel would import.
"""
import ast
import contextlib
import gzip
import importlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnlib.exercises import capstone, notebook_number, pieces
from nnlib.exercises.framework import Exercise, exercises_in
from nnlib.exercises.graded import ScoredExercise, WrittenAnswer, written_in

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(path for path in (REPO / "notebooks").glob("*.ipynb") if notebook_number(path))
CLASSROOM_PYTHON = REPO / ".venv-classroom" / "bin" / "python"

_spec = importlib.util.spec_from_file_location("student_edition", REPO / "classroom" / "student_edition.py")
builder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builder)

MODULES = {path.stem: importlib.import_module(f"nnlib.exercises.{path.stem}")
           for path in sorted((REPO / "nnlib" / "exercises").glob("nb*.py"))}
EXERCISES = [exercise for module in MODULES.values() for exercise in exercises_in(module)]
WRITTEN = [answer for module in MODULES.values() for answer in written_in(module)]
TEST_LABELS = capstone._test_labels()

# Run first in every child process: the repository's editable nnlib off the import path, so that only the edition can
# be imported (a kernel in a grading environment has no repository), and proof that it is the edition.
PRELUDE = """\
import sys
sys.meta_path[:] = [finder for finder in sys.meta_path if "editable" not in repr(finder).lower()]
import nnlib
assert nnlib.__file__.startswith({target!r}), f"nnlib comes from {{nnlib.__file__}}, not the student edition"
"""


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """(project, installed): the edition's project folder, and where pip installed it."""
    folder = tmp_path_factory.mktemp("student-edition")
    project, installed = folder / "project", folder / "installed"
    builder.build(project)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--target", str(installed), str(project)], check=True, timeout=300)
    # pip --target keeps the data files in <target>/share/nnlib-course/data, which nnlib.datasets does not search (a
    # venv install puts them in sys.prefix/share, which it does): show them where it looks first, beside the package.
    (installed / "data").symlink_to(installed / "share" / "nnlib-course" / "data")
    return project, installed


def in_edition(edition, code, tmp_path, *args):
    """Run ``code`` in a child process that imports the installed edition; returns its stdout."""
    _, installed = edition
    env = dict(os.environ, PYTHONPATH=str(installed), NNLIB_CAPSTONE_STATE=str(tmp_path / "state.json"),
               NNLIB_MY_LIBRARY=str(tmp_path / "my_nnlib"), MPLBACKEND="Agg")
    env.pop(builder.framework.STRICT_ENV, None)
    result = subprocess.run([sys.executable, "-c", PRELUDE.format(target=str(installed)) + textwrap.dedent(code),
                             *map(str, args)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def files_of(edition):
    """{path: bytes} of every file in the project and in the install (a gzip file also as what it holds)."""
    found = {}
    for root in edition:
        for path in root.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                data = path.read_bytes()
                found[path] = gzip.decompress(data) if path.suffix == ".gz" else data
    return found


def notebook_code():
    return "\n".join(cell.source for path in NOTEBOOKS for cell in nbformat.read(path, as_version=4).cells)


# --- what no file may hold ----------------------------------------------------------------------------------------
def solution_body(exercise):
    return exercise.solution_code.split("\n", 1)[1].strip()


def sorted_pairs(exercise):
    """A sorting exercise's answer, {name: kind}, read from its solution's ``kinds = {...}``; {} for any other."""
    for node in ast.parse(exercise.solution_code).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["kinds"]:
            return ast.literal_eval(node.value)
    return {}


def label_encodings(labels):
    """The test labels as text and bytes in the ways a file could hold them: a CSV column, a list's repr, words,
    letters, and the bytes of integer and float arrays."""
    texts = ["\n".join(map(str, labels)), ", ".join(map(str, labels)), ",".join(map(str, labels)),
             " ".join(map(str, labels)), "".join(chr(ord("A") + int(label)) for label in labels)]
    encoded = [text.encode() for text in texts]
    encoded += [np.asarray(labels).astype(dtype).tobytes() for dtype in ("<i1", "<u1", "<i2", "<i4", "<i8", "<f4",
                                                                         "<f8", ">i4", ">i8")]
    return encoded


def holds_test_labels(data, path):
    """Whether ``data`` (a file's bytes) holds a run of 40 test labels, in any encoding, or a CSV column holding one."""
    for start in range(0, len(TEST_LABELS) - 40, 490):  # runs of 40 from across the whole test set
        window = TEST_LABELS[start:start + 40]
        if any(encoded in data for encoded in label_encodings(window)):
            return True
        if path.suffix == ".csv":
            rows = [line.split(",") for line in data.decode(errors="ignore").splitlines()]
            for column in range(max(map(len, rows), default=0)):
                values = "\n".join(row[column].strip() for row in rows if len(row) > column)
                if "\n".join(map(str, window)) in values:
                    return True
    return False


def test_the_label_search_finds_the_labels_in_every_encoding_it_knows(tmp_path):
    """The search below can fail: it finds the test labels written each way a file could hold them."""
    cases = {f"encoded{i}.bin": encoded for i, encoded in enumerate(label_encodings(TEST_LABELS))}
    cases["column.csv"] = "".join(f"{i},{label},x\n" for i, label in enumerate(TEST_LABELS)).encode()
    for name, data in cases.items():
        assert holds_test_labels(data, tmp_path / name), name
    labelled = capstone.load_capstone()
    assert not holds_test_labels("\n".join(map(str, labelled.y)).encode(), tmp_path / "labelled.csv")


def test_no_file_of_the_edition_holds_a_solution_model_answer_expected_sorting_or_test_label(edition):
    files = files_of(edition)
    notebooks = notebook_code()
    secrets = {f"the solution of {ex.id}": solution_body(ex) for ex in EXERCISES}
    secrets |= {f"the model answer of {answer.id}": answer.model_answer for answer in WRITTEN}
    secrets |= {f"the solution of piece {name}": code.strip() for name, code in pieces.SOLUTIONS.items()}
    # Each line of a solution that is in no cell and no hint (both ship), nor in nnlib itself (the answer key).
    shipped = "\n".join([path.read_text(encoding="utf-8") for path in (REPO / "nnlib").rglob("*.py")
                         if "exercises" not in path.parts] + [ex.placeholder for ex in EXERCISES]
                        + [hint for ex in EXERCISES for hint in ex.hints])
    for exercise in EXERCISES:
        for line in solution_body(exercise).splitlines():
            line = line.strip()
            if len(line) >= 25 and line not in shipped and line not in notebooks:
                secrets[f"a line of the solution of {exercise.id}: {line}"] = line
    for exercise in EXERCISES:
        for name, kind in sorted_pairs(exercise).items():
            for pair in (f'"{name}": "{kind}"', f"'{name}': '{kind}'"):
                if pair not in notebooks:
                    secrets[f"{exercise.id}'s answer {pair}"] = pair
    assert len(secrets) > 100, "the solutions, model answers and sorting answers to look for"
    found = [f"{what} in {path.name}" for path, data in files.items() for what, text in secrets.items()
             if text.encode() in data]
    assert found == []
    assert [path.name for path, data in files.items() if holds_test_labels(data, path)] == []
    assert not [path for path in files if path.name == capstone.DATA_FILE], "letters.csv holds every label"


def test_the_exercise_modules_define_the_exercises_and_what_the_notebooks_import_and_nothing_else(edition):
    project, _ = edition
    imported = builder.notebook_imports(REPO / "notebooks")
    exercises = project / "nnlib" / "exercises"
    assert sorted(path.name for path in exercises.glob("*.py")) == sorted(
        [*builder.SHIPPED_AS_IS, "capstone.py", *(f"{name}.py" for name in MODULES)])
    # The pieces' solutions and the checkers' helpers stay home; what ships as it is, is the repository's file.
    assert not {"pieces.py", "optimiser_steps.py", "sorting.py", "answer_kinds.py"} & set(builder.SHIPPED_AS_IS)
    for name in builder.SHIPPED_AS_IS:
        assert (exercises / name).read_bytes() == (REPO / "nnlib" / "exercises" / name).read_bytes()
    for name, module in MODULES.items():
        public = {n for n in builder._top_level_names(exercises / f"{name}.py") if not n.startswith("_")}
        exercise_names = {n for n, v in vars(module).items() if isinstance(v, (Exercise, WrittenAnswer))}
        helpers = {helper for key, writer in builder.DATA_FUNCTIONS.items() if key.startswith(f"{name}.")
                   for helper in getattr(writer, "keywords", {}).get("helpers", ())}  # copied beside their caller
        assert public == exercise_names | imported.get(name, set()) | helpers, name
    edition_capstone = builder._top_level_names(exercises / "capstone.py")
    assert imported["capstone"] <= edition_capstone
    assert not {"autograder_labels", "_test_labels", "_read_data", "split_indices"} & edition_capstone


# --- what no call may hand out ------------------------------------------------------------------------------------
CALL_EVERYTHING = """
import importlib, inspect, json, pkgutil
import numpy as np
from pathlib import Path

labels = np.load(sys.argv[1])
problems, values = [], []
for info in pkgutil.walk_packages(nnlib.__path__, "nnlib."):
    try:
        module = importlib.import_module(info.name)
    except Exception as error:
        problems.append(f"import {info.name}: {type(error).__name__}: {error}")
        continue
    values += list(vars(module).values())
from nnlib.exercises import capstone
arguments = [(), (labels,), (labels.tolist(),), (np.zeros(2000, dtype=int),), (nnlib.MLP(),)]
for name, value in sorted(vars(capstone).items()):
    if name.startswith("_") or not callable(value) or getattr(value, "__module__", None) != capstone.__name__:
        continue
    for args in arguments:
        try:
            result = value(*args)
        except Exception:
            continue
        values.append(result)
        values += list(getattr(result, "__dict__", {}).values())
values.append(capstone.check_submission(labels))
data = capstone.load_capstone()
values += list(vars(data).values())


def holds(value, depth=0):
    if isinstance(value, (list, tuple)) and len(value) == len(labels) or isinstance(value, np.ndarray):
        try:
            return bool(np.array_equal(np.asarray(value, dtype=float).ravel()[-len(labels):], labels))
        except (TypeError, ValueError):
            return False
    if depth < 2 and isinstance(value, dict):
        return any(holds(item, depth + 1) for item in value.values())
    if depth < 2 and isinstance(value, (list, tuple)):
        return any(holds(item, depth + 1) for item in value)
    return False


print(json.dumps({"problems": problems, "holding": [repr(v)[:80] for v in values if holds(v)],
                  "autograder_labels": hasattr(capstone, "autograder_labels"),
                  "shapes": [data.X.shape, data.y.shape, data.X_test.shape]}))
"""


def test_no_public_call_of_the_edition_yields_the_test_labels(edition, tmp_path):
    np.save(tmp_path / "labels.npy", TEST_LABELS)
    output = in_edition(edition, CALL_EVERYTHING, tmp_path, tmp_path / "labels.npy")
    report = json.loads(output.strip().splitlines()[-1])
    assert report["problems"] == [] and not report["autograder_labels"]
    assert report["holding"] == []
    assert report["shapes"] == [[1600, 16], [1600], [2000, 16]]
    assert "100.0%" not in output and "scored when your work is graded" in output, "the labels submitted: no score"
    assert not holds_test_labels(output.encode(), tmp_path / "output.txt")


CAPSTONE_DATA = """
import json
from nnlib.exercises import capstone
data = capstone.load_capstone()
print(json.dumps({"X": data.X.tolist(), "y": data.y.tolist(), "X_test": data.X_test.tolist(),
                  "names": data.feature_names, "targets": data.target_names, "description": data.description}))
"""


def test_the_capstone_data_is_the_learners_share_and_a_submission_counts_unscored(edition, tmp_path):
    data, mine = capstone.load_capstone(), json.loads(in_edition(edition, CAPSTONE_DATA, tmp_path))
    assert np.array_equal(mine["X"], data.X) and np.array_equal(mine["y"], data.y)
    assert np.array_equal(mine["X_test"], data.X_test)
    assert (mine["names"], mine["targets"], mine["description"]) == (data.feature_names, data.target_names,
                                                                     data.description)
    output = in_edition(edition, """
        import numpy as np
        from nnlib.exercises.capstone import Budget, check_submission
        for k in (1, 2, 2, 3, 4):  # the same predictions twice: counted once; the fourth is one too many
            print("returned", check_submission(np.arange(2000) % (20 + k)))
        print("returned", check_submission(np.zeros(5)))
        print(Budget())
    """, tmp_path)
    assert output.count("returned None") == 6 and output.count("scored when your work is graded") == 4
    assert "not counted again" in output and "all 3 submissions are used" in output and "Not submitted" in output
    assert "3 of 3 test submissions used" in output


# --- the exercises: the same cells, and no answer -----------------------------------------------------------------
DESCRIBE = """
import importlib, json
found = {}
for name in sys.argv[1:]:
    module = importlib.import_module(f"nnlib.exercises.{name}")
    for key, value in vars(module).items():
        if type(value).__name__ in ("GradedExercise", "GradedWrittenAnswer"):
            found[f"{name}.{key}"] = {field: getattr(value, field, None) for field in (
                "id", "title", "answers", "placeholder", "hints", "points", "variable", "check_code", "pieces",
                "prompt")}
            found[f"{name}.{key}"]["tiers"] = [vars(tier) for tier in getattr(value, "tiers", [])] or None
            found[f"{name}.{key}"]["secret"] = [f for f in ("solution_code", "checker", "model_answer", "labels_from")
                                                if hasattr(value, f)]
print(json.dumps(found))
"""


def test_every_exercise_has_its_full_editions_cells_and_points_and_nothing_that_answers_it(edition, tmp_path):
    found = json.loads(in_edition(edition, DESCRIBE, tmp_path, *MODULES).strip().splitlines()[-1])
    expected = {}
    for name, module in MODULES.items():
        for key, item in vars(module).items():
            if isinstance(item, Exercise):
                expected[f"{name}.{key}"] = {
                    "id": item.id, "title": item.title, "answers": list(item.answers), "placeholder": item.placeholder,
                    "hints": item.hints, "points": item.points, "variable": item.variable,
                    "check_code": item.check_code, "pieces": getattr(item, "pieces", None), "prompt": None,
                    "tiers": [vars(t) for t in item.tiers] if isinstance(item, ScoredExercise) else None,
                    "secret": []}
            elif isinstance(item, WrittenAnswer):
                expected[f"{name}.{key}"] = dict.fromkeys(("answers", "placeholder", "hints", "variable",
                                                           "check_code", "pieces", "tiers"))
                expected[f"{name}.{key}"] |= {"id": item.id, "title": item.title, "points": item.points,
                                              "prompt": item.prompt, "secret": []}
    assert found == expected


def test_every_import_of_every_notebook_works_on_the_edition(edition, tmp_path):
    lines = sorted({line.strip() for line in notebook_code().splitlines()
                    if line.strip().startswith(("from nnlib", "import nnlib"))})
    assert len(lines) > 40
    output = in_edition(edition, "\n".join(lines) + "\nprint('imported')", tmp_path)
    assert output.strip().endswith("imported")


BEHAVIOUR = """
import contextlib, importlib, io, json
import numpy as np

def run(call):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            returned, raised = call(), None
        except AssertionError as error:
            returned, raised = None, str(error)
    return {"out": out.getvalue(), "returned": repr(returned), "raised": raised}

answered = {"predictions": np.arange(2000) % 26}
found = {}
for name in sys.argv[1:]:
    module = importlib.import_module(f"nnlib.exercises.{name}")
    for ex in (v for v in vars(module).values() if type(v).__name__ == "GradedExercise"):
        blank, given = [...] * len(ex.answers), [answered.get(a, 0) for a in ex.answers]
        found[ex.id] = {"check": run(lambda: ex.check(*blank)), "assert": run(lambda: ex.assert_correct(*blank)),
                        "check answered": run(lambda: ex.check(*given)),
                        "assert answered": run(lambda: ex.assert_correct(*given)),
                        "wrong count": run(lambda: ex.check()),
                        "is_correct": ex.is_correct(*given), "solution": run(ex.solution),
                        "hints": [run(ex.hint) for _ in ex.hints], "repr": repr(ex)}
print(json.dumps(found))
"""


def printed(function, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        function(*args)
    return out.getvalue()


def test_check_says_not_answered_as_self_study_does_else_graded_later_and_solutions_are_withheld(edition, tmp_path):
    found = json.loads(in_edition(edition, BEHAVIOUR, tmp_path, *MODULES).strip().splitlines()[-1])
    assert sorted(found) == sorted(ex.id for ex in EXERCISES)
    for exercise in EXERCISES:
        seen, blank = found[exercise.id], [...] * len(exercise.answers)
        assert seen["check"]["out"] == printed(exercise.check, *blank), "word for word as in self-study"
        assert seen["check"]["out"].startswith(f"\u270f\ufe0f Exercise {exercise.id}: Not answered yet")
        with pytest.raises(AssertionError) as unanswered:
            exercise.assert_correct(*blank)
        assert seen["assert"]["raised"] == str(unanswered.value)
        assert seen["assert"]["raised"].startswith(f"Exercise {exercise.id}: Not answered yet")
        assert "checked when your work is graded" in seen["check answered"]["out"]
        assert seen["check answered"]["returned"] == "None" and seen["assert answered"]["raised"] is None
        assert seen["wrong count"]["out"] == printed(exercise.check)
        assert seen["is_correct"] is False
        assert "not part of the graded edition" in seen["solution"]["out"]
        assert solution_body(exercise) not in seen["solution"]["out"]
        hints = [printed(exercise.hint, number) for number in range(1, len(exercise.hints) + 1)]  # (not hint(): its
        # count of hints shown lives in the exercise object, which other tests in this process may have moved on)
        assert [hint["out"] for hint in seen["hints"]] == hints
        assert repr(exercise).split(" (")[0] == seen["repr"].split(" (")[0]
    fractions = [found[ex.id] for ex in EXERCISES if isinstance(ex, ScoredExercise)]
    assert fractions and all("Its format is right" in seen["check answered"]["out"] for seen in fractions)


PIECES_NOT_SAVED = """
import importlib, json
from pathlib import Path
import numpy as np
from nnlib.train import epoch_order

results = {}
for name, code in json.loads(Path(sys.argv[1]).read_text()).items():
    module, variable = name.split(":")
    exercise = getattr(importlib.import_module(f"nnlib.exercises.{module}"), variable)
    space = {"np": np, "epoch_order": epoch_order}
    exec(code, space)
    answers = [space[answer] for answer in exercise.answers]
    results[name] = [exercise.is_correct(*answers), exercise.check(*answers)]
library = Path(os.environ["NNLIB_MY_LIBRARY"])
print(json.dumps({"results": results, "saved": sorted(p.name for p in library.rglob("*")) if library.exists() else []}))
"""


def test_a_right_piece_is_not_passed_nor_saved_so_later_notebooks_use_nnlibs(edition, tmp_path):
    codes = {f"{name}:{key}": value.solution_code for name, module in MODULES.items()
             for key, value in vars(module).items() if isinstance(value, pieces.PieceExercise)
             and all(answer in value.pieces for answer in value.answers)}
    assert len(codes) >= 15
    (tmp_path / "codes.json").write_text(json.dumps(codes))
    report = json.loads(in_edition(edition, "import os\n" + PIECES_NOT_SAVED, tmp_path,
                                   tmp_path / "codes.json").strip().splitlines()[-1])
    assert report["results"] == {name: [False, None] for name in codes} and report["saved"] == []


# --- the data a notebook reads --------------------------------------------------------------------------------------
RECORDED = """
import json
import numpy as np
from nnlib.exercises import nb03, nb10b, nb10c
exec(Path(sys.argv[1]).read_text())  # the notebook's own layer_statistics, and the probe
runs = nb10c.mystery_runs()
print(json.dumps({
    "curves": {k: v.tolist() for k, v in nb03.mystery_curves().items()},
    "range": [a.tolist() for a in nb10b.colleagues_range_test()],
    "statistics": {k: [{f: float(v) if f != "layer" else v for f, v in row.items()}
                       for row in layer_statistics(run, probe_X, probe_y)] for k, run in runs.items()},
    "val_loss": {k: run.history_.val_loss[-1] for k, run in runs.items()},
    "shown": sorted({repr((run.learning_rate, run.history_.learning_rate, sorted(vars(run))))
                     for run in runs.values()}),
    "reprs": [repr(run) for run in runs.values()]}))
"""
PROBE = """
import numpy as np
from pathlib import Path
import nnlib
from nnlib.layers import ACTIVATIONS
X, y = nnlib.load_digits()
X_train, _, _, y_train, _, _ = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
X_train = nnlib.Standardizer().fit(X_train).transform(X_train)
probe_X, probe_y = X_train[:256], y_train[:256]
"""


def test_the_recorded_data_is_what_self_study_computes_and_the_runs_hide_their_rates(edition, tmp_path):
    from nnlib.exercises import nb03, nb10b, nb10c

    source = next(cell.source for cell in nbformat.read(REPO / "notebooks" / "10c_training_diagnostics.ipynb",
                                                        as_version=4).cells if "def layer_statistics" in cell.source)
    statistics = source[source.index("def layer_statistics"):source.index("\n\n\ndef ", source.index(
        "def layer_statistics"))]
    (tmp_path / "statistics.py").write_text(PROBE + "\n\n" + statistics)
    seen = json.loads(in_edition(edition, "from pathlib import Path\n" + RECORDED, tmp_path,
                                 tmp_path / "statistics.py").strip().splitlines()[-1])
    assert seen["curves"] == {k: v.tolist() for k, v in nb03.mystery_curves().items()}
    assert seen["range"] == [a.tolist() for a in nb10b.colleagues_range_test()]
    space = {}
    exec(PROBE + "\n\n" + statistics, space)
    for name, model in nb10c.mystery_runs().items():
        rows = space["layer_statistics"](model, space["probe_X"], space["probe_y"])
        assert len(rows) == len(seen["statistics"][name])
        for row, recorded in zip(rows, seen["statistics"][name]):
            for field, value in row.items():
                assert recorded[field] == value if field == "layer" else np.isclose(recorded[field], value,
                                                                                    rtol=1e-9, atol=0)
        assert seen["val_loss"][name] == model.history_.val_loss[-1]
    assert len(seen["shown"]) == 1, "every run shows the same learning rate, history of rates and attributes"
    rates = {model.learning_rate for model in nb10c.mystery_runs().values()}
    assert not any(repr(rate) in text for rate in rates if rate != nb10c.RUN["learning_rate"]
                   for text in seen["reprs"] + seen["shown"])


# --- the classroom's notebooks run on it --------------------------------------------------------------------------
RUNNER = """
import json, sys, time
import nbformat
from nbclient import NotebookClient

for line in sys.stdin:  # one notebook a line, each in a kernel of its own; this process stays, to start only once
    job = json.loads(line)
    notebook = nbformat.read(job["source"], as_version=4)
    started = time.time()
    NotebookClient(notebook, timeout=900, kernel_name="python3", allow_errors=True, shutdown_kernel="immediate",
                   resources={"metadata": {"path": job["folder"]}}).execute(env=job["env"])
    nbformat.write(notebook, job["target"])
    print(json.dumps({"seconds": time.time() - started}), flush=True)
"""


def release_notebooks(folder):
    """The classroom's student version: nbgrader's own where .venv-classroom has it, else classroom/build.py's source
    with the solution regions removed as nbgrader does."""
    if CLASSROOM_PYTHON.exists():
        subprocess.run([str(CLASSROOM_PYTHON), str(REPO / "classroom" / "build.py"), "--out", str(folder),
                        "--generate"], check=True, capture_output=True, timeout=600)
        return sorted((folder / "release").glob("*/*.ipynb"))
    spec = importlib.util.spec_from_file_location("classroom_build", REPO / "classroom" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.build(folder, build.load_config(REPO / "classroom" / "assignments.toml"), REPO / "notebooks")
    for path in sorted((folder / "source").glob("*/*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            for begin, end in (("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS",
                                                                            "### END HIDDEN TESTS")):
                cell.source = re.sub(rf"\n?{begin}\n.*?{end}\n?", "\n", cell.source, flags=re.S).rstrip("\n")
        release = folder / "release" / path.parent.name / path.name
        release.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, release)
    return sorted((folder / "release").glob("*/*.ipynb"))


def graded_tests(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


def with_solutions(notebook):
    """Every exercise cell's code replaced by its solution (cells found by their '# Exercise <id>:' line)."""
    solutions = {exercise.id: exercise.solution_code for exercise in EXERCISES}
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in notebook.cells:
        match = exercise_id_of(cell)
        if match:
            cell.source = solutions[match]
    return notebook


def exercise_id_of(cell):
    """The id that an exercise cell announces in its first line ("# Exercise 01.2: ..."), or None."""
    match = re.match(r"# Exercise (\d\d[bc]?\.\d+): ", cell.source) if cell.cell_type == "code" else None
    return match.group(1) if match else None


def notebook_job(edition, notebook, folder):
    """Write ``notebook``, its first cell checking that nnlib is the edition's, to ``folder``: the runner's job that
    executes it there, with the edition on PYTHONPATH and this notebook's own capstone state and library."""
    _, installed = edition
    folder.mkdir(parents=True)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PRELUDE.format(target=str(installed))))
    nbformat.write(notebook, folder / "in.ipynb")
    env = dict(os.environ, PYTHONPATH=str(installed), NNLIB_CAPSTONE_STATE=str(folder / "state.json"),
               NNLIB_MY_LIBRARY=str(folder / "my_nnlib"), MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1")
    env.pop(builder.framework.STRICT_ENV, None)
    return {"source": str(folder / "in.ipynb"), "target": str(folder / "out.ipynb"), "folder": str(folder),
            "env": env}


def run_jobs(jobs, workers=2):
    """Execute the jobs, ``workers`` at a time, each worker a runner process that takes the next job when done."""
    pending, lock = list(jobs), threading.Lock()

    def work():
        runner = subprocess.Popen([sys.executable, "-c", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    job = pending.pop(0)
                runner.stdin.write(json.dumps(job) + "\n")
                runner.stdin.flush()
                assert runner.stdout.readline(), f"the runner stopped at {job['source']}"
        finally:
            runner.stdin.close()
            runner.wait(timeout=60)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
    return [nbformat.read(job["target"], as_version=4) for job in jobs]


def errors(notebook):
    """(cell index, cell, error output) of every cell that stopped with an error."""
    return [(i, cell, output) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            for output in cell.get("outputs", []) if output.output_type == "error"]


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("NNLIB_REQUIRE_CLASSROOM") == "1",
                    reason="tests/test_classroom.py autogrades every release notebook, untouched and solved, in a "
                           "grading kernel with the student edition: not twice in CI")
def test_the_release_notebooks_run_on_the_edition_untouched_and_with_every_solution(edition, tmp_path):
    releases = release_notebooks(tmp_path / "course")
    assert [path.name for path in releases] == [path.name for path in NOTEBOOKS]
    runs = [(path, variant) for path in releases for variant in ("untouched", "solutions")]
    # The longest first: the capstone with its solutions trains 42 networks, 08c 130.
    runs.sort(key=lambda run: (not run[0].name.startswith(("13_", "08c_", "09b_", "08b_", "12_")), run[0].name))
    jobs = [notebook_job(edition, with_solutions(nbformat.read(path, as_version=4)) if variant == "solutions"
                         else nbformat.read(path, as_version=4), tmp_path / "runs" / f"{path.stem}-{variant}")
            for path, variant in runs]
    started = time.time()
    executed = dict(zip(runs, run_jobs(jobs)))
    problems = []
    for (path, variant), notebook in executed.items():
        raised = {i for i, _, _ in errors(notebook)}
        for i, cell, output in errors(notebook):
            expected = (variant == "untouched" and graded_tests(cell) and output.ename == "AssertionError"
                        and "Not answered yet" in output.evalue)
            if not expected:
                problems.append(f"{path.name} ({variant}), cell {i}: {output.ename}: {output.evalue[:300]}")
        tests = {i for i, cell in enumerate(notebook.cells) if graded_tests(cell) and "assert_correct" in cell.source}
        if variant == "untouched" and tests - raised:
            problems.append(f"{path.name}: tests cells {sorted(tests - raised)} did not say 'Not answered yet'")
        for cell in notebook.cells:
            text = "".join(output.get("text", "") for output in cell.get("outputs", []))
            if "\u2705 Exercise " in text:
                problems.append(f"{path.name} ({variant}): a check said an answer was right: {text[:200]}")
    assert problems == [], f"in {time.time() - started:.0f} s:\n" + "\n".join(problems)
