"""tools/numerics.py (`make test-numerics`) really switches the BLAS kernel, and refuses when it cannot.

The notebook runs themselves are `make test-numerics`; these tests check the machinery around them.
"""
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import numerics  # noqa: E402

TOOL = str(ROOT / "tools" / "numerics.py")


def openblas_on_x86():
    return platform.machine().lower() in ("x86_64", "amd64") and numerics.openblas_in_use() is not None


needs_openblas = pytest.mark.skipif(not openblas_on_x86(),
                                    reason="OPENBLAS_CORETYPE exists for OpenBLAS on x86-64 only")


@pytest.mark.parametrize("native, chosen", [
    ("SkylakeX", ["Haswell", "Sandybridge"]),   # recent Intel: Haswell is the kernel that differs most
    ("Zen", ["Haswell", "Sandybridge"]),        # AMD EPYC / Ryzen
    ("Haswell", ["Sandybridge", "Prescott"]),
    ("Katmai", ["Haswell", "Sandybridge"]),     # OpenBLAS's name for its Prescott kernel
])
def test_two_kernels_other_than_the_native_one_are_chosen(native, chosen):
    assert numerics.choose(native) == chosen


def run(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", numerics.NATIVE_ENV)}
    return subprocess.run([sys.executable, TOOL, *args], env={**clean, **env}, capture_output=True, text=True)


@needs_openblas
def test_the_check_accepts_another_kernel_and_refuses_the_native_one():
    native = numerics.probe(dict(os.environ))[0]
    other = numerics.choose(native)[0]
    accepted = run("check", OPENBLAS_CORETYPE=other, NNLIB_NATIVE_CORETYPE=native, OPENBLAS_NUM_THREADS="1")
    assert accepted.returncode == 0, accepted.stdout
    assert "valid for test-numerics: yes" in accepted.stdout and "(1 thread(s))" in accepted.stdout
    refused = run("check", OPENBLAS_CORETYPE=native, NNLIB_NATIVE_CORETYPE=native)
    assert refused.returncode == 1 and f"runs the machine's own kernel {native}" in refused.stdout


def test_the_notebook_kernel_refuses_to_start_outside_test_numerics():
    refused = run("kernel", "-f", "never-used.json")
    assert refused.returncode != 0
    assert "refusing to start the notebook kernel" in refused.stderr and "make test-numerics" in refused.stderr


TRAIN = """
import sys, numpy as np, nnlib
X, y = nnlib.load_digits()
X_train, _, _, y_train, _, _ = nnlib.train_val_test_split(X / 16, y, seed=0)
model = nnlib.MLP(hidden_layers=(32,), learning_rate=0.1, momentum=0.9, epochs=30, batch_size=32, seed=0)
np.savez(sys.argv[1], **model.fit(X_train, y_train).parameters())
"""


@needs_openblas
@pytest.mark.slow
def test_a_training_run_agrees_across_blas_kernels_within_the_stated_tolerance(tmp_path):
    # The README's promise: same seed, same numbers on one machine (bitwise, tested elsewhere); on another
    # machine a (non-chaotic) training run agrees to 1e-9 relative. Measured on SkylakeX vs Haswell, Sandybridge
    # and Prescott: about 1.5e-15 after these 30 epochs (1,010 steps).
    native = numerics.probe(dict(os.environ))[0]
    results = {}
    for coretype in (native, *numerics.choose(native)):
        path = tmp_path / f"{coretype}.npz"
        done = subprocess.run([sys.executable, "-c", TRAIN, str(path)],
                              env={**os.environ, "OPENBLAS_CORETYPE": coretype}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        with np.load(path) as archive:
            results[coretype] = {name: archive[name] for name in archive.files}
    reference = results.pop(native)
    for coretype, parameters in results.items():
        for name, values in parameters.items():
            gap = np.max(np.abs(values - reference[name])) / np.max(np.abs(reference[name]))
            assert gap < 1e-9, f"{name} under {coretype} differs by {gap:.1e} (relative) from {native}"
