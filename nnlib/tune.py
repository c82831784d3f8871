"""Hyperparameter search: fit each setting's *parameters* on the training set, compare the settings of the
*hyperparameters* on the validation set (the test set plays no part). A search space maps each hyperparameter name
to a range (``LogUniform``, ``Uniform``, ``IntUniform``) or a list of values (``Choice``, or a plain list).
"""
import concurrent.futures
import itertools
import math
import numbers
import time
import warnings

import numpy as np

from .divergence import DivergenceWarning
from .input_checks import check_count, check_seed

METRICS = ("val_loss", "val_score", "train_loss", "epochs_run", "diverged", "seconds")  # a trial's columns, in order


class Distribution:
    """A range of values for one hyperparameter: ``sample(rng)`` draws one, ``grid(n)`` lists n."""

    def __repr__(self):  # as you would type it: LogUniform(0.001, 1), Choice(['relu', 'tanh'])
        return f"{type(self).__name__}({', '.join(repr(value) for value in vars(self).values())})"


class Uniform(Distribution):
    """Numbers between ``low`` and ``high``, every value equally likely (e.g. momentum 0 to 0.99)."""

    log_scale = False

    def __init__(self, low, high):
        kind = type(self).__name__
        for name, value in (("low", low), ("high", high)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
                raise ValueError(f"{kind}(low, high) needs two finite numbers; {name} is {value!r}.")
        if self.log_scale and low <= 0:
            raise ValueError(f"{kind} needs low > 0 (a log scale has no 0 or negative numbers); got low={low!r}. "
                             "To include 0 (e.g. no L2), search with Choice([0, ...]) or Uniform.")
        if low >= high:
            raise ValueError(f"{kind} needs low < high; got low={low!r}, high={high!r}.")
        self.low, self.high = low, high

    def sample(self, rng):
        if self.log_scale:
            return math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        return float(rng.uniform(self.low, self.high))

    def grid(self, n):
        """``n`` evenly spaced values from low to high (like np.linspace; on a log scale like np.geomspace)."""
        spacing = np.geomspace if self.log_scale else np.linspace
        return [float(value) for value in spacing(self.low, self.high, check_count("n", n))]


class LogUniform(Uniform):
    """Numbers between ``low`` and ``high`` (both > 0), spread evenly on a log scale: every factor of 10 is equally
    likely (LogUniform(1e-4, 1) puts a quarter of its draws below 1e-3). For learning rates and L1/L2 strengths."""

    log_scale = True


class IntUniform(Uniform):
    """Whole numbers from ``low`` to ``high``, both included, equally likely (e.g. units per layer)."""

    def __init__(self, low, high):
        if any(isinstance(value, bool) or not isinstance(value, numbers.Integral) for value in (low, high)):
            raise ValueError(f"IntUniform needs whole numbers; got low={low!r}, high={high!r}. "
                             "For any number in a range use Uniform or LogUniform.")
        super().__init__(int(low), int(high))

    def sample(self, rng):
        return int(rng.integers(self.low, self.high + 1))

    def grid(self, n):
        """Up to ``n`` evenly spaced whole numbers from low to high (fewer if the range is small)."""
        return sorted({round(value) for value in super().grid(n)})


class Choice(Distribution):
    """One of a list of values, each equally likely: Choice(["relu", "tanh"]), Choice([(8,), (8, 8)])."""

    def __init__(self, options):
        if isinstance(options, (set, frozenset)):
            raise ValueError(f"the values to try must be a list, not the set {options!r}: a set's order is arbitrary "
                             "(for text it changes from one Python session to the next), so a search would not repeat. "
                             f"Write a list, e.g. {sorted(options, key=_sort_key)!r}.")
        options = options.tolist() if isinstance(options, np.ndarray) else options  # a row shows 0.1, not np.float64
        listed = hasattr(options, "__iter__") and not isinstance(options, (str, bytes))
        self.options = [v.item() if isinstance(v, np.generic) else v for v in options] if listed else []
        if not self.options:
            raise ValueError(f"Choice needs a list of at least one value to choose from, e.g. "
                             f"Choice(['relu', 'tanh']); got {options!r}.")

    def sample(self, rng):
        return self.options[int(rng.integers(len(self.options)))]

    def grid(self, n=None):
        """All the options (``n`` is ignored: a choice has exactly these values)."""
        return list(self.options)


def sample_space(space, n_trials, seed=0):
    """Draw ``n_trials`` settings {name: value} from ``space``, names in its order; the same seed, the same draws."""
    space, rng = _check_space(space), np.random.default_rng(check_seed(seed))
    return [{name: distribution.sample(rng) for name, distribution in space.items()}
            for _ in range(check_count("n_trials", n_trials))]


def grid_settings(grid):
    """Every combination of the listed values, as dicts {name: value}; the last name changes fastest."""
    grid = _check_space(grid, grid=True)
    return [dict(zip(grid, values)) for values in itertools.product(*grid.values())]


def grid_search(make_model, grid, X_train, y_train, X_val, y_val, executor=None, progress=True):
    """Fit one model per combination of the values in ``grid``, e.g. {"l2": [0, 1e-3], "learning_rate":
    LogUniform(0.001, 1).grid(4)}; score each on the validation set. Returns a SearchResults, in grid order.

    make_model: a model class or function(**hyperparameters) -> unfitted model; fixed hyperparameters go in it, e.g.
    ``functools.partial(nnlib.MLP, epochs=50)``. Parameters are fitted on X_train (n_train, n_features), y_train
    (n_train,); hyperparameters compared on X_val, y_val. executor: None (one trial after another) or a running
    concurrent.futures.Executor (``ProcessPoolExecutor()`` for one machine's cores, Dask's ``client.get_executor()``
    for a cluster). progress: True prints a line, False nothing, a function(done, total, row) is called."""
    return _search(make_model, grid_settings(grid), (X_train, y_train, X_val, y_val), executor, progress, "grid search")


def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials=20, seed=0, executor=None,
                  progress=True):
    """Fit ``n_trials`` models with hyperparameters drawn from ``space``, e.g. {"learning_rate": LogUniform(1e-3, 1),
    "hidden_layers": [(8,), (16,), (8, 8)]}; ``seed`` seeds the draws (not the models). The rest as in
    ``grid_search``; returns a SearchResults, one row per trial in the order drawn."""
    return _search(make_model, sample_space(space, n_trials, seed), (X_train, y_train, X_val, y_val), executor,
                   progress, "random search", seed)


def run_trial(make_model, hyperparameters, X_train, y_train, X_val, y_val):
    """Fit one model with these hyperparameters and score it: returns (row, the model's history_). row: the
    hyperparameters, then METRICS (val_score is accuracy or R², train_loss leaves out the L1/L2 penalty); a run that
    diverged gets val_loss = train_loss = inf and val_score = nan."""
    start = time.perf_counter()
    try:
        model = make_model(**hyperparameters)
        with warnings.catch_warnings(action="ignore", category=DivergenceWarning):
            model.fit(X_train, y_train, validation_data=(X_val, y_val))
    except Exception as error:
        error.add_note(f"(in the search trial with hyperparameters {hyperparameters})")
        raise
    seconds, history = time.perf_counter() - start, model.history_
    scores = ((math.inf, math.nan, math.inf) if history.diverged else
              (model.data_loss(X_val, y_val), float(model.score(X_val, y_val)), model.data_loss(X_train, y_train)))
    metrics = dict(zip(METRICS, (*scores, history.epochs, bool(history.diverged), seconds)))
    return {**hyperparameters, **metrics}, history


def _search(make_model, settings, data, executor, progress, kind, seed=None):
    if not callable(make_model):
        raise ValueError(f"make_model must be a model class or a function that returns an unfitted model, "
                         f"e.g. nnlib.MLP or functools.partial(nnlib.MLP, epochs=50); got {make_model!r}.")
    if executor is not None and (isinstance(executor, type) or not hasattr(executor, "submit")):
        raise ValueError(f"executor must be None or a running executor, e.g. executor=ProcessPoolExecutor() (with the "
                         f"brackets: the class itself runs nothing); got {executor!r}.")
    start, total, best, outcomes, futures = time.perf_counter(), len(settings), math.inf, {}, {}
    try:  # if a submit or a trial fails, the trials submitted and not started are cancelled
        if executor is None:
            finished = ((index, run_trial(make_model, setting, *data)) for index, setting in enumerate(settings))
        else:
            for index, setting in enumerate(settings):
                futures[executor.submit(run_trial, make_model, setting, *data)] = index
            finished = ((futures[future], future.result()) for future in concurrent.futures.as_completed(futures))
        for index, (row, history) in finished:
            outcomes[index], best = (row, history), min(best, row["val_loss"])
            if callable(progress):
                progress(len(outcomes), total, row)
            elif progress:  # one line, redrawn after each trial
                bar = ("#" * round(20 * len(outcomes) / total)).ljust(20, ".")
                print(f"\r{kind}: {len(outcomes)}/{total} trials [{bar}] best val_loss so far {best:.4g}, "
                      f"{time.perf_counter() - start:.1f} s", end="\n" if len(outcomes) == total else "", flush=True)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    results = SearchResults([], list(settings[0]), kind=kind, seed=seed, seconds=time.perf_counter() - start)
    for trial in range(total):
        results.append(*outcomes[trial])
    return results


class SearchResults:
    """The trials of a search, one row each: a table to sort, print and plot. rows: dicts with "trial" (from 0),
    the hyperparameters (``hyperparameter_names``, in order), then METRICS."""

    def __init__(self, rows, hyperparameter_names, histories=None, kind="search", seed=None, seconds=None):
        self.rows, self.hyperparameter_names = [dict(row) for row in rows], list(hyperparameter_names)
        self.histories, self.kind, self.seed, self.seconds = dict(histories or {}), kind, seed, seconds

    def append(self, row, history=None, trial=None):
        """Add one row (a dict with the hyperparameters and metrics); returns it with its "trial" number."""
        row = {"trial": len(self.rows) if trial is None else trial, **{k: v for k, v in row.items() if k != "trial"}}
        known = (*self.hyperparameter_names, *METRICS, "trial")
        self.hyperparameter_names += [name for name in row if name not in known]
        self.rows.append(row)
        if history is not None:
            self.histories[row["trial"]] = history
        return row

    @property
    def columns(self):
        """The column names: trial, the hyperparameters, then the metrics present."""
        present = {name for row in self.rows for name in row}
        return ["trial", *self.hyperparameter_names, *[m for m in METRICS if m in present]]

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        return self._with_rows(self.rows[index]) if isinstance(index, slice) else self.rows[index]

    @property
    def best(self):
        """The row with the lowest validation loss (the earliest of ties); refused if every trial diverged."""
        best = self._best_row()
        if best is None:
            raise ValueError("this search has no trials yet, so there is no best one." if not self.rows else
                             f"every one of the {len(self.rows)} trials diverged (val_loss = inf), so none is best. "
                             "Try learning rates 10 to 100 times smaller, and standardise the features "
                             "(nnlib.standardize) so they are on similar scales; then search again.")
        return best

    def _best_row(self):
        """The row with the lowest finite validation loss, or None (no trials, or all diverged)."""
        best = min(self.rows, key=lambda row: _sort_key(row.get("val_loss")), default=None)
        return best if best is not None and _sort_key(best.get("val_loss")) < (0, math.inf) else None

    @property
    def best_params(self):
        """The hyperparameters of the best trial, ready for make_model(**best_params)."""
        best = self.best
        return {name: best[name] for name in self.hyperparameter_names if name in best}

    def sorted(self, by="val_loss", descending=False):
        """A new SearchResults with the rows sorted by one column (NaN and inf go last)."""
        self.column(by)  # refuses a name that is not a column
        return self._with_rows(sorted(self.rows, key=lambda row: _sort_key(row.get(by), descending)))

    def column(self, name):
        """One column as a numpy array (floats for numbers, objects for tuples and names)."""
        if name not in self.columns:
            raise ValueError(f"no column {name!r}; the columns are {', '.join(self.columns)}.")
        values = [row.get(name) for row in self.rows]
        if all(isinstance(v, numbers.Real) for v in values):
            return np.array(values, dtype=bool if all(isinstance(v, (bool, np.bool_)) for v in values) else float)
        return np.fromiter(values, dtype=object, count=len(values))  # one entry per row, even for tuples

    def history(self, trial):
        """The History (loss, val_loss, ... per epoch) of trial number ``trial``."""
        if trial not in self.histories:
            raise ValueError(f"no history stored for trial {trial!r}; trials with one: {sorted(self.histories)}.")
        return self.histories[trial]

    def _with_rows(self, rows):
        return SearchResults(rows, self.hyperparameter_names, self.histories, self.kind, self.seed, self.seconds)

    # --- showing: the same text cells as plain text (best row marked *) or as HTML (best row in bold) -----------
    def _table(self, max_rows):
        """(caption, the best trial or None, the rows shown as (is it the best?, text cells), how many are not)."""
        best, shown = (self._best_row() or {}).get("trial"), self.rows[:max_rows]  # [:None] is every row
        ran = max(len(self.rows), len(self.histories))  # a slice keeps every trial's history
        count = f"{len(self.rows)} of {ran} trials" if len(self.rows) < ran else f"{ran} trial{'s' * (ran != 1)}"
        seconds = f", {self.seconds:.1f} s" if self.seconds is not None else ""
        seed = f", seed {self.seed}" if self.seed is not None else ""
        rows = [(row["trial"] == best, [_format(row.get(c), c) for c in self.columns]) for row in shown]
        return f"{self.kind}: {count}{seconds}{seed}", best, rows, len(self.rows) - len(shown)

    def to_text(self, max_rows=30):
        """The table as text, at most ``max_rows`` rows (None for all); the best row is marked with *."""
        caption, best, rows, more = self._table(max_rows)
        lines = [(" ", self.columns)] + [("*" if is_best else " ", cells) for is_best, cells in rows]
        widths = [max(map(len, column)) for column in zip(*(cells for _, cells in lines))]
        text = [caption] + [mark + "  ".join(c.rjust(w) for c, w in zip(cells, widths)) for mark, cells in lines]
        text += [f" ... {more} more rows"] if more else []
        text += [f"* best validation loss: trial {best}"] if best is not None else []
        return "\n".join(text)

    __str__ = to_text

    def __repr__(self):
        return self.to_text(max_rows=10)

    def _repr_html_(self, max_rows=30):
        caption, best, rows, more = self._table(max_rows)
        head, bold = "".join(f"<th>{c}</th>" for c in self.columns), " style='font-weight: bold'"
        body = "".join(f"<tr{bold if is_best else ''}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
                       for is_best, cells in rows)
        caption += " &mdash; best validation loss in bold" if best is not None else ""
        return (f"<table><caption style='text-align: left'>{caption}</caption><tr>{head}</tr>{body}</table>"
                + (f"<p>... {more} more rows</p>" if more else ""))


def _check_space(space, grid=False):
    """{name: values} -> {name: Distribution} (random search) or {name: list} (grid: ranges refused)."""
    what = "grid" if grid else "search space"
    if not isinstance(space, dict) or not space:
        raise ValueError(f"the {what} must be a non-empty dict {{hyperparameter name: values}}, e.g. "
                         "{'learning_rate': [0.01, 0.1, 1], 'activation': ['relu', 'tanh']}.")
    checked = {}
    for name, values in space.items():
        if isinstance(values, (list, tuple, range, np.ndarray, set, frozenset)):
            values = Choice(values)
        if grid and isinstance(values, Distribution) and not isinstance(values, Choice):
            raise ValueError(
                f"grid_search needs the values to try for {name!r}, not a range like {values!r}: list them, or "
                f"take n evenly spaced ones with {values!r}.grid(n). (random_search draws from ranges.)")
        if not isinstance(values, Distribution):
            raise ValueError(f"the {what} gives {name!r} the single value {values!r}. List the values to try, e.g. "
                             f"[{values!r}, ...]{'' if grid else ', or give a range such as LogUniform(1e-3, 1)'}; "
                             f"a fixed value belongs in make_model: functools.partial(nnlib.MLP, {name}={values!r}).")
        checked[name] = values.options if grid else values
    return checked


def _sort_key(value, descending=False):
    """Numbers in order (NaN last, after inf), other values by their text."""
    if not isinstance(value, numbers.Real):
        return (1, str(value))
    return (2, 0.0) if np.isnan(value) else (0, -float(value) if descending else float(value))


def _format(value, column):
    if column == "diverged":
        return "yes" if value else "no"
    if column in ("val_loss", "train_loss") and value == math.inf:
        return "diverged"
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):  # bools are Integral too
        return f"{value:.2f}" if column == "seconds" else f"{value:.4g}"
    return str(value)
