"""Models: Layers that compose other layers (Sequential, MLP, LSTM, GRU), meant to be trained as a whole.

A model is a [Layer][autograd.layer.Layer] (`params()`, `cleargrads()`, `to(device)`, `state_dict()`, ...),
and an optimizer's `update(model)` takes it. The Linear layers these models make are lazy.
"""
import autograd.function as F
from autograd import layer
from autograd.layer import Layer

__all__ = ["Model", "Sequential", "MLP", "LSTM", "GRU"]


class Model(Layer):
    """A Layer meant to be trained as a whole; subclass it as a [Layer][autograd.layer.Layer].

    Examples:
        >>> from autograd import Variable, layer, model
        >>> class Affine(model.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.lin = layer.Linear(1)
        ...     def forward(self, x):
        ...         return self.lin(x)
        >>> Affine()(Variable([[1.0, 2.0]], dtype="float32")).shape
        (1, 1)
    """


class Sequential(Model):
    """Layers (or plain functions such as `F.relu`) applied in order: `y = fn(... f1(f0(x)))`. Item i is the
    attribute `l{i}`; an item that is not callable raises a TypeError.

    Examples:
        >>> from autograd import Variable, layer, model
        >>> import autograd.function as F
        >>> net = model.Sequential(layer.Linear(8), F.relu, layer.Linear(1))
        >>> net(Variable([[1.0, 2.0, 3.0]], dtype="float32")).shape, [name for name, _ in net.named_params()]
        ((1, 1), ['l0.W', 'l0.b', 'l2.W', 'l2.b'])
    """

    def __init__(self, *layers):
        super().__init__()
        for i, item in enumerate(layers):
            if not callable(item):
                raise TypeError(f"Sequential: item {i} is a {type(item).__name__}, not a layer or function")
            setattr(self, f"l{i}", item)
        self.size = len(layers)

    def forward(self, x):
        """Apply the items to x in order; returns the last one's output."""
        for i in range(self.size):
            x = getattr(self, f"l{i}")(x)
        return x


class MLP(Model):
    """Multilayer perceptron: Linear layers `l0, l1, ...` of the output sizes `out_sizes` (at least one, else a
    ValueError; e.g. `[64, 64, 1]`), with `activation` ([F.sigmoid][autograd.function.sigmoid], the seed's, by
    default; [F.relu][autograd.function.relu] for deeper networks) after every layer but the last.

    Examples:
        >>> from autograd import Variable, model
        >>> import autograd.function as F
        >>> mlp = model.MLP([16, 16, 3], activation=F.relu)
        >>> mlp(Variable([[0.5, -0.5]], dtype="float32")).shape, mlp.l0.W.shape
        ((1, 3), (2, 16))
    """

    def __init__(self, out_sizes, activation=F.sigmoid):
        super().__init__()
        out_sizes = list(out_sizes)
        if not out_sizes:
            raise ValueError("MLP: out_sizes must name at least one layer size")
        self.activation = activation
        for i, size in enumerate(out_sizes):
            setattr(self, f"l{i}", layer.Linear(size))
        self.size = len(out_sizes)

    def forward(self, x):
        """x (..., in_size) -> (..., out_sizes[-1])."""
        for i in range(self.size - 1):
            x = self.activation(getattr(self, f"l{i}")(x))
        return getattr(self, f"l{self.size - 1}")(x)


class LSTM(Model):
    """An LSTM layer followed by a Linear read-out, one time step per call: `y = linear(lstm(x))`, with
    sublayers `lstm` ([layer.LSTM][autograd.layer.LSTM], hidden_size) and `linear` (out_size), keeping the
    recurrent state between calls until `reset_state()`.

    Examples:
        >>> from autograd import Variable, model
        >>> net = model.LSTM(hidden_size=8, out_size=1)
        >>> net(Variable([[0.5]], dtype="float32")).shape, net.lstm.h.shape
        ((1, 1), (1, 8))
    """

    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.lstm = layer.LSTM(hidden_size)
        self.linear = layer.Linear(out_size)

    def forward(self, x):
        """One time step: x (N, in_size) -> y (N, out_size)."""
        return self.linear(self.lstm(x))


class GRU(Model):
    """A GRU layer followed by a Linear read-out, one time step per call: `y = linear(gru(x))`, with sublayers
    `gru` ([layer.GRU][autograd.layer.GRU], hidden_size) and `linear` (out_size), keeping the recurrent state
    between calls until `reset_state()`.

    Examples:
        >>> from autograd import Variable, model
        >>> net = model.GRU(hidden_size=8, out_size=1)
        >>> net(Variable([[0.5]], dtype="float32")).shape, net.gru.h.shape
        ((1, 1), (1, 8))
    """

    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.gru = layer.GRU(hidden_size)
        self.linear = layer.Linear(out_size)

    def forward(self, x):
        """One time step: x (N, in_size) -> y (N, out_size)."""
        return self.linear(self.gru(x))
