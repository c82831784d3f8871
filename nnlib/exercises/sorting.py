"""The "parameter, hyperparameter or neither?" exercises: one factory writes each one's cells and its check.

An exercise is a dict ``expected`` = {name: (kind, reason)}: the starting cell and the solution list its names in
order, and the feedback tells, for every name sorted wrong, what it is and why.
"""
import textwrap

from .framework import Exercise

KINDS = ("parameter", "hyperparameter")
ONE_LINE_UP_TO = 5  # names; a longer list is easier to fill in one name per line
SAY = {"neither": "neither a parameter nor a hyperparameter"}  # how feedback names a kind, when not "a <kind>"


def check_sorting(answer, expected, kind_names=KINDS):
    """Check a dict {name: kind} against ``expected``; feedback names each wrong entry and says why.

    expected: {name: (kind, reason)}.
    """
    if not isinstance(answer, dict):
        return "answer with a dict mapping each name to 'parameter' or 'hyperparameter', e.g. {'slope': 'parameter'}."
    missing = [name for name in expected if name not in answer]
    if missing:
        return f"you have not sorted {', '.join(repr(m) for m in missing)} yet."
    unknown = [name for name in answer if name not in expected]
    if unknown:
        return f"{', '.join(repr(u) for u in unknown)} is not in the list: sort exactly the names given."
    for name, value in answer.items():
        if value not in kind_names:
            return f"{name!r} is sorted as {value!r}; use one of {', '.join(repr(k) for k in kind_names)}."
    wrong = [f"{name!r} is {SAY.get(kind, 'a ' + kind)}: {reason}"
             for name, (kind, reason) in expected.items() if answer[name] != kind]
    if wrong:
        return f"{len(wrong)} of {len(expected)} wrong. " + " ".join(wrong)
    return None


def sorting_exercise(id, title, expected, *, intro, hints, points=1, kinds=KINDS, more_answers=None,
                     extra_check=None):
    """An ``Exercise`` whose answer ``kinds`` sorts each name of ``expected`` ({name: (kind, reason)}) into ``kinds``.

    intro: the instruction under the cell's header, a comment line per line.
    more_answers: {name: solution value} asked after the dict, one ``name = ...`` line each (e.g. a count).
    extra_check(*more answers) -> None or feedback: runs once the sorting is right.
    """
    more = more_answers or {}

    def checker(answer, *more_given):
        return check_sorting(answer, expected, kinds) or (extra_check(*more_given) if extra_check else None)

    header = [f"# Exercise {id}: {title}"]
    placeholder = _cell(header + [f"# {line}" for line in intro.splitlines()], dict.fromkeys(expected, "..."),
                        dict.fromkeys(more, "..."))
    solution = _cell(header, {name: f'"{kind}"' for name, (kind, _) in expected.items()},
                     {name: repr(value) for name, value in more.items()})
    return Exercise(id, title, ("kinds", *more), placeholder, solution, checker, hints, points)


def _cell(comments, values, more):
    """The cell's code: the comment lines, ``kinds = {...}`` from ``values`` {name: code}, then ``name = code``."""
    pairs = [f'"{name}": {value}' for name, value in values.items()]
    if len(pairs) > ONE_LINE_UP_TO:
        kinds = "kinds = {\n" + "".join(f"    {pair},\n" for pair in pairs) + "}"
    else:  # wrapped at 120 characters between pairs, never inside one (its space is non-breaking while wrapping)
        kinds = textwrap.fill(", ".join(pairs).replace(": ", ":\xa0") + "}", 120, initial_indent="kinds = {",
                              subsequent_indent=" " * len("kinds = {"), break_on_hyphens=False).replace("\xa0", " ")
    return "\n".join([*comments, kinds, *(f"{name} = {code}" for name, code in more.items())])
