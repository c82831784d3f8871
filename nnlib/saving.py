"""Saving a trained model as plain data: parameters to .npz, hyperparameters to .json.

The split on disk mirrors the lesson: ``<name>.npz`` holds what training learned (arrays only, loaded with
``allow_pickle=False``: a file cannot run code), ``<name>.json`` what you chose. ``load`` rebuilds the model
from the JSON and refuses parameters whose names or shapes do not fit it.
"""
import json
import zipfile
from pathlib import Path

import numpy as np

from .models import SETTINGS, LinearRegression, LogisticRegression, MLP
from .optim import Custom

MODEL_CLASSES = {cls.__name__: cls for cls in (LinearRegression, LogisticRegression, MLP)}
FORMAT_VERSION = 1


def save(model, path):
    """Write ``<path>.npz`` (parameters) and ``<path>.json`` (hyperparameters); returns both paths.

    ``path`` is used as given, dots and all ("mlp_lr0.1" -> mlp_lr0.1.npz); a path ending in .npz or .json names
    the pair too. The JSON is written out first in memory, so a hyperparameter it cannot hold leaves no file behind.
    """
    parameters = model.parameters()  # a model without parameters yet says so here
    npz_path, json_path = _paths(path)
    constructor = model.get_params()
    if isinstance(constructor.get("optimizer"), Custom):
        raise ValueError(
            f"save cannot write optimizer={constructor['optimizer']!r}: that optimiser is your own Python function, "
            "and the .json file holds hyperparameters as plain data (loading a file must never run code). Nothing "
            "was written. To keep the learned parameters, save them alone: np.savez('my_model.npz', "
            "**model.parameters()). To save the whole model, train it with an optimiser nnlib knows by name "
            "(optimizer='sgd' with momentum, or optimizer='adam') and save that one.")
    info = {
        "format_version": FORMAT_VERSION,
        "model": type(model).__name__,
        "hyperparameters": {k: v for k, v in constructor.items() if k not in SETTINGS},
        "settings": {k: v for k, v in constructor.items() if k in SETTINGS},  # seed, dtype, task: neither
        "n_features": model.n_features_in_,
        "n_outputs": model.n_outputs_,
    }
    text = json.dumps(info, indent=2, default=_plain) + "\n"
    npz_path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(npz_path, **parameters)
    json_path.write_text(text)
    return npz_path, json_path


def load(path):
    """Rebuild a model saved by ``save``: hyperparameters from JSON, parameters from .npz."""
    npz_path, json_path = _paths(path)
    for p in (json_path, npz_path):
        if not p.exists():
            raise FileNotFoundError(f"cannot load {path}: {p} is missing (save writes both .json and .npz).")
    try:
        info = json.loads(json_path.read_text())
        if info["model"] not in MODEL_CLASSES:
            raise ValueError(f"it names the model {info['model']!r}, and nnlib can load {', '.join(MODEL_CLASSES)}")
        # JSON has lists where the model had tuples (hidden_layers=(16,)); other values come back as they were saved
        hyperparameters = {name: tuple(value) if isinstance(value, list) else value
                           for name, value in {**info["hyperparameters"], **info.get("settings", {})}.items()}
        model = MODEL_CLASSES[info["model"]]().set_params(**hyperparameters)  # unknown names listed with the valid
        model.build(info["n_features"], info["n_outputs"])
    except KeyError as error:
        raise ValueError(f"{json_path} is not a valid nnlib model description: it has no {error} entry.") from None
    except (ValueError, TypeError, UnicodeDecodeError) as error:  # JSONDecodeError is a ValueError
        raise ValueError(f"{json_path} is not a valid nnlib model description: {str(error).rstrip('.')}.") from None
    try:
        with np.load(npz_path, allow_pickle=False) as archive:
            values = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"{npz_path} is corrupt or not a parameter file written by nnlib.save ({error}).") from None
    try:
        model.set_parameters(values)
    except ValueError as error:
        raise ValueError(f"{npz_path} does not match the model in {json_path.name}: {error}") from None
    return model


def _paths(path):
    """(<path>.npz, <path>.json), the name kept whole: only a trailing .npz or .json is taken as the file type."""
    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".npz", ".json") else path
    return base.with_name(base.name + ".npz"), base.with_name(base.name + ".json")


def _plain(value):
    """A numpy number or array as the Python number or list JSON can hold (np.arange gives np.int64)."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"save writes hyperparameters as JSON (numbers, text, lists), and cannot write {value!r} "
                    f"(a {type(value).__name__}).")
