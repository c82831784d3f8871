"""nnlib/bridges/rscript.py, R's nnet run for real: the bridge to nnlib (notebook 12), the claims about nnet, and life
without R.

Tests that need R skip when it is missing, unless NNLIB_REQUIRE_R=1 (CI installs R), where they fail.
"""
import copy
import os
import re
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import nnlib
from nnlib.bridges import rscript

NOTEBOOK_12 = Path(__file__).resolve().parent.parent / "notebooks" / "12_r_nnet_and_l2_scale.ipynb"
AVAILABLE, WHY = rscript.r_status(("nnet", "caret"))


@pytest.fixture(scope="module")
def r():
    if not AVAILABLE:
        if os.environ.get("NNLIB_REQUIRE_R"):
            pytest.fail(f"NNLIB_REQUIRE_R is set, but {WHY}")
        pytest.skip(WHY)
    return rscript.run_r


def test_without_r_the_status_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(rscript.shutil, "which", lambda name: None)
    available, why = rscript.r_status()
    assert not available and "R is not installed" in why and "r-cran-nnet" in why and "install.packages" in why
    with pytest.raises(RuntimeError, match="R is not installed"):
        rscript.run_r("1 + 1")


def test_run_r_brings_back_reports_and_r_errors(r):
    result = r('x <- c(1.5, 2, 1e-20)\nprint("hello")\nreport("x", x)\nreport("n", nrow(d))', d={"a": [1, 2, 3]})
    np.testing.assert_array_equal(result.values["x"], [1.5, 2, 1e-20])
    assert result.values["n"] == [3] and "hello" in result.text and "#>>" not in result.text
    with pytest.raises(RuntimeError, match="object 'nope' not found"):
        r("print(nope)")


def test_run_r_refuses_columns_of_different_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        rscript.run_r("1", d={"a": [1, 2], "b": [1]})


@pytest.mark.parametrize("name", ["../outside", "x; system('touch pwned'); y", "if", "TRUE", "NA_integer_", "_x",
                                  "report", "données", "2x", ""])
def test_a_table_name_that_is_not_an_r_name_is_refused_before_r_is_looked_for(monkeypatch, name):
    monkeypatch.setattr(rscript.shutil, "which", lambda program: None)  # checked after the lookup: "R is not installed"
    with pytest.raises(ValueError, match=f"{re.escape(repr(name))} cannot name an R table: use letters, digits and _"):
        rscript.run_r("1", **{name: {"a": [1]}})


@pytest.mark.parametrize("columns, message", [
    ({"a": 5}, "column 'a' of table 'd' has shape (), not one value per row: pass one 1-D column per feature"),
    ({"a": [1, 2], "X": np.ones((2, 3))}, "column 'X' of table 'd' has shape (2, 3)"),
    ({0: [1]}, "column name 0 cannot go to R: use a non-empty string"),
    ({"": [1]}, "column name '' cannot go to R"),
    ({"a\0b": [1]}, "column name 'a\\x00b' cannot go to R"),
], ids=["0-d", "2-D", "not a string", "empty", "NUL"])
def test_a_column_that_is_not_1d_or_not_named_by_a_string_is_refused_by_name(monkeypatch, columns, message):
    monkeypatch.setattr(rscript.shutil, "which", lambda program: None)
    with pytest.raises(ValueError, match=re.escape(message)):
        rscript.run_r("1", d=columns)


def test_tables_are_written_as_csv_with_quoted_names_plain_strings_and_r_logicals(tmp_path):
    path = tmp_path / "t.csv"
    rscript._write_csv(path, {"a,b": np.array([1.5, 0.1 + 0.2]), 'say "hi"': np.array(["b", 'q"uo,te']),
                              "ok": np.array([True, False])})
    written = '"a,b","say ""hi""",ok\n1.5,b,TRUE\n0.30000000000000004,"q""uo,te",FALSE\n'
    assert path.read_text(encoding="utf-8") == written


def test_report_lines_read_na_nan_and_infinities_as_floats():
    result = rscript.RResult("hello\n#>> x 1.5 NA NaN Inf -Inf\n#>> none \n")
    np.testing.assert_array_equal(result.values["x"], [1.5, np.nan, np.nan, np.inf, -np.inf])
    assert result.values["none"].shape == (0,) and result.text == "hello"


def test_a_timeout_is_a_runtime_error_and_r_status_reports_it(monkeypatch):
    def too_slow(command, timeout, **options):
        raise subprocess.TimeoutExpired(command, timeout)
    monkeypatch.setattr(rscript.shutil, "which", lambda program: "/usr/bin/Rscript")
    monkeypatch.setattr(rscript.subprocess, "run", too_slow)
    with pytest.raises(RuntimeError, match="R did not finish within timeout=7 seconds: pass a larger timeout"):
        rscript.run_r("Sys.sleep(60)", timeout=7)
    available, why = rscript.r_status()
    assert not available and "R did not finish within timeout=60 seconds" in why


def test_r_reads_awkward_column_names_strings_and_logicals_as_they_were(r):
    table = {"a,b": [1.5, 0.1 + 0.2], 'say "hi"': ["b", 'q"uo,te'], "ok": [True, False], "µm": ["é", "x\ny"]}
    code = """
writeLines(paste(names(d), collapse = "|"))
report("shape", dim(d))
report("a,b", d[["a,b"]])
report("strings", c(d[['say "hi"']] == c("b", 'q"uo,te'), d[["µm"]] == c("é", "x\\ny")))
report("ok", c(is.logical(d$ok), d$ok))
"""
    result = r(code, d=table)
    assert result.text == 'a,b|say "hi"|ok|µm'
    assert result.values["shape"].tolist() == [2, 4] and result.values["a,b"].tolist() == [1.5, 0.1 + 0.2]
    assert result.values["strings"].tolist() == [1, 1, 1, 1] and result.values["ok"].tolist() == [1, 1, 0]


def test_output_that_is_not_utf8_is_replaced_and_na_reports_nan(r):
    result = r('cat(rawToChar(as.raw(c(0x41, 0xff, 0x42))), "\\n")\nreport("x", c(NA, 2))')
    assert result.text.strip() == "A\ufffdB"
    np.testing.assert_array_equal(result.values["x"], [np.nan, 2])


def test_a_report_after_printing_without_a_newline_is_not_lost_and_its_name_must_be_one_word(r):
    result = r('cat("no newline here")\nreport("x", 1)\nprint(2)\nreport("y", 3)')
    assert result.values == {"x": [1], "y": [3]} and result.text == "no newline here\n[1] 2"
    with pytest.raises(RuntimeError, match="name must be one word, without spaces"):
        r('report("two words", 1)')


def test_the_empty_line_a_report_starts_with_is_not_part_of_the_text():
    """report() prints "\\n#>> name values": after a full line R printed, that leaves one empty line to drop."""
    assert rscript.RResult("a\n\n#>> x 1\n").text == "a"  # "a\n" printed, then a report
    assert rscript.RResult("a\n\n\n#>> x 1\n").text == "a\n"  # "a\n\n": its own empty line stays
    assert rscript.RResult("a\n#>> x 1\n").text == "a"  # "a" without a newline, then a report


def test_a_table_without_columns_is_refused_by_name(monkeypatch):
    monkeypatch.setattr(rscript.shutil, "which", lambda program: None)
    with pytest.raises(ValueError, match="table 'd' has no columns"):
        rscript.run_r("1", d={})


def _penguins():
    X, y = nnlib.load_penguins(features=("flipper_length_mm", "body_mass_g"), target="species",
                               species=("Adelie", "Chinstrap"))
    return nnlib.Standardizer().fit(X).transform(X), y


def test_nnet_counts_its_weights_like_nnlib_and_codes_two_levels_with_one_output(r):
    """Notebook 12: length(fit$wts) = parameter_count; a 3-level factor gets softmax, a 2-level one entropy
    and a single logistic output."""
    X, y = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm", "body_mass_g"), target="species")
    X = nnlib.Standardizer().fit(X).transform(X)
    code = """
library(nnet)
d$species <- factor(d$species)
set.seed(0)
three <- nnet(species ~ ., data = d, size = 3, maxit = 20, trace = FALSE)
two <- nnet(species ~ ., data = droplevels(d[d$species != 2, ]), size = 3, maxit = 20, trace = FALSE)
report("three", c(length(three$wts), three$n, three$softmax, three$entropy))
report("two", c(length(two$wts), two$n, two$softmax, two$entropy))
"""
    result = r(code, d={"bill": X[:, 0], "flipper": X[:, 1], "mass": X[:, 2], "species": y})
    assert result.values["three"].tolist() == [nnlib.parameter_count(3, (3,), 3), 3, 3, 3, 1, 0]
    assert result.values["two"].tolist() == [(3 + 1) * 3 + (3 + 1) * 1, 3, 3, 1, 0, 1]


def _nnet_logistic(r, decay):
    X, y = _penguins()
    code = f"""
library(nnet)
set.seed(0)
fit <- nnet(chinstrap ~ flipper + mass, data = d, size = 0, skip = TRUE, entropy = TRUE, decay = {decay},
            maxit = 1000, reltol = 1e-14, trace = FALSE)
report("wts", fit$wts)
"""
    return r(code, d={"flipper": X[:, 0], "mass": X[:, 1], "chinstrap": y}).values["wts"]


def _nnlib_logistic(l2):
    X, y = _penguins()
    model = nnlib.LogisticRegression(learning_rate=1.0, epochs=3000, l2=l2).fit(X, y)
    return np.r_[model.intercept_, model.coef_.ravel()]


def _relative_gap(a, b):
    return np.abs(np.asarray(a) - b).max() / np.abs(b).max()


def test_without_a_penalty_nnet_and_nnlib_reach_the_same_logistic_regression(r):
    """The convex bridge of notebook 12: (bias, flipper, mass) agree to 1e-4 relative (measured: ~2e-8)."""
    assert _relative_gap(_nnet_logistic(r, 0), _nnlib_logistic(0.0)) < 1e-4


def test_nnet_decay_is_a_penalty_on_every_weight_and_bias_of_the_summed_loss(r):
    """nnet minimises sum(cross-entropy) + decay * sum(wts**2), the bias included: scikit-learn's exact solution
    of that problem (C = 1 / (2 decay), the bias as a penalised weight on a column of ones) matches to 1e-4."""
    X, y = _penguins()
    exact = SkLogisticRegression(C=1 / (2 * 1.0), fit_intercept=False, tol=1e-12, max_iter=10_000)
    exact.fit(np.column_stack([np.ones(len(y)), X]), y)
    assert _relative_gap(_nnet_logistic(r, 1.0), exact.coef_.ravel()) < 1e-4


def test_nnlib_l2_is_the_same_penalty_on_the_weights_only():
    """nnlib with l2 = 2 decay / n minimises the same objective without the bias term (scikit-learn's
    C = 1 / (n l2), bias unpenalised); the fit differs from nnet's by the bias penalty alone (> 1 %)."""
    X, y = _penguins()
    n, decay = len(y), 1.0
    exact = SkLogisticRegression(C=1 / (n * 2 * decay / n), tol=1e-12, max_iter=10_000).fit(X, y)
    ours = _nnlib_logistic(2 * decay / n)
    assert _relative_gap(ours, np.r_[exact.intercept_, exact.coef_.ravel()]) < 1e-4
    with_bias = SkLogisticRegression(C=1 / (2 * decay), fit_intercept=False, tol=1e-12, max_iter=10_000)
    assert _relative_gap(ours, with_bias.fit(np.column_stack([np.ones(n), X]), y).coef_.ravel()) > 0.01


HIDE_R = """
import shutil
_which = shutil.which
shutil.which = lambda name, *args, **kwargs: None if name in ("Rscript", "R") else _which(name, *args, **kwargs)
"""


@pytest.mark.slow
def test_notebook_12_runs_without_r_and_says_how_to_install_it():
    notebook = copy.deepcopy(nbformat.read(NOTEBOOK_12, as_version=4))
    notebook.cells.insert(0, nbformat.v4.new_code_cell(HIDE_R))
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK_12.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert "R is not installed" in printed and "install.packages" in printed
    assert "skipped fitting nnet" in printed and "only the Python side of the bridge" in printed
    assert "length(fit$wts) for size = 32: 2,410" in printed  # the rest still runs
