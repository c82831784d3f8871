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

MODEL_CLASSES = {cls.__name__: cls for cls in (LinearRegression, LogisticRegression, MLP)}
FORMAT_VERSION = 1


def save(model, path):
    """Write ``path.npz`` (parameters) and ``path.json`` (hyperparameters); returns both paths."""
    parameters = model.parameters()  # a model without parameters yet says so here
    base = _base(path)
    base.parent.mkdir(parents=True, exist_ok=True)
    np.savez(base.with_suffix(".npz"), **parameters)
    constructor = {k: list(v) if isinstance(v, tuple) else v for k, v in model.get_params().items()}
    info = {
        "format_version": FORMAT_VERSION,
        "model": type(model).__name__,
        "hyperparameters": {k: v for k, v in constructor.items() if k not in SETTINGS},
        "settings": {k: v for k, v in constructor.items() if k in SETTINGS},  # seed, dtype, task: neither
        "n_features": model.n_features_in_,
        "n_outputs": model.n_outputs_,
    }
    base.with_suffix(".json").write_text(json.dumps(info, indent=2) + "\n")
    return base.with_suffix(".npz"), base.with_suffix(".json")


def load(path):
    """Rebuild a model saved by ``save``: hyperparameters from JSON, parameters from .npz."""
    base = _base(path)
    json_path, npz_path = base.with_suffix(".json"), base.with_suffix(".npz")
    for p in (json_path, npz_path):
        if not p.exists():
            raise FileNotFoundError(f"cannot load {base}: {p} is missing (save writes both .json and .npz).")
    try:
        info = json.loads(json_path.read_text())
        cls = MODEL_CLASSES[info["model"]]
        hyperparameters = {**info["hyperparameters"], **info.get("settings", {})}
        if "hidden_layers" in hyperparameters:
            hyperparameters["hidden_layers"] = tuple(hyperparameters["hidden_layers"])
        model = cls(**hyperparameters)
        model.build(info["n_features"], info["n_outputs"])
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise ValueError(f"{json_path} is not a valid nnlib model description ({error!r}).") from None
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


def _base(path):
    path = Path(path)
    return path.with_suffix("") if path.suffix in (".npz", ".json") else path
