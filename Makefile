# Two commands do all the set-up:  `make lab`  and  `make test`.
# Both create .venv if missing and install the locked versions only when the lock changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := nnlib-course
PYTEST_ARGS ?=

# Everything below runs inside the course environment, so `python`, `jupyter`
# and the kernel all come from .venv (widgets need Lab and kernel in one environment).
export PATH := $(BIN):$(PATH)

.PHONY: lab test test-fast lock clean help

help:
	@echo "make lab        set up .venv and open JupyterLab on notebooks/00_start_here.ipynb"
	@echo "make test       set up .venv and run every test (unit tests + every notebook under nbval)"
	@echo "make lock       re-resolve requirements.lock from the ranges in pyproject.toml"
	@echo "make clean      remove .venv and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	# Pin the default "python3" kernel and a named course kernel to this environment.
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnlib course)" >/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (nnlib course)" >/dev/null
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Unit tests only, without running the notebooks.
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

# Resolve the version ranges in pyproject.toml in a throw-away environment and
# write the exact versions to requirements.lock (commit it after `make test` passes).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check .
	.lock-venv/bin/python -m pip freeze --all --exclude-editable | grep -v -E '^(nnlib|pip|setuptools)==' > requirements.lock
	rm -rf .lock-venv build nnlib.egg-info

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
