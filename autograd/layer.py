"""Layers: objects that own Parameters and sublayers and call functions on them. The rules, stated once:

- **Finding parameters.** A layer's attributes are walked in the order first assigned: a
  [Parameter][autograd.variable.Parameter] is a parameter, a Layer is walked in turn, a list, tuple or dict
  is looked into, nested too, whenever its items were put there (`self.blocks = [None] * 3` filled later,
  `self.heads = {"out": Linear(1)}`): plain lists and dicts are PyTorch's ModuleList and ModuleDict, so
  `self.blocks = [Block() for _ in range(n)]` needs no container class. A layer or parameter reached
  twice (tied weights) counts once, under its first name. Names join attributes with dots and index
  container items (`l0.W`, `blocks[1].W`, `heads[out].b`); they key `state_dict()` and checkpoints.
- **The walk is cached** (it costs more than a small model's training step can spare) until an attribute of
  a layer is assigned or deleted, or a list or dict it went through changes: assign attributes normally,
  not through `__dict__`.
- **Lazy parameters.** Linear, Conv2d, ConvTranspose2d, and RNN, LSTM and GRU built on Linear, create their
  weights at the first call unless the input size is given, on the device of `to` (else the input's); until
  then they are None and keep their place, and a first call that raises keeps none of them. Other parameters
  are created at once, on the cpu. Weights are drawn on the host: `autograd.seed(n)` gives the same values on
  every device.
- **Sizes** must be positive ints (NumPy integers welcome), else a ValueError names the layer and argument.
"""
import math
import operator

import autograd.function as F
from autograd.backend import CPU, device_of, dtype_in, dtype_name, get_device, load_npz, save_npz, to_host
from autograd._checks import check_eps, check_momentum, check_ratio, kernel_geometry, number, pair
from autograd.variable import Parameter, Variable

__all__ = ["Layer", "Linear", "Conv2d", "ConvTranspose2d", "BatchNorm", "LayerNorm", "Embedding", "Dropout", "RNN",
           "LSTM", "GRU", "MultiHeadAttention"]


class Layer:
    """Base class of layers and models: assign Parameters, Layers and containers of them as attributes,
    define `forward`, call the layer.

    A subclass may declare `_lazy`, the parameters created at the first call, None until then (it defines
    `_lazy_shape(attr)`, their shape with None for the input size, for
    [load_state_dict][autograd.layer.Layer.load_state_dict] to create them), `_state`, the recurrent state
    cleared by [reset_state][autograd.layer.Layer.reset_state], and `_buffers`, arrays saved with the weights
    and moved with the layer but not trained.

    Examples:
        >>> from autograd import Parameter, Variable, layer
        >>> class ScaledLinear(layer.Layer):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.scale = Parameter([2.0])
        ...         self.inner = layer.Linear(1, in_size=3)
        ...     def forward(self, x):
        ...         return self.inner(x) * self.scale
        >>> m = ScaledLinear()
        >>> m(Variable([[1.0, 2.0, 3.0]], dtype="float32")).shape, [name for name, _ in m.named_params()]
        ((1, 1), ['scale', 'inner.W', 'inner.b'])
    """

    _lazy = ()
    _state = ()
    _buffers = ()
    _device = None  # where to() last moved the layer: lazy parameters are created there
    _unbuilt = False  # True from the assignment of None to a lazy parameter until a call finds all created

    def __setattr__(self, name, value):
        global _version
        if value is None and name in self._lazy:
            object.__setattr__(self, "_unbuilt", True)  # the next call may create it: it runs as a first call
            _version = object()  # a change the cached walks must see
        elif isinstance(value, _FOUND) or isinstance(vars(self).get(name), _FOUND):
            _version = object()
            if _holds_unbuilt(value):  # its first call runs inside ours: ours undoes all if the call fails
                object.__setattr__(self, "_unbuilt", True)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        global _version
        _version = object()
        object.__delattr__(self, name)

    def __call__(self, *args, **kwargs):
        """Run the layer: `layer(*args, **kwargs)` is `layer.forward(*args, **kwargs)`, keywords included
        (`model(x, future=2)`), as PyTorch's Module. The first call of a lazy layer keeps the parameters it
        creates only if it succeeds: a call refused for its input leaves them None, for the next to create."""
        if self._unbuilt:  # lazy parameters still to be created: this call may create them
            return self._first_call(args, kwargs)
        return self.forward(*args, **kwargs)

    def _first_call(self, args, kwargs):
        """forward, keeping the lazy parameters it creates (here and in sublayers) only if it succeeds."""
        pending = _lazy_unbuilt(self)
        try:
            y = self.forward(*args, **kwargs)
        except BaseException:
            for layer, name in pending:  # weights shaped by an input that failed would make the next call fail too
                setattr(layer, name, None)
            raise
        self._unbuilt = bool(_lazy_unbuilt(self))
        return y

    def forward(self, *inputs):
        """Compute the output from Variables or arrays with the ops of [autograd.function][], so that
        `backward()` reaches the parameters; every subclass defines it (NotImplementedError here)."""
        raise NotImplementedError

    def _walk(self):
        walk = self.__dict__.get("_last_walk")
        if walk is None or walk.version is not _version or walk.layers[0] is not self or (
                walk.containers and not walk.containers_hold()):  # an attribute, a list or a dict changed
            walk = self._last_walk = _Walk(self)  # a _Walk is no container: no walk looks into it
        return walk

    def named_params(self):
        """`(name, Parameter)` pairs in the order of the walk; a lazy parameter not created yet is left out."""
        return list(self._walk().named)

    def params(self):
        """Every Parameter of this layer and its sublayers, each once, in the order of `named_params()`."""
        return list(self._walk().params)

    def sublayers(self):
        """This layer and every layer inside it, each once, in the order of the walk."""
        return list(self._walk().layers)

    def cleargrads(self):
        """Set `grad = None` on every parameter: call it before each `loss.backward()`, which adds to a gradient."""
        for p in self._walk().params:
            p.grad = None

    def reset_state(self):
        """Set the recurrent state (`_state`: RNN's `h`) of every layer to None: before a new sequence or batch size."""
        for layer in self.sublayers():
            for name in layer._state:
                setattr(layer, name, None)

    def to(self, device):
        """Move every parameter (with its gradient), buffer and recurrent state to `device` (a
        [Device][autograd.backend.Device] or its name: "cpu", "sim", "cuda", "cuda:N"), in place, and return the
        layer: `net = model.MLP([64, 1]).to("cuda")`. Parameters keep their identity, so an optimizer's state
        follows; lazy ones are created there later. Recurrent state moves detached (backprop through time stops
        there). An unknown device raises [DeviceError][autograd.backend.DeviceError] (a ValueError)."""
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

    def state_dict(self):
        """`{name: NumPy array}` of every parameter and buffer (`bn.running_mean`), copied to the host; a lazy
        parameter not created yet is left out."""
        arrays = {}
        for name, owner, attr, p in self._walk().places:
            if p is not None:
                arrays[name] = to_host(getattr(owner, attr) if p is BUFFER else p.data).copy()
        return arrays

    def check_state_dict(self, arrays):
        """Check `{name: array}` (of any device) against this layer's parameters and buffers, changing nothing:
        every entry must name one, every existing one must have an entry, shapes must match (a lazy
        parameter's unknown input size accepts any), and each array must convert to the dtype, else a
        ValueError names the entry. Returns the planned updates `(owner, attribute, place, host array in the
        target dtype)`, the place a Parameter, None (lazy, to be created) or BUFFER."""
        places = self._walk().places
        names = [name for name, _, _, _ in places]
        unexpected = sorted(set(arrays) - set(names))
        if unexpected:
            raise ValueError(f"load_state_dict: unexpected entries {unexpected}; "
                             f"this {type(self).__name__} has {names}")
        updates, lazy_missing = [], {}
        for name, owner, attr, p in places:
            kind, current = ("buffer", getattr(owner, attr)) if p is BUFFER else ("parameter", p)
            if name not in arrays:
                if p is None:
                    lazy_missing.setdefault(id(owner), []).append(name)
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
        for owner, _, p, _ in updates:  # a layer builds all its lazy parameters at once, or none: b alone never comes
            if p is None and id(owner) in lazy_missing:
                missing = lazy_missing.pop(id(owner))
                raise ValueError(f"load_state_dict: no entry for lazy parameter {missing[0]!r} while other "
                                 f"parameters of its {type(owner).__name__} have one; its first call would "
                                 "not create it")
        return updates

    def load_state_dict(self, arrays):
        """Set every parameter and buffer from `{name: array}` (any device), keeping each one's dtype and device.

        Everything is checked first ([check_state_dict][autograd.layer.Layer.check_state_dict]), so a refused
        state changes nothing. A parameter keeps its identity (and an optimizer's state for it). A lazy
        parameter not created yet is created from its entry, in its layer's dtype, on the device its layer (or
        this one) was moved to, else that of the other parameters, else the cpu.

        Examples:
            >>> from autograd import layer
            >>> fresh = layer.Linear(2)                     # lazy: W is created from the entry
            >>> fresh.load_state_dict(layer.Linear(2, in_size=3).state_dict()); fresh.in_size
            3
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
        """Write `state_dict()` to `path` (no suffix added) as a NumPy `.npz`, atomically (a crash mid-save leaves a
        previous file intact). [checkpoint.save][autograd.checkpoint.save] saves an optimizer's state too."""
        save_npz(path, self.state_dict())

    def load_weights(self, path):
        """Read a file of [save_weights][autograd.layer.Layer.save_weights] (without unpickling) onto the layer's
        device, checked as by [load_state_dict][autograd.layer.Layer.load_state_dict]: a refused file changes
        nothing. OSError: a missing or unreadable file; ValueError: a damaged one, or entries that do not fit."""
        self.load_state_dict(load_npz(path))


BUFFER = "buffer"  # the value of a buffer's place in a walk: read the array from its owner when needed
_FOUND = (Parameter, Layer, list, tuple, dict)  # what a walk looks into


def _holds_unbuilt(value):
    """Whether `value` (a layer, or a list, tuple or dict of them) holds a layer with lazy parameters to create."""
    if isinstance(value, Layer):
        return value._unbuilt
    if isinstance(value, dict):
        value = value.values()
    return isinstance(value, (list, tuple, type({}.values()))) and any(_holds_unbuilt(item) for item in value)


def _lazy_unbuilt(layer):
    """`(sublayer, name)` of every lazy parameter of `layer` and its sublayers not created yet."""
    return [(sub, name) for sub in layer.sublayers() for name in sub._lazy if getattr(sub, name) is None]
_version = object()  # replaced at each change of what walks find; an object, not a count: never equal after pickling


class _Walk:
    """One walk of a layer: its places `(name, owner, attribute, a Parameter, None (lazy) or BUFFER)`, its
    parameters, its layers, and the lists and dicts it went through with their items then."""

    def __init__(self, root):
        self.version = _version
        self.places, self.layers, self.containers = [], [], []
        self._visit(root, "", None, None, set())
        self.named = [(name, p) for name, _, _, p in self.places if isinstance(p, Parameter)]
        self.params = [p for _, p in self.named]

    def containers_hold(self):
        """Whether the lists and dicts the walk went through still hold the same items."""
        return all(len(then) == len(now := _items(c)) and all(map(operator.is_, then, now))
                   for c, then in self.containers)

    def _visit(self, value, name, owner, attr, seen):
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, Parameter):
            self.places.append((name, owner, attr, value))
        elif isinstance(value, Layer):
            self.layers.append(value)
            prefix = name + "." if name else ""
            for attr, item in vars(value).items():
                if isinstance(item, _FOUND):
                    self._visit(item, prefix + attr, value, attr, seen)
                elif item is None and attr in value._lazy:
                    self.places.append((prefix + attr, value, attr, None))
            self.places += [(prefix + attr, value, attr, BUFFER) for attr in value._buffers]
        else:
            if not isinstance(value, tuple):  # a list or dict may change without the layer knowing
                self.containers.append((value, _items(value)))
            for key, item in value.items() if isinstance(value, dict) else enumerate(value):
                if isinstance(item, _FOUND):
                    self._visit(item, f"{name}[{key}]", owner, None, seen)


def _items(container):
    """What a walk depends on in a list (its items) or dict (its keys and values)."""
    return [*container, *container.values()] if isinstance(container, dict) else list(container)


def _create_weight_and_bias(layer, shape, fan_in, out_size, device):
    """``layer.W`` of ``shape`` drawn from N(0, 1/fan_in) in the layer's dtype, or filled by
    ``layer.initializer`` if it has one, and ``layer.b``, zeros of ``out_size``, unless ``layer.nobias``; on
    ``device``."""
    if layer.initializer is None:
        layer.W = Parameter(device.randn(shape, layer.dtype) * (1.0 / math.sqrt(fan_in)), name="W")
    else:
        layer.W = Parameter(device.xp.zeros(shape, dtype=dtype_in(device.xp, layer.dtype), device=device.where),
                            name="W")
        layer.initializer(layer.W)
    if not layer.nobias:
        layer.b = Parameter(device.xp.zeros(out_size, dtype=layer.W.dtype, device=device.where), name="b")


def _check_size(layer, name, value, optional=False):
    """``value`` as a positive int (NumPy integers welcome); None when optional."""
    if optional and value is None:
        return None
    try:
        size = 0 if isinstance(value, bool) else operator.index(value)
    except TypeError:  # not an integer
        size = 0
    if size < 1:
        raise ValueError(f"{layer}: {name} must be a positive int, got {value!r}")
    return size


class Linear(Layer):
    """Fully connected layer: `y = x W + b`, W (in_size, out_size) drawn from N(0, 1/in_size) (LeCun normal),
    b (out_size,) zeros. The op is [F.linear][autograd.function.linear].

    Args:
        out_size (int): the number of outputs. Typical values: 10 to 1024.
        in_size (int | None): the number of inputs, or None (lazy) to take it from the first input's last axis.
        nobias (bool): no bias b (`y = x W`), for example before a normalisation layer. Default False.
        dtype (str): the parameters' dtype: "float32" (default), "float64" or "float16".
        initializer (callable | None): `initializer(W)` fills W in place when it is created (at the first call
            for a lazy W), in place of the LeCun normal draw: one of [autograd.init][autograd.init]
            (`init.xavier_uniform_`, or `lambda W: init.normal_(W, std=0.02)`). W is `(in_size, out_size)`.

    Examples:
        >>> from autograd import Variable, layer
        >>> lin = layer.Linear(3)                           # lazy: W is None until the first call
        >>> lin(Variable([[1.0, 2.0, 3.0, 4.0]], dtype="float32")).shape, lin.W.shape, lin.b.shape, lin.in_size
        ((1, 3), (4, 3), (3,), 4)
    """

    _lazy = ("W", "b")

    def __init__(self, out_size, in_size=None, nobias=False, dtype="float32", initializer=None):
        super().__init__()
        self.out_size = _check_size("Linear", "out_size", out_size)
        in_size = _check_size("Linear", "in_size", in_size, optional=True)
        self.nobias, self.dtype, self.initializer = nobias, dtype, initializer
        self._lazy = ("W",) if nobias else ("W", "b")  # no place for a bias that never comes
        self.W = self.b = None
        if in_size is not None:
            self._create(in_size, CPU)

    @property
    def in_size(self):
        """The number of inputs, `W.shape[0]`; None while a lazy W is not created yet."""
        return None if self.W is None else self.W.shape[0]

    def _lazy_shape(self, attr):
        return (None, self.out_size) if attr == "W" else (self.out_size,)

    def _create(self, in_size, device):
        _create_weight_and_bias(self, (in_size, self.out_size), in_size, self.out_size, device)

    def forward(self, x):
        """x (..., in_size), a Variable or an array (a constant) -> (..., out_size); float64 in, float64 out."""
        x = x if isinstance(x, Variable) else Variable(x, requires_grad=False)
        if self.W is None:
            if x.ndim == 0:
                raise ValueError("Linear: x must have at least one axis (..., in_size), got a 0-d input")
            self._create(x.shape[-1], self._device or x.device)
        return F.linear(x, self.W, self.b)


def _load_torch_weights(layer, state, gates):
    """The recurrent layers' `load_torch_weights`: `gates` lists the (x2*, h2*) Linear sublayers of each gate
    in the order PyTorch stacks their rows."""
    kind = type(layer).__name__
    keys = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    arrays = {}
    for key, value in state.items():
        base = key.removesuffix("_l0")
        if base not in keys or base in arrays:
            raise ValueError(f"{kind}.load_torch_weights: unexpected key {key!r}; expected {list(keys)} "
                             "(or with the suffix _l0)")
        arrays[base] = to_host(value)
    for key in keys[:2] + (("bias_hh",) if "bias_ih" in arrays else ("bias_ih",) if "bias_hh" in arrays else ()):
        if key not in arrays:
            raise ValueError(f"{kind}.load_torch_weights: no {key!r}; got {sorted(state)}")
    x2_first = getattr(layer, gates[0][0])
    hidden, rows = x2_first.out_size, len(gates) * x2_first.out_size
    expected = {"weight_ih": (rows, x2_first.in_size), "weight_hh": (rows, hidden), "bias_ih": (rows,),
                "bias_hh": (rows,)}  # in_size None: lazy, any
    for key, array in arrays.items():
        shape = expected[key]
        if array.ndim != len(shape) or any(e not in (None, a) for e, a in zip(shape, array.shape)):
            shown = tuple("in_size" if e is None else e for e in shape)
            raise ValueError(f"{kind}.load_torch_weights: {key!r} must have shape {shown} ({len(gates)} gates of "
                             f"hidden_size {hidden}), got {tuple(array.shape)}")
    ours = {}
    for g, (x2, h2) in enumerate(gates):
        part = slice(g * hidden, (g + 1) * hidden)
        ours[f"{x2}.W"], ours[f"{h2}.W"] = arrays["weight_ih"][part].T, arrays["weight_hh"][part].T
        b_ih, b_hh = ((arrays["bias_ih"][part], arrays["bias_hh"][part]) if "bias_ih" in arrays
                      else (CPU.xp.zeros(hidden), CPU.xp.zeros(hidden)))
        if getattr(layer, h2).nobias:
            ours[f"{x2}.b"] = b_ih + b_hh
        else:
            ours[f"{x2}.b"], ours[f"{h2}.b"] = b_ih, b_hh
    layer.load_state_dict(ours)


class RNN(Layer):
    """Elman RNN, one time step per call: `h = tanh(x2h(x) + h2h(h_prev))`, no h2h term on the first step.

    x2h is a [Linear][autograd.layer.Linear] (in_size, lazy if None, -> hidden_size, typically 32 to 512) with
    bias, h2h one without, created at the second step. The state `h` (N, hidden_size) is kept between calls
    until [reset_state][autograd.layer.Layer.reset_state]; `loss.unchain_backward()` truncates backprop through
    time. Clip the gradients ([ClipGrad][autograd.hook.ClipGrad]): they can explode.

    [load_torch_weights][autograd.layer.RNN.load_torch_weights] maps PyTorch's `RNNCell` (tanh) weights:

    | ours | PyTorch's |
    |---|---|
    | `x2h.W` | `weight_ih.T` |
    | `x2h.b` | `bias_ih + bias_hh` |
    | `h2h.W` | `weight_hh.T` |

    Examples:
        >>> from autograd import Variable, layer
        >>> rnn, x = layer.RNN(5), Variable([[1.0, 2.0, 3.0]], dtype="float32")
        >>> rnn(x).shape, rnn(x).shape, [name for name, _ in rnn.named_params()]
        ((1, 5), (1, 5), ['x2h.W', 'x2h.b', 'h2h.W'])
    """

    _state = ("h",)
    _torch_gates = (("x2h", "h2h"),)

    def __init__(self, hidden_size, in_size=None, dtype="float32"):
        super().__init__()
        self.x2h = Linear(hidden_size, in_size, dtype=dtype)
        self.h2h = Linear(hidden_size, nobias=True, dtype=dtype)
        self.h = None

    def load_torch_weights(self, state):
        """Copy in the weights of PyTorch's cell (`RNNCell`, `LSTMCell`, `GRUCell`) or one-layer, one-direction
        module (`RNN`, `LSTM`, `GRU`) of the same kind, mapped as the class docstring's table shows.

        `state` maps `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` (or the same with the suffix `_l0`) to arrays
        of any device or NumPy arrays (`{k: v.numpy() for k, v in cell.state_dict().items()}`), in PyTorch's
        layout: `weight_ih` (G·H, in_size) and `weight_hh` (G·H, H) with the G gates' rows stacked in PyTorch's
        order, biases (G·H,); both biases or neither (`bias=False`: ours become zeros). Each gate's rows,
        transposed (PyTorch computes `x Wᵀ`, [Linear][autograd.layer.Linear] `x W`), become the W of its x2* and
        h2* layers; where our gate has one bias and PyTorch two, they are summed into x2*'s b. Every key and
        shape is checked first (ValueError naming the layer and the key), so a refused state changes nothing;
        lazy weights are created, as by [load_state_dict][autograd.layer.Layer.load_state_dict]. The layer then
        computes PyTorch's outputs, from `h0 = 0` (and `c0 = 0`)."""
        _load_torch_weights(self, state, self._torch_gates)

    def forward(self, x):
        """One time step: x (N, in_size) -> the new state h (N, hidden_size), which is also kept."""
        a = self.x2h(x)
        if self.h is not None:
            a = a + self.h2h(self.h)
        self.h = F.tanh(a)
        return self.h


class LSTM(Layer):
    """LSTM, one time step per call, with gates f (forget), i (input), o (output) and candidate u:

        f = sigmoid(x2f(x) + h2f(h)),  i = sigmoid(x2i(x) + h2i(h)),  o = sigmoid(x2o(x) + h2o(h)),
        u = tanh(x2u(x) + h2u(h)),     c = f * c_prev + i * u,         h = o * tanh(c)

    with no h2* terms and no f * c_prev on the first step. The x2* and h2* are Linear layers as in
    [RNN][autograd.layer.RNN], whose arguments these are; the state `h` and `c` is kept between calls.

    [load_torch_weights][autograd.layer.LSTM.load_torch_weights] maps PyTorch's `LSTMCell` weights, whose
    gates are stacked i, f, g, o in rows of H = hidden_size (`[0:H]` is i, `[H:2H]` f, ...):

    | gate | `x2*.W` | `x2*.b` | `h2*.W` |
    |---|---|---|---|
    | i (input) | `weight_ih[0:H].T` | `bias_ih[0:H] + bias_hh[0:H]` | `weight_hh[0:H].T` |
    | f (forget) | `weight_ih[H:2H].T` | `bias_ih[H:2H] + bias_hh[H:2H]` | `weight_hh[H:2H].T` |
    | u (PyTorch's g) | `weight_ih[2H:3H].T` | `bias_ih[2H:3H] + bias_hh[2H:3H]` | `weight_hh[2H:3H].T` |
    | o (output) | `weight_ih[3H:4H].T` | `bias_ih[3H:4H] + bias_hh[3H:4H]` | `weight_hh[3H:4H].T` |

    Examples:
        >>> from autograd import Variable, layer
        >>> lstm, x = layer.LSTM(4, in_size=1), Variable([[0.5]], dtype="float32")
        >>> lstm(x).shape, lstm(x).shape, lstm.c.shape, len(lstm.params())
        ((1, 4), (1, 4), (1, 4), 12)
    """

    _state = ("h", "c")
    _torch_gates = (("x2i", "h2i"), ("x2f", "h2f"), ("x2u", "h2u"), ("x2o", "h2o"))  # PyTorch's i, f, g, o

    def __init__(self, hidden_size, in_size=None, dtype="float32"):
        super().__init__()
        for gate in "fiou":
            setattr(self, f"x2{gate}", Linear(hidden_size, in_size, dtype=dtype))
        for gate in "fiou":
            setattr(self, f"h2{gate}", Linear(hidden_size, nobias=True, dtype=dtype))
        self.h = self.c = None

    def load_torch_weights(self, state):
        """Copy in the weights of PyTorch's `LSTMCell` or one-layer `nn.LSTM`, mapped as the table above
        shows; the rules are [RNN.load_torch_weights][autograd.layer.RNN.load_torch_weights]'s."""
        _load_torch_weights(self, state, self._torch_gates)

    def _gate(self, x2, h2, x):
        a = x2(x)
        return a if self.h is None else a + h2(self.h)

    def forward(self, x):
        """One time step: x (N, in_size) -> the new h (N, hidden_size); h and c are kept."""
        f = F.sigmoid(self._gate(self.x2f, self.h2f, x))
        i = F.sigmoid(self._gate(self.x2i, self.h2i, x))
        o = F.sigmoid(self._gate(self.x2o, self.h2o, x))
        u = F.tanh(self._gate(self.x2u, self.h2u, x))
        c = i * u if self.c is None else f * self.c + i * u
        self.h, self.c = o * F.tanh(c), c
        return self.h


class _Conv(Layer):
    """What Conv2d and ConvTranspose2d share: a kernel W created at once or at the first call (from the
    input's channel axis), a bias b of the output channels, and the stride, padding, dilation and groups of
    the op."""

    _lazy = ("W", "b")

    def __init__(self, out_channels, kernel_size, stride, pad, dilation, groups, nobias, in_channels, dtype,
                 initializer):
        super().__init__()
        kind = type(self).__name__
        self.out_channels = _check_size(kind, "out_channels", out_channels)
        self.kernel_size, self.stride, self.pad = kernel_geometry(kernel_size, stride, pad, kind)  # pairs
        self.dilation = pair(dilation, "dilation", kind, 1)
        self.groups = _check_size(kind, "groups", groups)
        if self.out_channels % self.groups:
            raise ValueError(f"{kind}: out_channels {self.out_channels} is not divisible by groups {self.groups}")
        in_channels = _check_size(kind, "in_channels", in_channels, optional=True)
        self.nobias, self.dtype, self.initializer = nobias, dtype, initializer
        self._lazy = ("W",) if nobias else ("W", "b")
        self.W = self.b = None
        if in_channels is not None:
            self._create(in_channels, CPU)

    def _lazy_shape(self, attr):
        return self._kernel_shape(None) if attr == "W" else (self.out_channels,)

    def _create(self, in_channels, device):
        if in_channels % self.groups:
            raise ValueError(f"{type(self).__name__}: in_channels {in_channels} is not divisible by groups "
                             f"{self.groups}")
        fan_in = in_channels // self.groups * self.kernel_size[0] * self.kernel_size[1]  # inputs of one output
        _create_weight_and_bias(self, self._kernel_shape(in_channels), fan_in, self.out_channels, device)

    def _input(self, x):
        x = x if isinstance(x, Variable) else Variable(x, requires_grad=False)
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__}: expected input of shape (N, C, H, W), got {x.shape}")
        if self.W is None:
            self._create(x.shape[1], self._device or x.device)
        return x


class Conv2d(_Conv):
    """2-D convolution layer: `y = conv2d(x, W, b, stride, pad, dilation, groups)` on (N, C, H, W) input, giving
    (N, out_channels, OH, OW) with `OH = (H + 2 ph - dh (kh - 1) - 1) // sh + 1` (likewise OW).

    W (out_channels, in_channels / groups, kh, kw) is drawn from N(0, 1/(in_channels / groups · kh kw)), b
    (out_channels,) is zeros; `in_channels` None (lazy) takes them from the first input; `nobias`, `dtype` and
    `initializer` (which fills W in place of the normal draw) are Linear's. `kernel_size` (typically 3), `stride`
    (2 halves the size), `pad` (zeros; `kernel_size // 2` keeps the size at stride 1) and `dilation` (the spacing of the kernel's taps) are ints or pairs, checked
    (TypeError, ValueError) as [F.conv2d][autograd.function.conv2d] checks them; `groups` splits the channels
    into groups convolved apart (`groups=in_channels` is a depthwise convolution), and must divide both
    channel counts. A call checks the input is 4-D and fits the kernel.

    Examples:
        >>> import numpy as np
        >>> from autograd import layer
        >>> conv = layer.Conv2d(4, kernel_size=3, pad=1)
        >>> conv(np.zeros((2, 3, 8, 8), dtype="float32")).shape, conv.W.shape, conv.in_channels
        ((2, 4, 8, 8), (4, 3, 3, 3), 3)
        >>> depthwise = layer.Conv2d(6, kernel_size=3, pad=2, dilation=2, groups=3)
        >>> depthwise(np.zeros((2, 3, 8, 8), dtype="float32")).shape, depthwise.W.shape
        ((2, 6, 8, 8), (6, 1, 3, 3))
    """

    def __init__(self, out_channels, kernel_size, stride=1, pad=0, nobias=False, in_channels=None, dtype="float32",
                 dilation=1, groups=1, initializer=None):
        super().__init__(out_channels, kernel_size, stride, pad, dilation, groups, nobias, in_channels, dtype,
                         initializer)

    @property
    def in_channels(self):
        """The number of input channels, read from W; None while a lazy W is not created yet."""
        return None if self.W is None else self.W.shape[1] * self.groups

    def _kernel_shape(self, in_channels):
        return (self.out_channels, None if in_channels is None else in_channels // self.groups) + self.kernel_size

    def forward(self, x):
        """x (N, in_channels, H, W), a Variable or an array -> (N, out_channels, OH, OW)."""
        return F.conv2d(self._input(x), self.W, self.b, stride=self.stride, pad=self.pad, dilation=self.dilation,
                        groups=self.groups)


class ConvTranspose2d(_Conv):
    """Transposed convolution layer, for upsampling: `y = conv_transpose2d(x, W, b, stride, pad, outsize,
    dilation, groups)`, the gradient of a convolution with respect to its input, giving (N, out_channels, OH, OW)
    with `OH = (H - 1) sh - 2 ph + dh (kh - 1) + 1` (likewise OW), or `outsize` (OH, OW) to choose among the
    sizes a strided conv2d maps back to the input's.

    W (in_channels, out_channels / groups, kh, kw) (PyTorch's layout) is drawn from
    N(0, 1/(in_channels / groups · kh kw)); the rest is as in [Conv2d][autograd.layer.Conv2d] (pad is removed
    from each border of the output; kernel 2 or 4 at stride 2 doubles the size). The op is
    [F.conv_transpose2d][autograd.function.conv_transpose2d].

    Examples:
        >>> import numpy as np
        >>> from autograd import layer
        >>> up = layer.ConvTranspose2d(4, kernel_size=2, stride=2)
        >>> up(np.zeros((2, 3, 8, 8), dtype="float32")).shape, up.W.shape
        ((2, 4, 16, 16), (3, 4, 2, 2))
    """

    def __init__(self, out_channels, kernel_size, stride=1, pad=0, nobias=False, in_channels=None,
                 outsize=None, dtype="float32", dilation=1, groups=1, initializer=None):
        super().__init__(out_channels, kernel_size, stride, pad, dilation, groups, nobias, in_channels, dtype,
                         initializer)
        self.outsize = outsize

    @property
    def in_channels(self):
        """The number of input channels, read from W; None while a lazy W is not created yet."""
        return None if self.W is None else self.W.shape[0]

    def _kernel_shape(self, in_channels):
        return (in_channels, self.out_channels // self.groups) + self.kernel_size

    def forward(self, x):
        """x (N, in_channels, H, W), a Variable or an array -> (N, out_channels, OH, OW)."""
        return F.conv_transpose2d(self._input(x), self.W, self.b, stride=self.stride, pad=self.pad,
                                  outsize=self.outsize, dilation=self.dilation, groups=self.groups)


class BatchNorm(Layer):
    """Batch normalisation over the channel axis 1 (`num_features` channels) of (N, C) or (N, C, H, W) input,
    per channel: `y = gamma * (x - mean) / sqrt(var + eps) + beta`.

    In training, mean and var are the batch's (biased variance, over every axis but C), and the buffers follow
    them: `running = (1 - momentum) * running + momentum * batch_stat`, running_var taking the unbiased batch
    variance (PyTorch's convention). In [test_mode][autograd.config.test_mode] the buffers normalise and stay.
    gamma (ones) and beta (zeros) are trained; `running_mean` (zeros) and `running_var` (ones) are buffers, in
    float32 for a float16 layer (as its statistics are computed).
    `momentum` in [0, 1] and `eps` > 0, else a ValueError (a TypeError if not real numbers). The op is
    [F.batch_norm][autograd.function.batch_norm].

    Examples:
        >>> from autograd import Variable, layer, to_host
        >>> bn = layer.BatchNorm(2)
        >>> y = bn(Variable([[0.0, 2.0], [2.0, 4.0]], dtype="float32"))  # batch means 1 and 3
        >>> [round(v, 4) for v in to_host(bn.running_mean).tolist()], sorted(bn.state_dict())
        ([0.1, 0.3], ['beta', 'gamma', 'running_mean', 'running_var'])
    """

    _buffers = ("running_mean", "running_var")

    def __init__(self, num_features, momentum=0.1, eps=1e-5, dtype="float32"):
        super().__init__()
        size = _check_size("BatchNorm", "num_features", num_features)
        check_momentum("BatchNorm", momentum)
        check_eps("BatchNorm", eps)
        self.momentum, self.eps = float(momentum), float(eps)
        self.gamma = Parameter(CPU.xp.ones(size, dtype=dtype), name="gamma")
        self.beta = Parameter(CPU.xp.zeros(size, dtype=dtype), name="beta")
        stats = "float32" if dtype_name(dtype) == "float16" else dtype  # a float16 variance overflows from 65,504
        self.running_mean = CPU.xp.zeros(size, dtype=stats)
        self.running_var = CPU.xp.ones(size, dtype=stats)

    def forward(self, x):
        """Normalise x, (N, C) or (N, C, H, W); in training, update the running statistics in place."""
        return F.batch_norm(x, self.gamma, self.beta, self.running_mean, self.running_var,
                            momentum=self.momentum, eps=self.eps)


class LayerNorm(Layer):
    """Layer normalisation over the trailing axes `normalized_shape` (an int, the feature size, or a tuple), the
    same in training and test mode: `y = gamma * (x - mean) / sqrt(var + eps) + beta`, with the mean and biased
    variance of each sample over those axes; gamma (ones) and beta (zeros) have that shape. `eps` > 0, else a
    ValueError (a TypeError if not a real). The op is [F.layer_norm][autograd.function.layer_norm].

    Examples:
        >>> from autograd import Variable, layer, to_host
        >>> [round(v, 4) for v in to_host(layer.LayerNorm(3)(Variable([[1.0, 2.0, 3.0]])))[0].tolist()]
        [-1.2247, 0.0, 1.2247]
    """

    def __init__(self, normalized_shape, eps=1e-5, dtype="float32"):
        super().__init__()
        shape = tuple(normalized_shape) if isinstance(normalized_shape, (tuple, list)) else (normalized_shape,)
        shape = tuple(_check_size("LayerNorm", "normalized_shape", n) for n in shape)
        check_eps("LayerNorm", eps)
        self.eps = float(eps)
        self.gamma = Parameter(CPU.xp.ones(shape, dtype=dtype), name="gamma")
        self.beta = Parameter(CPU.xp.zeros(shape, dtype=dtype), name="beta")

    def forward(self, x):
        """Normalise x, whose trailing axes are `normalized_shape`; returns x's shape."""
        return F.layer_norm(x, self.gamma, self.beta, eps=self.eps)


class Embedding(Layer):
    """Embedding table: rows of W (vocab_size, dim), drawn from N(0, 1) in `dtype`, looked up by integer ids:
    `y = W[ids]`, of shape (*ids.shape, dim); the gradient adds into the rows used. The op is
    [F.embed_id][autograd.function.embed_id].

    Examples:
        >>> from autograd import layer
        >>> layer.Embedding(10, 4)([[1, 2, 3], [4, 5, 6]]).shape
        (2, 3, 4)
    """

    def __init__(self, vocab_size, dim, dtype="float32"):
        super().__init__()
        shape = (_check_size("Embedding", "vocab_size", vocab_size), _check_size("Embedding", "dim", dim))
        self.W = Parameter(CPU.randn(shape, dtype), name="W")

    def forward(self, ids):
        """The rows of W for `ids` (integers in [0, vocab_size): an array, a Variable or a list)."""
        return F.embed_id(ids, self.W)


class Dropout(Layer):
    """Inverted dropout: in training, zero each element with probability `ratio` (in [0, 1), else a
    ValueError; typically 0.1 to 0.5) and scale the rest by 1 / (1 - ratio); the identity in
    [test_mode][autograd.config.test_mode]. The op is [F.dropout][autograd.function.dropout]: masks come from
    the input's device, reproducibly after `autograd.seed(n)`.

    Examples:
        >>> import autograd
        >>> from autograd import Variable, layer, to_host
        >>> drop, x = layer.Dropout(0.5), Variable([1.0, 1.0, 1.0, 1.0], dtype="float32")
        >>> set(to_host(drop(x)).tolist()) <= {0.0, 2.0}       # each element dropped, or kept and doubled
        True
        >>> with autograd.test_mode():
        ...     to_host(drop(x)).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """

    def __init__(self, ratio=0.5):
        super().__init__()
        check_ratio("Dropout", ratio)
        self.ratio = float(ratio)

    def forward(self, x):
        """x with dropout applied in training, x itself in test mode."""
        return F.dropout(x, self.ratio)


class GRU(Layer):
    """GRU, one time step per call, with PyTorch's equations: reset gate r, update gate z, candidate n,

        r = sigmoid(x2r(x) + h2r(h)),  z = sigmoid(x2z(x) + h2z(h)),  n = tanh(x2n(x) + r * h2n(h)),
        h' = (1 - z) * n + z * h

    x2r, x2z, x2n are [Linear][autograd.layer.Linear] layers (in_size, lazy if None, -> hidden_size) with
    biases; h2r and h2z have none (their bias would only add to x2*'s), h2n has one: PyTorch's b_hn, inside
    `r * (...)`. The first step after [reset_state][autograd.layer.Layer.reset_state] runs from `h = 0`
    (PyTorch's default h0), which creates the h2* weights too; the state `h` (N, hidden_size) is kept between
    calls. The arguments are [RNN][autograd.layer.RNN]'s.

    [load_torch_weights][autograd.layer.GRU.load_torch_weights] maps PyTorch's `GRUCell` weights, whose gates
    are stacked r, z, n in rows of H = hidden_size:

    | gate | `x2*.W` | `x2*.b` | `h2*.W` | `h2*.b` |
    |---|---|---|---|---|
    | r (reset) | `weight_ih[0:H].T` | `bias_ih[0:H] + bias_hh[0:H]` | `weight_hh[0:H].T` | none |
    | z (update) | `weight_ih[H:2H].T` | `bias_ih[H:2H] + bias_hh[H:2H]` | `weight_hh[H:2H].T` | none |
    | n (candidate) | `weight_ih[2H:3H].T` | `bias_ih[2H:3H]` | `weight_hh[2H:3H].T` | `bias_hh[2H:3H]` |

    Examples:
        >>> from autograd import Variable, layer
        >>> gru, x = layer.GRU(4, in_size=2), Variable([[0.5, -0.5]], dtype="float32")
        >>> gru(x).shape, gru(x).shape, [name for name, _ in gru.named_params()][-4:]
        ((1, 4), (1, 4), ['h2r.W', 'h2z.W', 'h2n.W', 'h2n.b'])
    """

    _state = ("h",)
    _torch_gates = (("x2r", "h2r"), ("x2z", "h2z"), ("x2n", "h2n"))

    def __init__(self, hidden_size, in_size=None, dtype="float32"):
        super().__init__()
        for gate in "rzn":
            setattr(self, f"x2{gate}", Linear(hidden_size, in_size, dtype=dtype))
        for gate in "rzn":
            setattr(self, f"h2{gate}", Linear(hidden_size, nobias=gate != "n", dtype=dtype))
        self.h = None

    def load_torch_weights(self, state):
        """Copy in the weights of PyTorch's `GRUCell` or one-layer `nn.GRU`, mapped as the table above
        shows; the rules are [RNN.load_torch_weights][autograd.layer.RNN.load_torch_weights]'s."""
        _load_torch_weights(self, state, self._torch_gates)

    def forward(self, x):
        """One time step: x (N, in_size) -> the new state h (N, hidden_size), which is also kept."""
        a_r, a_z, a_n = self.x2r(x), self.x2z(x), self.x2n(x)
        h = self.h
        if h is None:
            device = a_r.device
            h = Variable(device.xp.zeros(a_r.shape, dtype=a_r.dtype, device=device.where), requires_grad=False)
        r = F.sigmoid(a_r + self.h2r(h))
        z = F.sigmoid(a_z + self.h2z(h))
        n = F.tanh(a_n + r * self.h2n(h))
        self.h = (1.0 - z) * n + z * h
        return self.h


class MultiHeadAttention(Layer):
    """Multi-head attention, as PyTorch's `nn.MultiheadAttention` with `batch_first=True`:

        head_i = attention(query Wq_i, key Wk_i, value Wv_i),   y = concat(head_1, ..., head_h) Wo

    with [F.scaled_dot_product_attention][autograd.function.scaled_dot_product_attention] on each head of
    `embed_dim // num_heads` features. The projections are [Linear][autograd.layer.Linear] layers `q_proj`,
    `k_proj`, `v_proj` and `out_proj` (embed_dim outputs each; not fused into one `in_proj` as PyTorch's are
    when the sizes agree), initialised as Linear's, with biases unless `bias=False`.

    Args:
        embed_dim (int): the model width E, a multiple of `num_heads`. Typical values: 64 to 1024.
        num_heads (int): the number of heads h. Typical values: 1 to 16.
        dropout (float): the probability of zeroing an attention weight in training, in [0, 1).
        bias (bool): biases in the four projections. Default True.
        kdim (int | None): the feature size of key, embed_dim when None.
        vdim (int | None): the feature size of value, embed_dim when None.
        dtype (str): the parameters' dtype, as Linear's.

    A call `mha(query, key=None, value=None, mask=None, is_causal=False)` takes query (N, L, E), key (N, S,
    kdim) and value (N, S, vdim), or the same without the batch axis N; key defaults to query
    (self-attention) and value to key. `mask` broadcasts to the scores (N, h, L, S): (L, S), or (N, 1, 1, S)
    to mask padded keys; a 3-d mask is PyTorch's (N·h, L, S) (unbatched: (h, L, S)), any other 3-d shape an
    error. **A boolean mask is True where the key takes part**, as in F.scaled_dot_product_attention: the opposite
    of `nn.MultiheadAttention`'s `attn_mask` and `key_padding_mask` (invert them when porting).
    `is_causal=True` is the causal mask itself (PyTorch's is only a hint beside `attn_mask`). The call
    returns the output (N, L, E) alone, not PyTorch's `(output, averaged weights)` pair.

    Examples:
        >>> import numpy as np
        >>> from autograd import layer
        >>> mha = layer.MultiHeadAttention(8, num_heads=2)
        >>> x = np.zeros((3, 5, 8), dtype="float32")             # (N, L, E)
        >>> mha(x, is_causal=True).shape, mha.q_proj.W.shape
        ((3, 5, 8), (8, 8))
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, kdim=None, vdim=None, dtype="float32"):
        super().__init__()
        self.embed_dim = _check_size("MultiHeadAttention", "embed_dim", embed_dim)
        self.num_heads = _check_size("MultiHeadAttention", "num_heads", num_heads)
        if self.embed_dim % self.num_heads:
            raise ValueError(f"MultiHeadAttention: embed_dim {embed_dim} is not a multiple of num_heads {num_heads}")
        self.dropout = number("MultiHeadAttention: dropout", dropout, 0.0, 1.0, high_open=True)
        kdim = _check_size("MultiHeadAttention", "kdim", kdim, optional=True) or self.embed_dim
        vdim = _check_size("MultiHeadAttention", "vdim", vdim, optional=True) or self.embed_dim
        for name, in_size in (("q_proj", self.embed_dim), ("k_proj", kdim), ("v_proj", vdim),
                              ("out_proj", self.embed_dim)):
            setattr(self, name, Linear(self.embed_dim, in_size, nobias=not bias, dtype=dtype))

    def forward(self, query, key=None, value=None, mask=None, is_causal=False):
        """query (N, L, E), key (N, S, kdim), value (N, S, vdim), each with or without N -> (N, L, E)."""
        key = query if key is None else key
        value = key if value is None else value
        q, k, v = (x if isinstance(x, Variable) else Variable(x, requires_grad=False) for x in (query, key, value))
        self._check_inputs(q, k, v)
        batched = q.ndim == 3
        heads = [self._split_heads(proj(x) if batched else F.unsqueeze(proj(x), 0))
                 for proj, x in ((self.q_proj, q), (self.k_proj, k), (self.v_proj, v))]
        mask = self._heads_mask(mask, heads[0].shape[0], heads[0].shape[2], heads[1].shape[2])
        y = F.scaled_dot_product_attention(*heads, mask, is_causal=is_causal, dropout=self.dropout)
        n, _, length, _ = y.shape
        y = self.out_proj(F.reshape(F.transpose(y, (0, 2, 1, 3)), (n, length, self.embed_dim)))
        return y if batched else F.squeeze(y, 0)

    def _heads_mask(self, mask, n, length, source):
        """A 3-d mask is PyTorch's (N·h, L, S), sample-major (unbatched: (h, L, S)), reshaped to the scores'
        (N, h, L, S); broadcasting it instead would put a (N, L, S) mask with N = h on the heads. Other masks
        broadcast as they are."""
        if getattr(mask, "ndim", None) != 3:
            return mask
        expected = (n * self.num_heads, length, source)
        if tuple(mask.shape) != expected:
            raise ValueError(f"MultiHeadAttention: a 3-d mask must have shape (N·num_heads, L, S) = {expected}, "
                             f"PyTorch's layout, got {tuple(mask.shape)}; for one mask per sample pass it as "
                             "(N, 1, L, S)")
        shape = (n, self.num_heads, length, source)
        return F.reshape(mask, shape) if isinstance(mask, Variable) else device_of(mask).xp.reshape(mask, shape)

    def _split_heads(self, x):
        """(N, L, E) -> (N, h, L, E / h)."""
        n, length, _ = x.shape
        return F.transpose(F.reshape(x, (n, length, self.num_heads, -1)), (0, 2, 1, 3))

    def _check_inputs(self, q, k, v):
        if q.ndim not in (2, 3):
            raise ValueError(f"MultiHeadAttention: query must be (N, L, E) or (L, E), got shape {q.shape}")
        batch = "N, " if q.ndim == 3 else ""
        for name, x, proj in (("query", q, self.q_proj), ("key", k, self.k_proj), ("value", v, self.v_proj)):
            if x.ndim != q.ndim or x.shape[-1] != proj.in_size or x.shape[:-2] != q.shape[:-2]:
                raise ValueError(f"MultiHeadAttention: {name} must have shape ({batch}length, {proj.in_size}) with "
                                 f"the batch of the query of shape {q.shape}, got {x.shape}")
        if k.shape[-2] != v.shape[-2]:
            raise ValueError(f"MultiHeadAttention: key of shape {k.shape} and value of shape {v.shape} must have the "
                             "same length")
