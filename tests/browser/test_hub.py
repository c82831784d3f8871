"""A class on a real JupyterHub, on loopback, driven in Chromium as its people would use it (issue 35).

The hub is JupyterHub itself (hub/jupyterhub_config.py) with configurable-http-proxy, its `dummy` authenticator and
LocalProcessSpawner: every user is a real Unix user, created here, whose server runs as that user, so nbgrader's
exchange works by Unix permissions as on a class's hub. One instructor and three students:

1. a student opens an nbgitpuller link (tools/launch_links.py) that clones the course (served by a git daemon on
   loopback) into their home and lands on notebook 00 in JupyterLab, where the widgets render as controls and react
   to a slider;
2. the instructor opens the formgrader in its own browser tab (the documented way under JupyterHub >= 4.1, which
   forbids framing it) and releases notebook 01's assignment through the exchange; each student fetches it from the
   Assignments panel, answers one exercise (right, wrong, or not at all) in the notebook, and submits;
3. the instructor collects in the formgrader, root grades each submission in isolation (classroom/grade.py), the
   instructor generates and releases the feedback in the formgrader, and a student fetches it from the Assignments
   panel; the grades are asserted.

Needs root (the users), `make hub` (the hub's environment in /opt/nnlib-hub, after `make classroom`) and Chromium.
Without them it skips with its reason, unless NNLIB_REQUIRE_HUB=1 (CI), where it fails.
"""
import csv
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from nnlib.exercises import notebook_number

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_page import NotebookPage  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from launch_links import hub_link, repository_url  # noqa: E402

HUB_ROOT = Path(os.environ.get("NNLIB_HUB_ROOT", "/opt/nnlib-hub"))
CLASSROOM_BIN = REPO / ".venv-classroom" / "bin"
INSTRUCTOR, STUDENTS = "nnlib-teacher", ("nnlib-student1", "nnlib-student2", "nnlib-student3")
COURSE_ID = "nnlib-course"
ASSIGNMENT, NOTEBOOK = "01_parameters_of_a_line", "01_parameters_of_a_line.ipynb"
# What each student writes in exercise 01.2's cell (least squares by formula; 2 of the notebook's 7 points).
RIGHT = ("slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)\n"
         "intercept = y.mean() - slope * x.mean()\n")
WRONG = "slope = np.sum(x * y) / np.sum(x ** 2)\nintercept = y.mean()\n"  # forgets to centre
ANSWERS = {STUDENTS[0]: RIGHT, STUDENTS[1]: WRONG}  # the third hands the release in untouched
EXPECTED = {STUDENTS[0]: 2.0, STUDENTS[1]: 0.0, STUDENTS[2]: 0.0}
PASSWORD = "nnlib-hub-test"
TIMEOUT = 180_000  # ms: a server's first start, or Run All, on a busy 2-core machine

# JupyterLab settings of every test user: no news pop-up over the page; every cell in the DOM (no windowing).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def missing():
    """Why the hub cannot run here, or None."""
    if os.geteuid() != 0:
        return "the hub test creates Unix users, which needs root"
    if not (HUB_ROOT / "env" / ".installed").exists():
        return f"the hub's environment is not installed in {HUB_ROOT}: run `make hub` (as root) first"
    if not (HUB_ROOT / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        return f"configurable-http-proxy is not installed in {HUB_ROOT}/proxy: run `make hub` first"
    if not (CLASSROOM_BIN / "nbgrader").exists():
        return "the classroom environment is missing: run `make classroom` (as root) first"
    if shutil.which("useradd") is None or shutil.which("runuser") is None:
        return "useradd and runuser are needed to make the hub's users"
    return None


@pytest.fixture(scope="module", autouse=True)
def require_hub():
    reason = missing()
    if reason and os.environ.get("NNLIB_REQUIRE_HUB") == "1":
        pytest.fail(f"{reason} (NNLIB_REQUIRE_HUB=1)", pytrace=False)
    if reason:
        pytest.skip(reason)


def run(*command, user=None, cwd=None, timeout=600):
    """Run a command (as ``user``, in their home, when given); fail the test with its output when it fails."""
    command = [str(part) for part in command]
    if user:
        home = pwd.getpwnam(user).pw_dir
        command = ["runuser", "-u", user, "--", "env", f"HOME={home}", f"USER={user}",
                   f"PATH={HUB_ROOT / 'env' / 'bin'}:/usr/bin:/bin", *command]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def remove_user(name):
    """End every process of ``name`` and remove the user with their home (a leftover of a killed run, too)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    time.sleep(0.2)
    subprocess.run(["userdel", "--remove", "--force", name], capture_output=True)


def write_as(user, path, text):
    """Write ``text`` to ``path`` in ``user``'s home, owned by them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    entry = pwd.getpwnam(user)
    for part in [path, *path.parents]:
        if part == Path(entry.pw_dir):
            break
        os.chown(part, entry.pw_uid, entry.pw_gid)


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def course_config(path):
    """An assignments.toml with notebook 01 only (the hub test grades one assignment)."""
    numbers = sorted({notebook_number(p) for p in (REPO / "notebooks").glob("*.ipynb") if notebook_number(p)})
    path.write_text(f'course_id = "{COURSE_ID}"\n' + "".join(
        f'[notebook."{n}"]\nskip = true\n' for n in numbers if n != "01"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hub(tmp_path_factory, browser):  # the browser first: without Chromium, no hub is started to skip
    """Users, the course repository, the exchange, the instructor's course; then JupyterHub, stopped at the end."""
    state = tmp_path_factory.mktemp("hub")  # root only: the hub's database and cookie secret
    shared = Path(tempfile.mkdtemp(prefix="nnlib-hub-", dir="/var/tmp"))
    shared.chmod(0o755)
    users = (INSTRUCTOR, *STUDENTS)
    hub_process = git_daemon = log = None
    try:
        for user in users:
            remove_user(user)
            run("useradd", "--create-home", "--shell", "/bin/bash", user)
            Path(pwd.getpwnam(user).pw_dir).chmod(0o700)

        # The course repository nbgitpuller clones, named as on GitHub (its folder in each home is that name),
        # served by a git daemon on loopback as GitHub serves it: a local path would be refused by each student's
        # git, for a repository another user owns ("dubious ownership").
        name = repository_url().rsplit("/", 1)[1]
        run("git", "init", "--quiet", "--bare", "--initial-branch=main", shared / "git" / name)
        run("git", "-C", REPO, "push", "--quiet", shared / "git" / name, "HEAD:refs/heads/main")
        git_port, public, *others = free_ports(4)
        git_daemon = subprocess.Popen(["git", "daemon", "--export-all", "--reuseaddr", "--listen=127.0.0.1",
                                       f"--port={git_port}", f"--base-path={shared / 'git'}", shared / "git"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        repository = f"git://127.0.0.1:{git_port}/{name}"
        exchange = shared / "exchange"
        exchange.mkdir()
        exchange.chmod(0o777)  # nbgrader's exchange: every user writes it (nbgrader's docs)

        # The instructor's course folder (classroom/build.py, as `make classroom` does), and everyone's settings.
        teacher_home = Path(pwd.getpwnam(INSTRUCTOR).pw_dir)
        course = teacher_home / "course"
        run(CLASSROOM_BIN / "python", REPO / "classroom" / "build.py", "--out", course, "--generate",
            "--config", course_config(state / "assignments.toml"), cwd=REPO)
        run("chown", "-R", f"{INSTRUCTOR}:{INSTRUCTOR}", course)
        for user in users:
            home = Path(pwd.getpwnam(user).pw_dir)
            config = f'c = get_config()\nc.CourseDirectory.course_id = "{COURSE_ID}"\nc.Exchange.root = "{exchange}"\n'
            if user == INSTRUCTOR:
                config += f'c.CourseDirectory.root = "{course}"\n'
            write_as(user, home / ".jupyter" / "nbgrader_config.py", config)
            # window.jupyterapp, for reading the notebook's state as tests/browser does
            write_as(user, home / ".jupyter" / "jupyter_server_config.json",
                     json.dumps({"LabApp": {"expose_app_in_browser": True}}))
            for plugin, values in LAB_SETTINGS.items():
                write_as(user, home / ".jupyter" / "lab" / "user-settings" / f"{plugin}.jupyterlab-settings",
                         json.dumps(values))

        env = {"PATH": f"{HUB_ROOT / 'env' / 'bin'}:/usr/bin:/bin", "HOME": str(state), "LANG": "C.UTF-8",
               "NNLIB_HUB_ROOT": str(HUB_ROOT), "NNLIB_HUB_STATE": str(state),
               "NNLIB_HUB_PORTS": f"{public} {' '.join(map(str, others))}", "NNLIB_HUB_USERS": " ".join(users),
               "NNLIB_HUB_PASSWORD": PASSWORD}
        log = open(state / "jupyterhub.log", "w")
        hub_process = subprocess.Popen([HUB_ROOT / "env" / "bin" / "jupyterhub", "-f", REPO / "hub" /
                                        "jupyterhub_config.py"], cwd=state, env=env, stdout=log,
                                       stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{public}"
        deadline = time.monotonic() + 120
        while True:
            assert hub_process.poll() is None, f"JupyterHub exited: {(state / 'jupyterhub.log').read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(f"{url}/hub/health", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, "JupyterHub did not answer within 120 s"
                time.sleep(0.5)
        yield {"url": url, "repository": repository, "course": course, "exchange": exchange, "state": state,
               "log": state / "jupyterhub.log"}
    finally:
        if hub_process is not None:
            hub_process.terminate()  # cleanup_servers: the hub stops every user's server and the proxy
            try:
                hub_process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                hub_process.kill()
        if log is not None:
            log.close()
        if git_daemon is not None:
            git_daemon.terminate()
        for user in users:
            remove_user(user)
        shutil.rmtree(shared, ignore_errors=True)


@pytest.fixture(scope="module")
def people(hub, browser):
    """One browser context (own cookies) per person, each logged in to the hub once."""
    contexts = {}

    def context_of(user):
        if user not in contexts:
            contexts[user] = login(browser.new_context(viewport={"width": 1400, "height": 900}), hub["url"], user)
        return contexts[user]

    yield context_of
    for context in contexts.values():
        context.close()


def login(context, url, user, next_url=None):
    """Log ``user`` in on the hub's login page, as a person types it; returns the context."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(next_url or f"{url}/hub/login")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    wait_for_url(page, r"/user/")
    return context


def wait_for_url(page, pattern, timeout=TIMEOUT):
    """Wait until the page's address matches ``pattern``; fail with what the page says otherwise."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_url(re.compile(pattern), timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"{page.url} never became {pattern!r}; the page says: "
                             f"{page.locator('body').inner_text()[-2000:]}") from None


class HubNotebook(NotebookPage):
    """tests/browser's NotebookPage on a hub user's JupyterLab (only its state reading and checks are used)."""

    def __init__(self, page, notebook):
        super().__init__(page, None, notebook)


def lab(context):
    """The person's JupyterLab page (their first tab), once JupyterLab has started."""
    page = context.pages[0]
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined")
    page.evaluate("() => window.jupyterapp.restored")
    return page


def test_a_student_opens_the_course_by_an_nbgitpuller_link_and_the_widgets_work(hub, browser):
    student = STUDENTS[0]
    name = hub["repository"].rsplit("/", 1)[1]
    link = hub_link(hub["url"], "notebooks/00_start_here.ipynb", hub["repository"])
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = login(context, hub["url"], student, next_url=link).pages[0]
        wait_for_url(page, r"/lab/tree/")  # nbgitpuller cloned the course, then sent the student on
        home = Path(pwd.getpwnam(student).pw_dir)
        assert (home / name / "notebooks" / "00_start_here.ipynb").exists(), "nbgitpuller did not clone the course"
        assert run("git", "-C", home / name, "rev-parse", "--abbrev-ref", "HEAD", user=student).strip() == "main"
        notebook = HubNotebook(page, f"{name}/notebooks/00_start_here.ipynb")
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=TIMEOUT)
        notebook.wait_kernel_idle(timeout=TIMEOUT / 1000)
        notebook.run_all()
        notebook.assert_no_errors()
        notebook.assert_widgets_rendered()
        assert "matches" in page.locator(".jp-Notebook").inner_text(), "notebook 00 did not confirm nnlib's version"
        handle = page.locator(".jp-Notebook .widget-slider .noUi-handle").first
        before, value = notebook.output_signature(), handle.get_attribute("aria-valuenow")
        handle.focus()
        handle.press("ArrowRight")
        notebook.wait_output_change(before)
        assert handle.get_attribute("aria-valuenow") != value
    finally:
        context.close()


def formgrader(context, hub):
    """The instructor's formgrader in a browser tab of its own, at its address: under JupyterHub >= 4.1 the panel
    JupyterLab frames it in stays blank (the hub forbids framing; nbgrader #1870), and nbgrader's docs say to open it
    so."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{hub['url']}/user/{INSTRUCTOR}/formgrader/manage_assignments")
    page.locator("#main-table tr", has_text=ASSIGNMENT).first.wait_for()
    return page


def formgrader_action(page, column, said):
    """Press the assignment's button in ``column`` of the formgrader's table and wait for its message."""
    page.locator("#main-table tr", has_text=ASSIGNMENT).locator(f"td.{column} a").click()
    modal = page.locator(".modal-dialog", has_text=said)
    modal.wait_for()
    text = modal.inner_text()
    modal.locator("button", has_text="OK").first.click()
    modal.wait_for(state="hidden")
    return text


def assignments_panel(page):
    """Open nbgrader's Assignments panel from JupyterLab's menu bar, and refresh it."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator('li[data-command="nbgrader:open-assignment-list"]').click()
    page.locator("#refresh_assignments_list").click()
    return page


def listed(page, which, count):
    """The rows of the panel's ``which`` list ("released", "fetched", "submitted") once it shows ``count``."""
    page.locator(f"#{which}_assignments_list_loading").wait_for(state="hidden")
    rows = page.locator(f"#{which}_assignments_list > .list_item")
    page.wait_for_function("([selector, n]) => document.querySelectorAll(selector).length === n",
                           arg=[f"#{which}_assignments_list > .list_item", count], timeout=TIMEOUT)
    return rows


# The index of a notebook cell by its nbgrader grade_id, in the notebook open at the path given.
CELL_INDEX_JS = """([path, gradeId]) => {
  const panel = [...window.jupyterapp.shell.widgets('main')].find(w => w.context && w.context.path === path);
  return panel.content.widgets.findIndex(c => (c.model.getMetadata('nbgrader') || {}).grade_id === gradeId);
}"""


def answer(page, path, grade_id, code):
    """Type ``code`` over the answer cell ``grade_id`` of the open notebook at ``path``, and save (Ctrl+S)."""
    index = page.evaluate(CELL_INDEX_JS, [path, grade_id])
    assert index >= 0, f"no cell {grade_id} in {path}"
    editor = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index).locator(
        ".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)
    page.keyboard.press("Control+S")


def test_the_formgrader_opens_in_its_own_tab_and_releases_the_assignment(hub, people):
    context = people(INSTRUCTOR)
    framed = context.request.get(f"{hub['url']}/user/{INSTRUCTOR}/formgrader/manage_assignments")
    assert framed.ok and "frame-ancestors 'none'" in framed.headers.get("content-security-policy", ""), (
        "JupyterHub no longer forbids framing the formgrader: the guide's advice may be out of date")
    page = formgrader(context, hub)
    assert "released" in formgrader_action(page, "release", "Successfully released")
    assert (hub["exchange"] / COURSE_ID / "outbound" / ASSIGNMENT / NOTEBOOK).exists()


def test_students_fetch_answer_and_submit_from_the_assignments_panel(hub, people):
    path = f"{ASSIGNMENT}/{NOTEBOOK}"
    for student in STUDENTS:
        page = assignments_panel(lab(people(student)))
        listed(page, "released", 1).first.locator(".item_status button", has_text="Fetch").click()
        listed(page, "fetched", 1)
        home = Path(pwd.getpwnam(student).pw_dir)
        assert (home / path).exists(), f"{student}: the fetched notebook is not in their home"
        if student in ANSWERS:
            page.evaluate("(path) => window.jupyterapp.commands.execute('docmanager:open', {path})", path)
            HubNotebook(page, path).wait_kernel_idle(timeout=TIMEOUT / 1000)
            answer(page, path, "answer_01_2", ANSWERS[student])
            deadline = time.monotonic() + 30
            while ANSWERS[student].splitlines()[0] not in (home / path).read_text():
                assert time.monotonic() < deadline, f"{student}: the answer was not saved"
                time.sleep(0.25)
            page.locator(".lm-TabBar-tab", has_text="Assignments").click()
        listed(page, "fetched", 1).first.locator(".item_status button", has_text="Submit").click()
        listed(page, "submitted", 1)
        inbound = list((hub["exchange"] / COURSE_ID / "inbound").glob(f"{student}+{ASSIGNMENT}+*"))
        assert inbound, f"{student}: nothing arrived in the exchange"


def grades(hub):
    """{student: (score, max_score)} of the assignment, from the gradebook, read as the instructor."""
    run("nbgrader", "export", "--to", "grades.csv", user=INSTRUCTOR, cwd=hub["course"])
    with open(hub["course"] / "grades.csv", newline="") as handle:
        return {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}


def test_the_instructor_collects_root_grades_in_isolation_and_the_feedback_goes_out(hub, people):
    page = formgrader(people(INSTRUCTOR), hub)
    formgrader_action(page, "collect", "Successfully collected")
    for student in STUDENTS:
        assert (hub["course"] / "submitted" / student / ASSIGNMENT / NOTEBOOK).exists(), f"{student} not collected"
    # Grading runs as root (each submission's kernel as an unprivileged grading user), as the guide says.
    said = run(CLASSROOM_BIN / "python", REPO / "classroom" / "grade.py", ASSIGNMENT, "--jobs", "2",
               "--course", hub["course"], "--users", "nnlib-grader-hub-", cwd=hub["course"], timeout=900)
    assert "3 submission(s)" in said and "0 failed" in said, said
    assert (hub["course"] / "autograded").stat().st_uid == pwd.getpwnam(INSTRUCTOR).pw_uid, "grading kept it"
    assert grades(hub) == {student: (score, 7.0) for student, score in EXPECTED.items()}
    page.reload()
    page.locator("#main-table tr", has_text=ASSIGNMENT).first.wait_for()
    formgrader_action(page, "generate-feedback", "Successfully generated feedback")
    formgrader_action(page, "release-feedback", "Successfully released feedback")


def test_a_student_fetches_their_feedback_with_the_grade(hub, people):
    student = STUDENTS[0]
    page = assignments_panel(lab(people(student)))
    listed(page, "submitted", 1).first.locator("button", has_text="Fetch Feedback").click()
    page.locator("#submitted_assignments_list a", has_text="view feedback").first.wait_for()
    home = Path(pwd.getpwnam(student).pw_dir)
    (feedback,) = (home / ASSIGNMENT / "feedback").glob(f"*/{Path(NOTEBOOK).stem}.html")
    text = re.sub(r"<[^>]+>", " ", feedback.read_text())
    assert re.search(r"Score:\s*2(\.0)?\s*/\s*7(\.0)?", text), text[:2000]
