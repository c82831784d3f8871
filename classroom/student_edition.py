"""Build the student edition of nnlib: the package a graded course installs, without the answers (issue 34).

    python classroom/student_edition.py --out DIR
    pip install --no-deps DIR

DIR becomes a project named nnlib, at the repository's version, that installs (non-editable) nnlib as it is --
the learner path, the widgets, nnlib.learner, which compares the learner's pieces with nnlib by design -- except
nnlib/exercises/, which holds

- the modules that hold no answers, as they are (``SHIPPED_AS_IS``), and ``edition.py``;
- for every notebook's exercise module ``nbNN.py`` a generated module that defines the names the notebooks import:
  each exercise a ``GradedExercise`` (the same id, title, answers, placeholder, hints and points; no solution,
  checker or expected value), each written answer a ``GradedWrittenAnswer`` (no model answer), each constant by its
  repr, and the few functions a notebook calls for its data, recorded or copied as ``DATA_FUNCTIONS`` says (and why
  that hands out no answer);
- ``capstone.py`` without its section on the data file and its test labels, reading ``edition_data/``: the 1,600
  labelled cases and the 2,000 test cases' measurements, and no test label.

Its data/ ships every data set but letters.csv (all 3,600 labels). Everything is generated from the repository's own
definitions, so the edition follows every change to an exercise; a notebook that imports a name the builder cannot
ship without its answer stops the build with a message that says where to teach it.
"""
import argparse
import ast
import builtins
import dis
import functools
import gzip
import inspect
import json
import pickle
import pprint
import re
import shutil
import sys
import textwrap
import tomllib
import types
from collections import Counter
from pathlib import Path

import numpy as np

import nnlib
from nnlib import history
from nnlib.exercises import capstone, edition, framework, graded, pieces

REPO = Path(__file__).resolve().parent.parent
EXERCISES = REPO / "nnlib" / "exercises"
# What nnlib/exercises ships unchanged: no solution, checker, expected value or label is in these. (The quiz's items
# ship because nnlib.widgets.quiz shows them: that quiz is self-checked practice, and tells each answer once asked.)
SHIPPED_AS_IS = ("__init__.py", "framework.py", "graded.py", "quiz_items.py", "edition.py")
DATA_FOLDER = "edition_data"  # in nnlib/exercises/ of the edition: its recorded data (package data)
CAPSTONE_SECTION = ("# --- the data file and its test labels", "# --- end of the section on the data file and its")
WIDTH = 120
IMPORT = re.compile(r"^\s*from nnlib\.exercises\.(\w+) import (?:\(([^)]*)\)|([^\n#]*))", re.MULTILINE)
MARKER = "STUDENT_EDITION.txt"  # names a folder this script made, which it may replace


class EditionError(Exception):
    """Something the edition cannot ship without handing out an answer, or a folder it must not overwrite."""


# --- values as code -----------------------------------------------------------------------------------------------
def literal(value, indent=0):
    """``value`` (plain data: numbers, strings, None, and lists, tuples, dicts and sets of them) as Python code, wrapped
    to the line length with its continuation lines indented by ``indent``; checked to read back as ``value``."""
    if isinstance(value, str) and "\n" in value.rstrip("\n"):  # a cell's code: one string literal per line
        code = "(" + "\n ".join(repr(line) for line in value.splitlines(keepends=True)) + ")"
    else:
        code = pprint.pformat(value, width=WIDTH - indent, sort_dicts=False)
    if ast.literal_eval(code) != value or type(ast.literal_eval(code)) is not type(value):
        raise EditionError(f"{value!r} does not read back from its repr")
    return code.replace("\n", "\n" + " " * indent)


def data_code(value, indent=0):
    """Like ``literal``, also for numpy arrays (their values exactly: repr of a float reads back the same float)."""
    if isinstance(value, np.ndarray):
        return f"np.array({literal(value.tolist(), indent + 9)}, dtype={str(value.dtype)!r})"
    if isinstance(value, dict):
        items = [f"{literal(k)}: {data_code(v, indent + 4)}" for k, v in value.items()]
        return "{\n" + "".join(f"{' ' * (indent + 4)}{item},\n" for item in items) + " " * indent + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(data_code(v, indent + 1) for v in value) + ("," if len(value) == 1 else "") + ")"
    return literal(value, indent)


def call_code(name, fields, indent=4):
    """``name(key=value, ...)``, one keyword argument a line."""
    lines = [f"{' ' * indent}{key}={code}," for key, code in fields.items()]
    return f"{name}(\n" + "\n".join(lines) + "\n)"


# --- exercises ----------------------------------------------------------------------------------------------------
def exercise_code(exercise, imports):
    """An Exercise as a GradedExercise: everything the learner may see, nothing that tells a right answer."""
    fields = {"id": exercise.id, "title": exercise.title, "answers": exercise.answers,
              "placeholder": exercise.placeholder, "hints": exercise.hints, "points": exercise.points,
              "variable": exercise.variable, "check_code": exercise.check_code}
    code = {key: literal(value, 4 + len(key) + 1) for key, value in fields.items()}
    if isinstance(exercise, pieces.PieceExercise):
        code["pieces"] = literal(exercise.pieces, 11)
    if isinstance(exercise, graded.ScoredExercise):
        imports.add("from .graded import ScoreTier")
        code["tiers"] = "[\n" + "".join(
            f"        ScoreTier(share={tier.share!r}, minimum_correct={tier.minimum_correct!r},\n"
            f"                  reason={literal(tier.reason, 25)}),\n" for tier in exercise.tiers) + "    ]"
        # A scored exercise's checker tests the predictions' format only (graded.ScoredExercise): it ships.
        checker = exercise.checker
        if checker.__module__ != capstone.__name__ or getattr(capstone, checker.__name__, None) is not checker:
            raise EditionError(f"exercise {exercise.id}: its format check {checker.__qualname__} is not a public "
                               "function of nnlib.exercises.capstone, the one exercise module the edition ships")
        imports.add(f"from .capstone import {checker.__name__}")
        code["format_check"] = checker.__name__
    return call_code("GradedExercise", code)


def written_code(answer):
    fields = {"id": answer.id, "title": answer.title, "prompt": answer.prompt, "points": answer.points}
    return call_code("GradedWrittenAnswer", {key: literal(value, 4 + len(key) + 1) for key, value in fields.items()})


# --- the data functions a notebook calls --------------------------------------------------------------------------
def recorded(module, name, function, imports, folder):
    """A function of no arguments that returns plain data or arrays: its return value, recorded when the edition is
    built. The value is what the notebook shows; the code that makes it (which knows the answer) stays out."""
    imports.update({"import copy", "import numpy as np"})
    value = function()
    constant = f"_RECORDED_{name.upper()}"
    check = {}
    exec(f"value = {data_code(value)}", {"np": np}, check)
    if not _same_data(check["value"], value):
        raise EditionError(f"{module.__name__}.{name}(): its value does not read back from the recorded code")
    doc = _docstring(function, "Recorded when this edition was built, from the self-study edition's computation.")
    return (f"{constant} = {data_code(value)}\n\n\n"
            f"def {name}():\n{doc}\n    return copy.deepcopy({constant})")


def recorded_runs(module, name, function, imports, folder):
    """Trained models whose hyperparameters are the exercise's answer (10c.2: which run had which rate, or small
    starting weights): each becomes a RecordedRun -- its trained network, loss and history, the activation the runs
    share, and the learning rate most of them share -- pickled into the edition's data. The network's own weights and
    the updates its rate made are the evidence the notebook measures; the hyperparameters that set them apart are not
    kept. Where the runs differ in anything else, the build stops: that would need a new look."""
    runs = function()
    settings = {key: model.get_params() for key, model in runs.items()}
    first = next(iter(settings.values()))
    differ = sorted(key for key in first if len({repr(s[key]) for s in settings.values()}) > 1)
    if set(differ) - {"learning_rate", "init"}:
        raise EditionError(f"{module.__name__}.{name}(): the runs differ in {differ}; recorded_runs hides only the "
                           "learning rate and the initialisation")
    shared = Counter(model.learning_rate for model in runs.values()).most_common(1)[0][0]
    records = {key: edition.RecordedRun(_without_caches(model.network_),
                                        edition.ScaledGradient(model.loss_, model.learning_rate / shared),
                                        model.activation, shared, _history(model.history_, shared))
               for key, model in runs.items()}
    file_name = f"{module.__name__.rsplit('.', 1)[1]}.{name}.pickle.gz"
    (folder / file_name).write_bytes(gzip.compress(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), mtime=0))
    imports.update({"import copy", "import functools", "import gzip", "import pickle", "from pathlib import Path"})
    doc = _docstring(function, "In this edition each run is a RecordedRun (nnlib.exercises.edition): the trained "
                               "network_, its loss_, history_, activation and a learning_rate the runs share, as the "
                               "notebook reads them.")
    return (f"@functools.cache\ndef _recorded_{name}():\n"
            f"    with gzip.open(Path(__file__).with_name({DATA_FOLDER!r}) / {file_name!r}) as handle:\n"
            f"        return pickle.load(handle)\n\n\n"
            f"def {name}():\n{doc}\n    return copy.deepcopy(_recorded_{name}())")


def copied(module, name, function, imports, folder, helpers=()):
    """A function whose code holds no answer, copied as it is, with the module's helpers it calls (``helpers``, each
    named here on purpose) and imports for the rest: modules, nnlib outside the exercises, the module's exercises."""
    sources = []
    for each in (*helpers, name):
        source = getattr(module, each)
        for global_name in sorted(_globals_used(source.__code__)):
            value = source.__globals__.get(global_name)
            if global_name in helpers or isinstance(value, framework.Exercise) or hasattr(builtins, global_name):
                continue
            if isinstance(value, types.ModuleType):
                imports.add(f"import {value.__name__}" + (f" as {global_name}" if value.__name__ != global_name
                                                           else ""))
            elif getattr(value, "__module__", "").startswith("nnlib.") and \
                    not value.__module__.startswith("nnlib.exercises"):
                imports.add(f"from {value.__module__} import {global_name}")
            else:
                raise EditionError(f"{module.__name__}.{each} uses {global_name}, which copied() does not know how to "
                                   "ship: name it among the helpers (if it holds no answer) or record the data")
        sources.append(inspect.getsource(source).strip())
    return "\n\n\n".join(sources)


# Each function a notebook imports from an exercise module, and how the edition ships it.
DATA_FUNCTIONS = {
    # Three loss curves; which batch size made which is the answer, and only the code that trains them knows it.
    "nb03.mystery_curves": recorded,
    # A range test's curve; the code that runs it holds no answer, but recording it spares every kernel the run.
    "nb10b.colleagues_range_test": recorded,
    # Four trained MLPs whose hyperparameters name their diagnosis.
    "nb10c.mystery_runs": recorded_runs,
    # The learner's dropout pair once 09c.1 passes, else nnlib's: here 09c.1 never passes, so nnlib's stands in.
    "nb09c.dropout_pair": functools.partial(copied, helpers=("nnlib_dropout",)),
}


def _globals_used(code):
    """The global names a function's code (and the code of functions and lambdas inside it) reads."""
    names = {step.argval for step in dis.get_instructions(code) if step.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _globals_used(constant)
    return names


def _docstring(function, note):
    """``function``'s docstring, then ``note``, as a generated function's docstring (indented, wrapped)."""
    text = "\n\n".join(part for part in ((inspect.getdoc(function) or "").strip(), note) if part)
    paragraphs = [textwrap.fill(" ".join(paragraph.split()), WIDTH - 8) for paragraph in text.split("\n\n")]
    return textwrap.indent('"""' + "\n\n".join(paragraphs) + '"""', "    ")


def _without_caches(network):
    """A copy of ``network`` without the arrays its last forward and backward passes left in its layers (the next
    pass makes them anew): only the parameters, and the statistics a batch normalisation keeps."""
    network = pickle.loads(pickle.dumps(network))
    for layer in network.layers:
        for key, value in list(vars(layer).items()):
            if isinstance(value, np.ndarray):
                delattr(layer, key)
        layer.grads = {key: np.zeros_like(value) for key, value in layer.grads.items()}
    return network


def _history(record, learning_rate):
    return history.History(loss=list(record.loss), score=list(record.score), val_loss=list(record.val_loss),
                           val_score=list(record.val_score), learning_rate=[learning_rate] * len(record.loss))


def _same_data(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same_data(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same_data(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# --- modules ------------------------------------------------------------------------------------------------------
def notebook_imports(notebook_dir):
    """{module: names} that the notebooks import from nnlib.exercises.<module>."""
    found = {}
    for path in sorted(Path(notebook_dir).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for module, *names in IMPORT.findall("".join(cell["source"])):
                    names = re.sub(r"#[^\n]*", "", "".join(names)).split(",")
                    found.setdefault(module, set()).update(name.strip() for name in names if name.strip())
    return found


def exercise_module_code(module, wanted, folder):
    """The edition's version of one notebook's exercise module: its exercises and written answers, and the names in
    ``wanted`` (what the notebooks import from it)."""
    imports, blocks = set(), []
    names = [name for name, value in vars(module).items()
             if isinstance(value, (framework.Exercise, graded.WrittenAnswer)) or name in wanted]
    missing = sorted(set(wanted) - set(names))
    if missing:
        raise EditionError(f"the notebooks import {missing} from {module.__name__}, which does not define them")
    for name in names:
        value = getattr(module, name)
        if isinstance(value, framework.Exercise):
            imports.add("from .edition import GradedExercise")
            blocks.append(f"{name} = {exercise_code(value, imports)}")
        elif isinstance(value, graded.WrittenAnswer):
            imports.add("from .edition import GradedWrittenAnswer")
            blocks.append(f"{name} = {written_code(value)}")
        elif callable(value):
            key = f"{module.__name__.rsplit('.', 1)[1]}.{name}"
            if key not in DATA_FUNCTIONS:
                raise EditionError(f"a notebook imports {module.__name__}.{name}, a function the student edition does "
                                   "not know how to ship without its answer: add it to DATA_FUNCTIONS in "
                                   "classroom/student_edition.py")
            blocks.append(DATA_FUNCTIONS[key](module, name, value, imports, folder))
        else:
            blocks.append(f"{name} = {literal(value, len(name) + 3)}")
    summary = (inspect.getdoc(module) or module.__name__).split("\n")[0]
    doc = textwrap.fill(f'"""{summary} Student edition, generated by classroom/student_edition.py from '
                        f"{module.__name__}: the exercises without their solutions, checkers or expected values "
                        "(nnlib.exercises.edition); they are checked when the work is graded.", WIDTH)
    return _module(doc, imports, blocks)


def _module(doc, imports, blocks):
    plain = sorted(line for line in imports if line.startswith("import "))
    standard = sorted(line for line in imports if line.startswith("from ") and not line.startswith(("from .",
                                                                                                    "from nnlib")))
    ours = sorted((line for line in imports if line.startswith(("from .", "from nnlib"))),
                  key=lambda line: (line.startswith("from ."), line))  # nnlib's, then the package's own
    groups = [group for group in ([line for line in plain if "numpy" not in line] + standard,
                                  [line for line in plain if "numpy" in line], ours) if group]
    head = "\n\n".join("\n".join(group) for group in groups)
    return f'{doc}\n"""\n{head}\n\n\n' + "\n\n\n".join(blocks) + "\n"


def capstone_code():
    """capstone.py with its section on the data file and its test labels replaced by one that reads the edition's
    files, which hold no test label."""
    source = Path(capstone.__file__).read_text(encoding="utf-8")
    start, end = (source.find(marker) for marker in CAPSTONE_SECTION)
    if start < 0 or end < start:
        raise EditionError(f"{capstone.__file__} lost its section markers {CAPSTONE_SECTION}")
    end = source.index("\n", end) + 1
    section = f'''\
# --- the learner's share of the data: this edition holds no test label ---------------------------------------------
EDITION_DATA = Path(__file__).with_name({DATA_FOLDER!r})


def _learners_share():
    """What the learner may see, from this edition's files: (feature names, X (1600, 16), y (1600,), X_test (2000,
    16))."""
    with open(EDITION_DATA / "letters_labelled.csv", encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    labelled = np.loadtxt(EDITION_DATA / "letters_labelled.csv", delimiter=",", skiprows=1, ndmin=2)
    X_test = np.loadtxt(EDITION_DATA / "letters_test.csv", delimiter=",", skiprows=1, ndmin=2)
    return header[:-1], labelled[:, :-1], labelled[:, -1].astype(np.intp), X_test


def _count_correct(labels):
    """None: this edition has no test labels, so predictions are scored when the work is graded."""
    return None
'''
    tree = ast.parse(source)
    doc_end = tree.body[0].end_lineno if ast.get_docstring(tree) else 0
    doc = textwrap.fill(
        '"""Notebook 13\'s capstone, student edition, generated by classroom/student_edition.py from '
        "nnlib/exercises/capstone.py: the task, the budget of training runs and the submissions as in self-study, "
        "with the learner's share of the data only (edition_data/: the 1,600 labelled cases, and the 2,000 test "
        "cases' measurements) and no test label. A submission is checked for its format, recorded and counted, and "
        "scored when the work is graded. The budget and the state file work as in self-study (Budget, "
        "check_submission).", WIDTH)
    body = "\n".join(source[:start].splitlines()[doc_end:])
    return f'{doc}\n"""\n{body}\n{section}{source[end:]}'


def capstone_data(folder):
    """edition_data/letters_labelled.csv (the 1,600 labelled cases, their letters last) and letters_test.csv (the
    2,000 test cases' measurements, in the order of X_test): the learner's share, as load_capstone gives it."""
    data = capstone.load_capstone()
    for name, table, header in (("letters_labelled.csv", np.column_stack([data.X, data.y]),
                                 [*data.feature_names, "letter"]),
                                ("letters_test.csv", data.X_test, data.feature_names)):
        if not np.array_equal(table, np.round(table)):
            raise EditionError("the letters' measurements are no longer whole numbers: write them another way")
        rows = "".join(",".join(str(int(v)) for v in row) + "\n" for row in table)
        (folder / name).write_text(",".join(header) + "\n" + rows, encoding="utf-8")


# --- the project --------------------------------------------------------------------------------------------------
def pyproject_text(project, data_files):
    quoted = json.dumps
    lines = [
        "# The student edition of nnlib, generated by classroom/student_edition.py: `pip install --no-deps .`",
        "[build-system]",
        'requires = ["setuptools>=68"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        f"name = {quoted(project['name'])}",
        f"version = {quoted(project['version'])}",
        f"description = {quoted(project['description'] + ' -- student edition (no solutions or test labels)')}",
        'readme = "README.md"',
        f"requires-python = {quoted(project['requires-python'])}",
        f"license = {{ text = {quoted(project['license']['text'])} }}",
        "dependencies = [" + ", ".join(quoted(d) for d in project["dependencies"]) + "]",
        "",
        "[tool.setuptools.packages.find]",
        'include = ["nnlib*"]',
        "",
        "[tool.setuptools.package-data]",
        f'"nnlib.exercises" = ["{DATA_FOLDER}/*"]',
        "",
        "[tool.setuptools.data-files]",
        *(f"{quoted(target)} = [" + ", ".join(quoted(f) for f in files) + "]" for target, files in data_files.items()),
    ]
    return "\n".join(lines) + "\n"


README = """\
# nnlib, student edition

The course library as a graded course installs it: nnlib, its learner path and widgets as in self-study, and the
exercises without their solutions, checkers and expected answers (they are checked when your work is graded), and the
capstone without its test labels. Generated by classroom/student_edition.py; do not edit.
"""


def build(out, notebook_dir=REPO / "notebooks"):
    """Write the student edition's project to ``out``; returns {relative path: size in bytes} of what it holds."""
    if Path(nnlib.__file__).resolve().parent != REPO / "nnlib":
        raise EditionError(f"nnlib is imported from {nnlib.__file__}, not from {REPO}: run this with the course's "
                           "environment, where the repository's nnlib is installed editable")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise EditionError(f"{out} is not empty and not a student edition: give an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Made by classroom/student_edition.py, which replaces this folder when rebuilding.\n")
    shutil.copytree(REPO / "nnlib", out / "nnlib", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "exercises"))
    target = out / "nnlib" / "exercises"
    folder = target / DATA_FOLDER
    folder.mkdir(parents=True)
    for name in SHIPPED_AS_IS:
        shutil.copy2(EXERCISES / name, target / name)
    wanted = notebook_imports(notebook_dir)
    unknown = sorted(set(wanted) - {p.stem for p in EXERCISES.glob("nb*.py")} - {"capstone"})
    if unknown:
        raise EditionError(f"the notebooks import from nnlib.exercises.{unknown[0]}, which the edition does not ship")
    for path in sorted(EXERCISES.glob("nb*.py")):
        module = __import__(f"nnlib.exercises.{path.stem}", fromlist=["_"])
        (target / path.name).write_text(exercise_module_code(module, wanted.get(path.stem, ()), folder),
                                        encoding="utf-8")
    (target / "capstone.py").write_text(capstone_code(), encoding="utf-8")
    missing = sorted(wanted.get("capstone", set()) - _top_level_names(target / "capstone.py"))
    if missing:
        raise EditionError(f"the notebooks import {missing} from nnlib.exercises.capstone, which the edition lacks")
    capstone_data(folder)
    for path in target.glob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    configuration = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = {}
    for place, files in configuration["tool"]["setuptools"]["data-files"].items():
        kept = [f for f in files if Path(f).name != capstone.DATA_FILE]  # letters.csv holds every test label
        data_files[place] = kept
        for file in kept:
            (out / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / file, out / file)
    (out / "pyproject.toml").write_text(pyproject_text(configuration["project"], data_files), encoding="utf-8")
    (out / "README.md").write_text(README, encoding="utf-8")
    return {str(path.relative_to(out)): path.stat().st_size for path in sorted(out.rglob("*")) if path.is_file()}


def _top_level_names(path):
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {name.id for target in node.targets for name in ast.walk(target) if isinstance(name, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="the folder to write the edition's project to")
    parser.add_argument("--notebooks", default=str(REPO / "notebooks"), help="the learner notebooks")
    args = parser.parse_args(argv)
    try:
        files = build(args.out, args.notebooks)
    except EditionError as error:
        print(f"student edition not built: {error}", file=sys.stderr)
        return 1
    print(f"Student edition: {Path(args.out).resolve()} ({len(files)} files, {sum(files.values()) / 1e6:.1f} MB). "
          f"Install it with: pip install --no-deps {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
