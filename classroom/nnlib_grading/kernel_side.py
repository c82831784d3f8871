"""The grader's side of the bridge that runs INSIDE a submission's kernel (the grader sends this file's text there).

The grader (``bridge.py``, in the nbgrader process) never runs a student's code: it asks this module, over the kernel's
own channel, for the student's answers as plain data, and to call a student's function on the checker's inputs. What
comes back is JSON with .npy arrays: values, lists, dicts, arrays, the state of the objects the function was handed,
and for a function its name, signature and whether its body is still ``...``. Nothing here decides a grade, so a
submission that patches this module, numpy or builtins changes only the data it hands over, never the verdict.

Protocol: ``reply(nonce, request)``; request is base64 pickle (grader -> kernel: the grader's own data, so unpickling it
here is safe for the grader) of ``("describe", names)``, ``("call", handle, args, kwargs, numpy's errstate)`` or
``("read", file name)``. The reply is published as display data ``application/x-nnlib-grading`` =
"<nonce>:<base64 JSON>".
"""
import base64
import functools
import inspect
import io
import json
import pickle
import sys
import types

import numpy as np

MIME = "application/x-nnlib-grading"
FUNCTIONS = {}  # handle -> a student's function or class, found in an answer or returned by one


def answer(handle):
    """A student's function by handle (the grader pickles a reference to one it hands back as an argument)."""
    return FUNCTIONS[handle]


def _is_stub(function):
    try:
        from nnlib.exercises.framework import is_stub
        return bool(is_stub(function))
    except Exception:
        return False


def _signature(function):
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    return [[p.name, int(p.kind), None if p.default is p.empty else [_Encoder({}).encode(p.default)]]
            for p in parameters]


def _containers(value, found, seen):
    """Every mutable thing reachable from ``value`` (lists, dicts, arrays, objects, generators), in a fixed order: the
    grader walks its own arguments the same way, so position i names the same thing on both sides."""
    if id(value) in seen or isinstance(value, (str, bytes, int, float, complex, bool, type(None))):
        return
    if isinstance(value, tuple):
        for item in value:
            _containers(item, found, seen)
        return
    if any(value is function for function in FUNCTIONS.values()):  # the grader holds these as handles, not copies
        return
    if isinstance(value, (list, dict, np.ndarray, np.random.Generator)) or _plain_object(value):
        seen.add(id(value))
        found.append(value)
        items = (value if isinstance(value, list) else value.values() if isinstance(value, dict)
                 else [vars(value)[key] for key in sorted(vars(value))] if _plain_object(value) else ())
        for item in items:
            _containers(item, found, seen)


CODE_LIKE = (type, np.ndarray, types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.ModuleType,
             functools.partial)


def _plain_object(value):
    """An instance with attributes (a layer, a network, a callable model factory): not a function, class or module."""
    return hasattr(value, "__dict__") and not isinstance(value, CODE_LIKE)


class _Encoder:
    """Plain data from any value: tagged JSON; ``table`` maps id(thing) -> its position (encoded as a reference)."""

    def __init__(self, table):
        self.table = table

    def encode(self, value, depth=0, top=False):
        if depth > 40:
            return {"$": "unsupported", "type": "nesting deeper than 40"}
        if not top and id(value) in self.table:
            return {"$": "ref", "i": self.table[id(value)]}
        if value is None or isinstance(value, (bool, str)) or type(value) in (int, float):
            return value if not isinstance(value, int) or abs(value) < 2**53 else {"$": "bigint", "v": str(value)}
        if value is Ellipsis:
            return {"$": "ellipsis"}
        if isinstance(value, (np.generic, np.ndarray)) and not isinstance(value, np.ndarray):
            value = np.asarray(value)
            return {"$": "scalar", "npy": self.npy(value)} if value.dtype != object else self.other(value)
        if isinstance(value, np.ndarray):
            return {"$": "array", "npy": self.npy(value)} if value.dtype != object else self.other(value)
        if isinstance(value, (int, float)):  # int/float subclasses (bool done above)
            return self.encode(int(value) if isinstance(value, int) else float(value), depth)
        if isinstance(value, (list, tuple)):
            return {"$": type(value).__name__ if type(value) in (list, tuple) else "list",
                    "items": [self.encode(item, depth + 1) for item in value]}
        if isinstance(value, dict):
            return {"$": "dict", "items": [[self.encode(k, depth + 1), self.encode(v, depth + 1)]
                                           for k, v in value.items()]}
        if isinstance(value, np.random.Generator):
            return {"$": "generator", "state": self.encode(value.bit_generator.state, depth + 1)}
        if _plain_object(value) and (top or not callable(value)):
            return {"$": "object", "type": type(value).__qualname__,
                    "attrs": [[key, self.encode(item, depth + 1)] for key, item in sorted(vars(value).items())
                              if isinstance(key, str)]}
        if callable(value):
            handle = f"f{len(FUNCTIONS)}"
            FUNCTIONS[handle] = value
            code = getattr(value, "__code__", None)
            return {"$": "function", "handle": handle, "name": str(getattr(value, "__name__", type(value).__name__)),
                    "stub": _is_stub(value), "names": list(getattr(code, "co_names", ()))[:200],
                    "signature": _signature(value), "is_class": isinstance(value, type)}
        return self.other(value)

    @staticmethod
    def npy(array):
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return base64.b64encode(buffer.getvalue()).decode("ascii")

    @staticmethod
    def other(value):
        return {"$": "unsupported", "type": type(value).__qualname__}


def _state(thing, encoder):
    """What the grader needs to bring its copy of ``thing`` up to date after a call."""
    if isinstance(thing, np.random.Generator):
        return {"$": "generator", "state": encoder.encode(thing.bit_generator.state)}
    return encoder.encode(thing, top=True)


def _describe(names):
    main = vars(sys.modules["__main__"])
    return {"values": [_Encoder({}).encode(main[name]) if name in main else {"$": "missing"} for name in names]}


def _call(handle, args, kwargs, errstate):
    found = []
    _containers((args, kwargs), found, set())
    table = {id(thing): i for i, thing in enumerate(found)}
    before = np.random.get_state()[1].copy()
    error = result = None
    try:
        with np.errstate(**errstate):  # the checker's: some ask numpy to raise on overflow
            result = FUNCTIONS[handle](*args, **kwargs)
    except BaseException as raised:  # SystemExit, KeyboardInterrupt too: the grader reports it as this function's
        error = [type(raised).__name__, str(raised)[:2000]]
    encoder = _Encoder(table)
    return {"result": encoder.encode(result), "error": error, "table": [_state(thing, encoder) for thing in found],
            "global_random_used": bool(np.any(np.random.get_state()[1] != before))}


def _read(name):
    """A file of the kernel's own folder, as text (the capstone's budget file): what the kernel's user can read."""
    try:
        with open(name, "rb") as handle:
            data = handle.read(2**21 + 1)
    except OSError:
        return {"text": None}
    return {"text": None if len(data) > 2**21 else data.decode("utf-8", "replace")}


def reply(nonce, request):
    """Answer one request from the grader (see the module's docstring)."""
    from IPython.display import publish_display_data

    kind, *arguments = pickle.loads(base64.b64decode(request))
    try:
        answer_ = {"describe": _describe, "call": _call, "read": _read}[kind](*arguments)
    except BaseException as failed:  # never the student's error (that is in "error"): a value we could not encode
        answer_ = {"failed": f"{type(failed).__name__}: {failed}"[:2000]}
    text = base64.b64encode(json.dumps(answer_, allow_nan=True).encode()).decode("ascii")
    publish_display_data({MIME: f"{nonce}:{text}"})
