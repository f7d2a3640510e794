"""Models: Layers that compose other layers (Sequential, MLP, LSTM), meant to be trained as a whole.

A model is a [Layer][autograd.layer.Layer]: it has `params()`, `cleargrads()`, `to(device)`, `state_dict()`
and `save_weights()`, and an optimizer's `update(model)` takes it.
"""
import autograd.function as F
from autograd import layer
from autograd.layer import Layer

__all__ = ["Model", "Sequential", "MLP", "LSTM"]


class Model(Layer):
    """A Layer meant to be trained as a whole; `m(x)` and `m.forward(x)` are the same.

    Subclass it as a [Layer][autograd.layer.Layer]: assign layers in `__init__`, define `forward`.

    Examples:
        >>> from autograd import Variable, layer, model
        >>> import autograd.function as F
        >>> class TwoLayer(model.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden, self.out = layer.Linear(8), layer.Linear(1)
        ...     def forward(self, x):
        ...         return self.out(F.relu(self.hidden(x)))
        >>> net = TwoLayer()
        >>> net(Variable([[1.0, 2.0]], dtype="float32")).shape, len(net.params())
        ((1, 1), 4)
    """


class Sequential(Model):
    """Layers (or plain functions such as `F.relu`) applied in order: `y = fn(... f1(f0(x)))`.

    Item i is the attribute `l{i}`, so the names of `Sequential(Linear(8), F.relu, Linear(1))` are `l0.W`,
    `l0.b`, `l2.W`, `l2.b`.

    Args:
        *layers (Layer | Callable): Layers and callables taking one input and returning one output.

    Raises:
        TypeError: an item is not callable.

    Examples:
        >>> from autograd import Variable, layer, model
        >>> import autograd.function as F
        >>> net = model.Sequential(layer.Linear(8), F.relu, layer.Linear(1))
        >>> net(Variable([[1.0, 2.0, 3.0]], dtype="float32")).shape
        (1, 1)
        >>> [name for name, _ in net.named_params()]
        ['l0.W', 'l0.b', 'l2.W', 'l2.b']
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
    """Multilayer perceptron: Linear layers `l0, l1, ...` of the given output sizes, with `activation` after
    every layer but the last.

        y = l_last(activation(... activation(l0(x))))

    The input sizes are inferred at the first call (the layers are lazy [Linear][autograd.layer.Linear]s).

    Args:
        out_sizes (list[int]): the output size of each layer, the last one the model's output, e.g. `[64, 64, 1]`.
        activation (Callable): the function between layers. Default [F.sigmoid][autograd.function.sigmoid] (the
            seed's); [F.relu][autograd.function.relu] is the usual choice for deeper networks.

    Raises:
        ValueError: `out_sizes` is empty, or a size is not a positive int.

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
    """An LSTM layer followed by a Linear read-out: `y = linear(lstm(x))`, one time step per call.

    The sublayers are `lstm` ([layer.LSTM][autograd.layer.LSTM]) and `linear`, both lazy. The recurrent state
    is kept between calls: `reset_state()` starts a new sequence, `loss.unchain_backward()` truncates
    backprop through time.

    Args:
        hidden_size (int): the LSTM's state size. Typical values: 32 to 256.
        out_size (int): the size of each output, e.g. 1 for next-value prediction.

    Examples:
        >>> from autograd import Variable, model
        >>> net = model.LSTM(hidden_size=8, out_size=1)
        >>> y = net(Variable([[0.5]], dtype="float32"))
        >>> y = net(Variable([[0.6]], dtype="float32"))
        >>> y.shape, net.lstm.h.shape
        ((1, 1), (1, 8))
        >>> net.reset_state(); net.lstm.h is None
        True
    """

    def __init__(self, hidden_size, out_size):
        super().__init__()
        self.lstm = layer.LSTM(hidden_size)
        self.linear = layer.Linear(out_size)

    def forward(self, x):
        """One time step: x (N, in_size) -> y (N, out_size)."""
        return self.linear(self.lstm(x))
