"""The grader's end of the bridge to a submission's kernel: the student's answers as plain data, their functions as
stand-ins that run in the kernel.

The checkers of ``nnlib.exercises`` run here, in the grading process, unchanged: an answer that is a value arrives
as a value (numbers, strings, lists, dicts, arrays); an answer that is a function arrives as a ``RemoteFunction``,
which a checker calls like the function itself. Each call sends its arguments to the kernel, where the student's
function runs (``kernel_side.py``), and brings back the result and the new state of every list, dict, array, object
and random generator it was handed, so a checker sees in-place updates (an optimiser's step, a layer's gradients) as
if the function had run here. Nothing the kernel sends is ever executed or unpickled: JSON, and arrays read with
``allow_pickle=False`` after their size is checked.
"""
import base64
import binascii
import builtins
import inspect
import io
import json
import pickle
import re
import secrets
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from .kernel_side import _containers

MIME = "application/x-nnlib-grading"
KERNEL_MODULE = "nnlib_grading_kernel"
KERNEL_SOURCE = (Path(__file__).parent / "kernel_side.py").read_text(encoding="utf-8")
MAX_ARRAY_BYTES = 256 * 2**20  # one array from the kernel, before it is allocated here
MAX_DEPTH = 60
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")


class BridgeError(Exception):
    """The kernel did not answer as the grader asked (no reply, a reply it cannot read, or one out of bounds)."""


class RemoteError(Exception):
    """An error the student's function raised in its kernel; subclasses carry its type's name."""


_error_types = {}


def remote_error(name, message):
    """An exception whose type is named like the student's error (``ZeroDivisionError``), so feedback can name it."""
    name = name if NAME.fullmatch(str(name)) else "Error"
    if name not in _error_types:
        builtin = getattr(builtins, name, None)  # a ValueError stays a ValueError for a checker that catches one
        mixable = isinstance(builtin, type) and issubclass(builtin, Exception)
        bases = (RemoteError, builtin) if mixable else (RemoteError,)
        try:
            _error_types[name] = type(name, bases, {})
        except TypeError:  # a built-in error whose layout cannot be mixed in (OSError's family)
            _error_types[name] = type(name, (RemoteError,), {})
    return _error_types[name](str(message)[:2000])


class RemoteObject(SimpleNamespace):
    """An object that a student's function made (not one the checker handed it): its attributes, as plain data."""


class RemoteFunction:
    """A student's function that stays in its kernel; calling this calls it there (see the module's docstring)."""

    def __init__(self, bridge, info):
        self._bridge, self._handle = bridge, str(info["handle"])
        self.__name__ = self.__qualname__ = info["name"] if NAME.fullmatch(str(info["name"])) else "function"
        self._stub, self._names = bool(info["stub"]), [n for n in info.get("names", []) if NAME.fullmatch(str(n))]
        self.__signature__ = _signature(info.get("signature"), bridge)

    def __call__(self, *args, **kwargs):
        return self._bridge.call(self._handle, args, kwargs)

    @property
    def __code__(self):
        """A code object that answers what checkers ask of one: is the body still only ``...``
        (``framework.is_stub``), and which global names it uses (``co_names``)."""
        if self._stub:
            return compile("def f():\n    ...\n", "<stub>", "exec").co_consts[0]
        names = "".join(f"{name}, " for name in self._names)
        return compile(f"def f():\n    return ({names})\n", "<answer>", "exec").co_consts[0]

    def __reduce__(self):  # handed back to the kernel as an argument: there it is the student's own function again
        return eval, (f"__import__({KERNEL_MODULE!r}).answer({self._handle!r})",)

    def __repr__(self):
        return f"<the student's function {self.__name__}, in its kernel>"


def _signature(parameters, bridge):
    if not isinstance(parameters, list):
        return None
    try:
        return inspect.Signature([inspect.Parameter(
            name, inspect._ParameterKind(kind),
            default=inspect.Parameter.empty if default is None else bridge.decode(default[0], []))
            for name, kind, default in parameters])
    except (TypeError, ValueError, IndexError):
        return None


def containers(value):
    """Every list, dict, array, object and generator reachable from ``value``, found as ``kernel_side._containers``
    finds them in the kernel (one walk for both: position i names the same thing here and there)."""
    found = []
    _containers(value, found, {id(f) for f in _functions(value)})
    return found


def _functions(value, depth=0):
    """The RemoteFunctions among the arguments: the kernel holds those as handles, not as copies."""
    if isinstance(value, RemoteFunction):
        return [value]
    if depth > MAX_DEPTH or not isinstance(value, (list, tuple, dict)):
        return []
    items = value.values() if isinstance(value, dict) else value
    return [f for item in items for f in _functions(item, depth + 1)]


def read_npy(text):
    """An array from base64 .npy, its header checked before anything the size of its data is allocated."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise BridgeError("an array that is not base64") from None
    stream = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(stream)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(stream)
    except (ValueError, OSError) as error:
        raise BridgeError(f"an array whose header cannot be read ({error})") from None
    if dtype.hasobject or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise BridgeError("an array of Python objects, or with a negative shape")
    if int(np.prod(shape, dtype=object)) * dtype.itemsize > MAX_ARRAY_BYTES:
        raise BridgeError(f"an array of shape {shape}: larger than the grader accepts")
    stream.seek(0)
    return np.load(stream, allow_pickle=False)


class Bridge:
    """Talks to one kernel. ``run(code)`` executes code there and returns the cell outputs (the grading
    preprocessor gives it nbclient's own ``execute_cell``)."""

    def __init__(self, run):
        self._run, self._installed = run, False

    def _request(self, *request):
        nonce = secrets.token_hex(8)
        payload = base64.b64encode(pickle.dumps(request, protocol=4)).decode("ascii")
        code = f"__import__({KERNEL_MODULE!r}).reply({nonce!r}, {payload!r})"
        if not self._installed:
            code = (f"import sys as _s, types as _t\n"
                    f"_s.modules[{KERNEL_MODULE!r}] = _m = _t.ModuleType({KERNEL_MODULE!r})\n"
                    f"exec(compile({KERNEL_SOURCE!r}, {KERNEL_MODULE!r}, 'exec'), _m.__dict__)\ndel _s, _t, _m\n{code}")
            self._installed = True
        for output in self._run(code):
            text = output.get("data", {}).get(MIME) if output.get("output_type") == "display_data" else None
            if isinstance(text, str) and text.startswith(f"{nonce}:"):
                try:
                    reply = json.loads(base64.b64decode(text[len(nonce) + 1:], validate=True))
                except (binascii.Error, ValueError):
                    raise BridgeError("a reply that is not base64 JSON") from None
                if not isinstance(reply, dict) or "failed" in reply:
                    said = reply.get("failed") if isinstance(reply, dict) else reply
                    raise BridgeError(f"the kernel could not answer: {str(said)[:500]}")
                return reply
        raise BridgeError("no reply from the notebook's kernel (was the grader's request stopped or replaced?)")

    def fetch(self, names):
        """The values of the notebook's variables ``names``: plain data, or RemoteFunction; a missing one is None."""
        reply = self._request("describe", list(names))
        values = reply.get("values")
        if not isinstance(values, list) or len(values) != len(names):
            raise BridgeError("a reply with the wrong number of answers")
        return [None if value == {"$": "missing"} else self.decode(value, []) for value in values]

    def read_file(self, name):
        """The text of the file ``name`` in the kernel's folder, as the kernel's user reads it (None: no such file)."""
        text = self._request("read", str(name)).get("text")
        if text is not None and not isinstance(text, str):
            raise BridgeError("a file's text that is not text")
        return text

    def call(self, handle, args, kwargs):
        """Call the student's function ``handle`` in the kernel; update ``args``' containers from its reply."""
        found = containers((args, kwargs))
        try:
            reply = self._request("call", handle, args, kwargs, np.geterr())
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            raise BridgeError(f"the checker's arguments cannot be sent to the kernel ({error})") from None
        states = reply.get("table")
        if not isinstance(states, list) or len(states) != len(found):
            raise BridgeError("a reply whose arguments do not match the ones sent")
        for thing, state in zip(found, states):
            self._update(thing, state, found)
        if reply.get("global_random_used"):
            np.random.random()  # the function drew from numpy's global generator: checkers see its state move
        if reply.get("error"):
            name, message = (list(reply["error"]) + ["", ""])[:2]
            raise remote_error(name, message)
        return self.decode(reply.get("result"), found)

    def _update(self, thing, state, found):
        """Bring the grader's ``thing`` (an argument of the call) to the state it has in the kernel now."""
        if isinstance(thing, np.random.Generator):
            if isinstance(state, dict) and state.get("$") == "generator":
                thing.bit_generator.state = self.decode(state["state"], found)
            return
        new = self.decode(state, found, top=True) if not (isinstance(state, dict) and state.get("$") == "object") \
            else None
        if isinstance(thing, np.ndarray):
            if isinstance(new, np.ndarray) and new.shape == thing.shape and thing.flags.writeable:
                np.copyto(thing, new, casting="unsafe")
        elif isinstance(thing, list) and isinstance(new, list):
            thing[:] = new
        elif isinstance(thing, dict) and isinstance(new, dict):
            thing.clear()
            thing.update(new)
        elif isinstance(state, dict) and state.get("$") == "object":
            for key, value in state.get("attrs", []):
                settable = isinstance(key, str) and NAME.fullmatch(key) and not key.startswith("__")
                if settable and not callable(getattr(thing, key, None)) and not (
                        isinstance(value, dict) and value.get("$") in ("unsupported", "function")):
                    setattr(thing, key, self.decode(value, found, 1))

    def decode(self, data, found, depth=0, top=False):
        """A value from the kernel's tagged JSON; references name the call's own arguments (``found``)."""
        if depth > MAX_DEPTH:
            raise BridgeError("a reply nested too deep")
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list) or not isinstance(data, dict):
            raise BridgeError("a reply that is not tagged data")
        tag, again = data.get("$"), (lambda value: self.decode(value, found, depth + 1))
        if tag == "ref" and not top:
            index = data.get("i")
            if not isinstance(index, int) or not 0 <= index < len(found):
                raise BridgeError("a reference to nothing the grader sent")
            return found[index]
        if tag == "ellipsis":
            return Ellipsis
        if tag == "bigint":
            return int(str(data.get("v"))[:400])
        if tag in ("array", "scalar"):
            array = read_npy(data.get("npy"))
            return array[()] if tag == "scalar" else array
        if tag in ("list", "tuple"):
            items = [again(item) for item in data.get("items", [])]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            pairs = [(again(key), again(value)) for key, value in data.get("items", [])]
            try:
                return dict(pairs)
            except TypeError:
                raise BridgeError("a dict whose keys cannot be keys") from None
        if tag == "generator":
            return again(data.get("state"))
        if tag == "function":
            return RemoteFunction(self, data)
        if tag == "object":
            return RemoteObject(**{key: again(value) for key, value in data.get("attrs", [])
                                   if isinstance(key, str) and NAME.fullmatch(key)})
        if tag == "unsupported":
            return RemoteObject(unsupported_type=str(data.get("type"))[:200])
        raise BridgeError(f"a reply with an unknown tag {str(tag)[:40]!r}")
