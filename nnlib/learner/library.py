"""Your library: nnlib's network assembled from the pieces you wrote, with nnlib's reference standing in, visibly,
for each piece you have not written yet.

``mine = my_library()`` reads your folder (``nnlib.learner.store``), checks each piece again, and prints one line for
each stand-in; ``mine.report()`` lists every piece as yours or a stand-in. Then ``mine.network(...)`` builds a
network whose layers call your dense_forward, relu_backward, ...; ``mine.loss`` is your softmax_cross_entropy,
``mine.train`` your training loop, ``mine.optimizer("sgd", momentum=m)`` your momentum_step (``"adam"``: adam_step),
and any other piece by its name, ``mine.standardize``. Where a piece is missing, the adapter calls nnlib's own method
instead, or nnlib's function stands in: the maths is never written twice.
"""
import sys

from ..history import History
from ..initializers import INITIALIZERS, resolve
from ..layers import ReLU, Tanh
from ..losses import SoftmaxCrossEntropy, WeightPenalty
from ..network import Network
from ..optim import SGD, Adam
from ..train import Plan, train_epochs
from . import store
from .adapters import FunctionLoss, MyActivation, MyDense, MyNetwork, MyOptimizer
from .pieces import PIECES, check_piece

WHY = {"missing": "not in your library yet", "changed": "your file changed since its check"}


def reference_train(network, loss, optimizer, X, y, epochs, batch_size, learning_rate, rng):
    """The stand-in for your train: nnlib's loop, ``train_epochs``, on the same arguments; the epochs' mean losses."""
    return train_epochs(network, FunctionLoss(loss), optimizer, WeightPenalty(), (X, y, None),
                        Plan(epochs, batch_size, learning_rate, rng), History()).loss


class MyLibrary:
    """The pieces by name: yours where they passed their check (``yours``), nnlib's otherwise (``stand_ins``)."""

    def __init__(self, functions, reasons):
        self.functions, self.reasons = functions, reasons  # {piece: your function}, {piece: why a stand-in}

    @property
    def yours(self):
        return [name for name in PIECES if name in self.functions]

    @property
    def stand_ins(self):
        return [name for name in PIECES if name not in self.functions]

    @property
    def all_yours(self):
        return not self.stand_ins

    def __getattr__(self, name):
        """Any piece by name, e.g. ``mine.standardize``: yours where it passed its check, else nnlib's function with
        the same signature, standing in."""
        piece = PIECES.get(name)
        if piece is None or piece.reference is None:
            raise AttributeError(f"your library has no piece {name!r}; its pieces: {', '.join(PIECES)}.")
        return self.functions.get(name, piece.reference)

    def notice(self, piece):
        """The line saying that nnlib stands in for ``piece``, and why."""
        where = PIECES[piece]
        return (f"stand-in: {piece} is nnlib's reference ({self.reasons[piece]}) -- build it in exercise "
                f"{where.exercise} (notebook {where.notebook})")

    def report(self):
        """Print every piece, in the order the notebooks build them: yours, or nnlib's standing in."""
        print(f"Your library ({store.folder()}): {len(self.yours)} of {len(PIECES)} pieces are yours.")
        for name, piece in PIECES.items():
            print(f"  {'yours    ' if name in self.functions else 'stand-in '} {name:<22} exercise {piece.exercise}")

    def network(self, n_inputs, hidden_layers, n_outputs, *, activation, init="auto", rng):
        """nnlib's Network of these sizes, its weights drawn by your xavier or he (one draw per layer from ``rng``, in
        order, as nnlib draws them), its layers running your passes."""
        network = Network(n_inputs, hidden_layers, n_outputs, activation=activation, init="zeros", rng=rng)
        method = resolve(init, activation)
        draw = self.functions.get(method, INITIALIZERS[method])
        mine = {}
        for layer in network.layers:
            if layer in network.dense.values():
                layer.params["weights"][...] = draw(*layer.params["weights"].shape, rng)
                mine[id(layer)] = MyDense(layer, self.functions.get("dense_forward"),
                                          self.functions.get("dense_backward"))
            elif isinstance(layer, (ReLU, Tanh)):
                kind = "relu" if isinstance(layer, ReLU) else "tanh"
                mine[id(layer)] = MyActivation(layer, self.functions.get(f"{kind}_forward"),
                                               self.functions.get(f"{kind}_backward"))
        network.layers = [mine.get(id(layer), layer) for layer in network.layers]
        network.dense = {name: mine[id(layer)] for name, layer in network.dense.items()}
        return MyNetwork(network, self.functions.get("network_forward"), self.functions.get("network_backward"))

    @property
    def loss(self):
        """Your softmax_cross_entropy(scores, y) -> (loss, dscores), or nnlib's."""
        return self.functions.get("softmax_cross_entropy", SoftmaxCrossEntropy().value_and_gradient)

    @property
    def train(self):
        """Your train(network, loss, optimizer, X, y, epochs, batch_size, learning_rate, rng), or nnlib's loop."""
        return self.functions.get("train", reference_train)

    def optimizer(self, name="sgd", **hyperparameters):
        """An optimiser for ``train``: "sgd" (``momentum=``) through your momentum_step, "adam" (``beta1=``,
        ``beta2=``, ``eps=``) through your adam_step, where written; else nnlib's SGD or Adam."""
        kind = {"sgd": ("momentum_step", SGD), "adam": ("adam_step", Adam)}
        if name not in kind:
            raise ValueError(f"optimizer must be 'sgd' or 'adam', got {name!r}.")
        piece, standing_in = kind[name]
        step = self.functions.get(piece)
        return standing_in(**hyperparameters) if step is None else MyOptimizer(step, **hyperparameters)

def my_library(quiet=False):
    """Your library, read from its folder; prints one line for each piece nnlib stands in for (unless ``quiet``)."""
    functions, reasons = {}, {}
    for name in PIECES:
        status, function = store.read(name)
        problem = check_piece(name, function) if function is not None else None
        if function is not None and problem is None:
            functions[name] = function
        else:
            reasons[name] = (f"your version failed its check: {problem}" if problem else
                             WHY.get(status, f"your version failed its check: {status.removeprefix('failed: ')}"))
    library = MyLibrary(functions, reasons)
    if not quiet:
        if not functions:
            print(f"Your library ({store.folder()}) is empty: a piece is saved there when its exercise's check "
                  "passes. (In a graded classroom each notebook is graded on its own, so later notebooks use "
                  "nnlib's stand-ins.)")
        if "google.colab" in sys.modules:
            print("In Colab each notebook has its own runtime, so the pieces saved in earlier notebooks are not "
                  "here: nnlib stands in for them.")
        for name in library.stand_ins:
            print(library.notice(name))
    return library

