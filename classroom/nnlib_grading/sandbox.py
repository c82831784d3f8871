"""Each submission's kernel runs as an unprivileged Unix user who can write only that submission's folder.

The grading kernelspec (``make classroom`` installs it as "nnlib-grading") starts this file instead of the kernel:

    python sandbox.py launch --python KERNEL_PYTHON CONNECTION_FILE

Run by nbgrader (as root), in the submission's autograded folder, it
1. ends every process of the grading user (``NNLIB_GRADING_USER``, default "nnlib-grader"; made with ``useradd
   --system`` when missing; only users named "nnlib-grader..." are accepted, since all their processes are killed)
   and removes its files from the shared temporary folders, so nothing of an earlier submission is left running;
2. gives the submission a folder of its own, ``/var/tmp/nnlib-grading/<user>.<digest of the autograded folder>``
   (mode 0700, owned by that user; a copy of the submission's plain files, never following links; kept for the
   submission's other notebooks, removed when the user grades another submission), its HOME and TMPDIR;
3. limits it (processes, memory, file size) and replaces itself, through ``setpriv``, with the kernel of the student
   edition's environment (``KERNEL_PYTHON``, a non-editable install) running as that user, with no groups.
After the notebook, the grader calls ``after_kernel()``: step 1 again.

The user can write its own folder and the world-writable temporary folders, nothing else: not the course, the
gradebook, the instructor's files, the installed course, or another submission's folder. Readable for it must be the
kernel environment only; ``problems()`` checks that for the paths the grader names (the course folder, the
instructor's checkout), and the grading tools refuse to grade while one of them is readable.

Without root nothing here can change users: ``NNLIB_GRADING_UNISOLATED=1`` then starts the kernel as the grader's own
user, and says that the guarantees of isolation do not hold.
"""
import argparse
import fcntl
import hashlib
import json
import os
import pwd
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

USER_ENV, UNISOLATED_ENV, DEFAULT_USER = "NNLIB_GRADING_USER", "NNLIB_GRADING_UNISOLATED", "nnlib-grader"
MEMORY_ENV = "NNLIB_GRADING_MEMORY_MB"
BASE = Path("/var/tmp/nnlib-grading")
SHARED_TEMP = ("/tmp", "/var/tmp", "/dev/shm")
USER_NAME = re.compile(r"nnlib-grader[a-z0-9-]{0,20}")
MAX_COPY_BYTES = 512 * 2**20


class SandboxError(Exception):
    """Grading cannot isolate this submission; the message says why and what to do."""


def grading_user(name=None):
    """(name, uid, gid) of the grading user, created when missing (root only)."""
    name = name or os.environ.get(USER_ENV) or DEFAULT_USER
    if not USER_NAME.fullmatch(name):
        raise SandboxError(f"{USER_ENV}={name!r}: grading users are named nnlib-grader... (all their processes are "
                           "ended between submissions, so a person's account must never be one)")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", "--user-group", name], check=True, capture_output=True)
        entry = pwd.getpwnam(name)
    if entry.pw_uid == 0:
        raise SandboxError(f"the grading user {name} has uid 0")
    return name, entry.pw_uid, entry.pw_gid


def end_processes(uid):
    """SIGKILL every process of ``uid``: a child that becomes ``uid`` and calls kill(-1), which reaches exactly the
    processes that user may signal, its own (repeated: one might fork in between)."""
    for _ in range(3):
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            try:
                os.setgroups([])
                os.setresuid(uid, uid, uid)
                os.kill(-1, 9)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        if not any(_owner(p) == uid for p in Path("/proc").iterdir() if p.name.isdigit()):
            return
        time.sleep(0.05)


def _owner(proc):
    try:
        return proc.stat().st_uid
    except OSError:
        return None


def remove_temporary_files(uid):
    """The user's files and folders at the top of the world-writable temporary folders (never following links)."""
    for folder in SHARED_TEMP:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass


_claimed = {}


def claim():
    """Hold the grading user for this grading process, for as long as it runs: two grading runs with one user would
    end each other's kernels. Called by the grader before its first kernel; a second run with the same user stops."""
    if os.environ.get(UNISOLATED_ENV) == "1" or os.geteuid() != 0:
        return
    name, _, _ = grading_user()
    if name in _claimed:
        return
    BASE.mkdir(mode=0o711, parents=True, exist_ok=True)
    handle = open(BASE / f"{name}.lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise SandboxError(f"another grading run is using the grading user {name} right now: give each grading run "
                           f"its own {USER_ENV} (classroom/grade.py does)") from None
    _claimed[name] = handle


def after_kernel():
    """Called by the grader when a notebook is done: the grading user keeps no process and no temporary file."""
    if os.environ.get(UNISOLATED_ENV) == "1" or os.geteuid() != 0:
        return
    _, uid, _ = grading_user()
    end_processes(uid)
    remove_temporary_files(uid)


def submission_folder(folder, name, uid, gid):
    """The submission's own folder (see the module's docstring); other submissions' folders of this user go."""
    BASE.mkdir(mode=0o711, parents=True, exist_ok=True)
    os.chown(BASE, 0, 0)
    BASE.chmod(0o711)
    home = BASE / f"{name}.{hashlib.sha256(str(Path(folder).resolve()).encode()).hexdigest()[:16]}"
    for old in BASE.glob(f"{name}.*"):  # (a user's name never holds a ".")
        if old != home:
            shutil.rmtree(old, ignore_errors=True)
    if not home.is_dir():
        home.mkdir(mode=0o700)
        _copy_plain_files(Path(folder), home)
        for path in [home, *home.rglob("*")]:
            os.lchown(path, uid, gid)
    return home


def _copy_plain_files(source, target):
    """Regular files and folders of the submission, never a link (a link could point at anything root can read)."""
    copied = 0
    for root, folders, files in os.walk(source, followlinks=False):
        relative = Path(root).relative_to(source)
        for name in folders:
            if not os.path.islink(os.path.join(root, name)):
                (target / relative / name).mkdir(mode=0o700, exist_ok=True)
        for name in files:
            path = Path(root, name)
            if path.is_symlink() or not path.is_file() or path.suffix == ".ipynb":
                continue
            copied += path.stat().st_size
            if copied > MAX_COPY_BYTES:
                raise SandboxError(f"the submission's files exceed {MAX_COPY_BYTES // 2**20} MB")
            shutil.copyfile(path, target / relative / name, follow_symlinks=False)


def kernel_environment(home, python):
    """The kernel's environment: nothing of the grader's (no NNLIB_* settings, no paths into its files)."""
    home = Path(home)
    for sub in ("tmp", ".ipython", ".cache", ".config/matplotlib", ".runtime"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env = {"HOME": str(home), "TMPDIR": str(home / "tmp"), "IPYTHONDIR": str(home / ".ipython"),
           "XDG_CACHE_HOME": str(home / ".cache"), "MPLCONFIGDIR": str(home / ".config/matplotlib"),
           "JUPYTER_RUNTIME_DIR": str(home / ".runtime"), "PYTHONNOUSERSITE": "1", "LANG": "C.UTF-8",
           "PATH": f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin", "NBGRADER_EXECUTION": "autograde"}
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND", "OPENBLAS_CORETYPE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def limit(memory_mb):
    """Limits inherited by the kernel: processes of its user, address space, file size, no core files."""
    resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    resource.setrlimit(resource.RLIMIT_FSIZE, (2**30, 2**30))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def launch(python, connection_file):
    """Become the submission's kernel, isolated (see the module's docstring). Never returns."""
    kernel = [python, "-m", "ipykernel_launcher", "-f"]
    if os.environ.get(UNISOLATED_ENV) == "1":
        print(f"nnlib grading: {UNISOLATED_ENV}=1, so this kernel runs as the grader's own user: the submission "
              "could change files the grader can change (docs/instructor_guide.md).", file=sys.stderr)
        os.execv(python, kernel + [connection_file])
    if os.geteuid() != 0:
        raise SandboxError("grading runs each submission as an unprivileged Unix user, which needs root: run nbgrader "
                           f"autograde with sudo (or, on your own machine only, {UNISOLATED_ENV}=1)")
    name, uid, gid = grading_user()
    end_processes(uid)
    remove_temporary_files(uid)
    home = submission_folder(os.getcwd(), name, uid, gid)
    env = kernel_environment(home, python)
    connection = home / ".runtime" / "kernel.json"
    connection.write_text(json.dumps(json.loads(Path(connection_file).read_text(encoding="utf-8"))), encoding="utf-8")
    connection.chmod(0o600)
    for path in [home, *home.rglob("*")]:
        os.lchown(path, uid, gid)
    limit(int(os.environ.get(MEMORY_ENV, "4096")))
    os.chdir(home)
    os.execve("/usr/bin/setpriv", ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
                                   "--no-new-privs", "--", *kernel, str(connection)], env)


def problems(python, readable_never=(), user=None):
    """What keeps grading from being isolated, as sentences (none: it is): the grading user must be able to run the
    kernel's ``python`` and import nnlib from a folder it cannot write, and must not be able to read any path of
    ``readable_never`` (the course folder, the instructor's checkout)."""
    if os.geteuid() != 0:
        return ["grading as an unprivileged Unix user needs root"]
    name, uid, gid = grading_user(user)
    script = ("import json, os, sys\nimport nnlib\nfolder = os.path.dirname(nnlib.__file__)\n"
              "print(json.dumps({'nnlib': folder, 'writable': os.access(folder, os.W_OK), "
              "'readable': [p for p in sys.argv[1:] if os.access(p, os.R_OK)]}))")
    result = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--", python, "-c",
                             script, *map(str, readable_never)], capture_output=True, text=True, cwd="/",
                            env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1", "HOME": "/nonexistent"})
    if result.returncode != 0:
        return [f"the grading user {name} cannot run the kernel's Python {python} or import nnlib there (is it "
                f"installed where that user can read it?): {result.stderr.strip()[-500:]}"]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    said = []
    if found["writable"]:
        said.append(f"the grading user {name} can write the installed course at {found['nnlib']}")
    said += [f"the grading user {name} can read {path}: make it unreadable for other users (chmod o-rwx on it or a "
             "folder above it)" for path in found["readable"]]
    return said


def install_kernelspec(python, prefix, name="nnlib-grading"):
    """Write the grading kernelspec into ``prefix`` (the classroom environment): nbgrader starts kernels through
    ``launch``, with one BLAS thread as the course's own kernels."""
    folder = Path(prefix) / "share" / "jupyter" / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [sys.executable, str(Path(__file__).resolve()), "launch", "--python", str(python),
                     "{connection_file}"],
            "display_name": "Python (nnlib grading: the student edition, as an unprivileged user)",
            "language": "python", "env": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("launch", help="start a kernel for nbgrader (the grading kernelspec's command)")
    start.add_argument("--python", required=True, help="the kernel environment's python (the student edition)")
    start.add_argument("connection_file")
    spec = commands.add_parser("kernelspec", help="install the grading kernelspec (make classroom does)")
    spec.add_argument("--python", required=True, help="the kernel environment's python (the student edition)")
    spec.add_argument("--prefix", required=True, help="the classroom environment, where nbgrader looks for kernels")
    args = parser.parse_args(argv)
    try:
        if args.command == "kernelspec":
            print(f"grading kernelspec: {install_kernelspec(args.python, args.prefix)}")
            return 0
        launch(args.python, args.connection_file)
    except SandboxError as error:
        print(f"nnlib grading: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
