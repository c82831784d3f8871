"""How fast a class is graded: N generated submissions of notebooks 01 and 13, graded one at a time and in parallel.

`make measure-grading` runs this once (as root, after `make classroom`; about an hour on 2 cores for 200 students).
It builds a course of the two assignments in a private temporary folder, generates one submission of each per
student, a mixture of what a class hands in (in turn: solved, a typical slip, untouched, an attack of issue 34, half
solved), grades every submission with classroom/grade.py one at a time and then ``--jobs`` at a time, and prints
wall time and submissions per minute for each, and whether both runs gave every student the same, expected score.
"""
import argparse
import copy
import csv
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import grade  # noqa: E402
from nnlib_grading.ids import grade_id  # noqa: E402

from nnlib.exercises.framework import exercises_in  # noqa: E402

KINDS = ("solved", "slip", "untouched", "attack", "half")
CONFIG = 'course_id = "measure"\n' + "".join(f'[notebook."{n}"]\nskip = true\n' for n in (
    "00 02 03 04 04b 05 06 06b 06c 07 08 08b 08c 09 09b 09c 10 10b 10c 11 12 14".split()))
SLIP_01 = ("return np.mean((y_hat - y) ** 2)", "return np.sum((y_hat - y) ** 2)")
ATTACK_01 = ("import importlib, nnlib.exercises.framework as _f\n"
             "_f.Exercise.feedback = lambda self, *a, **k: ('correct', 'Correct!')\nimportlib.reload = lambda m: m\n")
ATTACK_13 = "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n"


def answers_for(kind, exercises):
    """{exercise: code} for one student's submission of a notebook, by kind (see the module's docstring)."""
    code = {}
    for number, exercise in enumerate(exercises):
        solved = exercise.solution_code
        if kind == "solved" or (kind == "half" and number % 2 == 0):
            code[exercise] = solved
        elif kind == "slip":
            code[exercise] = solved.replace(*SLIP_01) if exercise.id == "01.1" else solved
            if exercise.id == "13.3":
                code[exercise] = exercise.placeholder + "predictions = np.zeros(len(X_test), dtype=int)\n"
        elif kind == "attack":
            code[exercise] = solved
            if number == 0:
                code[exercise] = (solved.replace(*SLIP_01) if exercise.id == "01.1" else exercise.placeholder) + (
                    ATTACK_01 if exercise.id.startswith("01") else ATTACK_13)
    return code


def make_course(folder, students):
    """Build the two assignments and write every student's submissions; returns {assignment: notebook name}."""
    config = folder / "assignments.toml"
    config.write_text(CONFIG, encoding="utf-8")
    subprocess.run([sys.executable, str(HERE / "build.py"), "--out", str(folder / "course"), "--config", str(config),
                    "--generate"], check=True, capture_output=True)
    course, names = folder / "course", {}
    for release in sorted((course / "release").glob("*/*.ipynb")):
        assignment, number = release.parent.name, release.name[:2]
        names[assignment] = release.name
        module = importlib.import_module(f"nnlib.exercises.nb{number}")
        exercises = exercises_in(module)
        notebook = nbformat.read(release, as_version=4)
        for index, student in enumerate(students):
            mine = copy.deepcopy(notebook)
            cells = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in mine.cells}
            for exercise, code in answers_for(KINDS[index % len(KINDS)], exercises).items():
                cells[grade_id("answer", exercise)].source = code
            target = course / "submitted" / student / assignment
            target.mkdir(parents=True)
            nbformat.write(mine, target / release.name)
    return course, names


def scores(course):
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", "grades.csv"], cwd=course, check=True,
                   capture_output=True, env=dict(os.environ, PATH=path))
    with open(course / "grades.csv", newline="") as handle:
        return {(row["student_id"], row["assignment"]): float(row["score"]) for row in csv.DictReader(handle)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="submissions at once in the parallel run")
    parser.add_argument("--json", default=str(REPO / "build" / "measure-grading.json"))
    parser.add_argument("--parallel-only", action="store_true", help="skip the one-at-a-time run")
    args = parser.parse_args(argv)
    students = [f"student{i:03d}" for i in range(args.students)]
    results = {}
    with tempfile.TemporaryDirectory(prefix="nnlib-measure-") as folder:  # mode 0700: only root can read it
        course, names = make_course(Path(folder), students)
        private = [course / "gradebook.db", course / "submitted", REPO / "nnlib" / "exercises"]
        if problems := grade.sandbox.problems(grade.kernel_python(), private, user="nnlib-grader-0"):
            raise SystemExit("grading would not be isolated:\n- " + "\n- ".join(problems))
        for jobs in (args.jobs,) if args.parallel_only else (1, args.jobs):
            runs = {}
            for assignment in names:
                started = time.perf_counter()
                graded = grade.grade_all(course, assignment, students, jobs)
                runs[assignment] = {"wall_s": time.perf_counter() - started,
                                    "failed": [student for student, _, code, _ in graded if code]}
            wall = sum(run["wall_s"] for run in runs.values())
            results[jobs] = {"wall_s": wall, "per_minute": 2 * len(students) / wall * 60, "runs": runs,
                             "scores": {f"{s}/{a}": v for (s, a), v in scores(course).items()}}
            parts = ", ".join(f"{name}: {run['wall_s']:.0f} s" for name, run in runs.items())
            failed = sum(len(run["failed"]) for run in runs.values())
            print(f"{len(students)} students x 2 notebooks, {jobs} at a time: {wall:.0f} s, "
                  f"{results[jobs]['per_minute']:.1f} submissions per minute ({parts}); failed: {failed}")
    first = next(iter(results.values()))
    same = all(run["scores"] == first["scores"] for run in results.values())
    print(f"the same score for every submission in every run: {same}")
    by_kind = {}
    for key, value in first["scores"].items():
        student, assignment = key.split("/")
        by_kind.setdefault((KINDS[students.index(student) % len(KINDS)], assignment), set()).add(value)
    for (kind, assignment), values in sorted(by_kind.items()):
        print(f"  {assignment:28s} {kind:9s} scores {sorted(values)}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"students": len(students), "jobs": args.jobs, "same": same,
                                           "by_kind": {f"{k}/{a}": sorted(v) for (k, a), v in by_kind.items()},
                                           "results": {str(j): {k: v for k, v in r.items() if k != "scores"}
                                                       for j, r in results.items()}}, indent=1) + "\n")
    return 0 if same and not any(r["runs"][a]["failed"] for r in results.values() for a in names) else 1


if __name__ == "__main__":
    sys.exit(main())
