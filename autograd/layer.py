"""Layers: objects that own Parameters and sublayers and call functions on them.

A Layer finds its parameters and sublayers by attribute, in definition order; ``params()`` walks them
depth first, so the order and the names of ``named_params()`` are stable: attribute names joined by dots,
such as ``l0.W`` or ``lstm.x2f.b``. The same names key ``state_dict()`` and the files of ``save_weights``.
"""
import math

import autograd.function as F
from autograd.backend import CPU, dtype_name, get_device, load_npz, save_npz, to_host
from autograd.variable import Parameter, Variable


class Layer:
    """Base class: assign Parameters and Layers as attributes; define ``forward``; call the layer.

    A recurrent layer names its state attributes in ``_state``: ``reset_state()`` clears them and
    ``to(device)`` moves them along with the parameters.
    """

    _state = ()

    def __init__(self):
        object.__setattr__(self, "_children", {})

    def __setattr__(self, name, value):
        # None reserves a place, so a parameter created lazily (Linear's W) keeps its definition order.
        if name not in self._state and (value is None or isinstance(value, (Parameter, Layer))):
            self.__dict__.setdefault("_children", {})[name] = None
        super().__setattr__(name, value)

    def __call__(self, *inputs):
        return self.forward(*inputs)

    def forward(self, *inputs):
        raise NotImplementedError

    def _places(self, prefix=""):
        """(name, owner, attribute, value) for every parameter place, depth first; value is None while a
        lazily created parameter does not exist yet."""
        for attr in self.__dict__.get("_children", {}):
            value = getattr(self, attr, None)
            if isinstance(value, Layer):
                yield from value._places(f"{prefix}{attr}.")
            elif value is None or isinstance(value, Parameter):
                yield f"{prefix}{attr}", self, attr, value

    def named_params(self):
        """(name, Parameter) pairs, depth first in definition order; names join attributes with dots."""
        return [(name, value) for name, _, _, value in self._places() if value is not None]

    def params(self):
        """Every Parameter of this layer and its sublayers, in a stable order."""
        return [p for _, _, _, p in self._places() if p is not None]

    def layers(self):
        """This layer and every sublayer, depth first."""
        found = [self]
        for attr in self.__dict__.get("_children", {}):
            value = getattr(self, attr, None)
            if isinstance(value, Layer):
                found += value.layers()
        return found

    def cleargrads(self):
        for p in self.params():
            p.cleargrad()

    def reset_state(self):
        """Forget the recurrent state of this layer and its sublayers (start a new sequence)."""
        for layer in self.layers():
            for name in layer._state:
                setattr(layer, name, None)

    def to(self, device):
        """Move every parameter (with its gradient) and recurrent state to ``device`` in place; returns self.

        Parameters keep their identity, so an optimizer's state for them follows on its next update.
        """
        device = get_device(device)
        for p in self.params():
            p.data = device.put(p.data)
            if p.grad is not None:
                p.grad = Variable(device.put(p.grad.data))
        for layer in self.layers():
            for name in layer._state:
                value = getattr(layer, name)
                if value is not None:
                    setattr(layer, name, value.to(device))  # differentiable: the graph reaches back
        return self

    # ---- saving and loading ----------------------------------------------------------------------
    def state_dict(self):
        """``{name: NumPy array}`` of every parameter, copied to the host."""
        return {name: to_host(p.data).copy() for name, p in self.named_params()}

    def load_state_dict(self, arrays):
        """Set every parameter from ``{name: array}`` (any device), keeping each parameter's dtype and device.

        A parameter not created yet (a lazy Linear's W) is created from the array, on the device of the
        layer's other parameters. Every name and shape is checked before anything changes: a missing,
        unexpected or wrongly shaped entry raises ValueError naming it.
        """
        places = list(self._places())
        unexpected = sorted(set(arrays) - {name for name, _, _, _ in places})
        if unexpected:
            raise ValueError(f"load_state_dict: unexpected entries {unexpected}; "
                             f"this {type(self).__name__} has {[name for name, _, _, _ in places]}")
        existing = [p for _, _, _, p in places if p is not None]
        home = existing[0].device if existing else CPU
        updates = []
        for name, owner, attr, p in places:
            if name not in arrays:
                if p is None:
                    continue  # lazy on both sides: still to be created by the first call
                raise ValueError(f"load_state_dict: no entry for parameter {name!r} (shape {p.shape})")
            array = to_host(arrays[name])
            if p is not None and tuple(array.shape) != p.shape:
                raise ValueError(f"load_state_dict: parameter {name!r} has shape {p.shape}, "
                                 f"the entry has shape {tuple(array.shape)}")
            updates.append((owner, attr, p, array))
        for owner, attr, p, array in updates:
            if p is None:
                setattr(owner, attr, Parameter(array, name=attr, device=home))
            else:
                p.data = p.device.put(array.astype(dtype_name(p.dtype)))

    def save_weights(self, path):
        """Write the parameters to ``path`` as a NumPy ``.npz`` of host arrays, atomically: a crash
        mid-save leaves any previous file at ``path`` intact."""
        save_npz(path, self.state_dict())

    def load_weights(self, path):
        """Read parameters written by :meth:`save_weights` onto the layer's current device (see
        :meth:`load_state_dict` for the checks)."""
        self.load_state_dict(load_npz(path))


def _check_size(layer, name, value, optional=False):
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{layer}: {name} must be a positive int, got {value!r}")


class Linear(Layer):
    """y = x W + b with W of shape (in_size, out_size), drawn from N(0, 1/in_size), and b zeros.
    With ``in_size=None`` W is created at the first call, from the input's last dimension, on its device."""

    def __init__(self, out_size, in_size=None, nobias=False, dtype="float32"):
        super().__init__()
        _check_size("Linear", "out_size", out_size)
        _check_size("Linear", "in_size", in_size, optional=True)
        self.out_size, self.dtype = out_size, dtype
        self.W = None if in_size is None else self._new_W(in_size, CPU)
        self.b = None if nobias else Parameter([0.0] * out_size, name="b", dtype=dtype)

    @property
    def in_size(self):
        return None if self.W is None else self.W.shape[0]

    def _new_W(self, in_size, device):
        scale = 1.0 / math.sqrt(in_size)
        return Parameter(device.randn((in_size, self.out_size), self.dtype) * scale, name="W")

    def forward(self, x):
        x = x if isinstance(x, Variable) else Variable(x, requires_grad=False)
        if self.W is None:
            self.W = self._new_W(x.shape[-1], x.device)
            if self.b is not None:
                self.b.data = x.device.put(self.b.data)
        return F.linear(x, self.W, self.b)


class RNN(Layer):
    """Elman RNN, one step per call: h = tanh(x2h(x) + h2h(h_prev)), the h2h term absent on the first step.

    The state h is kept between calls (so backprop runs through the whole sequence); ``reset_state()``
    starts a new sequence, and ``h.unchain_backward()`` truncates backprop through time.
    """

    _state = ("h",)

    def __init__(self, hidden_size, in_size=None, dtype="float32"):
        super().__init__()
        self.x2h = Linear(hidden_size, in_size, dtype=dtype)
        self.h2h = Linear(hidden_size, hidden_size, nobias=True, dtype=dtype)
        self.h = None

    def forward(self, x):
        a = self.x2h(x)
        if self.h is not None:
            a = a + self.h2h(self.h)
        self.h = F.tanh(a)
        return self.h


class LSTM(Layer):
    """LSTM, one step per call, with gates f (forget), i (input), o (output) and candidate u:

        f = sigmoid(x2f(x) + h2f(h)),  i = sigmoid(x2i(x) + h2i(h)),  o = sigmoid(x2o(x) + h2o(h)),
        u = tanh(x2u(x) + h2u(h)),     c = f * c_prev + i * u,         h = o * tanh(c)

    On the first step the h2* terms and f * c_prev are absent (h and c start at zero).
    """

    _state = ("h", "c")

    def __init__(self, hidden_size, in_size=None, dtype="float32"):
        super().__init__()
        self.x2f = Linear(hidden_size, in_size, dtype=dtype)
        self.x2i = Linear(hidden_size, in_size, dtype=dtype)
        self.x2o = Linear(hidden_size, in_size, dtype=dtype)
        self.x2u = Linear(hidden_size, in_size, dtype=dtype)
        self.h2f = Linear(hidden_size, hidden_size, nobias=True, dtype=dtype)
        self.h2i = Linear(hidden_size, hidden_size, nobias=True, dtype=dtype)
        self.h2o = Linear(hidden_size, hidden_size, nobias=True, dtype=dtype)
        self.h2u = Linear(hidden_size, hidden_size, nobias=True, dtype=dtype)
        self.h = self.c = None

    def _gate(self, x2, h2, x):
        a = x2(x)
        return a if self.h is None else a + h2(self.h)

    def forward(self, x):
        f = F.sigmoid(self._gate(self.x2f, self.h2f, x))
        i = F.sigmoid(self._gate(self.x2i, self.h2i, x))
        o = F.sigmoid(self._gate(self.x2o, self.h2o, x))
        u = F.tanh(self._gate(self.x2u, self.h2u, x))
        c = i * u if self.c is None else f * self.c + i * u
        self.h, self.c = o * F.tanh(c), c
        return self.h
