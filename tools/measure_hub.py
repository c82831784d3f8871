"""What one student's JupyterLab costs a hub, per notebook: the memory and CPU time that size it (`make measure-hub`).

    python tools/measure_hub.py                       every notebook; table on screen, JSON in build/measure-hub.json
    python tools/measure_hub.py 00 13                 only the notebooks whose names start so
    python tools/measure_hub.py --record              also write deploy/measured.json, the committed record that
                                                      deploy/sizing.py turns into memory limits (then update the
                                                      deploy files and the guide until tests/test_deploy.py passes)

It does what a student on a hub does in one session. Their home is a fresh temporary folder holding the course as
nbgitpuller clones it (``git clone --depth 1`` of this repository's last commit). One JupyterLab server runs there,
as a learner starts it (`jupyter lab` from .venv, no browser, a token, on 127.0.0.1): one server for the whole run,
because a student keeps one server for a session and opens notebook after notebook in it, so what the server keeps
from earlier notebooks counts. Each notebook gets a fresh kernel, started through the server's REST API as
JupyterLab does (a session), and runs top to bottom over the server's kernel websocket, so every output passes
through the server as it does on its way to a browser; the executed notebook is saved through the server, and the
kernel is shut down before the next notebook.

Every 50 ms, psutil reads the resident memory (RSS) of the server and of the kernel with its child processes; on
Linux the kernel's and the server's VmHWM (the kernel's own peak RSS) is read too, and the larger figure is kept.
CPU seconds are the kernel's user + system time (its children's included) and the server's during the notebook.
RSS counts shared library pages in every process that maps them, so summing it over students over-counts a little:
the safe side for sizing. The R notebook runs on R's kernel only when Rscript and the 'ir' kernel are installed.
"""
import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import uuid
from importlib import metadata
from pathlib import Path

import nbformat
import psutil
import requests
import websocket
from jupyter_server.services.kernels.connection.base import deserialize_binary_message

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import sitting_time  # noqa: E402

BIN = Path(sys.executable).parent  # .venv/bin under `make measure-hub`
OUT = ROOT / "build" / "measure-hub.json"
RECORD = ROOT / "deploy" / "measured.json"
SAMPLE_SECONDS = 0.05
CELL_TIMEOUT = 900  # seconds; the slowest cell of the course takes well under a minute on 2 cores
MIB = 1024 * 1024


def high_water_mark(pid):
    """The process's peak RSS in bytes (Linux's VmHWM), or 0 where /proc does not tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def tree_rss(process):
    """RSS in bytes of a process and its children (0 for any that has just ended)."""
    try:
        processes = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:  # a child ended while psutil walked the process table: read the kernel alone
        processes = [process]
    total = 0
    for proc in processes:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def cpu_seconds(process, with_children=True):
    """User + system CPU seconds of a process, and of its children (ended ones it waited for, and running ones)."""
    times = process.cpu_times()
    total = times.user + times.system
    if with_children:
        total += times.children_user + times.children_system
        try:
            children = process.children(recursive=True)
        except psutil.NoSuchProcess:  # one ended while psutil walked the process table; its parent counts it
            children = []
        for child in children:
            try:
                total += sum(child.cpu_times()[:2])
            except psutil.NoSuchProcess:
                pass
    return total


class PeakSampler(threading.Thread):
    """Every SAMPLE_SECONDS, the RSS of the server (alone) and of the watched kernel with its children; keeps the
    largest of each since the last `take()`."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.kernel = server, None
        self.peaks = {"server": 0, "kernel": 0}
        self.lock, self.stopped = threading.Lock(), threading.Event()

    def run(self):
        while not self.stopped.wait(SAMPLE_SECONDS):
            try:
                server = self.server.memory_info().rss
            except psutil.NoSuchProcess:  # the server stopped: measure() reports why
                return
            try:
                kernel = tree_rss(self.kernel) if self.kernel else 0
            except psutil.NoSuchProcess:  # the kernel has just been shut down
                kernel = 0
            with self.lock:
                self.peaks = {"server": max(self.peaks["server"], server), "kernel": max(self.peaks["kernel"], kernel)}

    def take(self, kernel=None):
        """The peaks since the last call; from now on watch `kernel` (a psutil.Process or None)."""
        with self.lock:
            peaks, self.kernel = self.peaks, kernel
            self.peaks = {"server": self.server.memory_info().rss, "kernel": 0}
        return peaks


class KernelSocket:
    """The kernel's websocket on the server (Jupyter's JSON message format, as JupyterLab speaks it)."""

    def __init__(self, url, token):
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(f"{url}?session_id={self.session}",
                                              header=[f"Authorization: token {token}"], timeout=60)

    def send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "username": "student", "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": datetime.datetime.now(datetime.UTC).isoformat()}
        self.ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                                 "channel": channel, "buffers": []}))
        return msg_id

    def replies(self, msg_id, deadline):
        """The messages answering msg_id, until the deadline (TimeoutError after it)."""
        while True:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                opcode, data = self.ws.recv_data()
            except websocket.WebSocketTimeoutException:
                raise TimeoutError(f"no answer from the kernel within {CELL_TIMEOUT} s") from None
            msg = deserialize_binary_message(data) if opcode == websocket.ABNF.OPCODE_BINARY else json.loads(data)
            if (msg.get("parent_header") or {}).get("msg_id") == msg_id:
                yield msg

    def wait_ready(self):
        msg_id = self.send("kernel_info_request", {})
        for msg in self.replies(msg_id, time.monotonic() + 120):
            if msg["msg_type"] == "kernel_info_reply":
                return

    def execute(self, code):
        """Run one cell; (outputs as nbformat nodes, execution count, "Error: message" or None)."""
        msg_id = self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        outputs, count, error, replied, idle, clear = [], None, None, False, False, False
        for msg in self.replies(msg_id, time.monotonic() + CELL_TIMEOUT):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "execute_reply":
                replied, count = True, content.get("execution_count")
                if content["status"] != "ok":
                    error = f"{content.get('ename', 'Error')}: {content.get('evalue', content['status'])}"
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "clear_output":
                outputs, clear = ([], False) if not content.get("wait") else (outputs, True)
            elif kind in ("stream", "display_data", "execute_result", "error"):
                if clear:
                    outputs, clear = [], False
                outputs.append(nbformat.v4.output_from_msg(msg))
            if replied and idle:
                return outputs, count, error

    def close(self):
        self.ws.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def disk_mib(folder):
    """What the files under `folder` occupy on disk, in MiB."""
    return sum(os.lstat(Path(top, name)).st_blocks * 512
               for top, _, files in os.walk(folder) for name in files) / MIB


class Server:
    """One student's JupyterLab in a temporary home holding a clone of the course; stopped by `stop()`."""

    def __init__(self, home, log):
        self.token, port = secrets.token_hex(16), free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("NNLIB_", "JUPYTER_", "XDG_", "MPL", "PYTEST"))}
        env.update(HOME=str(home), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
        # A student's first kernel builds matplotlib's font cache once; built here, it is not charged to notebook 00.
        subprocess.run([BIN / "python", "-c", "import matplotlib.pyplot"], env=env, check=True)
        argv = [BIN / "jupyter-lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={home}"]
        if os.geteuid() == 0:  # JupyterLab refuses root without it (containers, this course's CI)
            argv.append("--allow-root")
        self.popen = subprocess.Popen(argv, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        self.process = psutil.Process(self.popen.pid)
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {self.token}"
        deadline = time.monotonic() + 120
        while True:
            if self.popen.poll() is not None:
                raise RuntimeError(f"JupyterLab stopped at start-up (exit {self.popen.returncode}); see {log.name}")
            try:
                if self.http.get(f"{self.url}/api/status", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer within 120 s; see {log.name}")
            time.sleep(0.2)

    def api(self, method, path, **kwargs):
        response = self.http.request(method, f"{self.url}/api/{path}", timeout=120, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def open_lab(self):
        """What a browser asks for when JupyterLab opens: the page, the settings, the kernels and the files."""
        for path in ("/lab", "/lab/api/settings", "/api/kernelspecs", "/api/sessions", "/api/contents"):
            self.http.get(f"{self.url}{path}", timeout=60).raise_for_status()

    def kernel_process(self, kernel_id):
        """The server's child process that runs this kernel (its command line names its connection file)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for proc in self.process.children(recursive=True):
                try:
                    if any(f"kernel-{kernel_id}.json" in part for part in proc.cmdline()):
                        return proc
                except psutil.NoSuchProcess:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"no process of kernel {kernel_id} under the server")

    def stop(self):
        """Shut the server down (it shuts its kernels down); kill what is left of its process group."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.popen.pid, 9)
        except ProcessLookupError:
            pass
        self.popen.wait()


def run_notebook(server, sampler, path, course, kernel_name):
    """Run one notebook in a fresh kernel; its figures (MiB, seconds) and the first error, if any."""
    relative = path.relative_to(course.parent).as_posix()
    notebook = nbformat.read(path, as_version=4)
    sampler.take()
    server_cpu, started = cpu_seconds(server.process, with_children=False), time.perf_counter()
    session = server.api("POST", "sessions", json={"path": relative, "name": path.name, "type": "notebook",
                                                   "kernel": {"name": kernel_name}})
    kernel_id = session["kernel"]["id"]
    kernel = server.kernel_process(kernel_id)
    sampler.take(kernel)
    channel = KernelSocket(f"{server.url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels", server.token)
    error = None
    try:
        try:
            channel.wait_ready()
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count, error = channel.execute(cell.source)
                    if error:
                        break
        except (TimeoutError, websocket.WebSocketException) as exc:  # a cell that never ends, a kernel that died
            error = f"{type(exc).__name__}: {exc}"
        wall = time.perf_counter() - started
        try:
            kernel_cpu, kernel_hwm = cpu_seconds(kernel), high_water_mark(kernel.pid)
        except psutil.NoSuchProcess:
            kernel_cpu, kernel_hwm, error = 0.0, 0, error or "the kernel died"
    finally:  # as a student does: save the notebook, close it and shut its kernel down
        channel.close()
        server.api("PUT", f"contents/{relative}", json={"type": "notebook", "format": "json", "content": notebook})
        server.api("DELETE", f"sessions/{session['id']}")
        psutil.wait_procs([kernel], timeout=30)
        peaks = sampler.take()
        server_cpu = cpu_seconds(server.process, with_children=False) - server_cpu
    if not sampler.is_alive():
        raise RuntimeError("the memory sampler stopped (its traceback is above): these peaks would be wrong")
    return {"notebook": path.stem, "kernel": kernel_name,
            "kernel_peak_mib": round(max(peaks["kernel"], kernel_hwm) / MIB, 1),
            "kernel_sampled_mib": round(peaks["kernel"] / MIB, 1), "kernel_hwm_mib": round(kernel_hwm / MIB, 1),
            "server_peak_mib": round(peaks["server"] / MIB, 1), "kernel_cpu_s": round(kernel_cpu, 2),
            "server_cpu_s": round(server_cpu, 2), "wall_s": round(wall, 1),
            "sitting_minutes": round(sitting_time.minutes(path)["total"], 1), "error": error}


def machine():
    """The machine the figures come from: CPU model, cores, memory, and the versions that matter."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    versions = {name: metadata.version(name) for name in ("jupyterlab", "jupyter_server", "ipykernel", "numpy")}
    return {"cpu": model, "cores": psutil.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
            "python": platform.python_version(), **versions,
            "load_average_1_min": round(os.getloadavg()[0], 2)}  # other work on the machine lengthens wall times


def measure(selected, log):
    """Measure every selected notebook in one student session; the whole record (see the module's docstring)."""
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    home = Path(tempfile.mkdtemp(prefix="nnlib-student-"))
    course = home / repository.rstrip("/").split("/")[-1]
    server = sampler = None
    host = machine()  # before anything of ours runs
    try:
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{ROOT}", str(course)], check=True)
        commit = subprocess.run(["git", "-C", str(course), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        clone = disk_mib(course)
        server = Server(home, log)
        server.open_lab()
        time.sleep(2)
        idle = server.process.memory_info().rss / MIB
        sampler = PeakSampler(server.process)
        sampler.start()
        specs = server.api("GET", "kernelspecs")["kernelspecs"]
        rows, skipped = [], []
        for path in sorted((course / "notebooks").glob("*.ipynb")):
            if selected and not path.stem.startswith(tuple(selected)):
                continue
            kernel = nbformat.read(path, as_version=4).metadata.get("kernelspec", {}).get("name", "python3")
            program = specs.get(kernel, {}).get("spec", {}).get("argv", [""])[0]
            if kernel not in specs or shutil.which(program) is None:
                skipped.append({"notebook": path.stem, "reason": f"the {kernel!r} kernel is not installed here"})
                continue
            if kernel == "ir" and shutil.which("Rscript") is None:
                skipped.append({"notebook": path.stem, "reason": "R (Rscript) is not installed here"})
                continue
            rows.append(run_notebook(server, sampler, path, course, kernel))
            print_row(rows[-1])
        session_peak = max(high_water_mark(server.process.pid), sampler.take()["server"]) / MIB
        return {"measured": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": host, "commit": commit,
                "method": "one jupyter lab server for the whole run, a fresh kernel per notebook through its REST API "
                          "and websocket, psutil RSS every 50 ms and VmHWM (tools/measure_hub.py)",
                "server_idle_mib": round(idle, 1), "server_session_peak_mib": round(session_peak, 1),
                "notebooks": rows, "not_measured": skipped,
                "disk": {"clone_mib": round(clone, 1), "home_after_mib": round(disk_mib(home), 1)}}
    finally:
        if sampler:
            sampler.stopped.set()
        if server:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)


COLUMNS = ("notebook", "kernel peak MiB", "server peak MiB", "kernel CPU s", "server CPU s", "wall s")


def print_row(row):
    failed = f"  FAILED: {row['error']}" if row["error"] else ""
    print(f"{row['notebook']:42s}{row['kernel_peak_mib']:16.1f}{row['server_peak_mib']:16.1f}"
          f"{row['kernel_cpu_s']:13.1f}{row['server_cpu_s']:13.1f}{row['wall_s']:8.1f}{failed}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="only the notebooks whose names start so (e.g. 00 13)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the JSON written (default {OUT.relative_to(ROOT)})")
    parser.add_argument("--record", action="store_true", help=f"also write {RECORD.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops the server and its kernels
    if args.record and args.notebooks:
        parser.error("--record measures every notebook: leave out the notebook names")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(f"{COLUMNS[0]:42s}" + "".join(f"{name:>16s}" for name in COLUMNS[1:3])
          + "".join(f"{name:>13s}" for name in COLUMNS[3:5]) + f"{COLUMNS[5]:>8s}", flush=True)
    with open(args.out.with_suffix(".server.log"), "w") as log:
        record = measure(args.notebooks, log)
    for row in record["not_measured"]:
        print(f"{row['notebook']:42s}not measured: {row['reason']}")
    print(f"server idle (before any kernel) {record['server_idle_mib']:.1f} MiB, its peak over the session "
          f"{record['server_session_peak_mib']:.1f} MiB; disk: clone {record['disk']['clone_mib']:.1f} MiB, "
          f"home after the run {record['disk']['home_after_mib']:.1f} MiB")
    text = json.dumps(record, indent=1) + "\n"
    args.out.write_text(text)
    print(f"wrote {args.out}")
    if args.record:
        RECORD.write_text(text)
        print(f"wrote {RECORD}; now `python deploy/sizing.py` gives the numbers for deploy/ and the guide")
    return 1 if any(row["error"] for row in record["notebooks"]) else 0


if __name__ == "__main__":
    sys.exit(main())
