"""Grade many submissions at once: one `nbgrader autograde` process per submission, each with its own grading user.

nbgrader grades one submission after another. This runs up to ``--jobs`` of them side by side, each as

    nbgrader autograde ASSIGNMENT --student STUDENT --force

in the course folder, with ``NNLIB_GRADING_USER=nnlib-grader-<slot>`` (``--users`` names others), so each runs its
kernel as its own unprivileged Unix user (classroom/nnlib_grading/sandbox.py) and nbgrader records the grades as
always. Before it
starts, it checks that grading is isolated (root; the kernel environment readable by the grading users; the course
folder and this checkout not) and refuses otherwise; afterwards, what it wrote belongs to the course folder's owner.
With several graders at once, keep the gradebook in PostgreSQL (docs/instructor_guide.md): SQLite lets one writer in
at a time.

Usage (as root, in the course folder, with .venv-classroom's python):

    python /path/to/classroom/grade.py ASSIGNMENT [--students alice bob ...] [--jobs 2]
"""
import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nnlib_grading import sandbox  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def kernel_python():
    """The grading kernel's Python, from the kernelspec `make classroom` installed beside nbgrader."""
    from jupyter_client.kernelspec import KernelSpecManager
    try:
        argv = KernelSpecManager().get_kernel_spec("nnlib-grading").argv
    except Exception:
        raise SystemExit("no grading kernel 'nnlib-grading': run `make classroom` (as root) first") from None
    return argv[argv.index("--python") + 1]


def submissions(course, assignment, students=None):
    """The students who submitted ``assignment`` (submitted/<student>/<assignment>/), or those named."""
    found = sorted(path.parent.name for path in (course / "submitted").glob(f"*/{assignment}") if path.is_dir())
    if students:
        missing = sorted(set(students) - set(found))
        if missing:
            raise SystemExit(f"no submission of {assignment} from {', '.join(missing)} in {course / 'submitted'}")
        return [student for student in found if student in students]
    return found


def grade_all(course, assignment, students, jobs, users="nnlib-grader-"):
    """Grade each student's submission, ``jobs`` at a time, as grading users ``users``0, 1, ...;
    [(student, seconds, return code, log tail)]."""
    slots = list(range(jobs))

    def grade(student):
        slot = slots.pop()
        env = dict(os.environ, NNLIB_GRADING_USER=f"{users}{slot}",
                   PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        started = time.perf_counter()
        try:
            result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--student", student,
                                     "--force"], cwd=course, env=env, capture_output=True, text=True)
        finally:
            slots.append(slot)
        failed = result.returncode != 0 or "There was an error processing" in result.stderr
        return student, time.perf_counter() - started, int(failed), result.stderr[-2000:] if failed else ""

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(grade, students))


def give_back(course):
    """Give what grading wrote as root (autograded/, the gradebook) to the course folder's owner, so that the
    instructor's own tools (the formgrader on a JupyterHub: feedback, manual grading) can go on with it."""
    owner = course.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    for folder, names, files in os.walk(course):  # never follows a link, and chowns the link itself
        for path in [folder, *(os.path.join(folder, name) for name in names + files)]:
            os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--students", nargs="*", help="grade only these (default: every submission)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once")
    parser.add_argument("--course", default=".", help="the course folder (default: here)")
    parser.add_argument("--json", help="also write the timings to this file")
    parser.add_argument("--users", default="nnlib-grader-", help="grading users' names: this and 0, 1, ... (another "
                        "course graded at the same time on this machine needs other ones, e.g. nnlib-grader-b-)")
    args = parser.parse_args(argv)
    course = Path(args.course).resolve()
    if args.jobs < 1:
        raise SystemExit("--jobs must be 1 or more")
    private = [course / "gradebook.db", course / "source", course / "submitted", REPO / "nnlib" / "exercises"]
    if problems := sandbox.problems(kernel_python(), [p for p in private if p.exists()], user=f"{args.users}0"):
        raise SystemExit("grading would not be isolated, so it does not start:\n- " + "\n- ".join(problems))
    students = submissions(course, args.assignment, args.students)
    started = time.perf_counter()
    results = grade_all(course, args.assignment, students, args.jobs, args.users)
    wall = time.perf_counter() - started
    give_back(course)
    failed = [student for student, _, code, _ in results if code]
    per_minute = len(results) / wall * 60 if wall else 0.0
    print(f"{len(results)} submission(s) of {args.assignment} graded in {wall:.1f} s with {args.jobs} at once: "
          f"{per_minute:.1f} per minute; {len(failed)} failed{': ' + ', '.join(failed) if failed else ''}")
    for student, _, code, log in results:
        if code:
            print(f"--- {student}:\n{log}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps({"assignment": args.assignment, "jobs": args.jobs, "wall_s": wall,
                                               "per_minute": per_minute, "failed": failed,
                                               "seconds": {s: t for s, t, _, _ in results}}, indent=1) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
