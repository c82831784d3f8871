"""The items of notebook 14's quiz: parameter (learned), hyperparameter, or neither?

Each ``QuizItem`` names something a learner meets in the course, gives the
right answer, explains it, and points to the notebook that shows it. Items
built on a common misconception carry it in ``misconception``, which the
feedback spells out when a learner falls for it. ``feedback(item, choice)``
turns an answer into that feedback; the quiz widget (``nnlib.widgets.quiz``)
only displays it, so the texts can be tested without a browser. Every answer follows
the course's one rule (notebook 00, COURSE.md 1b): computed by training from the training
data -> learned (a parameter; a preprocessing step's statistics: a parameter of the
preprocessing); set before training, changing what training learns, the kind of choice
compared on the validation set -> hyperparameter; otherwise -> neither. Each item has
exactly one right answer.
"""
from dataclasses import dataclass

PARAMETER, HYPERPARAMETER, NEITHER = "parameter", "hyperparameter", "neither"
ANSWERS = (PARAMETER, HYPERPARAMETER, NEITHER)

NOTEBOOKS = {
    "01": "01 · The parameters of a line",
    "02": "02 · Gradient descent",
    "03": "03 · Batches and epochs",
    "04": "04 · Overfitting and validation",
    "05": "05 · A single neuron",
    "06": "06 · Multilayer network",
    "06b": "06b · The network and its gradients",
    "06c": "06c · Training the network",
    "07": "07 · Playground",
    "08": "08 · Tuning hyperparameters",
    "08b": "08b · Random search and the workflow",
    "09": "09 · Optimisers: momentum and Adam",
    "09b": "09b · Learning-rate schedules and early stopping",
    "10": "10 · Digits end to end",
    "11": "11 · Beyond nnlib: scikit-learn and PyTorch",
    "12": "12 · R's nnet and the L2 scale",
}


@dataclass(frozen=True)
class QuizItem:
    """One question: is ``name`` a parameter, a hyperparameter, or neither?

    answer: one of ANSWERS, by the course's rule. explanation: why, in one or two sentences.
    notebook: "06" etc. (see NOTEBOOKS). misconception: the wrong belief behind the usual
    mistake, shown after a wrong answer.
    """

    name: str
    answer: str
    explanation: str
    notebook: str
    misconception: str = ""

    def __post_init__(self):
        if self.answer not in ANSWERS:
            raise ValueError(f"quiz item {self.name!r}: answer {self.answer!r} is not one of {ANSWERS}.")
        if self.notebook not in NOTEBOOKS:
            raise ValueError(f"quiz item {self.name!r}: unknown notebook {self.notebook!r}.")

    def is_correct(self, choice):
        return choice == self.answer


def feedback(item, choice):
    """(correct, text) for answering ``choice`` to ``item``; text is plain, one paragraph."""
    if choice not in ANSWERS:
        raise ValueError(f"answer with one of {', '.join(repr(a) for a in ANSWERS)}; got {choice!r}.")
    where = f"See notebook {NOTEBOOKS[item.notebook]}."
    if item.is_correct(choice):
        return True, f"Right: {item.explanation} {where}"
    text = f"Not quite: the answer is {item.answer!r}. {item.explanation}"
    if item.misconception:
        text += f" Common misconception: {item.misconception}"
    return False, f"{text} {where}"


QUIZ_ITEMS = [
    QuizItem(
        "the slope of a line fitted to the penguins", PARAMETER,
        "fit() learns it from the training data (LinearRegression.coef_, about 50 g/mm). "
        "A slope is a weight: it multiplies a feature.",
        "01"),
    QuizItem(
        "the learning rate", HYPERPARAMETER,
        "you choose the step size before training; gradient descent uses it at every step but never changes it. "
        "You pick it by comparing validation scores of a few values.",
        "02",
        misconception="'hyperparameters are tuned in the training stage'. Training only fits the parameters for "
                      "one fixed learning rate; choosing between learning rates happens on the validation set."),
    QuizItem(
        "the number of hidden layers", HYPERPARAMETER,
        "you choose it before training and training never adds or removes a layer. It decides how many "
        "weights and biases exist at all.",
        "06",
        misconception="many answers online call layers and units 'model parameters'. They describe the model, "
                      "but nothing learns them: they are chosen, so they are hyperparameters."),
    QuizItem(
        "one weight connecting a hidden unit to an output unit", PARAMETER,
        "it is one entry of a weight matrix; backpropagation computes its gradient and every step updates it.",
        "06"),
    QuizItem(
        "the bias of a hidden unit", PARAMETER,
        "it is learned exactly like a weight: every step of gradient descent updates it. That is why we say "
        "'parameters' rather than 'weights': biases, intercepts and slopes are learned too.",
        "06",
        misconception="'only the weights are learned'. Every bias is updated by gradient descent as well."),
    QuizItem(
        "the batch size", HYPERPARAMETER,
        "you choose how many samples each gradient step averages over; it changes how the parameters are "
        "learned, not what the model is.",
        "03"),
    QuizItem(
        "the dropout rate", HYPERPARAMETER,
        "the probability of switching a unit off during training (nn.Dropout(p) in PyTorch) is chosen by you "
        "and stays fixed while the weights are learned. nnlib has no dropout; notebook 11 shows where it goes.",
        "11"),
    QuizItem(
        "the random seed", NEITHER,
        "it is a setting of the experiment. It changes the result (the starting weights, the shuffling), but "
        "choosing it on the validation set would only fit noise: fix it for reproducibility and report the "
        "spread over several seeds instead. nnlib takes it as a constructor argument, like scikit-learn's "
        "random_state: a constructor argument is not automatically a hyperparameter.",
        "03",
        misconception="'everything passed to the constructor is a hyperparameter'. seed, dtype and task are "
                      "constructor arguments, but nobody compares them on the validation set."),
    QuizItem(
        "momentum", HYPERPARAMETER,
        "it sets how much of the previous step carries into the next; you choose it (0 to 0.9 is usual) "
        "before training.",
        "09"),
    QuizItem(
        "the number of epochs", HYPERPARAMETER,
        "you decide how many passes over the training data to make. Early stopping picks it by watching the "
        "validation loss, which is still a choice made on validation data, not learning.",
        "02"),
    QuizItem(
        "the mean that standardisation subtracts (Standardizer.mean_)", PARAMETER,
        "training computes it from the training data -- not by gradient descent, by averaging: it is learned, a "
        "parameter of the preprocessing, not of the network. Like the weights it is fitted on the training set "
        "only, and saved beside the model. Whether to standardise at all is a hyperparameter.",
        "10",
        misconception="'only what gradient descent learns is learned'. Whatever training computes from the "
                      "training data is learned: by gradient descent for the network's parameters, by a "
                      "preprocessing step's estimate for its statistics. Computing it on all the data leaks the "
                      "validation and test sets into training."),
    QuizItem(
        "the sizes of the training, validation and test sets", NEITHER,
        "they are the design of the evaluation, fixed before anything is fitted or compared. Choosing them by "
        "the validation score would make that score meaningless.",
        "04"),
    QuizItem(
        "the initialisation scheme (init='he' or 'xavier')", HYPERPARAMETER,
        "you choose how the starting weights are drawn, and it changes what training learns (with zeros every "
        "hidden unit stays the same). The numbers it draws are the parameters' starting values.",
        "06b"),
    QuizItem(
        "the intercept of a fitted line", PARAMETER,
        "fit() learns it along with the slope (LinearRegression.intercept_). It is a bias: a parameter that is "
        "not a weight.",
        "01"),
    QuizItem(
        "the L2 regularisation strength", HYPERPARAMETER,
        "you choose how strongly large weights are penalised. It cannot be learned by minimising the training "
        "loss: any penalty only raises that loss, so training would always pick 0. It is chosen on the "
        "validation set. (A method can learn it another way: BayesianRidge computes it from the training data by "
        "evidence maximisation, notebook 12, and there it is learned.)",
        "04"),
    QuizItem(
        "the number of units in a hidden layer", HYPERPARAMETER,
        "part of the architecture, chosen before training. Doubling it roughly doubles the number of "
        "parameters in that layer.",
        "06",
        misconception="'units are model parameters'. They are chosen, not learned: they decide how many "
                      "parameters there are."),
    QuizItem(
        "the activation function (ReLU, tanh or sigmoid)", HYPERPARAMETER,
        "the unit type is part of the architecture; you pick it, and it has no numbers that training changes.",
        "06",
        misconception="the architecture (layers, units, unit type) is often called 'model parameters'; it is "
                      "chosen, so it is a hyperparameter."),
    QuizItem(
        "the validation accuracy", NEITHER,
        "it is a measurement, neither chosen nor learned: you read it to compare hyperparameter settings.",
        "04",
        misconception="'parameters are decided in the validation stage'. Parameters are fitted on the training "
                      "set; the validation score only compares hyperparameters."),
    QuizItem(
        "a number in the wts vector of a fitted R nnet model", PARAMETER,
        "wts holds every weight and bias that nnet() fitted: 2,410 of them for 64 inputs, size = 32 and 10 "
        "classes, the same count as nnlib's MLP.",
        "12"),
    QuizItem(
        "decay in R's nnet()", HYPERPARAMETER,
        "it is nnet's weight-decay (L2) strength, passed before fitting, like nnlib's l2 and scikit-learn's alpha.",
        "12"),
    QuizItem(
        "alpha in scikit-learn's MLPClassifier", HYPERPARAMETER,
        "it is scikit-learn's L2 strength (not a step size: that is learning_rate_init), a constructor argument "
        "stored as given.",
        "11"),
    QuizItem(
        "C of a support vector machine", HYPERPARAMETER,
        "C trades a wide margin against training errors; you set it (with gamma) and compare values on "
        "validation data.",
        "11"),
    QuizItem(
        "the support-vector coefficients of a fitted SVM (dual_coef_)", PARAMETER,
        "fit() learns them from the training data; scikit-learn marks them with a trailing underscore. "
        "Even how many there are is decided by training.",
        "11"),
    QuizItem(
        "the hidden-layer sizes picked by a random search", HYPERPARAMETER,
        "a search chooses them by comparing validation scores; gradient descent never changes them. "
        "Automating a choice does not make it learned.",
        "08",
        misconception="'if the computer picks it, it is learned'. What is learned, training computes from the "
                      "training data: by gradient descent for the network's parameters, by a preprocessing "
                      "step's estimate for its statistics. A search only automates your choice of "
                      "hyperparameters, by comparing validation scores."),
    QuizItem(
        "the number of input features (64 pixels for the digits)", NEITHER,
        "it is fixed by the data: not learned, and not a setting you tune. If you choose which features to "
        "use, that choice is a hyperparameter.",
        "10"),
    QuizItem(
        "the velocity that SGD with momentum keeps between steps", NEITHER,
        "it is the optimiser's running state, a means of computing the parameters rather than something learned: "
        "training updates it at every step from the gradients, predict never uses it, and you do not choose it. "
        "The momentum coefficient that scales it is the hyperparameter.",
        "09"),
]
