# Two commands do all the set-up:  `make lab`  and  `make test`.
# Both create .venv if missing and install the locked versions only when the lock changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
EXTRAS_STAMP := $(VENV)/.installed-extras
KERNEL := nnlib-course
KERNEL_ENV := --env OPENBLAS_NUM_THREADS 1 --env OMP_NUM_THREADS 1 --env MKL_NUM_THREADS 1
PYTEST_ARGS ?=

# Everything below runs inside the course environment, so `python`, `jupyter`
# and the kernel all come from .venv (widgets need Lab and kernel in one environment).
export PATH := $(BIN):$(PATH)

.PHONY: lab test test-fast test-numerics test-browser site bench lock extras extras-lock classroom classroom-lock measure-grading measure-hub hub hub-lock clean help

help:
	@echo "make lab        set up .venv and open JupyterLab on notebooks/00_start_here.ipynb"
	@echo "make test       set up .venv and run every test (unit tests + every notebook under nbval;"
	@echo "                browser tests of the widgets when Chromium is installed)"
	@echo "make test-numerics every notebook again under two other OpenBLAS CPU kernels (what other machines"
	@echo "                compute); see tools/numerics.py"
	@echo "make test-browser  only the browser tests, and the slider-to-paint times (needs Debian's chromium)"
	@echo "make site       build the course website into site/ (every notebook executed; open site/index.html)"
	@echo "make bench      speed of nnlib vs PyTorch and scikit-learn (installs bench/requirements.txt; ~4 min)"
	@echo "make extras     add the optional extras to .venv (Dask, Optuna: requirements-extras.lock); without them"
	@echo "                tests/test_extras.py skips"
	@echo "make lock       re-resolve requirements.lock from the ranges in pyproject.toml (then make extras-lock)"
	@echo "make classroom  build the nbgrader course (build/classroom, CLASSROOM_DIR=...) with .venv-classroom;"
	@echo "                see docs/instructor_guide.md"
	@echo "make measure-grading  how fast a class is graded: 200 students' 01 and 13, one and two at a time (root)"
	@echo "make hub        a real JupyterHub's environment in $(HUB_ROOT), for tests/browser/test_hub.py (root; after"
	@echo "                make classroom)"
	@echo "make measure-hub  what one student's JupyterLab costs a hub, per notebook (kernel and server peak memory,"
	@echo "                CPU s); the guide's sizing table comes from it"
	@echo "make clean      remove .venv and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	# Pin the default "python3" kernel and a named course kernel to this environment, with one
	# BLAS thread: on small networks a second one gains ~10% alone and costs 2x next to a busy
	# browser (bench/README.md has the numbers).
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnlib course)" $(KERNEL_ENV) >/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (nnlib course)" $(KERNEL_ENV) >/dev/null
	touch $(STAMP)

# --allow-root only when run as root (containers); JupyterLab refuses root otherwise.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb $(if $(filter 0,$(shell id -u)),--allow-root)

# The tests also need the extras (requirements-test.lock = the learner's lock + playwright
# for the browser tests + MathJax for the website).
$(TEST_STAMP): requirements-test.lock $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $(TEST_STAMP)

# On every core (pytest-xdist), a test file at a time: a notebook's cells share one kernel, and some test files build
# something expensive once (a JupyterLab server, the website, a classroom). --durations lists the slowest tests.
XDIST := -n auto --dist loadfile
test: $(TEST_STAMP)
	$(BIN)/python -m pytest $(XDIST) --durations=10 $(PYTEST_ARGS)

# Unit tests only: no notebooks, no browser, nothing marked `slow` (whole notebooks, long subprocesses, widgets made again and again).
# First the linter: ruff with the rule set in pyproject.toml ([tool.ruff]).
test-fast: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests --ignore=tests/browser -m "not slow" $(XDIST) $(PYTEST_ARGS)

# Every notebook under nbval again, on two OpenBLAS kernels other than this machine's (x86-64 only;
# elsewhere it says why it skips): an assert that holds only in this machine's last bits fails here.
test-numerics: $(TEST_STAMP)
	$(BIN)/python tools/numerics.py

# Only the JupyterLab-in-a-browser tests; they fail (instead of skipping) without Chromium. Alone, so they also time
# 20 slider changes per widget notebook, key press to new output painted (printed at the end; target p95 <= 150 ms).
test-browser: $(TEST_STAMP)
	NNLIB_REQUIRE_BROWSER=1 NNLIB_PAINT_CHANGES=20 $(BIN)/python -m pytest tests/browser -v $(PYTEST_ARGS)

# The optional extras (Dask and Optuna; the `extras` group in pyproject.toml), on top of the test environment. Installed
# with requirements-test.lock as constraints, so pip may add packages but never change a pin the tests were run with.
$(EXTRAS_STAMP): requirements-extras.lock $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements-test.lock -r requirements-extras.lock
	touch $(EXTRAS_STAMP)

extras: $(EXTRAS_STAMP)

# The course website in site/ (git-ignored): every notebook executed, with navigation (tools/build_site.py).
site: $(TEST_STAMP)
	$(BIN)/python tools/build_site.py

# Benchmarks (not part of `make test`): bench/README.md. Installs PyTorch 2.13.0 (CPU) into .venv.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python bench/run.py

# Resolve the version ranges in pyproject.toml in throw-away environments and write the
# exact versions: requirements-test.lock (with the test extras) first, then
# requirements.lock constrained to the same versions. Commit them after `make test` passes.
LOCK_PIP := .lock-venv/bin/python -m pip --disable-pip-version-check
LOCK_FREEZE := $(LOCK_PIP) freeze --all --exclude-editable | grep -v -E '^(nnlib|pip|setuptools)( |=|@)'
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	$(LOCK_PIP) install --quiet ".[course,test,site]"
	$(LOCK_FREEZE) > requirements-test.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	$(LOCK_PIP) install --quiet -c requirements-test.lock ".[course]"
	$(LOCK_FREEZE) > requirements.lock
	rm -rf .lock-venv build nnlib.egg-info

# Re-resolve requirements-extras.lock: the `extras` group resolved on top of requirements-test.lock, keeping only what it
# adds. Run it after `make lock`; commit it after `make extras test` passes (tests/test_extras.py checks the two agree).
extras-lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	$(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["extras"], sep="\n")' > .lock-venv/extras.txt
	$(LOCK_PIP) install --quiet -c requirements-test.lock -r requirements-test.lock -r .lock-venv/extras.txt
	{ echo "# The optional extras (Dask, Optuna) that 'make extras' adds to .venv, on top of requirements-test.lock."; \
	  echo "# Made by 'make extras-lock'; only what the extras add (installed with requirements-test.lock as constraints)."; \
	  $(LOCK_FREEZE) | grep -v -x -F -f requirements-test.lock; } > requirements-extras.lock
	rm -rf .lock-venv

# --- Classroom (nbgrader): docs/instructor_guide.md ----------------------------------------
# `make classroom` builds the nbgrader course folder $(CLASSROOM_DIR) from the notebooks and
# nnlib/exercises, with its own environment .venv-classroom (nbgrader is not in the learner's .venv).
CLASSROOM_VENV  := .venv-classroom
CLASSROOM_BIN   := $(CURDIR)/$(CLASSROOM_VENV)/bin
CLASSROOM_STAMP := $(CLASSROOM_VENV)/.installed
CLASSROOM_DIR   ?= build/classroom

$(CLASSROOM_BIN)/python:
	$(PYTHON) -m venv $(CLASSROOM_VENV)

$(CLASSROOM_STAMP): classroom/requirements.lock pyproject.toml | $(CLASSROOM_BIN)/python
	$(CLASSROOM_BIN)/python -m pip install --quiet --disable-pip-version-check -r classroom/requirements.lock
	$(CLASSROOM_BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(CLASSROOM_STAMP)

# The grading kernel (classroom/nnlib_grading/sandbox.py): the student edition of the course (no solutions, expected
# values or test labels: classroom/student_edition.py), installed non-editable where the grading users can read it and
# nobody but root can write: /var/lib/nnlib-grading when root runs this (grading needs root), else build/grading.
GRADING_ROOT   ?= $(if $(filter 0,$(shell id -u)),/var/lib/nnlib-grading,$(CURDIR)/build/grading)
GRADING_KERNEL := $(GRADING_ROOT)/kernel
GRADING_STAMP  := $(GRADING_KERNEL)/.installed

$(GRADING_STAMP): requirements.lock
	rm -rf "$(GRADING_KERNEL)" && $(PYTHON) -m venv "$(GRADING_KERNEL)"
	"$(GRADING_KERNEL)/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch "$(GRADING_STAMP)"

# The student edition is rebuilt every time: it follows every change to the exercises.
classroom: $(CLASSROOM_STAMP) $(GRADING_STAMP)
	rm -rf build/student-edition
	$(CLASSROOM_BIN)/python classroom/student_edition.py --out build/student-edition
	"$(GRADING_KERNEL)/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
	  --force-reinstall build/student-edition
	chmod -R go-w,a+rX "$(GRADING_ROOT)"
	$(CLASSROOM_BIN)/python classroom/nnlib_grading/sandbox.py kernelspec --python "$(GRADING_KERNEL)/bin/python" \
	  --prefix "$(CURDIR)/$(CLASSROOM_VENV)"
	$(CLASSROOM_BIN)/python classroom/build.py --out "$(CLASSROOM_DIR)" --generate
	@echo "Next: cd $(CLASSROOM_DIR) && source $(CLASSROOM_BIN)/activate  (then docs/instructor_guide.md)"

# How fast a class is graded (docs/instructor_guide.md, "Grading a class, measured"): 200 generated students' 01 and 13,
# graded one at a time and then in parallel (classroom/grade.py). As root; about an hour on 2 cores. Not part of CI.
measure-grading: classroom
	$(CLASSROOM_BIN)/python classroom/measure_grading.py

# Re-resolve classroom/requirements.lock: requirements.lock plus nbgrader 0.9.x and psycopg (a PostgreSQL gradebook).
# Commit it after `make classroom test`.
classroom-lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	grep -v -E '^nnlib( |=|@)' requirements.lock > .lock-venv/course.txt
	$(LOCK_PIP) install --quiet -c .lock-venv/course.txt -r .lock-venv/course.txt "nbgrader>=0.9.6,<0.10" "psycopg[binary]>=3.2,<4"
	{ echo "# The classroom environment .venv-classroom: the course's requirements.lock plus nbgrader 0.9.x and psycopg."; \
	  echo "# Made by 'make classroom-lock'; tests/test_classroom.py checks that it keeps every pin of requirements.lock."; \
	  $(LOCK_FREEZE); } > classroom/requirements.lock
	rm -rf .lock-venv

# What one student's JupyterLab costs a hub (docs/instructor_guide.md, "Sizing the hub, measured"): every notebook in a
# fresh kernel through one `jupyter lab` server; peak memory of kernel and server, CPU seconds; build/measure-hub.json.
# About 3 minutes on 2 cores. `.venv/bin/python tools/measure_hub.py --record` also rewrites deploy/measured.json.
measure-hub: $(STAMP)
	$(BIN)/python tools/measure_hub.py

# --- JupyterHub: docs/instructor_guide.md, "A class on JupyterHub" ------------------------------------------------
# `make hub` (as root, after `make classroom`, whose student edition it installs) installs what
# tests/browser/test_hub.py runs a real JupyterHub with, where the hub's Unix users can read it and only root can
# write: $(HUB_ROOT)/env, the single-user environment (hub/requirements.lock: the classroom lock plus JupyterHub and
# nbgitpuller; nnlib as the student edition, as on a graded class's hub), which also runs the hub; and
# $(HUB_ROOT)/proxy, configurable-http-proxy from the npm registry (hub/proxy/package-lock.json). `make test` does not need it: the hub test skips, with its reason, without it.
# Its Python must be one every user can run: a venv links to its interpreter, and pyenv's lives under root's home
# (mode 0700), where the users' servers could not start it; hence Debian's (python3-venv).
HUB_ROOT   ?= /opt/nnlib-hub
HUB_PYTHON ?= /usr/bin/python3
HUB_ENV    := $(HUB_ROOT)/env
HUB_STAMP  := $(HUB_ENV)/.installed

$(HUB_STAMP): hub/requirements.lock
	rm -rf "$(HUB_ENV)" && $(HUB_PYTHON) -m venv "$(HUB_ENV)"
	"$(HUB_ENV)/bin/python" -m pip install --quiet --disable-pip-version-check -r hub/requirements.lock
	"$(HUB_ENV)/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnlib course)" $(KERNEL_ENV) >/dev/null
	touch "$(HUB_STAMP)"

hub: $(HUB_STAMP)
	@test -f build/student-edition/pyproject.toml || { echo "make hub installs the student edition: run" \
	  "make classroom first" >&2; exit 1; }
	"$(HUB_ENV)/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall build/student-edition
	mkdir -p "$(HUB_ROOT)/proxy" && cp hub/proxy/package.json hub/proxy/package-lock.json "$(HUB_ROOT)/proxy/"
	cd "$(HUB_ROOT)/proxy" && npm ci --no-audit --no-fund --loglevel=error
	chmod -R go-w,a+rX "$(HUB_ROOT)"

# Re-resolve hub/requirements.lock: the classroom lock plus JupyterHub and nbgitpuller. Commit it after `make hub test`.
# (The proxy's lock: `npm install` in hub/proxy, then remove hub/proxy/node_modules.)
# Resolved with $(HUB_PYTHON) (Debian 12's 3.11.2): the classroom lock's pins except those that need a newer Python.
HUB_UNPINNED := soupsieve
hub-lock:
	rm -rf .lock-venv && $(HUB_PYTHON) -m venv .lock-venv
	grep -v -E '^(nnlib|$(subst $(eval) ,|,$(HUB_UNPINNED)))( |=|@)' classroom/requirements.lock > .lock-venv/classroom.txt
	$(LOCK_PIP) install --quiet -c .lock-venv/classroom.txt -r .lock-venv/classroom.txt $(HUB_UNPINNED) \
	  "jupyterhub>=5.2,<7" "nbgitpuller>=1.2,<2"
	{ echo "# The JupyterHub stage (make hub, tests/browser/test_hub.py): the classroom lock, JupyterHub and nbgitpuller."; \
	  echo "# Made by 'make hub-lock' with Debian's Python (jupyterhub>=5.2,<7, nbgitpuller>=1.2,<2 on the classroom lock)."; \
	  $(LOCK_FREEZE); } > hub/requirements.lock
	rm -rf .lock-venv

# Leaves build/ alone: a classroom gradebook may live there.
clean:
	rm -rf $(VENV) $(CLASSROOM_VENV) site .pytest_cache *.egg-info
