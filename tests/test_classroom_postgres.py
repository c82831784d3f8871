"""nbgrader's gradebook in PostgreSQL: the whole grading cycle, and two graders writing to it at once.

nbgrader keeps its gradebook wherever ``c.CourseDirectory.db_url`` points. classroom/build.py writes SQLite into the
course folder's nbgrader_config.py, which loads nbgrader_config_local.py at the end; an instructor points the course at
a PostgreSQL server there. These tests do the same with a course folder built by ``classroom/build.py --generate``:
its gradebook is a database made for this run on the server of NNLIB_GRADEBOOK_URL (by default the role and database
that ``.ci/postgres.sh`` sets up) and dropped afterwards, so runs never see each other's rows. Every nbgrader step is a
plain nbgrader command in the course folder, so it runs with whatever settings build.py writes (the grading kernel).

The second test autogrades two students in two processes at once while a third connection holds an unfinished write,
as a grader's would, and both land their grades. The third shows why that needs a server: in an SQLite gradebook one
connection writes at a time, and nbgrader's writer gives up after 5 s with "database is locked".

Without .venv-classroom (``make classroom``) or a reachable server these tests skip, unless NNLIB_REQUIRE_POSTGRES=1
(CI), where they fail.
"""
import copy
import csv
import importlib.util
import json
import os
import re
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from nnlib.exercises import notebook_number

pytestmark = pytest.mark.slow  # nbgrader builds the course and autogrades a notebook

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
CLASSROOM_BIN = REPO / ".venv-classroom" / "bin"
KERNELS = REPO / ".venv-classroom" / "share" / "jupyter" / "kernels"
ASSIGNMENT = "01_parameters_of_a_line"
# The course of this test: notebook 01 only (the build and generate_assignment of all of them take ~15 s more).
ONE_NOTEBOOK = 'course_id = "nnlib-postgres-test"\n' + "".join(
    f'[notebook."{number}"]\nskip = true\n' for number in map(notebook_number, sorted(NOTEBOOK_DIR.glob("*.ipynb")))
    if number and number != "01")
# What .ci/postgres.sh makes (a test role on 127.0.0.1 only; the password is no secret).
DEFAULT_URL = "postgresql+psycopg://nbgrader:nbgrader@127.0.0.1:5432/nbgrader_test"

_spec = importlib.util.spec_from_file_location("classroom_build", REPO / "classroom" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

# Runs in the classroom Python (psycopg lives there, not in .venv): argv = URL, [[statement, parameters], ...];
# prints the rows of the last statement as JSON. Autocommit, so CREATE/DROP DATABASE work.
SQL_SCRIPT = """
import json, sys
import psycopg
from sqlalchemy.engine import make_url
url, statements = sys.argv[1], json.loads(sys.argv[2])
conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
    rows = []
    for statement, parameters in statements:
        cursor = connection.execute(statement, parameters)
        rows = cursor.fetchall() if cursor.description else []
print(json.dumps(rows))
"""

# A grader's unfinished write: a new student, inserted and not committed until this script's stdin closes.
HOLD_SCRIPT = """
import sys
import psycopg
from sqlalchemy.engine import make_url
conninfo = make_url(sys.argv[1]).set(drivername="postgresql").render_as_string(hide_password=False)
with psycopg.connect(conninfo, connect_timeout=5) as connection:
    connection.execute("INSERT INTO student (id) VALUES ('grader-busy')")
    print("held", flush=True)
    sys.stdin.read()
    connection.rollback()
"""

# SQLite's side of the same scene, through nbgrader's Gradebook: one connection holds an unfinished write, another
# adds a student. Prints the outcome, the seconds it took, and how many of that student the gradebook holds after.
SQLITE_SCRIPT = """
import sqlite3, sys, time
from nbgrader.api import Gradebook
path = sys.argv[1]
Gradebook("sqlite:///" + path).close()  # makes the tables
grader = sqlite3.connect(path, isolation_level=None)
grader.execute("BEGIN")
grader.execute("INSERT INTO student (id) VALUES ('grader-busy')")
start = time.monotonic()
try:
    with Gradebook("sqlite:///" + path) as gradebook:
        gradebook.update_or_create_student("ada")
    outcome = "written"
except Exception as error:
    outcome = f"{type(error).__name__}: {error}".splitlines()[0]
seconds = round(time.monotonic() - start, 1)
grader.execute("ROLLBACK")
print(outcome, seconds, grader.execute("SELECT COUNT(*) FROM student WHERE id = 'ada'").fetchone()[0])
"""

# Each student's score in one assignment, summed from nbgrader's tables (a grade is the manual score when a person
# gave one, else the autograder's), with the assignment's maximum from its grade cells.
SCORES_SQL = """
SELECT sa.student_id, SUM(COALESCE(g.manual_score, g.auto_score, 0)),
       (SELECT SUM(gc.max_score) FROM grade_cells gc JOIN base_cell bc ON bc.id = gc.id
                                 JOIN notebook n ON n.id = bc.notebook_id WHERE n.assignment_id = a.id)
FROM grade g JOIN submitted_notebook sn ON sn.id = g.notebook_id
             JOIN submitted_assignment sa ON sa.id = sn.assignment_id
             JOIN assignment a ON a.id = sa.assignment_id
WHERE a.name = %s GROUP BY sa.student_id, a.id
"""


def unavailable(reason):
    if os.environ.get("NNLIB_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def shown(url):
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":***@") if parts.password else url


def with_database(url, name):
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def classroom_env(grading_user):
    """The environment nbgrader runs in: no strict checks, no state files of this test session, and a grading user
    of its own (two autograde processes at once must not share one: each ends the user's processes between
    submissions)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NNLIB_STRICT_CHECKS", "NNLIB_CAPSTONE_STATE", "NNLIB_MY_LIBRARY")}
    env["PATH"] = os.pathsep.join([str(CLASSROOM_BIN), env.get("PATH", "")])
    env["NNLIB_GRADING_USER"] = grading_user
    if os.geteuid() != 0:  # the grading kernel changes users only as root; isolation is tested in test_classroom.py
        env["NNLIB_GRADING_UNISOLATED"] = "1"
    return env


def run(command, cwd, grading_user="nnlib-grader-pg"):
    result = subprocess.run(command, cwd=cwd, env=classroom_env(grading_user), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def sql(url, *statements):
    """Rows of the last statement, run with psycopg on the server itself (not through nbgrader)."""
    result = subprocess.run([CLASSROOM_BIN / "python", "-c", SQL_SCRIPT, url, json.dumps(statements)],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:  # the exception's own line: "psycopg.OperationalError: connection failed: ..."
        lines = result.stderr.strip().splitlines() or ["no output"]
        raise ConnectionError(next((line for line in reversed(lines) if "Error: " in line), lines[-1]))
    return json.loads(result.stdout)


def scores_in_postgres(url):
    return {student: (score, maximum) for student, score, maximum in sql(url, [SCORES_SQL, [ASSIGNMENT]])}


def by_grade_id(notebook):
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells if "nbgrader" in cell.metadata}


def answered(release, exercises):
    """A copy of the release with the answer cells of the given exercises replaced by their solutions."""
    notebook = copy.deepcopy(release)
    cells = by_grade_id(notebook)
    for exercise in exercises:
        cells[build.grade_id("answer", exercise)].source = exercise.solution_code
    return notebook


def submit(course, student, notebook):
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")


def exported(course):
    """(score, max_score) per student of the assignment, as `nbgrader export` reads them from the gradebook."""
    run([CLASSROOM_BIN / "nbgrader", "export", "--to", "grades.csv"], course)
    with open(course / "grades.csv", newline="") as handle:
        return {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}


def require_classroom_env():
    if not (CLASSROOM_BIN / "nbgrader").exists():
        unavailable("the classroom environment is missing (.venv-classroom/bin/nbgrader): run `make classroom` first")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder built by classroom/build.py whose gradebook is a fresh PostgreSQL database (dropped after)."""
    require_classroom_env()
    server = os.environ.get("NNLIB_GRADEBOOK_URL", DEFAULT_URL)
    try:
        sql(server, ["SELECT 1", None])
    except ConnectionError as error:
        unavailable(f"no PostgreSQL gradebook at {shown(server)} ({error}): run `.ci/postgres.sh` as root, or set "
                    "NNLIB_GRADEBOOK_URL to a server where its role may create databases")
    name = f"nbgrader_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    sql(server, [f'CREATE DATABASE "{name}"', None])
    url = with_database(server, name)
    try:
        folder = tmp_path_factory.mktemp("classroom-postgres") / "course"
        folder.mkdir()
        # Before the build: generate_assignment already writes the assignments into the gradebook.
        (folder / "nbgrader_config_local.py").write_text(f"c.CourseDirectory.db_url = {url!r}\n", encoding="utf-8")
        config = folder.parent / "assignments.toml"
        config.write_text(ONE_NOTEBOOK, encoding="utf-8")
        run([CLASSROOM_BIN / "python", REPO / "classroom" / "build.py", "--out", folder, "--config", config,
             "--generate"], REPO)
        kernel = re.search(r"kernel_name = '([^']+)'", (folder / "nbgrader_config.py").read_text()).group(1)
        if not (KERNELS / kernel / "kernel.json").exists():
            unavailable(f"the kernel nbgrader grades with, {kernel!r}, is not in .venv-classroom: run `make classroom`")
        (assignment,) = build.plan(build.load_config(config), NOTEBOOK_DIR)
        (graded_notebook,) = assignment.notebooks
        exercises = [exercise for exercise in graded_notebook.exercises if exercise.id in graded_notebook.graded]
        release = nbformat.read(folder / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        yield dict(folder=folder, url=url, exercises=exercises, release=release, points=graded_notebook.graded,
                   full=assignment.max_score - assignment.manual_score, max_score=assignment.max_score)
    finally:
        sql(server, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', None])


def test_the_autograde_cycle_reads_and_writes_its_gradebook_in_postgresql(course):
    folder, url, full, max_score = course["folder"], course["url"], course["full"], course["max_score"]
    assert full > 0 and sql(url, ["SELECT name FROM assignment WHERE name = %s", [ASSIGNMENT]]) == [[ASSIGNMENT]], \
        "generate_assignment wrote the assignment into the PostgreSQL gradebook"
    submit(folder, "perfect", answered(course["release"], course["exercises"]))
    submit(folder, "untouched", course["release"])
    run([CLASSROOM_BIN / "nbgrader", "autograde", ASSIGNMENT, "--force"], folder)

    expected = {"perfect": (full, max_score), "untouched": (0.0, max_score)}
    assert {s: g for s, g in exported(folder).items() if s in expected} == expected
    assert {s: g for s, g in scores_in_postgres(url).items() if s in expected} == expected, \
        "the server itself holds the grades"
    assert not (folder / "gradebook.db").exists(), "no SQLite gradebook beside the course"

    run([CLASSROOM_BIN / "nbgrader", "generate_feedback", ASSIGNMENT], folder)
    for student, (score, _) in expected.items():
        html = (folder / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
        assert re.search(rf"Score:\s*{score:.1f}\s*/\s*{max_score:.1f}", html), student


def test_two_autograde_processes_at_once_both_land_their_grades_while_a_grader_is_writing(course):
    folder, url, max_score = course["folder"], course["url"], course["max_score"]
    first, *_ = course["exercises"]
    submit(folder, "ada", answered(course["release"], course["exercises"]))
    submit(folder, "ben", answered(course["release"], [first]))  # only the first exercise solved
    expected = {"ada": (course["full"], max_score), "ben": (float(course["points"][first.id]), max_score)}

    holder = subprocess.Popen([CLASSROOM_BIN / "python", "-c", HOLD_SCRIPT, url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held", holder.stderr.read()
        jobs = [subprocess.Popen([CLASSROOM_BIN / "nbgrader", "autograde", ASSIGNMENT, "--student", student,
                                  "--force"], cwd=folder, env=classroom_env(f"nnlib-grader-pg{student}"),
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for student in expected]
        logs = [job.communicate(timeout=600)[0] for job in jobs]
        assert holder.poll() is None, "the grader's transaction stayed open during both runs"
    finally:
        holder.communicate(input="", timeout=60)  # the grader gives up: rolled back
    for job, log in zip(jobs, logs):
        assert job.returncode == 0, f"nbgrader autograde failed:\n{log}"

    assert {s: g for s, g in scores_in_postgres(url).items() if s in expected} == expected
    assert sql(url, ["SELECT id FROM student WHERE id = 'grader-busy'", None]) == [], "the grader's write rolled back"


def test_an_sqlite_gradebook_fails_a_writer_while_another_connection_writes(tmp_path):
    """Why the scene above needs a server: SQLite has one writer at a time, and nbgrader's writer gives up after
    Python's default wait of 5 s, with nothing written (what instructor_guide.md says about several graders)."""
    require_classroom_env()
    result = subprocess.run([CLASSROOM_BIN / "python", "-c", SQLITE_SCRIPT, tmp_path / "gradebook.db"],
                            env=classroom_env("nnlib-grader-pg"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    outcome, seconds, written = result.stdout.strip().splitlines()[-1].rsplit(" ", 2)
    assert "database is locked" in outcome and float(seconds) >= 4.9 and written == "0", result.stdout
