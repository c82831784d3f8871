"""A static HTML snapshot of a widget from a notebook's saved widget state.

nbclient stores every widget's state in the executed notebook's metadata
(``application/vnd.jupyter.widget-state+json``). Online, the widget manager that
nbconvert's page loads from a CDN renders the widgets from that state; this
snapshot is what a reader sees without it (offline, or before it loads): the
widget's figures (``ipywidgets.Image`` PNGs, e.g. nnlib's LiveFigure), its text,
and the value of each control, laid out like its boxes.

A figure's alt text is the widget's description line (nnlib.widgets.base.description_line: the first model in
the widget's tree with the dom class ``nnlib-description``), the numbers its figure shows, in words. A widget
without one gives its figures no alt attribute, so the site's accessibility tests name it.
"""
import base64
import html
import re

STATE_MIME = "application/vnd.jupyter.widget-state+json"
BOXES = {"VBoxModel": "snap-col", "HBoxModel": "snap-row", "BoxModel": "snap-col", "GridBoxModel": "snap-row",
         "AccordionModel": "snap-col", "TabModel": "snap-col", "StackModel": "snap-col"}
SELECTIONS = {"DropdownModel", "SelectModel", "SelectionSliderModel", "RadioButtonsModel", "ToggleButtonsModel"}
SHOW_ALL_OPTIONS = {"RadioButtonsModel", "ToggleButtonsModel"}  # their options are all on screen
DESCRIPTION_CLASS = "nnlib-description"  # nnlib.widgets.base.description_line
TAG = re.compile(r"<[^>]*>")


def widget_state(notebook):
    """{model_id: model} of an executed notebook (empty if it has no widgets)."""
    return notebook.metadata.get("widgets", {}).get(STATE_MIME, {}).get("state", {})


def snapshot(model_id, state):
    """HTML showing the widget `model_id` as its saved `state` has it ('' for an unknown model)."""
    # The description line is the figures' alt text: screen readers get it there, not a second time beside it.
    inner = _render(model_id, state, description(model_id, state), hide_line=images_in(model_id, state) > 0)
    return f'<div class="course-snapshot">{inner}</div>' if inner else ""


def description(model_id, state):
    """The text of the widget's description line (tags stripped, entities unescaped), or None if it has none.

    The first model, depth first in the order of the children, whose ``_dom_classes`` has "nnlib-description".
    """
    model = state.get(model_id)
    if model is None:
        return None
    s = model["state"]
    if DESCRIPTION_CLASS in s.get("_dom_classes", []):
        text = " ".join(html.unescape(TAG.sub(" ", s.get("value", ""))).split())
        return text or None
    for child in s.get("children", []):
        if (found := description(_ref(child), state)) is not None:
            return found
    return None


def images_in(model_id, state):
    """How many Image widgets with a picture the widget `model_id` contains."""
    model = state.get(model_id)
    if model is None:
        return 0
    own = int(model["model_name"] == "ImageModel" and _image_bytes(model) is not None)
    return own + sum(images_in(_ref(child), state) for child in model["state"].get("children", []))


def _ref(reference):
    return reference.removeprefix("IPY_MODEL_")


def _hidden(model, state):
    layout = state.get(_ref(model["state"].get("layout") or ""), {}).get("state", {})
    return layout.get("display") == "none" or layout.get("visibility") == "hidden"


def _image_bytes(model):
    for buffer in model.get("buffers", []):
        if buffer["path"] == ["value"]:
            return base64.b64decode(buffer["data"])
    return None


def _label(text, allow_html=False):
    return f'<span class="snap-label">{text if allow_html else html.escape(text)}</span>' if text else ""


def _value(value, number_format):
    try:
        return format(value, number_format.replace("~", "")) if number_format else str(value)
    except (TypeError, ValueError):
        return str(value)


def _render(model_id, state, alt=None, hide_line=False):
    model = state.get(model_id)
    if model is None or _hidden(model, state):
        return ""
    name, s = model["model_name"], model["state"]
    label = _label(s.get("description", ""), s.get("description_allow_html", False))
    if name in BOXES:
        children = "".join(_render(_ref(child), state, alt, hide_line) for child in s.get("children", []))
        return f'<div class="{BOXES[name]}">{children}</div>'
    if name == "ImageModel":
        data = _image_bytes(model)
        if data is None:
            return ""
        mime = "image/svg+xml" if s.get("format") == "svg+xml" else f"image/{s.get('format', 'png')}"
        alt_attribute = f' alt="{html.escape(alt)}"' if alt else ""
        return f'<img src="data:{mime};base64,{base64.b64encode(data).decode()}"{alt_attribute}>'
    if name in ("HTMLModel", "HTMLMathModel"):
        hidden = ' aria-hidden="true"' if hide_line and DESCRIPTION_CLASS in s.get("_dom_classes", []) else ""
        return f'<div class="snap-html"{hidden}>{label}{s.get("value", "")}</div>'
    if name == "LabelModel":
        return f'<div class="snap-html">{html.escape(s.get("value", ""))}</div>'
    if name in SELECTIONS:
        options, index = s.get("_options_labels", []), s.get("index")
        if name in SHOW_ALL_OPTIONS:
            shown = "".join(f'<span class="snap-option{" snap-selected" if i == index else ""}">{html.escape(o)}</span>'
                            for i, o in enumerate(options))
        else:
            shown = html.escape(options[index]) if isinstance(index, int) and index < len(options) else ""
        return f'<span class="snap-control">{label}{shown}</span>'
    if name in ("CheckboxModel", "ToggleButtonModel"):
        mark = "&#9745;" if s.get("value") else "&#9744;"
        return f'<span class="snap-control">{mark} {html.escape(s.get("description", ""))}</span>'
    if name == "ButtonModel":
        return f'<span class="snap-control">{html.escape(s.get("description", ""))}</span>'
    if name in ("IntProgressModel", "FloatProgressModel"):
        return (f'<span class="snap-control">{label}<progress value="{s.get("value", 0)}" '
                f'max="{s.get("max", 100)}"></progress></span>')
    if name == "PlayModel":
        return ""  # an animation's play button: nothing to show without a kernel
    if "value" in s and not isinstance(s["value"], (dict, list)):
        return f'<span class="snap-control">{label}{html.escape(_value(s["value"], s.get("readout_format")))}</span>'
    return ""
