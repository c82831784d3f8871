"""Grading you can trust (docs/instructor_guide.md, "What grading guarantees").

- ``verdict``: nbgrader's Execute preprocessor with every tests cell graded outside the submission's kernel;
- ``bridge`` / ``kernel_side``: the answers as plain data, a student's functions called in their kernel;
- ``sandbox``: each submission's kernel runs as an unprivileged Unix user who can write only its own folder;
- ``ids``: the grade ids that classroom/build.py writes and the grader reads.
"""
