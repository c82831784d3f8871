"""`make test-numerics`: every notebook under nbval again, on two OpenBLAS kernels that are not this machine's.

Learners run the course on Intel, AMD and Apple laptops and on Colab. Their BLAS libraries round in a
different order, so a long or chaotic training run ends in other last bits there, and a notebook whose
conclusion rests on such bits passes here and fails for them. OpenBLAS (numpy's BLAS on x86-64) can be
told to use another CPU's kernels with OPENBLAS_CORETYPE; any x86-64 machine runs `Haswell`,
`Sandybridge` and `Prescott`. This script picks the first two of those that differ from the kernel the
machine uses by itself ("native": SkylakeX on recent Intel servers, Zen on AMD, or whatever
OPENBLAS_CORETYPE the machine already sets), and runs the notebooks once under each, at the same time:
the first with 1 BLAS thread, the second with 2 (another summation order again).

Each notebook's Jupyter kernel is started by this file (`numerics.py kernel -f ...`, the kernelspec
`nnlib-blas-check`), which asks threadpoolctl which kernel OpenBLAS really loaded and refuses to start
(with the reason on stderr) unless it is the requested one and not the native one: a run that silently
used the native kernel would prove nothing.

    python tools/numerics.py          # what `make test-numerics` runs
    python tools/numerics.py check    # which OpenBLAS kernel this environment gives, and is it valid here?

Without OpenBLAS on x86-64 (Apple silicon, conda's MKL, ...) there is nothing to switch: the script says
so and exits 0, unless NNLIB_REQUIRE_NUMERICS=1 (CI) turns that into a failure.
"""
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "nnlib-blas-check"
CANDIDATES = ("Haswell", "Sandybridge", "Prescott")
ALIASES = {"katmai": "prescott"}  # OpenBLAS reports its Prescott kernel as "Katmai"
NATIVE_ENV = "NNLIB_NATIVE_CORETYPE"
REQUIRE_ENV = "NNLIB_REQUIRE_NUMERICS"
THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def same_kernel(a, b):
    """True when two OpenBLAS kernel names mean the same kernel (case and the Katmai alias ignored)."""
    def norm(name):
        return ALIASES.get(name.lower(), name.lower())
    return norm(a) == norm(b)


def choose(native):
    """The two candidate kernels that differ from `native`, in the order of CANDIDATES."""
    return [name for name in CANDIDATES if not same_kernel(name, native)][:2]


def openblas_in_use():
    """(architecture, threads) of the OpenBLAS that numpy loaded in this process, or None without OpenBLAS."""
    import numpy  # noqa: F401  (loads the BLAS library that threadpoolctl then inspects)
    import threadpoolctl

    for info in threadpoolctl.threadpool_info():
        if info.get("internal_api") == "openblas":
            return info.get("architecture") or "unknown", info["num_threads"]
    return None


def probe(env):
    """openblas_in_use() as a fresh process with environment `env` sees it (None without OpenBLAS)."""
    code = "import json, numerics; print(json.dumps(numerics.openblas_in_use()))"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(ROOT / "tools")},
                         capture_output=True, text=True, check=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return tuple(found) if found else None


def problem_with_this_kernel(env=os.environ):
    """Why this process must not run notebooks for test-numerics, or None when its BLAS kernel is right."""
    requested, native = env.get("OPENBLAS_CORETYPE"), env.get(NATIVE_ENV)
    if not requested or not native:
        return (f"the kernel {KERNEL_NAME!r} only runs under `make test-numerics` (it needs OPENBLAS_CORETYPE and "
                f"{NATIVE_ENV}); use the course kernel for everything else.")
    found = openblas_in_use()
    if found is None:
        return "numpy does not use OpenBLAS here, so OPENBLAS_CORETYPE changes nothing."
    in_use, threads = found
    if same_kernel(in_use, native):
        return (f"OpenBLAS runs the machine's own kernel {in_use} although OPENBLAS_CORETYPE={requested}: this "
                "run would test nothing new (is the numpy wheel built without DYNAMIC_ARCH?).")
    if not same_kernel(in_use, requested):
        return f"OpenBLAS runs the kernel {in_use}, not the requested {requested}."
    wanted = int(env.get("OPENBLAS_NUM_THREADS", threads))
    if threads != wanted:
        return f"OpenBLAS runs {threads} thread(s), not the requested {wanted}."
    return None


def run_kernel(argv):
    """The kernelspec's entry point: check the BLAS kernel, then become an ordinary IPython kernel."""
    problem = problem_with_this_kernel()
    if problem:
        sys.exit(f"test-numerics: refusing to start the notebook kernel: {problem}")
    from ipykernel.kernelapp import launch_new_instance

    sys.argv = [sys.argv[0], *argv]
    launch_new_instance()


def install_kernelspec():
    """Write the `nnlib-blas-check` kernelspec into this environment (sys.prefix); returns its folder."""
    folder = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [sys.executable, str(Path(__file__).resolve()), "kernel", "-f", "{connection_file}"],
            "display_name": "Python (nnlib, another BLAS kernel: test-numerics only)", "language": "python"}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    return folder


def skip_or_fail(reason):
    if os.environ.get(REQUIRE_ENV) == "1":
        sys.exit(f"test-numerics: {reason} ({REQUIRE_ENV}=1 requires this run)")
    print(f"test-numerics: skipped: {reason}")
    return 0


def main():
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return skip_or_fail(f"OPENBLAS_CORETYPE kernels exist on x86-64 only; this machine is {platform.machine()}")
    native = probe(dict(os.environ))
    if native is None:
        return skip_or_fail("numpy does not use OpenBLAS here, so there is no other kernel to switch to")
    native_name = native[0]
    install_kernelspec()
    runs = []
    for threads, coretype in enumerate(choose(native_name), start=1):
        env = {**os.environ, "OPENBLAS_CORETYPE": coretype, NATIVE_ENV: native_name,
               **{name: str(threads) for name in THREADS}}
        # The same check the notebook kernels make (nbval hides a kernel's stderr, so say it here first).
        check = subprocess.run([sys.executable, __file__, "check"], env=env, capture_output=True, text=True)
        if check.returncode != 0:
            sys.exit(f"test-numerics: cannot run the notebooks under {coretype}: {check.stdout.strip()}")
        print(f"test-numerics: native kernel {native_name}; notebooks under {coretype} with {threads} BLAS "
              f"thread(s) ({check.stdout.splitlines()[0]})", flush=True)
        command = [sys.executable, "-m", "pytest", "notebooks", "--nbval-lax", "--nbval-kernel-name", KERNEL_NAME,
                   "-p", "no:cacheprovider", "-q"]
        log = tempfile.TemporaryFile("w+")
        runs.append((coretype, log, subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)))
    start, failed = time.time(), []
    for coretype, log, process in runs:
        process.wait()
        log.seek(0)
        print(f"\n===== notebooks under OPENBLAS_CORETYPE={coretype} =====\n{log.read()}", flush=True)
        log.close()
        if process.returncode != 0:
            failed.append(coretype)
    print(f"test-numerics: both runs took {time.time() - start:.0f} s (wall, side by side)")
    if failed:
        print(f"test-numerics: FAILED under {', '.join(failed)}. A notebook's assert holds on this machine but not "
              "under another BLAS kernel: check a margin, not the last bits of a long or chaotic run. (\"Kernel died "
              "before replying\" means the kernel refused its BLAS set-up: `python tools/numerics.py check` says why.)")
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["kernel"]:
        run_kernel(sys.argv[2:])
    elif sys.argv[1:2] == ["check"]:
        found = openblas_in_use()
        print(f"OpenBLAS kernel in use: {found[0]} ({found[1]} thread(s))" if found else "numpy does not use OpenBLAS")
        reason = problem_with_this_kernel()
        print(f"valid for test-numerics: {'yes' if reason is None else 'no: ' + reason}")
        sys.exit(0 if reason is None else 1)
    else:
        sys.exit(main())
