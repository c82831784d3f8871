"""Every notebook opens in Binder and Colab, and there installs nnlib only if it is missing; on a JupyterHub, an
nbgitpuller link per notebook clones the course's main branch and opens the notebook in JupyterLab.

tools/launch_links.py writes the cells; these tests check them against an independent reading of
pyproject.toml's [project.urls] Repository (the one place the address lives), and run the install
cell through IPython's input transformer with and without nnlib installed.
Fix a failure with:  python tools/launch_links.py
"""
import importlib.util
import inspect
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import launch_links  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PYTHON_NOTEBOOKS = [path for path in NOTEBOOKS if not launch_links.is_r_notebook(nbformat.read(path, as_version=4))]
R_NOTEBOOKS = sorted(set(NOTEBOOKS) - set(PYTHON_NOTEBOOKS))
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
SLUG = REPOSITORY.removeprefix("https://github.com/")


def expected_links(notebook_path):
    return (f"https://mybinder.org/v2/gh/{SLUG}/main?labpath={quote(notebook_path, safe='')}",
            f"https://colab.research.google.com/github/{SLUG}/blob/main/{notebook_path}")


def test_the_repository_is_a_github_address():
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPOSITORY), "Binder and Colab open GitHub repositories"
    assert launch_links.repository_url() == REPOSITORY


@pytest.mark.parametrize("path", PYTHON_NOTEBOOKS, ids=lambda p: p.name)
def test_the_first_cell_has_binder_and_colab_links_to_this_notebook(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown" and first.get("id") == launch_links.LAUNCH_ID, \
        "the first cell holds the launch links: run python tools/launch_links.py"
    binder, colab = expected_links(f"notebooks/{path.name}")
    assert f"({binder})" in first.source and f"({colab})" in first.source
    assert "badge_logo.svg" in first.source and "colab-badge.svg" in first.source


@pytest.mark.parametrize("path", R_NOTEBOOKS, ids=lambda p: p.name)
def test_an_r_notebook_links_to_colab_says_how_to_run_it_and_installs_no_python(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.get("id") == launch_links.LAUNCH_ID
    assert f"({expected_links(f'notebooks/{path.name}')[1]})" in first.source and "R kernel" in first.source
    assert "For R users" in first.source and "mybinder" not in first.source
    assert all(cell.get("id") != launch_links.INSTALL_ID for cell in notebook.cells)


def test_there_is_an_r_notebook():
    assert [path.name for path in R_NOTEBOOKS] == ["12r_the_question_in_r.ipynb"]


@pytest.mark.parametrize("path", PYTHON_NOTEBOOKS, ids=lambda p: p.name)
def test_the_first_code_cell_installs_nnlib_only_if_missing(path):
    notebook = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells and code_cells[0].get("id") == launch_links.INSTALL_ID, \
        "the first code cell installs nnlib: run python tools/launch_links.py"
    source = code_cells[0].source
    assert 'if importlib.util.find_spec("nnlib") is None:' in source
    assert f'%pip install --quiet "nnlib @ git+{REPOSITORY}"' in source
    title = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"
                 and cell.source.startswith("# "))
    assert notebook.cells[title + 1] is code_cells[0], "the install cell comes right after the title"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_tool_would_change_nothing_and_is_idempotent(path):
    assert not launch_links.process(path, REPOSITORY, check=True), \
        "stale launch cells: run python tools/launch_links.py"
    once = launch_links.add_launch_cells(nbformat.read(path, as_version=4), f"notebooks/{path.name}", REPOSITORY)
    twice = launch_links.add_launch_cells(nbformat.reads(nbformat.writes(once), as_version=4),
                                          f"notebooks/{path.name}", REPOSITORY)
    assert nbformat.writes(once) == nbformat.writes(twice)


class FakeShell:
    """Records the magics a cell runs (what IPython's get_ipython() would do)."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line):
        self.magics.append((name, line))


class FakeColabOutput:
    def __init__(self):
        self.widget_manager_enabled = False

    def enable_custom_widget_manager(self):
        self.widget_manager_enabled = True


def run_install_cell(monkeypatch, nnlib_installed, in_colab, loaded_ipywidgets=None):
    """Run the install cell as IPython would; returns (the magics it ran, the fake Colab output module)."""
    python = TransformerManager().transform_cell(launch_links.install_cell_source(REPOSITORY))
    shell, output = FakeShell(), FakeColabOutput()
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nnlib" and not nnlib_installed else real_find_spec(name, *a))
    if in_colab:
        colab = types.ModuleType("google.colab")
        colab.output = output
        monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
        monkeypatch.setitem(sys.modules, "google.colab", colab)
        monkeypatch.setitem(sys.modules, "google.colab.output", output)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    if loaded_ipywidgets:
        monkeypatch.setitem(sys.modules, "ipywidgets", types.SimpleNamespace(__version__=loaded_ipywidgets))
    exec(python, {"get_ipython": lambda: shell})
    return shell.magics, output


def test_with_nnlib_installed_outside_colab_the_cell_does_nothing(monkeypatch):
    magics, output = run_install_cell(monkeypatch, nnlib_installed=True, in_colab=False)
    assert magics == [] and not output.widget_manager_enabled


def test_in_a_fresh_colab_it_installs_nnlib_and_turns_on_the_widget_manager(monkeypatch, capsys):
    magics, output = run_install_cell(monkeypatch, nnlib_installed=False, in_colab=True)
    assert magics == [("pip", f'install --quiet "nnlib @ git+{REPOSITORY}"')]
    assert output.widget_manager_enabled and "Restart" not in capsys.readouterr().out


def test_in_colab_with_ipywidgets_7_already_loaded_it_asks_for_a_restart(monkeypatch, capsys):
    _, output = run_install_cell(monkeypatch, nnlib_installed=False, in_colab=True, loaded_ipywidgets="7.7.1")
    assert output.widget_manager_enabled and "Runtime > Restart session" in capsys.readouterr().out


def test_elsewhere_without_nnlib_it_says_what_to_do_in_one_sentence_instead_of_running_pip(monkeypatch):
    """JupyterLite, a downloaded notebook: no pip traceback, one message naming the three ways in."""
    with pytest.raises(ModuleNotFoundError, match=r"nnlib is not installed in this Python\. Open the notebook with "
                                                  r"the Binder or Colab badge above, or run `make lab`") as error:
        run_install_cell(monkeypatch, nnlib_installed=False, in_colab=False)
    assert f'pip install "nnlib @ git+{REPOSITORY}"' in str(error.value)


def test_binder_installs_nnlib_from_environment_yml():
    environment = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- -e \.\s*$", environment, re.MULTILINE), \
        "Binder builds environment.yml; it must install nnlib"


def test_the_readme_has_the_badges():
    assert launch_links.readme_badges(REPOSITORY) in (ROOT / "README.md").read_text(), \
        "paste the output of `python tools/launch_links.py --readme` under the README's title"


# JupyterHub links (nbgitpuller). They are read back with urllib.parse, as nbgitpuller's handlers read them.
HUB = "https://hub.example.edu"
LOCAL_CLONE = "file:///srv/nnlib-hub/parameters-vs-hyperparameters"


def read_hub_link(link):
    """(the address in front of the query, {name: value}) of a link; each query name must appear once."""
    parts = urlsplit(link)
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values()), f"a query name appears twice in {link}"
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {name: values[0] for name, values in query.items()}


def test_the_hub_test_can_call_hub_link_by_its_documented_signature():
    assert list(inspect.signature(launch_links.hub_link).parameters) == ["hub_url", "notebook", "repository"]


def test_a_hub_link_pulls_main_and_opens_the_notebook_inside_the_folder_nbgitpuller_clones_into():
    """nbgitpuller clones into the last part of the repository's address (its default targetpath), so the
    JupyterLab path must start with that folder, or the student lands on a 'file not found'."""
    address, query = read_hub_link(launch_links.hub_link(HUB, "notebooks/00_start_here.ipynb", REPOSITORY))
    assert address == f"{HUB}/hub/user-redirect/git-pull"
    assert query == {"repo": REPOSITORY, "branch": "main",
                     "urlpath": f"lab/tree/{SLUG.split('/')[1]}/notebooks/00_start_here.ipynb"}
    notebook = query["urlpath"].removeprefix(f"lab/tree/{SLUG.split('/')[1]}/")
    assert (ROOT / notebook).is_file()


def test_every_query_value_is_url_encoded():
    link = launch_links.hub_link(HUB, "notebooks/00_start_here.ipynb", LOCAL_CLONE)
    query = urlsplit(link).query
    assert "/" not in query and ":" not in query, query


def test_a_repository_address_with_special_characters_survives_the_link():
    """A space, '&', '=', '?', '#' and '+' in the address must neither split the query nor end the link."""
    repository = "https://git.example.edu/teach/nn course&branch=dev?x=1#y+z"
    address, query = read_hub_link(launch_links.hub_link(HUB, "notebooks/00_start_here.ipynb", repository))
    assert address == f"{HUB}/hub/user-redirect/git-pull"
    assert query == {"repo": repository, "branch": "main",
                     "urlpath": "lab/tree/nn course&branch=dev?x=1#y+z/notebooks/00_start_here.ipynb"}


@pytest.mark.parametrize("repository, folder", [
    ("https://github.com/teach/course/", "course"),  # nbgitpuller strips a trailing slash first
    ("https://github.com/teach/course.git", "course.git"),  # and keeps '.git'
    (LOCAL_CLONE, "parameters-vs-hyperparameters"),
])
def test_the_folder_is_the_one_nbgitpuller_picks(repository, folder):
    _, query = read_hub_link(launch_links.hub_link(HUB, "notebooks/00_start_here.ipynb", repository))
    assert query["urlpath"] == f"lab/tree/{folder}/notebooks/00_start_here.ipynb"


@pytest.mark.parametrize("hub", ["https://example.edu/jupyter/", "https://example.edu/jupyter"])
def test_a_hub_under_a_path_keeps_its_path(hub):
    address, _ = read_hub_link(launch_links.hub_link(hub, "notebooks/00_start_here.ipynb", REPOSITORY))
    assert address == "https://example.edu/jupyter/hub/user-redirect/git-pull"


def test_the_command_prints_one_link_per_notebook_for_the_course_repository(capsys):
    assert launch_links.main(["--hub", HUB + "/"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == [path.name for path in NOTEBOOKS]
    for path, line in zip(NOTEBOOKS, lines):
        _, link = line.split("  ")
        assert link == launch_links.hub_link(HUB, f"notebooks/{path.name}", REPOSITORY)
        assert read_hub_link(link)[1]["repo"] == REPOSITORY


def test_repo_hands_out_another_clone_of_the_course(capsys):
    assert launch_links.main(["--hub", HUB, "--repo", LOCAL_CLONE, "notebooks/00_start_here.ipynb"]) == 0
    name, link = capsys.readouterr().out.strip().split("  ")
    _, query = read_hub_link(link)
    assert name == "00_start_here.ipynb" and query["repo"] == LOCAL_CLONE
    assert query["urlpath"] == "lab/tree/parameters-vs-hyperparameters/notebooks/00_start_here.ipynb"


@pytest.mark.parametrize("hub, says", [
    ("hub.example.edu", "starting with https:// or http://"),
    ("ftp://hub.example.edu", "starting with https:// or http://"),
    ("https://", "starting with https:// or http://"),
    ("https://hub.example.edu/?next=/hub/home", "without '?...' or '#...'"),
    ("https://hub.example.edu/hub/login", "in front of /hub/, here https://hub.example.edu "),
])
def test_a_bad_hub_address_gets_a_message_saying_what_to_type(hub, says, capsys):
    with pytest.raises(SystemExit) as stop:
        launch_links.main(["--hub", hub])
    error = capsys.readouterr().err
    assert stop.value.code == 2 and says in error and repr(hub) in error and "Traceback" not in error


@pytest.mark.parametrize("arguments, says", [
    (["--hub", HUB, "--repo", "file:///"], "--repo must be a git repository's address ending in its name"),
    (["--hub", HUB, "--repo", ""], "--repo must be a git repository's address ending in its name"),
    (["--repo", LOCAL_CLONE], "--repo goes with --hub"),
    (["--hub", HUB, "--check"], "--hub only prints links"),
    (["--hub", HUB, "notes.ipynb"], "not a notebook of the course's notebooks/ folder: notes.ipynb"),
])
def test_a_bad_repository_or_notebook_gets_a_message(arguments, says, capsys):
    with pytest.raises(SystemExit):
        launch_links.main(arguments)
    assert says in capsys.readouterr().err


def test_opening_a_link_again_keeps_the_students_edits_as_the_guide_says(tmp_path):
    """The guide's promises about updates, checked against nbgitpuller's own pull code (the hub's extras install it):
    untouched by the student -> the course's new version; a new file arrives; same lines changed by both -> the
    student's; other lines -> merged; deleted -> back; changed by the student and deleted by the course -> kept; a
    student's file where the course adds one -> renamed; a rewritten main -> the merge fails (nbgitpuller then offers
    Backup and resync)."""

    pull = pytest.importorskip("nbgitpuller.pull", reason="nbgitpuller is a hub extra (hub/requirements.lock)")

    def git(*args):
        subprocess.run(["git", "-c", "user.name=course", "-c", "user.email=course@example.edu", *args],
                       cwd=course, check=True, capture_output=True)

    def write(folder, name, *lines):
        (folder / name).write_text("".join(f"{line}\n" for line in lines))

    course, home = tmp_path / "course" / "parameters-vs-hyperparameters", tmp_path / "home"
    course.mkdir(parents=True)
    git("init", "-q", "-b", "main")
    for name in ("untouched.txt", "same.txt", "other.txt", "deleted.txt", "dropped.txt"):
        write(course, name, 1, 2, 3, 4, 5)
    git("add", "."), git("commit", "-qm", "the course")
    student = home / "parameters-vs-hyperparameters"

    def open_the_link():
        list(pull.GitPuller(f"file://{course}", str(student), branch="main").pull())

    open_the_link()
    write(student, "same.txt", "student", 2, 3, 4, 5)
    write(student, "other.txt", 1, 2, 3, 4, "student")
    (student / "deleted.txt").unlink()
    write(student, "dropped.txt", 1, 2, 3, 4, 5, "student")
    write(student, "notes.txt", "the student's notes")
    write(course, "untouched.txt", 1, 2, "course", 4, 5)
    write(course, "added.txt", "a new file")
    write(course, "same.txt", "course", 2, 3, 4, 5)
    write(course, "other.txt", "course", 2, 3, 4, 5)
    write(course, "notes.txt", "the course's notes")
    (course / "dropped.txt").unlink()
    git("add", "-A", "."), git("commit", "-qm", "an update")
    open_the_link()
    text = {path.name: path.read_text().split() for path in student.glob("*.txt")}
    renamed = [name for name in text if name.startswith("notes__")]
    assert text.pop(renamed[0]) == ["the", "student's", "notes"] and len(renamed) == 1
    assert text == {"untouched.txt": ["1", "2", "course", "4", "5"], "added.txt": ["a", "new", "file"],
                    "same.txt": ["student", "2", "3", "4", "5"], "other.txt": ["course", "2", "3", "4", "student"],
                    "deleted.txt": ["1", "2", "3", "4", "5"], "dropped.txt": ["1", "2", "3", "4", "5", "student"],
                    "notes.txt": ["the", "course's", "notes"]}
    git("checkout", "-q", "--orphan", "rewritten"), git("commit", "-qm", "history rewritten")
    git("branch", "-f", "main", "rewritten"), git("checkout", "-q", "main")
    with pytest.raises(subprocess.CalledProcessError, match="merge"):
        open_the_link()
