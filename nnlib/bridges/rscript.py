"""Run R code from Python: how notebook 12 fits R's ``nnet`` on the same data as ``nnlib``.

R runs as a separate program, ``Rscript``, in a subprocess. That needs nothing but R itself on
the PATH (no Python package compiled against one R version, as rpy2 would be), shows the learner
the plain R code they would type, and a crash in R cannot take the Python kernel down with it.
Data go to R as CSV files; results come back from ``report(name, value)`` calls in the R code.
"""
import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

INSTALL_HINT = ("On Debian/Ubuntu: sudo apt-get install -y --no-install-recommends r-base-core r-cran-nnet "
                "r-cran-caret r-cran-irkernel. Elsewhere: install R from https://cran.r-project.org, then run "
                "install.packages(c(\"nnet\", \"caret\")) in R.")
_MARK = "#>> "
# Defines report(): each call prints one marked line that run_r() turns into a numpy array.
# It starts on a new line, so a cat() without "\n" before it cannot hide it.
_PRELUDE = ('report <- function(name, value) {\n'
            '  if (!grepl("^[^[:space:]]+$", name))\n'
            '    stop("report(name, value): name must be one word, without spaces")\n'
            f'  cat("\\n{_MARK}", name, " ",\n'
            '      paste(format(as.numeric(value), digits = 17), collapse = " "), "\\n", sep = "")\n'
            '}\n')
# Words R will not take as a data frame's name (see ?Reserved), and the name run_r's own function holds.
_NOT_TABLE_NAMES = {"if", "else", "repeat", "while", "function", "for", "in", "next", "break", "TRUE", "FALSE",
                    "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_complex_", "NA_character_", "report"}


def r_status(packages=("nnet",)):
    """(available, sentence): whether ``Rscript`` runs and loads ``packages``, said for a learner."""
    if shutil.which("Rscript") is None:
        return False, "R is not installed (no Rscript on the PATH). " + INSTALL_HINT
    loads = "".join(f"suppressPackageStartupMessages(library({name}));" for name in packages)
    try:
        version = run_r(loads + 'cat(R.version$major, R.version$minor, sep = ".")', timeout=60).text.strip()
    except RuntimeError as error:
        return False, f"R is installed but cannot load {', '.join(packages)}: {error} " + INSTALL_HINT
    return True, f"R {version} with {', '.join(packages)} is installed: the R cells run."


class RResult:
    """What an R run printed (``text``, without the report lines) and its reports (``values``: name -> array)."""

    def __init__(self, stdout):
        text, self.values = [], {}
        for line in stdout.splitlines():
            if not line.startswith(_MARK):
                text.append(line)
                continue
            if text and text[-1] == "":  # the empty line report()'s own leading newline made after a full line
                text.pop()
            name, _, numbers = line[len(_MARK):].partition(" ")
            self.values[name] = np.array([np.nan if n == "NA" else float(n) for n in numbers.split()])
        self.text = "\n".join(text)


def _check_table(name, columns):
    """Table ``name`` as {column name: 1-D array}, or a ValueError saying what R could not take."""
    if not (name.isidentifier() and name.isascii() and name[0].isalpha()) or name in _NOT_TABLE_NAMES:
        raise ValueError(f"{name!r} cannot name an R table: use letters, digits and _, starting with a letter, and "
                         f"not an R reserved word (if, TRUE, NA, ...) nor report, as in run_r(code, train=...).")
    arrays = {column: np.asarray(values) for column, values in columns.items()}
    for column, values in arrays.items():
        if not isinstance(column, str) or not column or "\0" in column:
            raise ValueError(f"table {name!r}: column name {column!r} cannot go to R: use a non-empty string.")
        if values.ndim != 1:
            raise ValueError(f"column {column!r} of table {name!r} has shape {values.shape}, not one value per row: "
                             "pass one 1-D column per feature, e.g. {f'x{i}': X[:, i] for i in range(X.shape[1])}.")
    lengths = {len(values) for values in arrays.values()}
    if not arrays:
        raise ValueError(f"table {name!r} has no columns: pass a dict of column name -> 1-D array.")
    if len(lengths) != 1:
        raise ValueError(f"the columns of table {name!r} have different lengths: {sorted(lengths)}.")
    return arrays


def _write_csv(path, arrays):
    """One table as CSV for R's read.csv: fields quoted where needed, logicals written TRUE/FALSE."""
    columns = [np.where(values, "TRUE", "FALSE") if values.dtype == bool else values for values in arrays.values()]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(arrays)
        writer.writerows(zip(*[values.tolist() for values in columns]))


def run_r(code, timeout=300, **tables):
    """Run R ``code`` with each table (a dict of column name -> 1-D array) loaded as a data frame.

    ``run_r("fit <- nnet(y ~ ., data = train, ...); report('wts', fit$wts)", train={"x": x, "y": y})``
    Table names are R names (letters, digits, _); columns are 1-D arrays of numbers, strings or bools, their
    names any non-empty strings (kept as is). Returns an RResult. Raises ValueError for tables R cannot take, and
    RuntimeError when R is missing, stops with an error (R's own message) or runs longer than ``timeout`` seconds.
    """
    # The data are checked first: a mistake in them is one with or without R.
    tables = {name: _check_table(name, columns) for name, columns in tables.items()}
    if shutil.which("Rscript") is None:
        raise RuntimeError("R is not installed (no Rscript on the PATH). " + INSTALL_HINT)
    with tempfile.TemporaryDirectory() as folder:
        loads = []
        for number, (name, arrays) in enumerate(tables.items()):
            path = Path(folder) / f"table{number}.csv"  # numbered: "Train" and "train" may be one file on disk
            _write_csv(path, arrays)
            loads.append(f'{name} <- read.csv("{path.as_posix()}", check.names = FALSE, encoding = "UTF-8")\n')
        script = Path(folder) / "script.R"
        script.write_text(_PRELUDE + "".join(loads) + code, encoding="utf-8")
        try:  # TZ: without it R asks systemd for the time zone and warns in containers.
            done = subprocess.run(["Rscript", "--vanilla", str(script)], capture_output=True, encoding="utf-8",
                                  errors="replace", timeout=timeout,
                                  env={**os.environ, "TZ": os.environ.get("TZ", "UTC")})
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"R did not finish within timeout={timeout} seconds: pass a larger timeout, "
                               "or give R less to do (fewer rows, a smaller maxit).") from None
    if done.returncode != 0:
        raise RuntimeError(f"R stopped with an error:\n{done.stderr.strip()}")
    return RResult(done.stdout)
