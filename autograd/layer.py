"""Layers: objects that own Parameters and sublayers and call functions on them.

A Layer finds its parameters and sublayers by attribute, in definition order; ``params()`` walks them
depth first, so the order and the names of ``named_params()`` are stable: attribute names joined by dots,
such as ``l0.W`` or ``lstm.x2f.b``. The same names key ``state_dict()`` and the files of ``save_weights``.
"""
import math
import operator

import autograd.function as F
from autograd.backend import CPU, device_of, dtype_name, get_device, load_npz, save_npz, to_host
from autograd.function.conv import _geometry as _conv_geometry  # the ops' own checks of kernel, stride, pad
from autograd.function.dropout import check_ratio
from autograd.function.normalization import check_momentum_eps
from autograd.variable import Parameter, Variable

__all__ = ["Layer", "Linear", "Conv2d", "ConvTranspose2d", "BatchNorm", "LayerNorm", "Embedding", "Dropout", "RNN",
           "LSTM"]


class Layer:
    """Base class: assign Parameters and Layers (or lists of them) as attributes; define ``forward``; call it.

    A parameter created at the first call (Linear's W and b) is named in ``_lazy`` and set to None until
    then; it keeps its place in the definition order, and :meth:`load_state_dict` can create it.
    A recurrent layer names its state attributes in ``_state``: ``reset_state()`` clears them.
    A layer names its buffers in ``_buffers``: arrays that are not trained but saved with the weights and moved
    with the layer (BatchNorm's running statistics).
    """

    _lazy = ()
    _state = ()
    _buffers = ()
    _device = None  # where to() last moved the layer: lazy parameters are created there

    def __init__(self):
        object.__setattr__(self, "_children", {})

    def __setattr__(self, name, value):
        global _changes
        children = self.__dict__.setdefault("_children", {})
        if _is_member(value) or (value is None and name in self._lazy) or (
                isinstance(value, (list, tuple)) and any(_is_member(item) for item in value)):
            children[name] = None
            _changes += 1
        elif name in children:
            del children[name]
            _changes += 1
        super().__setattr__(name, value)

    def __delattr__(self, name):
        global _changes
        if self.__dict__.get("_children", {}).pop(name, 0) is None:
            _changes += 1
        super().__delattr__(name)

    def __getstate__(self):  # pickling: the walk cache belongs to this process's change counter
        state = self.__dict__.copy()
        state.pop("_cache", None)
        return state

    def __call__(self, *inputs):
        return self.forward(*inputs)

    def forward(self, *inputs):
        raise NotImplementedError

    def _members(self):
        """(name, attribute, value) of every registered attribute, list items as ``name[i]`` (attribute None)."""
        for attr in self.__dict__.get("_children", {}):
            value = getattr(self, attr)
            if isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if _is_member(item):
                        yield f"{attr}[{i}]", None, item
            else:
                yield attr, attr, value

    def _places(self, prefix="", seen=None):
        """(name, owner, attribute, value) for every parameter place, depth first; value is None while a
        lazy parameter does not exist yet. A layer or parameter reached twice (shared) is listed once,
        under its first name, so an optimizer updates it once."""
        seen = set() if seen is None else seen
        for name, attr, value in self._members():
            if value is not None:
                if id(value) in seen:
                    continue
                seen.add(id(value))
            if isinstance(value, Layer):
                yield from value._places(f"{prefix}{name}.", seen)
            else:
                yield f"{prefix}{name}", self, attr, value
        for attr in self._buffers:
            yield f"{prefix}{attr}", self, attr, BUFFER

    def _walk(self):
        """``(places, named parameters, parameters)``, cached: a training step asks for them twice. The cache
        holds while no layer's registered attributes change (``_changes``) and every registered list keeps
        its items."""
        cache = self.__dict__.get("_cache")
        if cache is not None and cache[0] == _changes and (not cache[1] or all(
                len(now) == len(items) and all(map(operator.is_, now, items)) for now, items in cache[1])):
            return cache[2]
        places = list(self._places())
        named = [(name, p) for name, _, _, p in places if isinstance(p, Parameter)]
        walk = places, named, [p for _, p in named]
        lists = [(value, list(value)) for layer in self.sublayers() for attr in layer._children
                 if isinstance(value := getattr(layer, attr), list)]
        object.__setattr__(self, "_cache", (_changes, lists, walk))
        return walk

    def named_params(self):
        """(name, Parameter) pairs, depth first in definition order; names join attributes with dots and
        number list items: ``l0.W``, ``blocks[1].b``."""
        return list(self._walk()[1])

    def params(self):
        """Every Parameter of this layer and its sublayers, each once, in a stable order."""
        return list(self._walk()[2])

    def sublayers(self):
        """This layer and every layer inside it, each once, depth first."""
        found, stack = {}, [self]
        while stack:
            layer = stack.pop()
            if id(layer) not in found:
                found[id(layer)] = layer
                stack += reversed([v for _, _, v in layer._members() if isinstance(v, Layer)])
        return list(found.values())

    def cleargrads(self):
        for p in self._walk()[2]:
            p.grad = None

    def reset_state(self):
        """Forget the recurrent state of this layer and its sublayers (start a new sequence)."""
        for layer in self.sublayers():
            for name in layer._state:
                setattr(layer, name, None)

    def to(self, device):
        """Move every parameter (with its gradient) and recurrent state to ``device`` in place; returns self.

        Parameters keep their identity, so an optimizer's state for them follows on its next update.
        Recurrent state moves detached: backprop through time stops at the move, since the steps before it
        were recorded with the parameters' old arrays.
        """
        device = get_device(device)
        for p in self.params():
            p.data = device.put(p.data)
            if p.grad is not None:
                p.grad = Variable(device.put(p.grad.data))
        for layer in self.sublayers():
            layer._device = device
            for name in layer._buffers:
                setattr(layer, name, device.put(getattr(layer, name)))
            for name in layer._state:
                value = getattr(layer, name)
                if value is not None:
                    setattr(layer, name, Variable(device.put(value.data)))
        return self

    # ---- saving and loading ----------------------------------------------------------------------
    def state_dict(self):
        """``{name: NumPy array}`` of every parameter and buffer, copied to the host."""
        arrays = {}
        for name, owner, attr, p in self._walk()[0]:
            if p is BUFFER:
                arrays[name] = to_host(getattr(owner, attr)).copy()
            elif p is not None:
                arrays[name] = to_host(p.data).copy()
        return arrays

    def _lazy_shape(self, attr):
        """The shape a lazy parameter ``attr`` will have, None for a dimension known only at the first call."""
        raise NotImplementedError

    def check_state_dict(self, arrays):
        """The planned updates ``[(owner, attribute, parameter or None, host array)]`` for ``arrays``, every
        entry checked and converted: a missing, unexpected, wrongly shaped or unconvertible entry raises
        ValueError naming it. Nothing changes."""
        places = self._walk()[0]
        names = [name for name, _, _, _ in places]
        unexpected = sorted(set(arrays) - set(names))
        if unexpected:
            raise ValueError(f"load_state_dict: unexpected entries {unexpected}; "
                             f"this {type(self).__name__} has {names}")
        updates = []
        for name, owner, attr, p in places:
            kind, current = ("buffer", getattr(owner, attr)) if p is BUFFER else ("parameter", p)
            if name not in arrays:
                if p is None:
                    continue  # lazy on both sides: still to be created by the first call
                raise ValueError(f"load_state_dict: no entry for {kind} {name!r} (shape {tuple(current.shape)})")
            array = to_host(arrays[name])
            expected = tuple(current.shape) if current is not None else owner._lazy_shape(attr)
            if len(array.shape) != len(expected) or any(e not in (None, a) for e, a in zip(expected, array.shape)):
                shown = tuple("any" if e is None else e for e in expected)
                raise ValueError(f"load_state_dict: {kind} {name!r} has shape {shown}, "
                                 f"the entry has shape {tuple(array.shape)}")
            dtype = dtype_name(current.dtype) if current is not None else owner.dtype
            try:
                array = array.astype(dtype)
            except (TypeError, ValueError) as e:
                raise ValueError(f"load_state_dict: entry {name!r} ({array.dtype}) does not convert to "
                                 f"{dtype}: {e}") from None
            updates.append((owner, attr, p, array))
        return updates

    def load_state_dict(self, arrays):
        """Set every parameter from ``{name: array}`` (any device), keeping each parameter's dtype and device;
        everything is checked first (:meth:`check_state_dict`), so a refused entry changes nothing.

        A lazy parameter not created yet is created from its entry, in its layer's dtype, on the device its
        layer (or this one) was moved to, else that of the other parameters, else the cpu.
        """
        updates = self.check_state_dict(arrays)
        existing = self.params()
        home = self._device or (existing[0].device if existing else CPU)
        for owner, attr, p, array in updates:
            if p is BUFFER:  # array is a fresh host copy: the layer may update it in place
                setattr(owner, attr, device_of(getattr(owner, attr)).put(array))
            elif p is None:
                setattr(owner, attr, Parameter(array, name=attr, device=owner._device or home))
            else:
                p.data = p.device.put(array)

    def save_weights(self, path):
        """Write the parameters to ``path`` as a NumPy ``.npz`` of host arrays, atomically: a crash
        mid-save leaves any previous file at ``path`` intact."""
        save_npz(path, self.state_dict())

    def load_weights(self, path):
        """Read parameters written by :meth:`save_weights` onto the layer's current device (see
        :meth:`load_state_dict` for the checks)."""
        self.load_state_dict(load_npz(path))


BUFFER = "buffer"  # the value of a buffer's place in Layer._places: read the array from its owner when needed
_changes = 0  # counts changes to any layer's registered attributes: Layer._walk's cache is valid while it holds


def _is_member(value):
    return isinstance(value, (Parameter, Layer))


def _create_weight_and_bias(layer, shape, fan_in, out_size, device):
    """``layer.W`` of ``shape`` drawn from N(0, 1/fan_in) in the layer's dtype, and ``layer.b``, zeros of
    ``out_size``, unless ``layer.nobias``; on ``device``."""
    layer.W = Parameter(device.randn(shape, layer.dtype) * (1.0 / math.sqrt(fan_in)), name="W")
    if not layer.nobias:
        layer.b = Parameter(device.xp.zeros(out_size, dtype=layer.W.dtype, device=device.where), name="b")


def _check_size(layer, name, value, optional=False):
    """``value`` as a positive int (NumPy integers welcome); None when optional."""
    if optional and value is None:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        size = operator.index(value)
    except TypeError:
        raise ValueError(f"{layer}: {name} must be a positive int, got {value!r}") from None
    if size < 1:
        raise ValueError(f"{layer}: {name} must be a positive int, got {value!r}")
    return size


class Linear(Layer):
    """y = x W + b with W of shape (in_size, out_size), drawn from N(0, 1/in_size), and b zeros.

    With ``in_size=None`` W and b are created at the first call, W from the input's last dimension, on the
    device the layer was moved to with ``to`` (else on the input's); otherwise at once, on the cpu.
    """

    _lazy = ("W", "b")

    def __init__(self, out_size, in_size=None, nobias=False, dtype="float32"):
        super().__init__()
        self.out_size = _check_size("Linear", "out_size", out_size)
        in_size = _check_size("Linear", "in_size", in_size, optional=True)
        self.nobias, self.dtype = nobias, dtype
        self._lazy = ("W",) if nobias else ("W", "b")  # no place for a bias that never comes
        self.W = self.b = None
        if in_size is not None:
            self._create(in_size, CPU)

    @property
    def in_size(self):
        return None if self.W is None else self.W.shape[0]

    def _lazy_shape(self, attr):
        return (None, self.out_size) if attr == "W" else (self.out_size,)

    def _create(self, in_size, device):
        _create_weight_and_bias(self, (in_size, self.out_size), in_size, self.out_size, device)

    def forward(self, x):
        x = x if isinstance(x, Variable) else Variable(x, requires_grad=False)
        if self.W is None:
            self._create(x.shape[-1], self._device or x.device)
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
        self.h2h = Linear(hidden_size, nobias=True, dtype=dtype)
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
        self.h2f = Linear(hidden_size, nobias=True, dtype=dtype)
        self.h2i = Linear(hidden_size, nobias=True, dtype=dtype)
        self.h2o = Linear(hidden_size, nobias=True, dtype=dtype)
        self.h2u = Linear(hidden_size, nobias=True, dtype=dtype)
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


class _Conv(Layer):
    """What Conv2d and ConvTranspose2d share: a kernel W created at once or at the first call (from the
    input's channel axis), a bias b of the output channels, and the stride and padding of the op."""

    _lazy = ("W", "b")

    def __init__(self, out_channels, kernel_size, stride, pad, nobias, in_channels, dtype):
        super().__init__()
        kind = type(self).__name__
        self.out_channels = _check_size(kind, "out_channels", out_channels)
        self.kernel_size, self.stride, self.pad = _conv_geometry(kernel_size, stride, pad, kind)  # pairs
        in_channels = _check_size(kind, "in_channels", in_channels, optional=True)
        self.nobias, self.dtype = nobias, dtype
        self._lazy = ("W",) if nobias else ("W", "b")
        self.W = self.b = None
        if in_channels is not None:
            self._create(in_channels, CPU)

    @property
    def in_channels(self):
        return None if self.W is None else self.W.shape[self._in_axis]

    def _kernel_shape(self, in_channels):
        raise NotImplementedError

    def _lazy_shape(self, attr):
        return self._kernel_shape(None) if attr == "W" else (self.out_channels,)

    def _create(self, in_channels, device):
        kh, kw = self.kernel_size
        _create_weight_and_bias(self, self._kernel_shape(in_channels), in_channels * kh * kw, self.out_channels,
                                device)

    def _input(self, x):
        x = x if isinstance(x, Variable) else Variable(x, requires_grad=False)
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__}: expected input of shape (N, C, H, W), got {x.shape}")
        if self.W is None:
            self._create(x.shape[1], self._device or x.device)
        return x


class Conv2d(_Conv):
    """y = conv2d(x, W, b, stride, pad) on NCHW input, W of shape (out_channels, in_channels, kh, kw) drawn
    from N(0, 1/(in_channels kh kw)), b zeros. With ``in_channels=None`` W and b are created at the first call
    (as Linear's)."""

    _in_axis = 1

    def __init__(self, out_channels, kernel_size, stride=1, pad=0, nobias=False, in_channels=None,
                 dtype="float32"):
        super().__init__(out_channels, kernel_size, stride, pad, nobias, in_channels, dtype)

    def _kernel_shape(self, in_channels):
        return (self.out_channels, in_channels) + self.kernel_size

    def forward(self, x):
        return F.conv2d(self._input(x), self.W, self.b, stride=self.stride, pad=self.pad)


class ConvTranspose2d(_Conv):
    """y = conv_transpose2d(x, W, b, stride, pad, outsize): the gradient of a convolution as a layer
    (upsampling). W has shape (in_channels, out_channels, kh, kw), drawn from N(0, 1/(in_channels kh kw))."""

    _in_axis = 0

    def __init__(self, out_channels, kernel_size, stride=1, pad=0, nobias=False, in_channels=None,
                 outsize=None, dtype="float32"):
        super().__init__(out_channels, kernel_size, stride, pad, nobias, in_channels, dtype)
        self.outsize = outsize

    def _kernel_shape(self, in_channels):
        return (in_channels, self.out_channels) + self.kernel_size

    def forward(self, x):
        return F.conv_transpose2d(self._input(x), self.W, self.b, stride=self.stride, pad=self.pad,
                                  outsize=self.outsize)


class BatchNorm(Layer):
    """Batch normalisation over the channel axis 1 of (N, C) or (N, C, H, W) input: gamma (ones) and beta
    (zeros) are trained; the buffers ``running_mean`` (zeros) and ``running_var`` (ones) follow the batches in
    training and normalise in ``test_mode()``. They are saved with the weights and move with ``to``."""

    _buffers = ("running_mean", "running_var")

    def __init__(self, num_features, momentum=0.1, eps=1e-5, dtype="float32"):
        super().__init__()
        size = _check_size("BatchNorm", "num_features", num_features)
        check_momentum_eps("BatchNorm", momentum, eps)
        self.momentum, self.eps = float(momentum), float(eps)
        self.gamma = Parameter(CPU.xp.ones(size, dtype=dtype), name="gamma")
        self.beta = Parameter(CPU.xp.zeros(size, dtype=dtype), name="beta")
        self.running_mean = CPU.xp.zeros(size, dtype=dtype)
        self.running_var = CPU.xp.ones(size, dtype=dtype)

    def forward(self, x):
        return F.batch_norm(x, self.gamma, self.beta, self.running_mean, self.running_var,
                            momentum=self.momentum, eps=self.eps)


class LayerNorm(Layer):
    """Layer normalisation over the trailing axes ``normalized_shape`` (an int or a tuple), with gamma (ones)
    and beta (zeros) of that shape."""

    def __init__(self, normalized_shape, eps=1e-5, dtype="float32"):
        super().__init__()
        shape = tuple(normalized_shape) if isinstance(normalized_shape, (tuple, list)) else (normalized_shape,)
        shape = tuple(_check_size("LayerNorm", "normalized_shape", n) for n in shape)
        check_momentum_eps("LayerNorm", None, eps)
        self.eps = float(eps)
        self.gamma = Parameter(CPU.xp.ones(shape, dtype=dtype), name="gamma")
        self.beta = Parameter(CPU.xp.zeros(shape, dtype=dtype), name="beta")

    def forward(self, x):
        return F.layer_norm(x, self.gamma, self.beta, eps=self.eps)


class Embedding(Layer):
    """Rows of W (vocab_size, dim), drawn from N(0, 1), looked up by integer ids: y = W[ids]."""

    def __init__(self, vocab_size, dim, dtype="float32"):
        super().__init__()
        shape = (_check_size("Embedding", "vocab_size", vocab_size), _check_size("Embedding", "dim", dim))
        self.W = Parameter(CPU.randn(shape, dtype), name="W")

    def forward(self, ids):
        return F.embed_id(ids, self.W)


class Dropout(Layer):
    """Inverted dropout with probability ``ratio`` in training; the identity in ``test_mode()``."""

    def __init__(self, ratio=0.5):
        super().__init__()
        check_ratio("Dropout", ratio)
        self.ratio = float(ratio)

    def forward(self, x):
        return F.dropout(x, self.ratio)
