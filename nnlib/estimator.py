"""What tools ask of a model, kept out of the models' lesson (``nnlib.models``): a printed summary, the sample
orders training will visit, and scikit-learn's estimator interface.

``clone``, ``GridSearchCV`` and ``cross_val_score`` read and set hyperparameters by name through ``get_params`` and
``set_params`` (the constructor's arguments), ask a model's kind through ``__sklearn_tags__``, and test
``hasattr(model, "predict_proba")`` to tell a classifier. nnlib never imports scikit-learn for this; only
``__sklearn_tags__``, which scikit-learn alone calls, does.
"""
import copy
import inspect

import numpy as np

from . import input_checks as check
from .losses import MeanSquaredError, SoftmaxCrossEntropy
from .train import epoch_order

SETTINGS = ("task", "dtype", "seed")  # constructor arguments that are neither learned nor tuned (notebook 00)


class Estimator:
    """scikit-learn's estimator interface for a model whose constructor arguments are its hyperparameters."""

    def summary(self):
        """Print each layer's shape and parameter count (like Keras) and the hyperparameters."""
        print(self.summary_text())

    def summary_text(self):
        """The table that ``summary()`` prints, as a string."""
        weights, biases = self.weights_, self.biases_  # first: they say so if the model is not fitted yet
        lines = [f"{type(self).__name__} summary", f"{'layer':<12}{'weights':>14}{'biases':>10}{'parameters':>13}"]
        for name, w, b in zip(self.network_.dense, weights, biases):
            lines.append(f"{name:<12}{f'{w.shape[0]} x {w.shape[1]}':>14}{b.size:>10}{w.size + b.size:>13,}")
        for name, n in ((name, norm.params["gamma"].size) for name, norm in self.network_.norms.items()):
            lines.append(f"{name + ' norm':<12}{f'gamma {n}':>14}{f'beta {n}':>10}{2 * n:>13,}")
        chosen = self.get_params()
        settings = ", ".join(f"{name} = {chosen.pop(name)!r}" for name in SETTINGS if name in chosen)
        lines += [f"{'total (learned by fit)':<36}{self.n_parameters:>13,}"]
        if statistics := sum(array.size for array in self.statistics().values()):
            lines.append(f"{'running statistics':<36}{statistics:>13,}  (learned, not by gradient descent)")
        lines.append("hyperparameters (chosen by you):")
        lines.extend(f"  {name} = {value!r}" for name, value in chosen.items())
        return "\n".join([*lines, f"settings (neither learned nor tuned): {settings}"])

    def epoch_orders(self, n_samples, epochs=None):
        """The sample orders (n_samples,) the next ``epochs`` epochs will visit, drawn as training draws them
        (``train.epoch_order``) from a copy of the generator: run the loop by hand and compare it with fit."""
        check.check_fitted(self, "rng_")
        rng, epochs = copy.deepcopy(self.rng_), check.check_count("epochs", self.epochs if epochs is None else epochs)
        return [epoch_order(rng, check.check_count("n_samples", n_samples), self.batch_size, self.shuffle)
                for _ in range(epochs)]

    def get_params(self, deep=True):
        """The hyperparameters, exactly as given to the constructor (a dict). ``deep`` is for scikit-learn."""
        return {name: getattr(self, name) for name in _arguments(type(self))}

    def hyperparameters(self):
        """The hyperparameters, exactly as given to the constructor: what you chose (``get_params``)."""
        return self.get_params()

    def set_params(self, **hyperparameters):
        """Change hyperparameters by name (they take effect at the next ``fit``); returns self."""
        valid = _arguments(type(self))
        for name in set(hyperparameters) - set(valid):
            raise ValueError(f"{type(self).__name__} has no hyperparameter {name!r}. "
                             f"Valid hyperparameters: {', '.join(valid)}.")
        vars(self).update(hyperparameters)
        return self

    @property
    def _estimator_type(self):
        return "regressor" if self.loss_type is MeanSquaredError else "classifier"

    @property
    def predict_proba(self):
        """predict_proba(X) -> class probabilities (n_samples, n_classes). Classifiers only: as in scikit-learn, whose
        tools ask hasattr(model, "predict_proba"), a regressor has no such method."""
        if self._estimator_type != "classifier":
            raise AttributeError(f"predict_proba is for classification; this {type(self).__name__} predicts numbers. "
                                 "Use predict.")
        return self.probabilities

    @property
    def classes_(self):
        """The class labels, 0..K-1 (classifiers only). scikit-learn's splitters and scorers read them."""
        if self._estimator_type != "classifier":
            raise AttributeError(f"{type(self).__name__} predicts numbers, so it has no classes_.")
        self.parameters()  # a model without parameters yet says so here
        return np.arange(max(self.n_outputs_, 2))  # LogisticRegression: one output neuron, two classes

    def __sklearn_tags__(self):
        """The model's kind and the inputs it takes, as scikit-learn asks them."""
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags
        classifier = self._estimator_type == "classifier"
        return Tags(estimator_type=self._estimator_type,
                    target_tags=TargetTags(required=True, multi_output=not classifier),
                    classifier_tags=ClassifierTags(multi_class=self.loss_type is SoftmaxCrossEntropy) if classifier
                    else None, regressor_tags=None if classifier else RegressorTags())

    def __repr__(self):
        """Like scikit-learn: the class and the hyperparameters that differ from their defaults."""
        defaults = {name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()}
        changed = [f"{name}={value!r}" for name, value in self.get_params().items()
                   if repr(value) != repr(defaults[name])]
        return f"{type(self).__name__}({', '.join(changed)})"


def _arguments(cls):
    """The names of a class's constructor arguments, in order."""
    return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]
