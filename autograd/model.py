"""Models: Layers that compose other layers (Sequential, MLP, LSTM), meant to be trained as a whole."""
import autograd.function as F
from autograd import layer
from autograd.layer import Layer


class Model(Layer):
    """A Layer meant to be trained as a whole; ``m(x)`` and ``m.forward(x)`` are the same."""


class Sequential(Model):
    """Layers (or plain functions such as ``F.relu``) applied in order; sublayers are named l0, l1, ...
    by their position."""

    def __init__(self, *layers):
        super().__init__()
        for i, item in enumerate(layers):
            if not callable(item):
                raise TypeError(f"Sequential: item {i} is a {type(item).__name__}, not a layer or function")
        self.steps = list(layers)
        for i, item in enumerate(layers):
            if isinstance(item, Layer):
                setattr(self, f"l{i}", item)

    def forward(self, x):
        for step in self.steps:
            x = step(x)
        return x


class MLP(Model):
    """Linear layers of the given output sizes (input sizes inferred at the first call), named l0, l1, ...,
    with ``activation`` after every layer but the last."""

    def __init__(self, out_sizes, activation=F.sigmoid):
        super().__init__()
        out_sizes = list(out_sizes)
        if not out_sizes:
            raise ValueError("MLP: out_sizes must name at least one layer size")
        self.activation = activation
        self.linears = [layer.Linear(size) for size in out_sizes]
        for i, linear in enumerate(self.linears):
            setattr(self, f"l{i}", linear)

    def forward(self, x):
        for linear in self.linears[:-1]:
            x = self.activation(linear(x))
        return self.linears[-1](x)


class LSTM(Model):
    """An LSTM layer followed by a Linear read-out: y = linear(lstm(x)), one time step per call."""

    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.lstm = layer.LSTM(hidden_size)
        self.linear = layer.Linear(out_size)

    def forward(self, x):
        return self.linear(self.lstm(x))
