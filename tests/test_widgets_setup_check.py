"""Notebook 00's widget check: the slider's sentence follows it; a start value off the slider is refused."""
import pytest

from nnlib.widgets.setup_check import WidgetCheck


def test_the_sentence_follows_the_slider():
    check = WidgetCheck()
    check.slider.value = 1
    assert "you chose <b>1</b> epoch " in check.message.value


@pytest.mark.parametrize("value", [0, 11, 2.5, "3"])
def test_a_start_value_off_the_slider_is_refused(value):
    with pytest.raises(ValueError, match=r"value must be a whole number from 1 to 10 \(the range of its control\)"):
        WidgetCheck(value)
