"""Models: Layers that compose other layers (Sequential, MLP, LSTM), meant to be trained as a whole."""
import autograd.function as F
from autograd import layer
from autograd.layer import Layer

__all__ = ["Model", "Sequential", "MLP", "LSTM"]


class Model(Layer):
    """A Layer meant to be trained as a whole; ``m(x)`` and ``m.forward(x)`` are the same."""


class Sequential(Model):
    """Layers (or plain functions such as ``F.relu``) applied in order. Item i is the attribute ``l{i}``
    (so the names of ``Sequential(Linear(8), F.relu, Linear(1))`` are l0.W, l0.b, l2.W, l2.b)."""

    def __init__(self, *layers):
        super().__init__()
        for i, item in enumerate(layers):
            if not callable(item):
                raise TypeError(f"Sequential: item {i} is a {type(item).__name__}, not a layer or function")
            setattr(self, f"l{i}", item)
        self.size = len(layers)

    def forward(self, x):
        for i in range(self.size):
            x = getattr(self, f"l{i}")(x)
        return x


class MLP(Model):
    """Linear layers l0, l1, ... of the given output sizes (input sizes inferred at the first call), with
    ``activation`` after every layer but the last."""

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
        for i in range(self.size - 1):
            x = self.activation(getattr(self, f"l{i}")(x))
        return getattr(self, f"l{self.size - 1}")(x)


class LSTM(Model):
    """An LSTM layer followed by a Linear read-out: y = linear(lstm(x)), one time step per call."""

    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.lstm = layer.LSTM(hidden_size)
        self.linear = layer.Linear(out_size)

    def forward(self, x):
        return self.linear(self.lstm(x))
