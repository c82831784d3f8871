"""The playground split by job: its state trains and records without ipywidgets or matplotlib, its texts are
functions of a state, and the widget reads losses and divergence from the model's history."""
import inspect
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from nnlib.divergence import DivergenceWarning
from nnlib.widgets import playground_html as html
from nnlib.widgets.playground_state import PlaygroundState

REPO = Path(__file__).resolve().parent.parent

WITHOUT_DISPLAY = """
import sys
for name in ("ipywidgets", "matplotlib", "IPython"):
    sys.modules[name] = None  # importing any of them now fails
from nnlib.widgets import playground_html as html
from nnlib.widgets.playground_state import PlaygroundState
state = PlaygroundState(dataset="xor", hidden_layers=(), features=["x1·x2"], learning_rate=0.3)
state.train(40)
row = state.record()
print(state.epoch, len(state.runs), round(row["val_score"], 2), "Parameters" in html.panel(state))
"""


def test_the_state_trains_and_records_without_ipywidgets_or_matplotlib():
    done = subprocess.run([sys.executable, "-c", WITHOUT_DISPLAY], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    epochs, runs, val_score, panel = done.stdout.split()
    assert (epochs, runs, panel) == ("40", "1", "True") and float(val_score) > 0.95


def test_configure_restarts_only_for_settings_that_need_new_data_or_a_new_network():
    state = PlaygroundState()
    state.train(5)
    weights = state.model.weights_[0].copy()
    assert state.configure(learning_rate=0.3, batch_size=20) is False
    assert state.epoch == 5 and np.array_equal(state.model.weights_[0], weights)
    assert (state.model.learning_rate, state.model.batch_size) == (0.3, 20)
    assert state.changes == {"learning_rate": (5, 0.03), "batch_size": (5, 10)}
    assert state.configure(features=["x2", "x1²", "x1"]) is True
    assert state.epoch == 0 and state.changes == {} and state.feature_names == ["x1", "x2", "x1²"]
    assert state.Z_train.shape == (150, 3) and state.model.weights_[0].shape == (3, 4)
    state.configure(features="x1·x2")  # one name needs no list
    assert state.feature_names == ["x1·x2"] and state.settings()["features"] == "x1·x2"


def test_every_setting_is_checked_before_any_is_applied():
    state = PlaygroundState()
    model, chosen = state.model, dict(state.chosen)
    with pytest.raises(ValueError, match=r"noise must be a whole number from 0 to 50 \(the range of its control\)"):
        state.configure(dataset="xor", noise=80)
    with pytest.raises(ValueError, match="unknown playground setting.*'layers'.*choose from.*'hidden_layers'"):
        state.configure(layers=3)
    with pytest.raises(ValueError, match="1 to max_units=3"):
        PlaygroundState(hidden_layers=(4,), max_units=3)
    assert state.model is model and state.chosen == chosen, "a refused configure changes nothing"


def test_losses_and_divergence_are_the_models_history():
    state = PlaygroundState(activation="identity", learning_rate=3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)  # the state says it in words, not as a warning
        state.train(2)
    history = state.model.history_
    assert state.diverged and state.message == history.message and "diverged" in state.message
    assert state.train_loss[1:] == history.loss and state.val_loss[1:] == history.val_loss
    assert len(state.train_loss) == state.epoch + 1
    assert "Training blew up after epoch" in html.status(state) and history.message in html.status(state)
    state.configure(learning_rate=0.03)
    state.train(2)
    assert not state.diverged and state.message == "" and html.status(state) == ""


def test_the_widget_shows_what_the_model_did_even_when_trained_directly():
    from nnlib.widgets.playground import Playground

    pg = Playground()
    pg.model.partial_fit(pg.Z_train, pg.y_train, epochs=3, validation_data=(pg.Z_val, pg.y_val))
    assert pg.epoch == 3 and pg.train_loss[1:] == pg.model.history_.loss and len(pg.val_loss) == 4
    pg.configure(activation="identity", learning_rate=3.0)
    with pytest.warns(DivergenceWarning):
        pg.model.partial_fit(pg.Z_train, pg.y_train, epochs=2)
    assert pg.diverged and pg.message == pg.model.history_.message


def test_the_widget_starts_where_the_state_does():
    from nnlib.widgets.playground import Playground

    state = inspect.signature(PlaygroundState).parameters
    widget = inspect.signature(Playground).parameters
    assert {name: p.default for name, p in state.items()} == {name: widget[name].default for name in state}


def test_each_playground_module_stays_under_350_lines():
    for path in sorted((REPO / "nnlib" / "widgets").glob("playground*.py")):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 350, path.name
