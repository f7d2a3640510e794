"""Layers: objects that own Parameters and sublayers and call functions on them.

A Layer finds its parameters and sublayers by attribute, in definition order; ``params()`` walks them
depth first, so the order (and the names of ``named_params()``, such as ``l0.W``) is stable.
"""
import math

import autograd.function as F
from autograd.backend import get_device
from autograd.variable import Parameter, Variable


class Layer:
    """Base class: assign Parameters and Layers as attributes; define ``forward``; call the layer."""

    def __init__(self):
        object.__setattr__(self, "_children", {})

    def __setattr__(self, name, value):
        # None reserves a place, so a parameter created lazily (Linear's W) keeps its definition order.
        if value is None or isinstance(value, (Parameter, Layer)):
            self.__dict__.setdefault("_children", {})[name] = None
        super().__setattr__(name, value)

    def __call__(self, *inputs):
        return self.forward(*inputs)

    def forward(self, *inputs):
        raise NotImplementedError

    def named_params(self, prefix=""):
        """(name, Parameter) pairs, depth first in definition order; names join attributes with dots."""
        for name in self.__dict__.get("_children", {}):
            value = getattr(self, name, None)
            if isinstance(value, Layer):
                yield from value.named_params(f"{prefix}{name}.")
            elif isinstance(value, Parameter):
                yield f"{prefix}{name}", value

    def params(self):
        """Every Parameter of this layer and its sublayers, in a stable order."""
        return [p for _, p in self.named_params()]

    def cleargrads(self):
        for p in self.params():
            p.cleargrad()

    def to(self, device):
        """Move every parameter to ``device`` in place; returns the layer."""
        device = get_device(device)
        for p in self.params():
            p.data = device.put(p.data)
            if p.grad is not None:
                p.grad = Variable(device.put(p.grad.data))
        return self


class Linear(Layer):
    """y = x W + b with W of shape (in_size, out_size), drawn from N(0, 1/in_size) on the input's device.
    With ``in_size=None`` W is created at the first call, from the input's last dimension."""

    def __init__(self, out_size, in_size=None, nobias=False, dtype="float32"):
        super().__init__()
        self.out_size, self.in_size, self.dtype = out_size, in_size, dtype
        self.W = None if in_size is None else self._new_W(get_device("cpu"))
        self.b = None if nobias else Parameter([0.0] * out_size, name="b", dtype=dtype)

    def _new_W(self, device):
        scale = 1.0 / math.sqrt(self.in_size)
        return Parameter(device.randn((self.in_size, self.out_size), self.dtype) * scale, name="W")

    def forward(self, x):
        x = x if isinstance(x, Variable) else Variable(x, requires_grad=False)
        if self.W is None:
            self.in_size = x.shape[-1]
            self.W = self._new_W(x.device)
            if self.b is not None:
                self.b.data = x.device.put(self.b.data)
        return F.linear(x, self.W, self.b)
