"""The nbgrader grade ids of an exercise's cells: classroom/build.py writes them, the grader reads them."""


def grade_id(prefix, exercise):
    """"answer_01_2", "tests_01_2", "written_13_4": the cell's role, then the exercise's id."""
    return f"{prefix}_{exercise.id.replace('.', '_')}"


def tier_grade_ids(exercise):
    """The grade ids of a scored exercise's tests cells, one per tier: the check cell's, then one more per tier."""
    return [grade_id("tests", exercise)] + [f"{grade_id('score', exercise)}_{number}"
                                            for number in range(2, len(exercise.tiers) + 1)]
