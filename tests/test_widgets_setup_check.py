"""Notebook 00's setup check.

version_check: an nbgitpuller link updates the notebooks but not the nnlib installed in the kernel, so notebook 00
compares the two and, when they differ, says which is which and how to update; it never raises. WidgetCheck: the
slider's sentence follows it; a start value off the slider is refused.
"""
import contextlib
import io
from pathlib import Path

import nbformat
import pytest

import nnlib
from nnlib.widgets.setup_check import WidgetCheck, version_check

ROOT = Path(__file__).resolve().parent.parent


def test_the_sentence_follows_the_slider():
    check = WidgetCheck()
    check.slider.value = 1
    assert "you chose <b>1</b> epoch " in check.message.value


@pytest.mark.parametrize("value", [0, 11, 2.5, "3"])
def test_a_start_value_off_the_slider_is_refused(value):
    with pytest.raises(ValueError, match=r"value must be a whole number from 1 to 10 \(the range of its control\)"):
        WidgetCheck(value)


def course_folder(tmp_path, pyproject):
    """A copy of the course as nbgitpuller leaves it: pyproject.toml beside notebooks/."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "pyproject.toml").write_text(pyproject)
    return tmp_path


def test_versions_that_agree_are_said_to_match(tmp_path):
    folder = course_folder(tmp_path, '[project]\nname = "nnlib"\nversion = "0.3.1"\n')
    assert version_check(folder, installed="0.3.1") == "nnlib 0.3.1 matches these notebooks."


def test_the_course_itself_matches_the_nnlib_it_installs():
    """pyproject.toml's version and nnlib.__version__ are bumped together, or every copy of notebook 00 complains."""
    assert version_check(ROOT) == f"nnlib {nnlib.__version__} matches these notebooks."


def test_versions_that_differ_are_named_with_the_way_to_update(tmp_path):
    message = version_check(course_folder(tmp_path, '[project]\nname = "nnlib"\nversion = "0.2.0"\n'),
                            installed="0.1.0")
    assert "This kernel has nnlib 0.1.0, but these notebooks were written for nnlib 0.2.0" in message
    assert "ask your instructor to update the hub's course environment" in message
    assert "`make lab` in the course folder" in message and "Runtime > Disconnect and delete runtime" in message
    assert "matches" not in message


@pytest.mark.parametrize("pyproject", [None, '[project]\nname = "other-project"\nversion = "0.1.0"\n',
                                       '[tool.ruff]\nline-length = 120\n'])
def test_without_the_course_pyproject_nothing_is_compared(tmp_path, pyproject):
    """A downloaded notebook, Colab (/content), or a folder that holds some other project."""
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    message = version_check(tmp_path, installed="0.1.0")
    assert message == (f"This kernel has nnlib 0.1.0; this notebook is not in a copy of the course (no course "
                       f"pyproject.toml in {tmp_path.resolve()}), so there is no version to compare it with.")


@pytest.mark.parametrize("write, says", [
    (lambda path: path.write_text('[project]\nname = "nnlib"\nversion = "0.1.0\n'), "line 3"),
    (lambda path: path.write_bytes(b'[project]\nname = "nnlib\xff"\n'), "utf-8"),
    (lambda path: path.mkdir(), "Is a directory"),
])
def test_a_broken_pyproject_gets_a_sentence_not_a_traceback(tmp_path, write, says):
    write(tmp_path / "pyproject.toml")
    message = version_check(tmp_path, installed="0.1.0")
    assert message.startswith(f"This kernel has nnlib 0.1.0, but {tmp_path.resolve() / 'pyproject.toml'} cannot be "
                              f"read (")
    assert says in message and "put the course's copy back" in message and "matches" not in message


def test_notebook_00s_setup_cell_prints_the_check_for_the_folder_around_notebooks(monkeypatch):
    """The kernel runs in notebooks/ (JupyterLab, nbval): the cell must look one folder up, in the course folder."""
    cell = next(cell for cell in nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4).cells
                if cell.get("id") == "c03")
    monkeypatch.chdir(ROOT / "notebooks")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(cell.source, {})
    assert printed.getvalue().splitlines()[-1] == f"nnlib {nnlib.__version__} matches these notebooks."
