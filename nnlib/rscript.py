"""Run R code from Python: how notebook 12 fits R's ``nnet`` on the same data as ``nnlib``.

R runs as a separate program, ``Rscript``, in a subprocess. That needs nothing but R itself on
the PATH (no Python package compiled against one R version, as rpy2 would be), shows the learner
the plain R code they would type, and a crash in R cannot take the Python kernel down with it.
Data go to R as CSV files; results come back from ``report(name, value)`` calls in the R code.
"""
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
_PRELUDE = f'report <- function(name, value) cat("{_MARK}", name, " ", paste(format(as.numeric(value), digits = 17), ' \
           f'collapse = " "), "\\n", sep = "")\n'


def r_status(packages=("nnet",)):
    """(available, sentence): whether ``Rscript`` runs and loads ``packages``, said for a learner."""
    if shutil.which("Rscript") is None:
        return False, "R is not installed (no Rscript on the PATH). " + INSTALL_HINT
    loads = "".join(f"suppressPackageStartupMessages(library({name}));" for name in packages)
    try:
        version = run_r(loads + 'cat(R.version$major, R.version$minor, sep = ".")').text.strip()
    except RuntimeError as error:
        return False, f"R is installed but cannot load {', '.join(packages)}: {error} " + INSTALL_HINT
    return True, f"R {version} with {', '.join(packages)} is installed: the R cells run."


class RResult:
    """What an R run printed (``text``, without the report lines) and its reports (``values``: name -> array)."""

    def __init__(self, stdout):
        lines = stdout.splitlines()
        self.text = "\n".join(line for line in lines if not line.startswith(_MARK))
        self.values = {}
        for line in lines:
            if line.startswith(_MARK):
                name, _, numbers = line[len(_MARK):].partition(" ")
                self.values[name] = np.array(numbers.split(), dtype=float)


def run_r(code, timeout=300, **tables):
    """Run R ``code`` with each table (a dict of column name -> 1-D array) loaded as a data frame.

    ``run_r("fit <- nnet(y ~ ., data = train, ...); report('wts', fit$wts)", train={"x": x, "y": y})``
    Returns an RResult; raises RuntimeError with R's own error message when R fails.
    """
    tables = {name: {column: np.asarray(values) for column, values in columns.items()}
              for name, columns in tables.items()}
    for name, arrays in tables.items():  # the data are checked first: a mistake in them is one with or without R
        lengths = {len(values) for values in arrays.values()}
        if len(lengths) != 1:
            raise ValueError(f"the columns of table {name!r} have different lengths: {sorted(lengths)}.")
    if shutil.which("Rscript") is None:
        raise RuntimeError("R is not installed (no Rscript on the PATH). " + INSTALL_HINT)
    with tempfile.TemporaryDirectory() as folder:
        loads = []
        for name, arrays in tables.items():
            path = Path(folder) / f"{name}.csv"
            rows = zip(*[values.tolist() for values in arrays.values()])
            path.write_text(",".join(arrays) + "\n" + "".join(",".join(map(repr, row)) + "\n" for row in rows))
            loads.append(f'{name} <- read.csv("{path.as_posix()}")\n')
        script = Path(folder) / "script.R"
        script.write_text(_PRELUDE + "".join(loads) + code)
        # TZ: without it R asks systemd for the time zone and warns in containers.
        done = subprocess.run(["Rscript", "--vanilla", str(script)], capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, "TZ": os.environ.get("TZ", "UTC")})
    if done.returncode != 0:
        raise RuntimeError(f"R stopped with an error:\n{done.stderr.strip()}")
    return RResult(done.stdout)
