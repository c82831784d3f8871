"""Saving a trained model as plain data: what training learned to ``<name>.npz``, an array per parameter (and running
statistic: format 3) named as in ``model.parameters()`` (``model.statistics()``), loaded without pickle (a file cannot
run code); what you chose to ``<name>.json``: the model class, the hyperparameters and settings the parameters were
trained with (``model.trained_with_``), ``n_features``, ``n_outputs`` and ``npz_sha256`` (refusing another save's .npz).
"""
import contextlib
import hashlib
import io
import json
import math
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
from numpy.lib import format as npy

from ..custom import Custom
from ..estimator import SETTINGS
from ..input_checks import check_count
from ..models import MLP, LinearRegression, LogisticRegression, Model
from ..network import parameter_count

MODEL_CLASSES = {cls.__name__: cls for cls in (LinearRegression, LogisticRegression, MLP)}


def save(model, path):
    """Write ``<path>.npz`` and ``<path>.json``, all or nothing; returns both paths. ``path`` is kept whole
    ("mlp_lr0.1" -> mlp_lr0.1.npz; a trailing .npz or .json names the pair). Warns of ``set_params`` since training."""
    if not isinstance(model, Model):
        raise TypeError(f"save(model, path) saves an nnlib model (MLP, LinearRegression or LogisticRegression), not "
                        f"a {type(model).__name__}; to save arrays alone, use np.savez('arrays.npz', **arrays).")
    buffer = io.BytesIO()
    np.savez(buffer, **model.parameters(), **model.statistics())  # a model without parameters yet says so here
    (npz_path, json_path), trained_with = _paths(path), model.trained_with_
    if isinstance(trained_with.get("optimizer"), Custom):
        raise ValueError(f"save cannot write optimizer={trained_with['optimizer']!r}: it is your own Python function, "
                         "and loading a file must never run code. Nothing was written. Save the parameters alone with "
                         "np.savez('my_model.npz', **model.parameters()), or train with optimizer='sgd' or 'adam'.")
    changed = [f"{name} is {value!r} now, but the parameters were trained with {trained_with[name]!r}"
               for name, value in model.get_params().items() if repr(value) != repr(trained_with[name])]
    if changed:  # the file records the values the parameters were trained with
        warnings.warn(f"{'; '.join(changed)}. The file records those; fit again to save the new ones.", stacklevel=2)
    info = {"format_version": 3, "model": type(model).__name__,
            "hyperparameters": {k: v for k, v in trained_with.items() if k not in SETTINGS},
            "settings": {k: v for k, v in trained_with.items() if k in SETTINGS},  # seed, dtype, task: neither
            "n_features": model.n_features_in_, "n_outputs": model.n_outputs_,
            "npz_sha256": hashlib.sha256(buffer.getvalue()).hexdigest()}
    text = json.dumps(info, indent=2, default=_plain) + "\n"  # before writing: a value JSON cannot hold writes nothing
    _write_all_or_nothing({npz_path: buffer.getvalue(), json_path: text.encode()})
    return npz_path, json_path


def load(path):
    """Rebuild a model saved by ``save``, checking every size before allocating, and the .npz's digest."""
    npz_path, json_path = _paths(path)
    for p in (json_path, npz_path):
        if not p.exists():
            raise FileNotFoundError(f"cannot load {path}: {p} is missing (save writes both .json and .npz).")
    with _describing(json_path):
        info = json.loads(json_path.read_text())
        if not isinstance(info, dict):
            raise ValueError(f"it holds {json.dumps(info)[:40]}, not the object {{\"model\": ...}} that save writes")
        if info["model"] not in MODEL_CLASSES:
            raise ValueError(f"it names the model {info['model']!r}, and nnlib can load {', '.join(MODEL_CLASSES)}")
        hyperparameters = {name: tuple(value) if isinstance(value, list) else value  # JSON made tuples lists
                           for name, value in {**info["hyperparameters"], **info.get("settings", {})}.items()}
        model = MODEL_CLASSES[info["model"]]().set_params(**hyperparameters)  # unknown names listed with the valid
        n_features = check_count("n_features", info["n_features"])
        n_outputs = model.loss_type().check_n_outputs(info["n_outputs"])
        hidden_layers, batch_norm = model.choices()["hidden_layers"], model.choices().get("batch_norm") is True
        n_parameters = parameter_count(n_features, hidden_layers, n_outputs, batch_norm)
        n_statistics = n_parameters - parameter_count(n_features, hidden_layers, n_outputs)  # as many as gamma, beta
        digest = None if info.get("format_version") == 1 else info["npz_sha256"]
    n_in_file = _numbers_in(npz_path)
    with open(npz_path, "rb") as file:
        if digest is not None and hashlib.file_digest(file, "sha256").hexdigest() != digest:
            raise ValueError(f"{npz_path} and {json_path} are not a pair: the .json was saved with another .npz. Save "
                             "the model again, or put back the .npz saved with this .json.")
    if n_in_file != n_parameters + n_statistics:
        raise ValueError(f"{npz_path} does not match the model in {json_path.name}: it holds {n_in_file:,} numbers, "
                         f"and that model (n_features={n_features}, hidden_layers={hidden_layers!r}, n_outputs="
                         f"{n_outputs}{', batch_norm=True' * batch_norm}) has {n_parameters:,} parameters"
                         + f" and {n_statistics:,} running statistics" * batch_norm + ".")
    with _describing(json_path):
        model.build(n_features, n_outputs)
    try:
        with np.load(npz_path, allow_pickle=False) as archive:
            model.set_parameters({name: archive[name] for name in archive.files})
    except (OSError, ValueError, MemoryError, zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"{npz_path} is damaged or does not match the model in {json_path.name}: {error}") from None
    return model


def _paths(path):
    if not isinstance(path, (str, os.PathLike)) or not Path(path).name:
        raise ValueError(f"a saved model is named by a path such as 'my_model' (for my_model.npz and my_model.json); "
                         f"got {path!r}.")
    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".npz", ".json") else path
    return base.with_name(base.name + ".npz"), base.with_name(base.name + ".json")


def _write_all_or_nothing(contents):
    """Write {path: bytes}: each to a temporary file beside its target, renamed over it only once all are complete."""
    folder, temporary = next(iter(contents)).parent, {}
    try:
        for path in filter(Path.exists, contents):
            open(path, "ab").close()  # read-only means "keep me": refused here, not replaced by a rename
        folder.mkdir(parents=True, exist_ok=True)
        for path, data in contents.items():
            temporary[path] = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            with open(temporary[path], "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())  # on disk before the rename, so a power cut cannot leave an empty file
        for path, temp in temporary.items():
            os.replace(temp, path)
    except OSError as error:  # OSError(errno, ...) keeps the kind: PermissionError, FileExistsError, ...
        where = f" ({error.filename})" if error.filename else ""
        raise OSError(error.errno, f"save could not write {' and '.join(p.name for p in contents)} in {folder}: "
                                   f"{error.strerror or error}{where}.") from None
    finally:
        for temp in temporary.values():
            temp.unlink(missing_ok=True)


@contextlib.contextmanager
def _describing(json_path):
    """Any error in reading or building what ``json_path`` describes becomes one sentence naming the file."""
    try:
        yield
    except KeyError as error:
        raise ValueError(f"{json_path} is not a valid nnlib model description: it has no {error} entry.") from None
    except (ValueError, TypeError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ValueError(f"{json_path} is not a valid nnlib model description: {str(error).rstrip('.')}.") from None
    except MemoryError:
        raise ValueError(f"{json_path} describes a model too large for this computer's memory.") from None


def _numbers_in(npz_path):
    """How many numbers a .npz's arrays hold, read from their .npy headers (not their data), after checking them."""
    headers = {}
    try:
        with zipfile.ZipFile(npz_path) as archive:
            for member in archive.infolist():
                with archive.open(member) as stream:
                    read = npy.read_array_header_1_0 if npy.read_magic(stream) == (1, 0) else npy.read_array_header_2_0
                    headers[member.filename.removesuffix(".npy")] = read(stream)  # (shape, fortran_order, dtype)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        raise ValueError(f"{npz_path} is not a parameter file written by nnlib.save: it is not a .npz archive of "
                         "named numpy arrays, or it is damaged (a .npy file, even renamed, holds one array).") from None
    for name, (_, _, dtype) in headers.items():
        if dtype.kind not in "fiu":
            raise ValueError(f"{npz_path} holds {name!r} as {dtype} values; parameters are real numbers (floats).")
    declared = sum(math.prod(shape) * dtype.itemsize for shape, _, dtype in headers.values())
    if declared > npz_path.stat().st_size:
        raise ValueError(f"{npz_path} declares {declared:,} bytes of arrays in a file of {npz_path.stat().st_size:,} "
                         "bytes: it is compressed or damaged, and nnlib.save writes neither.")
    return sum(math.prod(shape) for shape, _, _ in headers.values())


def _plain(value):
    """A numpy number or array as the Python number or list JSON can hold (np.arange gives np.int64)."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"save writes hyperparameters as JSON (numbers, text, lists), and cannot write {value!r} "
                    f"(a {type(value).__name__}).")
