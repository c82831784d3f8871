"""The sizing rule: from the measurement in deploy/measured.json to each student's memory limit and a hub's size.

    python deploy/sizing.py        print the figures per student and the guide's two tables

deploy/measured.json is written by ``tools/measure_hub.py --record`` (``make measure-hub`` measures without
recording). The rule, stated in docs/instructor_guide.md ("Sizing the hub, measured"), follows The Littlest
JupyterHub's resource estimation page (tljh.jupyter.org, "Estimate Memory / CPU / Disk needed"). It sizes a hub that
runs the Python notebooks, the environment deploy/ installs; an R kernel is an addition (`kernel="ir"` gives its
figures).

- memory per student = the single-user server's peak + the largest kernel peak (one notebook open at a time; the
  deploy files stop kernels left idle by closed tabs);
- the limit per student adds TLJH's headroom for "playing around" (it advises 20-40 %; we take 40 %: the measurement
  runs each notebook once, top to bottom, while a learner re-runs cells and drags sliders), rounded up to 64 MiB;
  the Kubernetes guarantee is the measured memory itself, rounded up to 64 MiB;
- RAM = students online at once x limit + 128 MB (TLJH's overhead), with 40 % and 60 % of a class online (TLJH's
  advice to start with);
- CPU cores = online x CPU per student + 0.2 (TLJH's 20 % of one core), where CPU per student is the largest
  notebook's CPU seconds (kernel and server) spread over its sitting (tools/sitting_time.py); and, for a class that
  runs a notebook together, the cores that run the most CPU-hungry notebook for every student online in one minute;
- disk = students x the measured home folder (the clone and everything the notebooks wrote) + 2 GB.

tests/test_deploy.py holds deploy/tljh/, deploy/z2jh/values.yaml and the guide's tables to these numbers.
"""
import json
import math
import sys
from pathlib import Path

MEASURED = Path(__file__).resolve().parent / "measured.json"
HEADROOM = 0.40  # TLJH: "add 20-40% headroom for users to 'play around'"; the upper end, see above
STEP_MIB = 64  # limits and guarantees are rounded up to a multiple of this
TLJH_OVERHEAD_MIB = 128  # TLJH: "The 128MB is overhead for TLJH and related services"
TLJH_CPU_OVERHEAD = 0.2  # TLJH: "The 20% is overhead for TLJH and related services ... 20% of a single modern CPU"
TLJH_DISK_OVERHEAD_GIB = 2  # TLJH: "(Total users x Max disk usage per user) + 2GB"
TLJH_MAX_ONLINE = 100  # TLJH: "for 1-100 users on a single server"; above that, Zero to JupyterHub
ONLINE = (0.40, 0.60)  # TLJH: "between 40-60% of your total class size to start with"
CLASS_SIZES = (50, 200, 500)
TOGETHER_SECONDS = 60  # a class that runs a notebook together gets every student's run done within this


def round_up(mib):
    return STEP_MIB * math.ceil(mib / STEP_MIB)


def per_student(measured, kernel="python3"):
    """What one student online needs, from the notebooks on `kernel`: {"measured_mib", "guarantee_mib", "limit_mib",
    "cpu_cores" (on average), "cpu_seconds" (the most CPU-hungry notebook, run top to bottom), "disk_mib"}."""
    failed = [row["notebook"] for row in measured["notebooks"] if row["error"]]
    notebooks = [row for row in measured["notebooks"] if row["kernel"] == kernel]
    if failed or not notebooks:
        raise ValueError(f"every notebook must run to the end to size the hub; measure again with "
                         f"tools/measure_hub.py --record (failed: {failed}; measured on {kernel!r}: {len(notebooks)})")
    server = max(measured["server_session_peak_mib"], *(row["server_peak_mib"] for row in notebooks))
    memory = math.ceil(server + max(row["kernel_peak_mib"] for row in notebooks))
    cpu = [row["kernel_cpu_s"] + row["server_cpu_s"] for row in notebooks]
    average = max(seconds / (60 * row["sitting_minutes"]) for seconds, row in zip(cpu, notebooks))
    return {"measured_mib": memory, "guarantee_mib": round_up(memory), "limit_mib": round_up(memory * (1 + HEADROOM)),
            "cpu_cores": average, "cpu_seconds": max(cpu), "disk_mib": measured["disk"]["home_after_mib"]}


def class_sizes(measured):
    """One row per class size: students online at once, TLJH's RAM, CPU and disk, and the Kubernetes guarantees."""
    student = per_student(measured)
    rows = []
    for students in CLASS_SIZES:
        online = [math.ceil(students * share) for share in ONLINE]
        rows.append({
            "students": students, "online": online,
            "ram_gib": [(n * student["limit_mib"] + TLJH_OVERHEAD_MIB) / 1024 for n in online],
            "cores": [n * student["cpu_cores"] + TLJH_CPU_OVERHEAD for n in online],
            "cores_together": [n * student["cpu_seconds"] / TOGETHER_SECONDS for n in online],
            "disk_gib": students * student["disk_mib"] / 1024 + TLJH_DISK_OVERHEAD_GIB,
            "guaranteed_gib": [n * student["guarantee_mib"] / 1024 for n in online],
            "deploy": "TLJH" if online[1] <= TLJH_MAX_ONLINE else "Zero to JupyterHub"})
    return rows


def tljh_memory(measured):
    """The value of `tljh-config set limits.memory` (M is MiB there, as in JupyterHub's ByteSpecification)."""
    return f"{per_student(measured)['limit_mib']}M"


def z2jh_memory(measured):
    """singleuser.memory {"guarantee", "limit"} for Zero to JupyterHub's values.yaml (M is MiB in KubeSpawner)."""
    student = per_student(measured)
    return {"guarantee": f"{student['guarantee_mib']}M", "limit": f"{student['limit_mib']}M"}


def markdown_notebooks(measured):
    """The guide's table of what was measured, one row per notebook, exactly as docs/instructor_guide.md shows it."""
    lines = ["| notebook | kernel | kernel peak (MiB) | server peak (MiB) | kernel CPU (s) | server CPU (s) "
             "| wall (s) |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {row['notebook']} | {row['kernel']} | {row['kernel_peak_mib']:.0f} | {row['server_peak_mib']:.0f} "
              f"| {row['kernel_cpu_s']:.1f} | {row['server_cpu_s']:.1f} | {row['wall_s']:.1f} |"
              for row in measured["notebooks"]]
    lines += [f"| {row['notebook']} | not measured: {row['reason']} | | | | | |" for row in measured["not_measured"]]
    return "\n".join(lines)


def markdown_table(measured):
    """The guide's sizing table, exactly as docs/instructor_guide.md shows it."""
    def span(pair, digits=1):
        return f"{pair[0]:.{digits}f}–{pair[1]:.{digits}f}"

    lines = ["| students | online at once (40–60 %) | RAM, TLJH's rule (GiB) | CPU cores, on average "
             "| CPU cores, all online run a notebook within a minute | disk (GiB) "
             "| Kubernetes: memory guaranteed in total (GiB) | deploy with |",
             "|---|---|---|---|---|---|---|---|"]
    for row in class_sizes(measured):
        lines.append(f"| {row['students']} | {row['online'][0]}–{row['online'][1]} | {span(row['ram_gib'])} "
                     f"| {span(row['cores'], 2)} | {span([math.ceil(n) for n in row['cores_together']], 0)} "
                     f"| {row['disk_gib']:.1f} "
                     f"| {span(row['guaranteed_gib'])} | {row['deploy']} |")
    return "\n".join(lines)


def main():
    measured = json.loads(MEASURED.read_text())
    for kernel in sorted({row["kernel"] for row in measured["notebooks"]}):
        student = per_student(measured, kernel)
        print(f"per student ({kernel} notebooks): measured {student['measured_mib']} MiB, guarantee "
              f"{student['guarantee_mib']} MiB, limit {student['limit_mib']} MiB, {student['cpu_cores']:.4f} cores "
              f"on average, {student['cpu_seconds']:.1f} CPU s for the hungriest notebook, {student['disk_mib']:.1f} "
              f"MiB of disk")
    print(f"tljh-config set limits.memory {tljh_memory(measured)}")
    print(f"values.yaml singleuser.memory: {z2jh_memory(measured)}")
    print()
    print(markdown_notebooks(measured))
    print()
    print(markdown_table(measured))


if __name__ == "__main__":
    sys.exit(main())
