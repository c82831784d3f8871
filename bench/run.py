"""Benchmark nnlib against PyTorch (CPU) and scikit-learn in one run: `make bench`.

Measures, side by side and from the same initial weights, the same network and
hyperparameters in nnlib, PyTorch and scikit-learn's MLPClassifier, plus numpy's
large matrix multiply as the throughput ceiling; then the interactive budgets
(widget updates in a kernel, each notebook under nbval).  Prints the machine,
the BLAS libraries, a table with the ratios to PyTorch and to scikit-learn, the
targets met or missed, and writes everything to bench/results/*.json.

Each library runs in its own process per thread count (1 and 2), with the
BLAS/OpenMP threads fixed before numpy or torch is imported, so thread pools
never compete.  Timings are best-of-N wall times (N printed).

    python bench/run.py                              # the full run (under 5 minutes)
    python bench/run.py --quick --skip-notebooks     # fewer repeats, for a quick look
    python bench/run.py --profile digits_b32_float64 # where nnlib spends its time on one case
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Work-arounds for old OpenBLAS builds; a current numpy picks its own kernel.
OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
LIBRARIES = ("nnlib", "torch", "sklearn")
SMALL_CASES = ("digits_b32_float64", "digits_b256_float64")
MY_LIBRARY_CASES = ("digits_b32_float64",)  # the learner's library (nnlib.learner) against nnlib
GEMM_DTYPES = ("float64", "float32")
# The order a worker runs its cases: those with targets first, in case it must be stopped.
RUN_ORDER = ("digits_b32_float64", "digits_b256_float64", "synthetic_b128_float64", "synthetic_b128_float32",
             "digits_b32_float32", "digits_b256_float32")
BUSY_CASES = (*SMALL_CASES, "synthetic_b128_float64")
INTERACTIVE_REPEATS = 9
# Time limits (seconds) that keep `make bench` under 5 minutes on a busy machine.
WORKER_LIMIT = 20
BUSY_WORKER_LIMIT = 12
SECOND_ROUND_BEFORE = 75
TARGETS_TEXT = "ratios are time / reference time in the same run: < 1 means nnlib is faster"


# --- worker: one library, one thread count, in its own process ---------------------------------

def worker(spec):
    """Run ``spec["library"]`` on ``spec["cases"]``; write the results to ``spec["out"]`` after each case.

    Writing after each case lets the parent keep the finished cases of a worker it
    had to stop at its time limit.
    """
    threads = spec["threads"]
    import workloads
    from threadpoolctl import threadpool_info, threadpool_limits

    result = {"library": spec["library"], "threads": threads, "cases": {}}
    if spec["library"] == "torch":
        import torch

        torch.set_num_threads(threads)
        result["torch_threads"] = torch.get_num_threads()
        result["version"] = torch.__version__
        # torch links its BLAS (MKL) statically: threadpoolctl cannot see it, torch's build info can.
        config = torch.__config__.show()
        result["torch_blas"] = next((part.split("=")[1] for part in config.replace(",", " ").split()
                                     if part.startswith("BLAS_INFO=")), "unknown")
    elif spec["library"] == "sklearn":
        import sklearn

        result["version"] = sklearn.__version__
    with threadpool_limits(threads):
        result["threadpools"] = [{key: pool.get(key) for key in ("internal_api", "version", "architecture",
                                                                  "num_threads", "filepath")}
                                 for pool in threadpool_info()]
        for name in spec["cases"]:
            if spec["library"] == "numpy_gemm":
                result["cases"][name] = workloads.run_gemm(name, spec["repeats"]["gemm"])
            else:
                repeats = spec["repeats"]["digits" if name.startswith("digits") else "synthetic"]
                save_to = os.path.join(spec["save_dir"], f"{spec['tag']}_{name}.npz")
                result["cases"][name] = workloads.RUNNERS[spec["library"]](workloads.CASES[name], repeats, save_to)
            with open(spec["out"] + ".tmp", "w") as f:
                json.dump(result, f)
            os.replace(spec["out"] + ".tmp", spec["out"])


def worker_environment(threads):
    env = dict(os.environ)
    for name in OPENBLAS_OVERRIDES:
        env.pop(name, None)
    if threads is not None:
        env.update({name: str(threads) for name in THREAD_VARIABLES})
    return env


def spawn(library, threads, cases, repeats, workdir, tag, time_limit, busy_neighbour=False):
    """Run one worker process (optionally next to a process that keeps one core busy).

    A worker still running after ``time_limit`` seconds is stopped (this happens when
    other programs load the machine); the cases it finished are kept.
    """
    spec = {"library": library, "threads": threads, "cases": list(cases), "repeats": repeats,
            "save_dir": str(workdir), "tag": tag, "out": str(Path(workdir) / f"{tag}.json")}
    neighbour = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy_neighbour else None
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--worker", json.dumps(spec)],
                               env=worker_environment(threads), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        _, stderr = process.communicate(timeout=time_limit)
        stopped = False
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        stopped = True
    finally:
        if neighbour is not None:
            neighbour.kill()
            neighbour.wait()
    result = {"library": library, "threads": threads, "cases": {}}
    if os.path.exists(spec["out"]):
        with open(spec["out"]) as f:
            result = json.load(f)
        os.remove(spec["out"])
    if process.returncode != 0 and not stopped:
        result["error"] = stderr[-3000:]
    missing = [name for name in cases if name not in result["cases"]]
    if stopped:
        result["stopped_after_seconds"] = time_limit
    result["process_seconds"] = time.perf_counter() - start
    result["load_average_1min"] = [load_before, os.getloadavg()[0]]
    note = (f"; FAILED:\n{result['error']}" if "error" in result else
            f"; stopped at its {time_limit:.0f} s limit, not measured: {', '.join(missing)}" if stopped else "")
    print(f"  {tag}: {result['process_seconds']:.1f} s (1-minute load average before/after: "
          f"{load_before:.1f} / {os.getloadavg()[0]:.1f}){note}", flush=True)
    return result


# --- the run --------------------------------------------------------------------------------------

def machine_info():
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    import numpy

    return {"cpu": model, "logical_cores": os.cpu_count(),
            "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "platform": platform.platform(), "python": platform.python_version(), "numpy": numpy.__version__,
            "unset_for_workers": {name: os.environ[name] for name in OPENBLAS_OVERRIDES if name in os.environ},
            "thread_variables_in_caller": {name: os.environ.get(name) for name in THREAD_VARIABLES}}


def run_all(args):
    import interactive
    import workloads

    # Each library runs in up to `rounds` separate processes per thread count, the second
    # round in reverse order and only while the training part is within its time budget:
    # a burst of load from another program then spoils at most part of one library's runs,
    # and the best of all runs is kept.
    rounds = 1 if args.quick else 2
    repeats = {"digits": 2, "synthetic": 1, "gemm": 1} if args.quick else {"digits": 3, "synthetic": 2, "gemm": 2}
    threads_list = [int(t) for t in args.threads.split(",")]
    results = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": machine_info(),
               "rounds": rounds, "repeats_per_round": repeats, "cases": workloads.CASES, "runs": {},
               "busy_neighbour": {}}
    started = time.perf_counter()
    print_header(results)
    with tempfile.TemporaryDirectory() as workdir:
        for round_ in range(rounds):
            if round_ > 0 and time.perf_counter() - started > SECOND_ROUND_BEFORE:
                print(f"(no second round: the first took over {SECOND_ROUND_BEFORE} s, the machine is busy)")
                break
            for threads in threads_list:
                print(f"training, round {round_ + 1}, {threads} BLAS thread(s), each library in its own process:",
                      flush=True)
                order = ("numpy_gemm", *LIBRARIES, "my_library")
                for library in order if round_ % 2 == 0 else order[::-1]:
                    cases = {"numpy_gemm": GEMM_DTYPES, "my_library": MY_LIBRARY_CASES}.get(library, RUN_ORDER)
                    merge(results["runs"].setdefault(library, {}), str(threads),
                          spawn(library, threads, cases, repeats, workdir, f"{library}_t{threads}", WORKER_LIMIT))
        results["same_trajectory"] = compare_weights(workdir, threads_list)
        if not args.quick:
            print("nnlib next to a busy process (a notebook, a browser) on one of the cores:", flush=True)
            for threads in threads_list:
                merge(results["busy_neighbour"], str(threads),
                      spawn("nnlib", threads, BUSY_CASES, repeats, workdir, f"nnlib_busy_t{threads}",
                            BUSY_WORKER_LIMIT, busy_neighbour=True))
    for per_threads in (*results["runs"].values(), results["busy_neighbour"]):
        for run in per_threads.values():
            for name, entry in run.get("cases", {}).items():
                run["cases"][name] = summarise_gemm(entry) if name in GEMM_DTYPES else \
                    workloads.summarise(workloads.CASES[name], entry)
    results["training_seconds"] = time.perf_counter() - started
    results["interactive"] = {}
    if not args.skip_interactive:
        print("interactive budgets, measured in a fresh kernel:", flush=True)
        for threads in threads_list:
            env = interactive.environment_for_kernel(worker_environment(threads))
            results["interactive"][str(threads)] = interactive.measure_in_kernel(env, threads, INTERACTIVE_REPEATS)
    results["notebooks"] = None
    if not args.skip_notebooks:
        print("notebooks under nbval:", flush=True)
        results["notebooks"] = interactive.time_notebooks(interactive.environment_for_kernel(worker_environment(None)))
    results["bench_seconds"] = time.perf_counter() - started
    results["targets"] = evaluate_targets(results, threads_list)
    results["thread_recommendation"] = recommend_threads(results, threads_list)
    print_report(results, threads_list)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {RESULTS / f'bench-{stamp}.json'} (and latest.json); "
          f"the whole benchmark took {results['bench_seconds']:.0f} s")


def merge(per_threads, threads, result):
    """Add one worker's result to earlier rounds of the same library and thread count."""
    info = {key: result.get(key) for key in ("process_seconds", "load_average_1min", "stopped_after_seconds",
                                             "error") if key in result}
    if threads not in per_threads:
        per_threads[threads] = {**result, "processes": [info]}
        return
    merged = per_threads[threads]
    merged["processes"].append(info)
    for name, entry in result.get("cases", {}).items():
        if name not in merged["cases"]:
            merged["cases"][name] = entry
            continue
        for key in ("wall_seconds", "cpu_seconds"):
            if key in entry:
                merged["cases"][name][key] += entry[key]
    for key in ("threadpools", "torch_threads", "torch_blas", "version"):
        if key in result:
            merged.setdefault(key, result[key])


def summarise_gemm(entry):
    flops, best = 2 * entry["n"] ** 3, min(entry["wall_seconds"])
    return {**entry, "runs": len(entry["wall_seconds"]), "seconds_best_run": best, "gflop_per_s": flops / best / 1e9,
            "cpu_gflop_per_s": flops / min(entry["cpu_seconds"]) / 1e9}


def compare_weights(workdir, threads_list):
    """Largest |nnlib - PyTorch| (and |nnlib - your library|) difference of the final parameters: same start, same
    batches."""
    import numpy as np
    import workloads

    out = {}
    for threads in threads_list:
        for name in workloads.CASES:
            for other, label in (("torch", ""), ("my_library", "_my_library")):
                paths = [Path(workdir) / f"{lib}_t{threads}_{name}.npz" for lib in ("nnlib", other)]
                if name.startswith("digits") and all(p.exists() for p in paths):
                    a, b = (np.load(p) for p in paths)
                    out[f"{name}_t{threads}{label}"] = max(
                        float(np.max(np.abs(a[k].astype(float) - b[k].astype(float)))) for k in a.files)
    return out


# --- report -------------------------------------------------------------------------------------

def case_result(results, library, threads, case):
    return results["runs"].get(library, {}).get(str(threads), {}).get("cases", {}).get(case)


def ratio(results, threads, case, reference, key="ms_per_epoch", library="nnlib"):
    """``library``'s time / the reference's time (wall by default, key="cpu_ms_per_epoch" for CPU time)."""
    mine, theirs = (case_result(results, lib, threads, case) for lib in (library, reference))
    if mine is None or theirs is None:
        return None
    return mine[key] / theirs[key]


def gemm_fraction(results, threads, case, key="ms_per_epoch"):
    """nnlib's useful FLOP/s over numpy's large-GEMM FLOP/s (same dtype and threads)."""
    mine = case_result(results, "nnlib", threads, case)
    ceiling = case_result(results, "numpy_gemm", threads, case.rsplit("_", 1)[1])
    if mine is None or ceiling is None:
        return None
    if key == "cpu_ms_per_epoch":  # both in CPU time
        return mine["gflop_per_s"] * mine["ms_per_epoch"] / mine[key] / ceiling["cpu_gflop_per_s"]
    return mine["gflop_per_s"] / ceiling["gflop_per_s"]


def evaluate_targets(results, threads_list):
    """Every target of the issue as {target, threads, value, limit, met}."""
    rows = []

    def add(target, threads, value, limit, larger_is_better=False, unit="x", cpu_value=None):
        met = None if value is None else (value >= limit if larger_is_better else value <= limit)
        rows.append({"target": target, "threads": threads, "value": value, "limit": limit, "unit": unit,
                     "met": met, "cpu_time_value": cpu_value})

    def add_ratio(target, t, case, reference, limit):
        # At 1 thread the CPU-time ratio is a cross-check that other programs' load hardly moves.
        add(target, t, ratio(results, t, case, reference), limit,
            cpu_value=ratio(results, t, case, reference, "cpu_ms_per_epoch") if t == 1 else None)

    for t in threads_list:
        add_ratio("digits b32 float64: nnlib / PyTorch", t, "digits_b32_float64", "torch", 0.45)
        add("digits b32 float64: your library / nnlib", t, ratio(results, t, "digits_b32_float64", "nnlib",
                                                                  library="my_library"), 1.5,
            cpu_value=ratio(results, t, "digits_b32_float64", "nnlib", "cpu_ms_per_epoch", "my_library")
            if t == 1 else None)
        add_ratio("digits b32 float64: nnlib / scikit-learn", t, "digits_b32_float64", "sklearn", 0.5)
        add_ratio("digits b256 float64: nnlib / PyTorch", t, "digits_b256_float64", "torch", 0.8)
        add_ratio("digits b256 float64: nnlib / scikit-learn", t, "digits_b256_float64", "sklearn", 0.8)
        add_ratio("784-256-256-10 b128 float64: nnlib / PyTorch", t, "synthetic_b128_float64", "torch", 1.25)
        add_ratio("784-256-256-10 b128 float32: nnlib / PyTorch", t, "synthetic_b128_float32", "torch", 1.15)
        for dtype in ("float64", "float32"):
            case = f"synthetic_b128_{dtype}"
            fraction = gemm_fraction(results, t, case)
            cpu_fraction = gemm_fraction(results, t, case, "cpu_ms_per_epoch")
            add(f"784-256-256-10 b128 {dtype}: share of numpy GEMM FLOP/s", t,
                None if fraction is None else 100 * fraction, 45, larger_is_better=True, unit="%",
                cpu_value=None if cpu_fraction is None or t != 1 else 100 * cpu_fraction)
        mine, theirs = (case_result(results, lib, t, "digits_b32_float64") for lib in ("nnlib", "torch"))
        add("digits test accuracy after 30 epochs: |nnlib - PyTorch|", t,
            None if mine is None or theirs is None else 100 * abs(mine["test_accuracy"] - theirs["test_accuracy"]),
            1.0, unit=" points")
    for t, measured in results["interactive"].items():
        for label, entry in measured.get("widgets", {}).items():
            controls = entry.get("controls") or {entry.get("slowest") or "update": entry}
            for control, timing in controls.items():  # every control against its own budget (slider or structure)
                add(f"widget {label.split(' (')[0]}: {control} (median)", int(t), timing.get("median_ms"),
                    timing.get("budget_ms", entry.get("budget_ms", 100)), unit=" ms")
    if results["notebooks"]:
        for entry in results["notebooks"]:
            add(f"nbval {entry['notebook']}", None, entry["seconds"], 30, unit=" s")
        add("nbval whole course", None, sum(e["seconds"] for e in results["notebooks"]), 180, unit=" s")
    return rows


def recommend_threads(results, threads_list):
    """Default BLAS threads for small networks, from the 1- vs 2-thread digits timings (quiet and busy)."""
    if not {1, 2} <= set(threads_list):
        return None
    evidence = {}
    for label, source in (("alone", results["runs"].get("nnlib", {})), ("busy", results["busy_neighbour"])):
        for case in SMALL_CASES:
            one, two = (source.get(str(t), {}).get("cases", {}).get(case) for t in (1, 2))
            if one and two:
                evidence[f"{case} {label}"] = {"ms_1_thread": one["ms_per_epoch"], "ms_2_threads": two["ms_per_epoch"],
                                               "speedup_of_2nd_thread": one["ms_per_epoch"] / two["ms_per_epoch"]}
    gains = [e["speedup_of_2nd_thread"] for e in evidence.values()]
    # A second thread must gain at least 10% everywhere, busy machine included, to be worth its risk.
    threads = 2 if gains and min(gains) >= 1.1 else 1
    return {"threads": threads, "evidence": evidence}


def fmt(value, spec, missing="   n/a"):
    return missing if value is None else format(value, spec)


def print_header(results):
    m = results["machine"]
    print(f"machine: {m['cpu']}, {m['usable_cores']} usable cores ({m['logical_cores']} logical), "
          f"{m['platform']}, Python {m['python']}, numpy {m['numpy']}")
    if m["unset_for_workers"]:
        print(f"unset in the benchmark processes: {m['unset_for_workers']}")
    print(timing_text(results) + "\n", flush=True)


def timing_text(results):
    rounds, r = results["rounds"], results["repeats_per_round"]
    return (f"timing: best wall time of N runs, N = {rounds} processes x {r['digits']} runs of 30 epochs (digits), "
            f"{rounds} x {r['synthetic']} runs of 1 epoch (784-256-256-10), {rounds} x {r['gemm']} products "
            f"(numpy GEMM); fewer runs (column N) where a case's runs passed 3-4 s, and a worker still "
            f"running after {WORKER_LIMIT} s is stopped (only on a busy machine)")


def print_report(results, threads_list):
    import workloads

    print("\nBLAS / thread pools seen by each worker (threadpoolctl):")
    for library, per_threads in results["runs"].items():
        for threads, run in per_threads.items():
            pools = ", ".join(f"{p['internal_api']} {p['version']} ({p['architecture'] or '-'}, "
                              f"{p['num_threads']} threads)" for p in run.get("threadpools", []))
            extra = (f", torch's own BLAS: {run.get('torch_blas')} (statically linked), "
                     f"torch.get_num_threads()={run['torch_threads']}" if "torch_threads" in run else "")
            print(f"  {library:<10} t={threads}: {pools}{extra}")

    print("\nnumpy GEMM ceiling (2048 x 2048 @ 2048 x 2048), GFLOP/s:")
    for threads in threads_list:
        gemm = results["runs"].get("numpy_gemm", {}).get(str(threads), {}).get("cases", {})
        print(f"  {threads} thread(s): " + ", ".join(f"{d} {fmt(gemm.get(d, {}).get('gflop_per_s'), '.1f')}"
                                                      for d in ("float64", "float32")))

    print(f"\nTraining time per epoch, same network, same start, same run ({TARGETS_TEXT}):")
    head = (f"{'case':<23}{'thr':>4}{'N':>3}{'nnlib ms':>10}{'torch ms':>10}{'sklearn ms':>11}{'/torch':>8}"
            f"{'/sklearn':>9}{'nnlib samples/s':>16}{'GFLOP/s':>9}{'%GEMM':>7}{'acc % nnlib/torch/skl':>23}")
    print(head)
    print("-" * len(head))
    for case in workloads.CASES:
        for threads in threads_list:
            r = {lib: case_result(results, lib, threads, case) for lib in LIBRARIES}
            ms = [fmt(r[lib] and r[lib]["ms_per_epoch"], "10.2f", "       n/a") for lib in LIBRARIES]
            acc = "/".join(fmt(r[lib] and 100 * r[lib]["test_accuracy"], ".1f", "n/a") for lib in LIBRARIES)
            runs = min((r[lib]["runs"] for lib in LIBRARIES if r[lib]), default=0)
            fraction = gemm_fraction(results, threads, case)
            print(f"{case:<23}{threads:>4}{runs:>3}{ms[0]}{ms[1]}{ms[2]:>11}"
                  f"{fmt(ratio(results, threads, case, 'torch'), '8.2f', '     n/a')}"
                  f"{fmt(ratio(results, threads, case, 'sklearn'), '9.2f', '      n/a')}"
                  f"{fmt(r['nnlib'] and r['nnlib']['samples_per_s'], '16,.0f', '             n/a')}"
                  f"{fmt(r['nnlib'] and r['nnlib']['gflop_per_s'], '9.1f', '      n/a')}"
                  f"{fmt(fraction and 100 * fraction, '7.0f', '    n/a')}{acc:>23}")
    if 1 in threads_list:
        print("cross-check with CPU time at 1 thread (hardly affected by other programs' load), nnlib / PyTorch, "
              "nnlib / scikit-learn:")
        for case in workloads.CASES:
            r = {lib: case_result(results, lib, 1, case) for lib in LIBRARIES}
            if all(r.values()):
                print(f"  {case:<23} {r['nnlib']['cpu_ms_per_epoch'] / r['torch']['cpu_ms_per_epoch']:.2f}  "
                      f"{r['nnlib']['cpu_ms_per_epoch'] / r['sklearn']['cpu_ms_per_epoch']:.2f}")
    if results.get("same_trajectory"):
        worst = max(results["same_trajectory"].values())
        print(f"nnlib and PyTorch start from the same weights and see the same mini-batches: the largest "
              f"difference of any final parameter over the digits runs is {worst:.1e}.")

    if results["busy_neighbour"]:
        print("\nnnlib alone and next to one busy process (ms per epoch; 1 vs 2 BLAS threads):")
        for case in (*SMALL_CASES, "synthetic_b128_float64"):
            cells = []
            for threads in threads_list:
                quiet = case_result(results, "nnlib", threads, case)
                busy = results["busy_neighbour"].get(str(threads), {}).get("cases", {}).get(case)
                cells.append(f"t={threads}: alone {fmt(quiet and quiet['ms_per_epoch'], '.2f')}, "
                             f"+busy {fmt(busy and busy['ms_per_epoch'], '.2f')}")
            print(f"  {case:<24} " + " | ".join(cells))
    recommendation = results.get("thread_recommendation")
    if recommendation:
        print(f"recommended BLAS threads for small networks: {recommendation['threads']} "
              "(a second thread must speed up the digits epochs by >= 10%, alone and busy, to be chosen)")

    print("\nInteractive budgets: kernel-side ms per control change (median over up to 9 new values, as a learner "
          "exploring moves a slider: retrain + redraw into the Image widget with the inline backend, the browser's "
          "paint not included; 'back and forth' = one step away and back, where a widget may reuse what it "
          "computed):")
    for threads, measured in results["interactive"].items():
        if "kernel_error" in measured:
            print(f"  t={threads}: kernel error: {measured['kernel_error']}")
            continue
        for label, entry in measured.get("widgets", {}).items():
            print(f"  t={threads} {label}: " + (entry["status"] if entry.get("status") != "ok" else ""))
            timings = dict(entry.get("controls", {}))
            if "frame" in entry:
                timings[entry["frame"]] = entry
            for name, timing in timings.items():
                full, again = timing.get("full_renders_per_change"), timing.get("back_and_forth_median_ms")
                print(f"      {name:<16} median {timing['median_ms']:7.1f} ms (of which matplotlib render "
                      f"{timing['render_median_ms']:6.1f} ms)   max {timing['max_ms']:7.1f} ms"
                      + ("" if full is None else f"   full renders per change {full:.2f}")
                      + ("" if again is None else f"   back and forth {again:.1f} ms"))
    if results["notebooks"] is not None:
        print("\nNotebooks under pytest --nbval-lax:")
        if not results["notebooks"]:
            print("  no notebooks yet")
        for entry in results["notebooks"]:
            print(f"  {entry['notebook']:<40}{entry['seconds']:7.1f} s  {entry['status']}")

    print(f"\nTargets ({TARGETS_TEXT}; t = BLAS threads; at t=1 the same ratio in CPU time as a cross-check):")
    for row in results["targets"]:
        where = f"t={row['threads']}" if row["threads"] is not None else ""
        value = "not measured" if row["value"] is None else f"{row['value']:.2f}{row['unit']}"
        sign = ">=" if row["unit"] == "%" else "<="
        verdict = {True: "MET", False: "MISSED", None: "-"}[row["met"]]
        cpu = "" if row.get("cpu_time_value") is None else f"   CPU time: {row['cpu_time_value']:.2f}{row['unit']}"
        print(f"  {verdict:<7}{row['target']:<58}{where:<4}{value:>14}  (target {sign} {row['limit']}{row['unit']})"
              f"{cpu}")


def profile(case_name):
    """Profile nnlib training one case with pyinstrument, at 1 BLAS thread (for finding a missed target)."""
    import workloads
    from pyinstrument import Profiler
    from threadpoolctl import threadpool_limits

    case = workloads.CASES[case_name]
    X_train, y_train, _, _ = workloads.load_data(case)
    model = workloads._nnlib_model(case)
    with threadpool_limits(1):
        model.fit(X_train, y_train)
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(3):
                model.fit(X_train, y_train)
    print(profiler.output_text(unicode=True, color=False, show_all=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no busy-neighbour runs")
    parser.add_argument("--threads", default="1,2", help="BLAS thread counts to compare (default 1,2)")
    parser.add_argument("--skip-interactive", action="store_true", help="do not time the widgets")
    parser.add_argument("--skip-notebooks", action="store_true", help="do not time the notebooks under nbval")
    parser.add_argument("--profile", metavar="CASE", help="profile nnlib on one case (e.g. digits_b32_float64) "
                        "with pyinstrument and exit")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
    elif args.profile:
        profile(args.profile)
    else:
        run_all(args)


if __name__ == "__main__":
    main()
