"""Launch links (Binder, Colab, a JupyterHub) and the "install nnlib only if missing" cell, for every notebook.

    python tools/launch_links.py                 add or update both cells in every notebook in notebooks/
    python tools/launch_links.py NOTEBOOK...     only these notebooks
    python tools/launch_links.py --check         change nothing; exit 1 if a notebook lacks them or has stale ones
    python tools/launch_links.py --readme        print the badge markdown for README.md
    python tools/launch_links.py --hub URL [--repo GIT_URL] [NOTEBOOK...]
                                                 print, per notebook, the nbgitpuller link that hands it out on
                                                 the JupyterHub at URL (changes no file)

Each notebook gets two cells, found again by their cell ids, so running the tool twice changes nothing:
- ``launch-links`` (markdown, first cell): Binder and Colab badges that open this notebook;
- ``install-nnlib`` (code, right after the title cell, before any other code): Binder and ``make lab``
  already have nnlib, so there it does nothing. In Colab it installs nnlib from the course repository and
  calls ``google.colab.output.enable_custom_widget_manager()`` (Colab renders ipywidgets 8 only through it,
  googlecolab/colabtools#3105, #4525), and asks for a restart if ipywidgets 7 was already imported.
  Anywhere else without nnlib (JupyterLite, a downloaded notebook) it stops with one sentence saying what
  to do, instead of a pip traceback. The Colab branch is tested with ``google.colab`` faked; CI cannot reach
  Colab itself.

A notebook on the R kernel (``kernelspec.language`` R, e.g. ``12r_the_question_in_r.ipynb``) gets a Colab badge
(Colab runs R; Binder's environment has no R) with how to run it, and no install cell (nnlib is Python).

A hub link (``hub_link``) opens nbgitpuller's ``git-pull`` on the student's own server: the first click clones the
repository's ``main`` branch into their home folder, in a folder named as the repository's address ends (nbgitpuller's
default ``targetpath``), and every later click merges the course's new commits into that copy, keeping the
student's edits; then JupyterLab opens the notebook. ``--repo`` hands out another clone of the course (the hub test
serves one with ``git daemon`` on loopback, ``git://127.0.0.1:PORT/parameters-vs-hyperparameters``).

Every link and the install URL come from one place: pyproject.toml, [project.urls] Repository.
Only these two cells are touched; a file is rewritten only when its content changes.
"""
import argparse
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
# The branch Colab opens (Colab links name a branch; Binder's could say HEAD, but one branch for both is clearer).
BRANCH = "main"
LAUNCH_ID = "launch-links"
INSTALL_ID = "install-nnlib"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def repository_url(pyproject=ROOT / "pyproject.toml"):
    """The course repository's address, from pyproject.toml [project.urls] Repository."""
    urls = tomllib.loads(Path(pyproject).read_text())["project"].get("urls", {})
    url = urls.get("Repository", "").rstrip("/").removesuffix(".git")
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise SystemExit(f"pyproject.toml [project.urls] Repository must be https://github.com/OWNER/NAME "
                         f"(Binder and Colab open GitHub repositories), got {url!r}")
    return url


def github_slug(repository):
    """'OWNER/NAME' of a https://github.com/OWNER/NAME address."""
    return repository.removeprefix("https://github.com/")


def binder_url(repository, notebook_path=None):
    """Binder's JupyterLab on the repository, opened at notebook_path (e.g. 'notebooks/00_start_here.ipynb')."""
    url = f"https://mybinder.org/v2/gh/{github_slug(repository)}/{BRANCH}"
    return f"{url}?labpath={quote(notebook_path, safe='')}" if notebook_path else url


def colab_url(repository, notebook_path):
    return f"https://colab.research.google.com/github/{github_slug(repository)}/blob/{BRANCH}/{notebook_path}"


def badges(repository, notebook_path):
    """Markdown for the two badges, on one line."""
    return (f"[![Open in Binder]({BINDER_BADGE})]({binder_url(repository, notebook_path)}) "
            f"[![Open in Colab]({COLAB_BADGE})]({colab_url(repository, notebook_path)})")


def launch_cell_source(repository, notebook_path):
    return (badges(repository, notebook_path) + "\n\n"
            "*Run this notebook online:* **Binder** opens it in JupyterLab with everything installed; "
            "in **Colab**, run the first code cell, which installs `nnlib` and turns on Colab's widget support. "
            "*On your computer:* `make lab` in the course folder (see the README).")


def r_launch_cell_source(repository, notebook_path):
    return (f"[![Open in Colab]({COLAB_BADGE})]({colab_url(repository, notebook_path)})\n\n"
            "*This notebook runs on the **R kernel** (IRkernel).* **Colab** opens it with R; `nnet` comes with R, "
            "and `install.packages(\"caret\")` adds caret. *On your computer:* install R with nnet, caret and "
            "IRkernel (README, \"For R users\"), then choose the **R** kernel in JupyterLab.")


def is_r_notebook(notebook):
    """True for a notebook written for the R kernel (its kernelspec's language is R)."""
    return notebook.metadata.get("kernelspec", {}).get("language", "").lower() == "r"


def install_cell_source(repository):
    """The notebook's first code cell: nothing where nnlib is installed (Binder, `make lab`); in Colab, install
    nnlib and turn on Colab's ipywidgets 8 support; anywhere else, one sentence saying what to do."""
    return ("# Binder and `make lab` already have nnlib: then this cell does nothing. In Colab it installs nnlib and\n"
            "# switches Colab to ipywidgets 8 (which the widgets need); elsewhere without nnlib it says what to do.\n"
            "import importlib.util\n"
            "import sys\n"
            "\n"
            'IN_COLAB = "google.colab" in sys.modules\n'
            'if importlib.util.find_spec("nnlib") is None:\n'
            "    if not IN_COLAB:\n"
            "        raise ModuleNotFoundError(\n"
            '            "nnlib is not installed in this Python. '
            'Open the notebook with the Binder or Colab badge above, or "\n'
            '            "run `make lab` in the course folder (README); '
            'to install it into this Python yourself: "\n'
            f"            'pip install \"nnlib @ git+{repository}\"') from None\n"
            f'    %pip install --quiet "nnlib @ git+{repository}"\n'
            "if IN_COLAB:\n"
            "    from google.colab import output\n"
            "\n"
            "    output.enable_custom_widget_manager()  "
            "# Colab shows ipywidgets 8 only through its custom widget manager\n"
            '    if "ipywidgets" in sys.modules and not sys.modules["ipywidgets"].__version__.startswith("8."):\n'
            '        print("ipywidgets 7 was already loaded: '
            'choose Runtime > Restart session, then run the notebook "\n'
            '              "again from the top (nnlib stays installed).")')


def check_hub_url(hub_url):
    """The hub's address without a trailing slash; ValueError, saying what to type, if it is not one."""
    parts = urlsplit(hub_url.strip())
    example = "e.g. https://hub.example.edu, or https://example.edu/jupyter for a hub under a path"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--hub must be the hub's web address, starting with https:// or http:// ({example}); "
                         f"got {hub_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"--hub must be the hub's address alone, without '?...' or '#...' ({example}); "
                         f"got {hub_url!r}")
    if "hub" in (segments := parts.path.split("/")):
        base = "/".join(segments[:segments.index("hub")])
        raise ValueError(f"--hub must be the address in front of /hub/, here {parts.scheme}://{parts.netloc}{base} "
                         f"(the link adds /hub/user-redirect/git-pull itself); got {hub_url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def clone_folder(repository):
    """The folder nbgitpuller clones `repository` into, in the student's home: the last part of its address, as
    nbgitpuller's UIHandler computes its default targetpath (``repo.rstrip('/').split('/')[-1]``; '.git' stays)."""
    folder = repository.rstrip("/").split("/")[-1]
    if folder in ("", ".", "..") or folder.endswith(":"):  # "file:///" would give "file:"
        raise ValueError(f"--repo must be a git repository's address ending in its name, e.g. "
                         f"https://github.com/OWNER/NAME or file:///srv/course/NAME; got {repository!r}")
    return folder


def hub_link(hub_url: str, notebook: str, repository: str) -> str:
    """The nbgitpuller link that hands out `notebook` on the JupyterHub at `hub_url`.

    notebook: its path in the repository, e.g. 'notebooks/00_start_here.ipynb'. The link clones (or updates)
    `repository`'s main branch in the student's home and opens the notebook there in JupyterLab.
    """
    query = {"repo": repository,
             # nbgitpuller before 0.10 pulled `master` when no branch was named (its docs still say so); later
             # versions ask the repository for its default branch. Naming ours gives every hub the same branch.
             "branch": BRANCH,
             "urlpath": f"lab/tree/{clone_folder(repository)}/{notebook}"}
    return f"{check_hub_url(hub_url)}/hub/user-redirect/git-pull?{urlencode(query, quote_via=quote, safe='')}"


def readme_badges(repository, notebook_path="notebooks/00_start_here.ipynb"):
    """The README's badges: the course in Binder (JupyterLab) and its first notebook in Colab."""
    return badges(repository, notebook_path)


def _title_index(cells):
    """Index of the title cell: the first markdown cell that starts with '# '."""
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            return index
    return 0


def add_launch_cells(notebook, notebook_path, repository):
    """Insert or update the launch-links and install cells of `notebook` (changed in place; returned).

    notebook_path: the notebook's path inside the repository, e.g. 'notebooks/00_start_here.ipynb'.
    """
    cells = [cell for cell in notebook.cells if cell.get("id") not in (LAUNCH_ID, INSTALL_ID)]
    if is_r_notebook(notebook):
        notebook.cells = [nbformat.v4.new_markdown_cell(r_launch_cell_source(repository, notebook_path), id=LAUNCH_ID),
                          *cells]
        return notebook
    launch = nbformat.v4.new_markdown_cell(launch_cell_source(repository, notebook_path), id=LAUNCH_ID)
    install = nbformat.v4.new_code_cell(install_cell_source(repository), id=INSTALL_ID)
    cells.insert(_title_index(cells) + 1, install)
    notebook.cells = [launch, *cells]
    return notebook


def process(path, repository, check=False):
    """Add the cells to the notebook file at `path`; return True if it changed (or, with check, would change)."""
    path = Path(path).resolve()
    old = path.read_text()
    notebook = nbformat.reads(old, as_version=4)
    new = nbformat.writes(add_launch_cells(notebook, path.relative_to(ROOT).as_posix(), repository)) + "\n"
    if new != old and not check:
        path.write_text(new)
    return new != old


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    parser.add_argument("--readme", action="store_true", help="print the badge markdown for README.md")
    parser.add_argument("--hub", metavar="URL", help="print each notebook's nbgitpuller link for the JupyterHub at URL")
    parser.add_argument("--repo", metavar="GIT_URL", help="with --hub: the repository students pull (default: "
                                                          "pyproject.toml's Repository)")
    args = parser.parse_args(argv)
    if args.repo is not None and args.hub is None:
        parser.error("--repo goes with --hub: python tools/launch_links.py --hub URL --repo GIT_URL")
    if args.hub is not None and (args.check or args.readme):
        parser.error("--hub only prints links: run it without --check and --readme")
    repository = repository_url()
    if args.readme:
        print(readme_badges(repository))
        return 0
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    if args.hub is not None:
        if missing := [str(path) for path in paths if not (NOTEBOOK_DIR / path.name).is_file()]:
            parser.error(f"not a notebook of the course's notebooks/ folder: {', '.join(missing)}")
        try:
            links = [hub_link(args.hub, f"notebooks/{path.name}", repository if args.repo is None else args.repo)
                     for path in paths]
        except ValueError as error:
            parser.error(str(error))
        print("\n".join(f"{path.name}  {link}" for path, link in zip(paths, links)))
        return 0
    changed = [path for path in paths if process(path, repository, check=args.check)]
    for path in changed:
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        print(f"{'needs launch links' if args.check else 'updated'}: {shown}")
    if args.check and changed:
        print("run: python tools/launch_links.py", file=sys.stderr)
        return 1
    print(f"{len(paths) - len(changed)} of {len(paths)} notebooks already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
