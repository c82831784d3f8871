"""nnlib/datasets: the shipped data sets, found in the repository or an installed copy, and the seeded toy ones."""
import numpy as np
import pytest

import nnlib
from nnlib import datasets


def test_penguins_line_drops_the_two_unmeasured_birds():
    ds = nnlib.load_penguins()
    X, y = ds
    assert X.shape == (342, 1) and y.shape == (342,)
    assert "2 dropped" in ds.description
    assert 172 <= X.min() and X.max() <= 231 and 2700 <= y.min() and y.max() <= 6300


def test_penguin_species_as_labels():
    ds = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                             species=("Adelie", "Gentoo"))
    assert ds.target_names == ["Adelie", "Gentoo"]
    assert np.bincount(ds.y).tolist() == [151, 123]
    sex = nnlib.load_penguins(target="sex")
    assert len(sex) == 333 and sex.target_names == ["female", "male"]


def test_penguin_loader_errors():
    with pytest.raises(ValueError, match=r"unknown feature 'wing_mm'.*flipper_length_mm"):
        nnlib.load_penguins(features=("wing_mm",))
    with pytest.raises(ValueError, match=r"unknown species 'Emperor'"):
        nnlib.load_penguins(target="species", species=("Emperor",))


def test_digits():
    X, y = nnlib.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_toy_sets_are_seeded_and_labelled(name):
    make = datasets.DATASETS[name]
    a, b, c = make(n_samples=100, seed=1), make(n_samples=100, seed=1), make(n_samples=100, seed=2)
    assert a.X.shape == (100, 2) and a.y.shape == (100,)
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, c.X)
    assert set(np.unique(a.y)) == {0, 1}


def test_make_line_follows_its_slope():
    X, y = datasets.make_line(2000, slope=3.0, intercept=-1.0, noise=0.1, seed=0)
    slope, intercept = np.polyfit(X[:, 0], y, 1)
    assert slope == pytest.approx(3.0, abs=0.01) and intercept == pytest.approx(-1.0, abs=0.05)




def test_loaders_fall_back_to_the_installed_copy_of_data(tmp_path, monkeypatch):
    installed = tmp_path / "share" / "nnlib-course" / "data"
    installed.mkdir(parents=True)
    (installed / "penguins.csv").write_bytes((datasets.DATA_DIRS[0] / "penguins.csv").read_bytes())
    monkeypatch.setattr(datasets, "DATA_DIRS", (tmp_path / "no-repo-here", installed))
    assert nnlib.load_penguins().X.shape == (342, 1)
    with pytest.raises(FileNotFoundError, match=r"cannot find digits\.csv in .*no-repo-here or .*clone of the course"):
        nnlib.load_digits()
