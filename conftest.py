"""The companion notebook for R users runs on the R kernel, which the course does not need.

Under nbval (``make test``) a notebook whose kernelspec language is R is skipped, with the reason, when
R or its Jupyter kernel (IRkernel) is missing -- unless NNLIB_REQUIRE_R=1 (CI), where it must run. A run
that forces a Python kernel on every notebook (``make test-numerics``) leaves it out too.
"""
import json
import os
import shutil

import pytest

HOW_TO_INSTALL = "see the README, 'For R users' (NNLIB_REQUIRE_R=1 makes this a failure)"


def _language(path):
    return json.loads(path.read_text()).get("metadata", {}).get("kernelspec", {}).get("language", "").lower()


def r_kernel_missing():
    """Why the R kernel cannot run here, or None when it can."""
    from jupyter_client.kernelspec import KernelSpecManager

    if shutil.which("R") is None:
        return "R is not installed"
    if "ir" not in KernelSpecManager().find_kernel_specs():
        return "R's Jupyter kernel (IRkernel, kernelspec 'ir') is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    languages = {}
    for item in items:
        if item.path.suffix != ".ipynb":
            continue
        if item.path not in languages:
            languages[item.path] = _language(item.path)
        if languages[item.path] != "r":
            continue
        forced = getattr(config.option, "nbval_kernel_name", None)
        if forced and forced != "ir":
            item.add_marker(pytest.mark.skip(reason=f"an R notebook; this run uses the Python kernel {forced!r}"))
        elif not os.environ.get("NNLIB_REQUIRE_R") and (missing := r_kernel_missing()):
            item.add_marker(pytest.mark.skip(reason=f"{missing}: {HOW_TO_INSTALL}"))
