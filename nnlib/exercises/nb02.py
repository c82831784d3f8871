"""Exercises for notebook 02 · Gradient descent (penguins: body mass from flipper length).

Exercises 02.1 and 02.2 build pieces of the learner's library (``PieceExercise``): the gradient, one step and the
loop. Their checkers run the learner's functions on the penguins and name a typical slip -- for the loop, by
comparing its path with the reference solution edited by that slip (``LOOP_MISTAKES``); the pieces' own checks
against nnlib follow (``nnlib.learner.line_checks``).
"""
import numpy as np

from ..datasets import load_penguins
from ..learner.line_checks import descent_step as nnlib_step
from ..line import line_gradient, line_loss
from .answer_kinds import one_number
from .framework import Exercise, call, relative_difference, same
from .pieces import PieceExercise, edited, solution


def _penguins():
    X, y = load_penguins()
    return X[:, 0], y


def _close(answer, expected, tolerance=1e-6):
    return relative_difference(answer, expected) < tolerance


# --- 02.1 -----------------------------------------------------------------------------
Q1_POINT = (40.0, -3000.0)


def _check_gradient(line_gradient):
    """line_gradient on the penguins at slope 40 g/mm, intercept -3000 g: a typical slip named, else None (the
    piece's own check then compares it with nnlib and with finite differences)."""
    x, y = _penguins()
    answer = call(line_gradient, x.copy(), y.copy(), *Q1_POINT)
    if not isinstance(answer, (tuple, list, np.ndarray)) or len(answer) != 2:
        return "line_gradient should return two numbers, the two derivatives: return dslope, dintercept."
    error = Q1_POINT[0] * x + Q1_POINT[1] - y
    expected = np.array([2 * np.mean(error * x), 2 * np.mean(error)])
    mean = "each derivative is a mean over the penguins: wrap the products in np.mean(...)."
    answer = np.array([one_number(answer[0], "dslope", mean), one_number(answer[1], "dintercept", mean)])
    if _close(answer, expected):
        return None
    if _close(answer, expected[::-1]):
        return "The two derivatives are swapped: dslope is the one with the extra factor x_i."
    if _close(answer, -expected):
        return ("Right size, wrong sign. The error is prediction minus target, (slope * x + intercept) - y; "
                "with target minus prediction both signs flip.")
    if _close(answer, expected / 2):
        return ("Half the right size: the derivative of (error)^2 is 2 * error * (d error). "
                "Did you forget the factor 2?")
    n = len(x)
    if _close(answer, expected * n) or _close(answer, expected * n / 2):
        return f"{n} times too large: use the mean over the {n} penguins (np.mean), not the sum: the 1/n is in L."
    for index, name in enumerate(("dslope", "dintercept")):
        if _close(answer[index], expected[index]):
            other = ("dintercept", "dslope")[index]
            formula = "2 * np.mean(error)" if other == "dintercept" else "2 * np.mean(error * x)"
            return f"{name} is right; {other} is not. It is {formula}."
    return None


q1 = PieceExercise(
    id="02.1",
    title="The gradient as a function",
    answers=("line_gradient",),
    placeholder="""
# Exercise 02.1: The gradient as a function
# Return (dL/dslope, dL/dintercept), the formulas above for the line slope * x + intercept on the data x, y (n,).
def line_gradient(x, y, slope, intercept):
    ...
""",
    solution=solution("02.1", "The gradient as a function", "line_gradient"),
    checker=_check_gradient,
    hints=["Start with the error of every sample: error = slope * x + intercept - y, an array like x.",
           "dslope = 2 * np.mean(error * x) and dintercept = 2 * np.mean(error); return dslope, dintercept."],
    points=2,
    pieces={"line_gradient": "line_gradient"},
)


# --- 02.2 -----------------------------------------------------------------------------
STEP_MISTAKES = (  # (what a slip returns for descent_step(2.0, -1.0, 0.5, -3.0, 0.1), what it means)
    ((2.05, -1.3), "your step goes uphill: subtract learning_rate times the derivative, "
                   "slope - learning_rate * dslope."),
    ((2.3, -1.05), "each parameter moves against its own derivative: the slope with dslope, the intercept with "
                   "dintercept."),
    ((1.95, -1.05), "the intercept moved with dslope (a copied line?): each parameter moves against its own "
                    "derivative, intercept - learning_rate * dintercept."),
    ((1.5, 2.0), "multiply each derivative by learning_rate, which sets the size of the step."),
    ((-0.05, 0.3), "you returned the change, -learning_rate * dslope; return the new parameters, the old ones plus "
                   "that change: slope - learning_rate * dslope."),
)

LOOP_MISTAKES = {  # a typical slip: (edits of the solution that make it, what it means)
    "moved before both": ((("        dslope, dintercept = gradient(x, y, slope, intercept)  # both derivatives at "
                            "the same point,\n        slope, intercept = step(slope, intercept, dslope, dintercept, "
                            "learning_rate)  # then move both\n",
                            "        slope = slope - learning_rate * gradient(x, y, slope, intercept)[0]\n"
                            "        intercept = intercept - learning_rate * gradient(x, y, slope, intercept)[1]\n"),),
                          "you moved the slope before computing the intercept's derivative, so that derivative was "
                          "taken at a point the line never was: compute both derivatives at the same (slope, "
                          "intercept), then move both."),
    "start every epoch": ((("    for epoch in range(epochs):\n",
                            "    for epoch in range(epochs):\n        slope, intercept = 0.0, 0.0\n"),),
                          "every epoch started again from (0, 0): set slope, intercept = 0.0, 0.0 once, before the "
                          "loop, so that each step continues from where the last one ended."),
    "recorded before the step": ((("        slope, intercept = step(", "        path.append((slope, intercept))\n"
                                   "        slope, intercept = step("),
                                  ("learning_rate)  # then move both\n        path.append((slope, intercept))\n",
                                   "learning_rate)  # then move both\n")),
                                 "you recorded each point before its step, so the path ends one step short (and "
                                 "holds the start twice): append (slope, intercept) after the step."),
}


def _descent_run(gradient_descent):
    """``gradient_descent`` for 20 epochs at learning rate 0.1 on the penguins, their flipper length standardised and
    shifted by 1 (so that a step of the slope changes the intercept's derivative), with nnlib's line_gradient and SGD
    step (only the loop is checked here): its path."""
    x, y = _penguins()
    return call(gradient_descent, (x - x.mean()) / x.std() + 1, y.copy(), 0.1, 20, line_gradient, nnlib_step)


def _check_descent(descent_step, gradient_descent):
    step = call(descent_step, 2.0, -1.0, 0.5, -3.0, 0.1)
    for wrong, message in STEP_MISTAKES:
        if same(step, wrong):
            return f"descent_step: {message}"
    if same(call(descent_step, 2.0, -1.0, 0.5, -3.0, 0.2), step):
        return ("descent_step: your step is the same whatever learning_rate it is given: multiply each derivative "
                "by the argument learning_rate, not by a number of your own.")
    path = _descent_run(gradient_descent)
    if same(path, _descent_run(edited("gradient_descent"))):
        return None
    for edits, message in LOOP_MISTAKES.values():
        if same(path, _descent_run(edited("gradient_descent", edits))):
            return f"gradient_descent: {message}"
    return None


q2 = PieceExercise(
    id="02.2",
    title="One step, and the loop",
    answers=("descent_step", "gradient_descent"),
    placeholder="""
# Exercise 02.2: One step, and the loop
# descent_step: the update above; return the new (slope, intercept).
# gradient_descent: from slope = intercept = 0, each epoch: both derivatives from gradient(x, y, slope, intercept),
#     then step(slope, intercept, dslope, dintercept, learning_rate). Return the path (epochs + 1, 2): the start,
#     then (slope, intercept) after every epoch.
def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    ...


def gradient_descent(x, y, learning_rate, epochs, gradient, step):
    ...
""",
    solution=solution("02.2", "One step, and the loop", "descent_step", "gradient_descent"),
    checker=_check_descent,
    hints=["descent_step is one line: return slope - learning_rate * dslope, intercept - learning_rate * dintercept. "
           "gradient_descent keeps a list path = [(slope, intercept)] and appends to it after every step.",
           "In the loop over range(epochs): dslope, dintercept = gradient(x, y, slope, intercept), then slope, "
           "intercept = step(slope, intercept, dslope, dintercept, learning_rate), then path.append((slope, "
           "intercept)). Return np.array(path)."],
    points=2,
    pieces={"descent_step": "descent_step", "gradient_descent": "gradient_descent"},
)


# --- 02.3 -----------------------------------------------------------------------------
Q3_FLIPPER_MM = 210.0


def _check_prediction(mass_210):
    x, y = _penguins()
    mass_210 = one_number(mass_210, "mass_210", "predict for one penguin, with 210 mm flippers.")
    slope_mm = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    expected = y.mean() + slope_mm * (Q3_FLIPPER_MM - x.mean())
    if abs(mass_210 - expected) / expected < 1e-3:
        return None
    slope_scaled, mean, sd = slope_mm * x.std(), x.mean(), x.std()
    wrong = {
        "raw": y.mean() + slope_scaled * Q3_FLIPPER_MM,
        "no_sd": y.mean() + slope_scaled * (Q3_FLIPPER_MM - mean),
        "no_mean": y.mean() + slope_scaled * Q3_FLIPPER_MM / sd,
        "times_sd": y.mean() + slope_scaled * (Q3_FLIPPER_MM - mean) * sd,
    }
    messages = {
        "raw": "You put 210 straight into the standardised line. Standardise it first: (210 - mean_mm) / sd_mm.",
        "no_sd": "You subtracted the mean but did not divide by the standard deviation sd_mm.",
        "no_mean": "You divided by sd_mm but forgot to subtract the mean first: (210 - mean_mm) / sd_mm.",
        "times_sd": "You multiplied by sd_mm; standardising divides by it.",
    }
    for key, value in wrong.items():
        if abs(mass_210 - value) / abs(value) < 1e-3:
            return messages[key]
    if 1000 < mass_210 < 10000:
        return (f"{mass_210:.0f} g is a plausible penguin but not this line's prediction "
                f"(off by {mass_210 - expected:+.0f} g). Use slope_scaled, intercept_scaled and the "
                "standardised flipper length (210 - mean_mm) / sd_mm.")
    return "Not a prediction of this line. Standardise 210 mm first, then apply slope_scaled and intercept_scaled."


q3 = Exercise(
    id="02.3",
    title="Predict with the standardised line",
    answers=("mass_210",),
    placeholder="""
# Exercise 02.3: Predict with the standardised line
mass_210 = ...  # predicted body mass (g) of a penguin with 210 mm flippers
""",
    solution="""
# Exercise 02.3: Predict with the standardised line
mass_210 = slope_scaled * (210 - mean_mm) / sd_mm + intercept_scaled  # 210 mm standardised as the training data were
""",
    checker=_check_prediction,
    hints=["The line was learned on standardised flipper lengths, so a new flipper length must be "
           "standardised the same way, with the same mean_mm and sd_mm.",
           "flipper_scaled = (210 - mean_mm) / sd_mm; then mass = slope_scaled * flipper_scaled + intercept_scaled.",
           "The answer should be a little above the average penguin (about 4,200 g): 210 mm is a long flipper."],
)


# --- 02.4 -----------------------------------------------------------------------------
# Every rate below 1 converges, so there is no largest converging rate: the exercise asks for the limit, and
# what happens exactly at it (the factor 1 - 2 * rate is -1: the path bounces between two points forever).
AT_THE_LIMIT = ("converges", "bounces", "diverges")


def _check_limit(limit, at_the_limit):
    rate = one_number(limit, "limit", "the one learning rate where convergence stops.")
    if abs(rate - 1.0) > 1e-9:
        if 1.0 < rate <= 1.3:
            return (f"At {rate:g} the path overshoots by more than it gained: every epoch lands farther from the "
                    "minimum, so it diverges (slowly at first: raise the epochs to see it). Look just below.")
        if rate > 1.3:
            return f"{rate:g} diverges quickly: nnlib stops it and says so. The limit is lower."
        if 0.45 <= rate <= 0.55:
            return ("0.5 is special: one step lands exactly on the minimum. But larger rates still converge, "
                    "overshooting and bouncing back; find where the bouncing stops shrinking.")
        if rate < 1e-3:
            return ("That is about the limit for the raw feature in millimetres. With the standardised feature "
                    "much larger rates work; switch the toggle to 'standardised'.")
        return (f"{rate:g} converges, and so does every rate between it and the limit: there is no largest rate "
                "that converges, only a limit that the converging rates approach. For which rate does "
                "|1 - 2 * rate| reach 1?")
    if at_the_limit not in AT_THE_LIMIT:
        return f"answer at_the_limit with one of {', '.join(repr(a) for a in AT_THE_LIMIT)}."
    if at_the_limit == "converges":
        return ("the limit is right, but at exactly 1 the factor 1 - 2 * rate is -1: every epoch jumps to the "
                "mirror point on the other side of the minimum, no closer. LinearRegression(learning_rate=1.0, "
                "epochs=2000) ends at (0, 0), where it started.")
    if at_the_limit == "diverges":
        return ("the limit is right, but at exactly 1 the distance to the minimum stays the same (the factor is -1, "
                "not below -1): the loss never grows, so nnlib never stops the run. It grows only above 1.")
    return None


q4 = Exercise(
    id="02.4",
    title="Where convergence stops",
    answers=("limit", "at_the_limit"),
    placeholder="""
# Exercise 02.4: Where convergence stops
limit = ...  # with the standardised feature, every learning rate below this one converges
at_the_limit = ...  # what happens at exactly that rate: "converges", "bounces" or "diverges"
""",
    solution="""
# Exercise 02.4: Where convergence stops
# |1 - 2 * rate| < 1 exactly when 0 < rate < 1; at 1 the factor is -1: each epoch lands on the mirror point, forever.
limit, at_the_limit = 1.0, "bounces"
""",
    checker=_check_limit,
    hints=["Use the widget with the 'standardised' feature and about 200 epochs; its slider steps through "
           "0.79, 1 and 1.26.",
           "Above 0.5 the path overshoots the minimum and zig-zags; it still converges while each zig is "
           "shorter than the one before.",
           "Each epoch multiplies the distance to the minimum by |1 - 2 * learning_rate|. When is that below 1, "
           "and what does a factor of exactly -1 do?"],
)


# --- 02.5 -----------------------------------------------------------------------------
NEW_EPOCHS, NEW_TOLERANCE = 100, 0.01  # the colleague's budget, and how close to the least-squares loss it must end
SEEN_RATES = {  # a rate that worked on this notebook's data, reused on x_new: why it does not carry over
    1.0: "it was the limit for the standardised penguins (curvature 2 in every direction)",
    0.1: "it suited the standardised penguins (curvature 2 in every direction)",
    2e-5: "it suited flipper lengths in millimetres (steep curvature about 80,000)",
}


def _new_data():
    """Exercise 02.5's data, made as the notebook's cell makes it: a colleague's feature x_new (200,), not
    standardised, and target y_new (200,)."""
    rng = np.random.default_rng(2)
    x_new = rng.normal(2, 3, 200)
    return x_new, 3 * x_new + 10 + rng.normal(0, 2, 200)


def _check_new_rate(learning_rate):
    rate = one_number(learning_rate, "learning_rate", "one learning rate for x_new.")
    if rate <= 0:
        return f"{rate:g} goes nowhere or uphill: a learning rate is positive, the size of each step downhill."
    x, y = _new_data()
    flat, steep = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))
    seen = next((f": {note}, but x_new has curvatures of its own" for known, note in SEEN_RATES.items()
                 if abs(rate - known) <= 1e-9 * known), "")
    if abs(rate * steep - 2) < 1e-3:
        return ("That is the limit 2 / steep itself: there the factor 1 - rate * steep is -1, so the path bounces "
                "across the valley forever; take a rate below it.")
    if rate > 2 / steep:
        wrong_curvature = " (2 / flat is the limit along the valley floor; the steep direction breaks first)" \
            if abs(rate * flat - 2) < 1e-3 else ""
        return (f"{rate:g} diverges on x_new{seen}{wrong_curvature}; compute x_new's curvatures as in section 4 "
                "and stay below 2 / steep.")
    path = edited("gradient_descent")(x, y, rate, NEW_EPOCHS, line_gradient, nnlib_step)
    minimum = line_loss(x, y, *np.linalg.lstsq(np.column_stack([x, np.ones(len(x))]), y, rcond=None)[0])
    excess = line_loss(x, y, *path[-1]) / minimum - 1
    if excess <= NEW_TOLERANCE:
        return None
    if abs(1 - rate * steep) > 1 - rate * flat:  # the zig-zag across the valley outlives the slide along it
        return (f"Just under the limit: after {NEW_EPOCHS} epochs the loss is still {excess:.0%} above the minimum, "
                f"because each epoch only shrinks the zig-zag across the valley to {abs(1 - rate * steep):.2f} of "
                "itself; a somewhat smaller rate damps it faster.")
    return (f"{rate:g} is too slow on x_new{seen}: after {NEW_EPOCHS} epochs the loss is still {excess:.0%} above the "
            f"minimum, since each epoch keeps {1 - rate * flat:.5f} of the distance along the valley floor; take a "
            "larger rate, still below 2 / steep.")


q5 = Exercise(
    id="02.5",
    title="A learning rate for new data",
    answers=("learning_rate",),
    placeholder="""
# Exercise 02.5: A learning rate for new data
learning_rate = ...  # 100 epochs from (0, 0) on x_new as it is: no divergence, within 1% of the least-squares loss
""",
    solution="""
# Exercise 02.5: A learning rate for new data
# Half the limit 2 / (steepest curvature of x_new, as in section 4): stable, and fast enough along the flat direction.
learning_rate = 1 / np.linalg.eigvalsh(2 * np.array([[np.mean(x_new**2), np.mean(x_new)], [np.mean(x_new), 1.0]]))[-1]
""",
    checker=_check_new_rate,
    hints=["Section 4's curvatures, now of x_new: the eigenvalues of 2 * [[mean(x²), mean(x)], [mean(x), 1]]. The "
           "steepest one sets the limit, 2 / steep.",
           "Stay below the limit, but not far below it: each epoch keeps (1 - rate * flat) of the distance along the "
           "valley floor, so a tenth of the limit crawls. Half the limit, 1 / steep, is a safe choice.",
           "Or probe: mine.gradient_descent(x_new, y_new, rate, 100, mine.line_gradient, mine.descent_step) for a few "
           "rates, comparing line_loss(x_new, y_new, *path[-1]) with the least-squares loss."],
    points=2,
)
