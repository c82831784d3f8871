"""Your library's folder: each piece you write, once its check passes, saved as a file of its own.

The folder is ``my_nnlib/`` beside the notebook (Jupyter starts a kernel in its notebook's folder), or the folder
that the environment variable ``NNLIB_MY_LIBRARY`` names. Each piece is ``<piece>.py``: a first line ``CHECK = {...}``
saying which exercise checked it and whether it passed, the imports a piece may use, then your code. Loading reads
``CHECK`` as data, never running a file that did not pass or that changed since its check.
"""
import ast
import builtins
import contextlib
import datetime
import dis
import hashlib
import inspect
import math
import os
import textwrap
from pathlib import Path

import numpy as np

from ..train import epoch_order

LIBRARY_ENV = "NNLIB_MY_LIBRARY"
IMPORTS = "import math\n\nimport numpy as np\n\nfrom nnlib.train import epoch_order\n"
NAMESPACE = {"math": math, "np": np, "epoch_order": epoch_order}  # what a piece may use besides Python's builtins
README = ("This folder is yours: the pieces of a neural network you wrote in the course's notebooks, one file each,\n"
          "saved when their checks passed. Later notebooks train on them (nnlib.learner.my_library().report()).\n")


class NotSaved(Exception):
    """A piece that is right but cannot be kept as a file of its own; the message says why and what to change."""


def folder():
    """The library's folder: $NNLIB_MY_LIBRARY, else my_nnlib/ in the current (the notebook's) folder."""
    return Path(os.environ.get(LIBRARY_ENV) or Path.cwd() / "my_nnlib")


def capture(function, piece):
    """The source of ``function`` as a piece named ``piece``: its code, run again alone, must define it."""
    if getattr(function, "__name__", "<lambda>") == "<lambda>" or not inspect.isfunction(function):
        raise NotSaved(f"{piece} must be a function written with def, not {function!r}.")
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        raise NotSaved(f"the code of {piece} cannot be read back (was it made by exec or typed at a console?). "
                       "Write it with def in a notebook cell.") from None
    if function.__closure__:
        raise NotSaved(f"{piece} is defined inside another function and uses its variables; define it at the top "
                       "level of a cell.")
    if function.__name__ != piece:
        source += f"\n\n{piece} = {function.__name__}\n"
    rebuild(source, piece)
    return source


def rebuild(source, piece):
    """Run ``source`` alone, with only math, np and epoch_order, and return the function ``piece`` it defines."""
    namespace = dict(NAMESPACE)
    try:
        exec(compile(source, f"my_nnlib/{piece}.py", "exec"), namespace)
    except Exception as error:
        raise NotSaved(f"{piece}'s cell does not run on its own ({type(error).__name__}: {error}); a piece may use "
                       "only numpy (np), math and epoch_order.") from None
    function = namespace.get(piece)
    outside = sorted(_global_names(function.__code__) - set(namespace) - set(vars(builtins)))
    if outside:
        raise NotSaved(f"{piece} uses {', '.join(outside)}, defined elsewhere in this notebook; a piece must stand on "
                       "its own: compute it inside the function, with only np, math and epoch_order.")
    return function


def _global_names(code):
    """The global names a function's code reads (its nested functions' too), e.g. {"np", "W1"}."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    return names.union(*(_global_names(c) for c in code.co_consts if inspect.iscode(c)))


def save(piece, source, exercise, notebook, status="passed", message=""):
    """Write ``<folder>/<piece>.py`` all or nothing; returns its path. A failed piece keeps its code, never run."""
    check = {"piece": piece, "exercise": exercise, "notebook": notebook, "status": status, "message": message,
             "sha256": hashlib.sha256(source.encode()).hexdigest(), "when": datetime.date.today().isoformat()}
    text = f"CHECK = {check!r}\n\n{IMPORTS}\n\n{source}"
    target = folder() / f"{piece}.py"
    temporary = target.with_name(f".{piece}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (target.parent / "README.txt").exists():
            (target.parent / "README.txt").write_text(README)
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise NotSaved(f"could not write {target} ({error.strerror or error}).") from None
    return target


def read(piece):
    """(status, function): "passed" with your function, else ("missing" | "failed: <message>" | "changed", None)."""
    path = folder() / f"{piece}.py"
    try:
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        check = ast.literal_eval(first.removeprefix("CHECK = "))
        source = rest.removeprefix(f"\n{IMPORTS}\n\n")
    except FileNotFoundError:
        return "missing", None
    except (OSError, ValueError, SyntaxError, UnicodeDecodeError):
        return "changed", None
    if not isinstance(check, dict) or check.get("piece") != piece:
        return "changed", None
    if check.get("status") != "passed":
        return f"failed: {check.get('message', '')}", None
    if hashlib.sha256(source.encode()).hexdigest() != check.get("sha256"):
        return "changed", None
    namespace = {"__name__": f"my_nnlib.{piece}"}
    try:  # the text whose digest was checked, not the file read again
        exec(compile(text, str(path), "exec"), namespace)
    except Exception:
        return "changed", None
    return ("passed", namespace[piece]) if callable(namespace.get(piece)) else ("changed", None)
