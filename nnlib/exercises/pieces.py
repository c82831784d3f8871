"""Build exercises whose answers are pieces of your library: checked on the spot, then saved to ``my_nnlib/``.

A ``PieceExercise`` is an ``Exercise`` whose answers include functions named in ``pieces`` ({answer: piece}). Its
check runs the exercise's own checker first (its mistake-specific feedback), then each piece's check against nnlib
and finite differences (``nnlib.learner.pieces``). A piece that passes is saved only as its cell's code, run again
on its own and checked once more, so that what later notebooks load is what was checked; a piece that fails is
marked as failed, so that later notebooks say so instead of using it.
"""
from ..learner import store
from ..learner.pieces import PIECES, check_piece
from .checks import Exercise


class PieceExercise(Exercise):
    """An exercise that builds pieces of your library: ``pieces`` maps answer names to piece names."""

    def __init__(self, *args, pieces, **kwargs):
        super().__init__(*args, **kwargs)
        self.pieces = dict(pieces)

    def feedback(self, *answers):
        status, message = super().feedback(*answers)
        if status == "unanswered" or len(answers) != len(self.answers):
            return status, message
        saved, notes = [], []
        for name, answer in zip(self.answers, answers):
            piece = self.pieces.get(name)
            if piece is None:
                continue
            if problem := check_piece(piece, answer):
                status, message = ("wrong", f"{piece}: {problem}") if status == "correct" else (status, message)
                self._keep(piece, answer, failed=problem)
            elif note := self._keep(piece, answer):
                notes.append(note)
            else:
                saved.append(piece)
        if saved:
            done = "Saved" if status == "correct" else "Right, and saved"
            message += f" {done} to your library ({store.folder().name}): {', '.join(saved)}."
        return status, " ".join([message, *notes])

    def _keep(self, piece, function, failed=None):
        """Save ``function`` as ``piece`` (or mark it failed); returns None, or a sentence: why it was not saved."""
        try:
            source = store.capture(function, piece)
            if failed is None and (problem := check_piece(piece, store.rebuild(source, piece))):
                raise store.NotSaved(f"run on its own, {problem}")
            store.save(piece, source, self.id, PIECES[piece].notebook, "failed" if failed else "passed", failed or "")
        except store.NotSaved as why:
            if failed is None:
                return f"Not saved: {why}"
            try:  # a failed piece that cannot be captured is still marked, so that it is never used
                store.save(piece, "", self.id, PIECES[piece].notebook, "failed", failed)
            except store.NotSaved:
                pass
        return None
