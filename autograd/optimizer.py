"""Optimizers: update a model's parameters from their gradients, after applying the gradient hooks.

Per-parameter state (velocities, moments) is created on the parameter's device and moved with it if the
model moves. Parameters without a gradient are skipped.

Updates are written in place into arrays the optimizer made itself: the first update of a parameter (and the
first after its ``data`` was replaced, by a load or by hand) writes a new array, which later updates then
overwrite. An array the user handed in is never written into; but ``p.data`` read between steps is the live
array, which the next update changes (copy it to keep a snapshot, as ``state_dict()`` does).
"""
import math
import numbers
import weakref

from autograd.backend import as_array, device_of, dtype_name, to_host
from autograd.config import no_grad
from autograd.variable import Variable

__all__ = ["Optimizer", "SGD", "Momentum", "AdaGrad", "RMSprop", "Adam", "AdamW"]


class Optimizer:
    """Base class. Subclasses define ``update_one(param)`` and name their per-parameter state: ``slots``,
    arrays shaped like the parameter (zeros at first), and ``counters``, Python ints (0 at first).

    ``iteration`` counts the calls to :meth:`update`. ``state`` maps each Parameter (weakly: a parameter
    that is gone takes its state with it) to ``{name: array or int}``.
    """

    slots = ()
    counters = ()

    def __init__(self, hooks=None):
        self.hooks = list(hooks or [])
        self.state = weakref.WeakKeyDictionary()
        self.iteration = 0
        self._model = None  # weak reference to the last model updated: names for state_dict()
        self._pending = None  # a state_dict loaded before the optimizer knew its model
        self._made = weakref.WeakKeyDictionary()  # parameter -> the data array this optimizer made for it

    def update(self, model):
        """Apply the hooks, then one update, to the parameters of ``model`` (a Layer or a list of
        Parameters) that have a gradient. A hook may set ``p.grad = None`` to leave ``p`` alone."""
        if hasattr(model, "named_params"):
            self._model = weakref.ref(model)
            params = model.params()
        elif isinstance(model, Variable):
            raise TypeError("update: expected a Layer or a list of Parameters, got one Variable; pass [param]")
        else:
            params = list({id(p): p for p in model}.values())  # a parameter listed twice is updated once
        if self._pending is not None:
            self.load_state_dict(self._pending, model)
        params = _with_grads(params, "update")
        if self.hooks:
            with no_grad():
                for hook in self.hooks:
                    hook(params)
                    params = [p for p in params if p.grad is not None]
            params = _with_grads(params, "update, after the hooks")
        self.iteration += 1
        for p in params:  # on plain arrays: no graph is recorded
            self.update_one(p)

    def update_one(self, param):
        raise NotImplementedError

    def _apply(self, param, step, scale=None):
        """param <- (param - step) * scale (no scaling when ``scale`` is None), in place when ``param.data`` is
        an array this optimizer made; otherwise into a new array, which it then owns."""
        data = param.data
        param.version += 1  # a graph recorded before this update refuses its backward
        if self._made.get(param) is data:
            data -= step
        else:
            data = param.data = self._made[param] = as_array(data - step)  # NumPy gives a scalar for 0-d arrays
        if scale is not None:
            data *= scale

    def _state_of(self, param):
        """The state of ``param``: created at first use, and its arrays always on the parameter's device."""
        state = self.state.get(param)
        if state is None:
            state = self.state[param] = {name: param.xp.zeros_like(param.data) for name in self.slots}
            state.update(dict.fromkeys(self.counters, 0))  # slot arrays are the optimizer's: updated in place
        elif self.slots and device_of(state[self.slots[0]]) != param.device:
            for name in self.slots:
                state[name] = param.device.put(state[name])
        return state

    # ---- saving and loading ----------------------------------------------------------------------
    def _named_params(self, model):
        """(name, Parameter) pairs of ``model``, of the model last updated when ``model`` is None, or
        None when neither is known. Parameters of a list are named by position: "0", "1", ..."""
        if model is None:
            model = self._model() if self._model is not None else None
            if model is None:
                return None
        if hasattr(model, "named_params"):
            return model.named_params()
        return [(str(i), p) for i, p in enumerate(model)]

    def state_dict(self, model=None):
        """The optimizer's state as ``{"iteration": n, "<param name>/<slot or counter>": host array}``,
        parameters named as in ``model.named_params()`` (default: the model last passed to :meth:`update`).
        Hyperparameters are not included: they are the constructor's arguments."""
        named = self._named_params(model)
        if self._pending is not None:
            if named is None:
                return dict(self._pending)  # loaded, still waiting for the model
            self.load_state_dict(self._pending, model)
        state = {"iteration": to_host(self.iteration)}
        if named is None:
            if len(self.state):
                raise ValueError("state_dict: pass the model (or parameter list) this optimizer updates")
            return state
        for name, p in named:
            for key, value in self.state.get(p, {}).items():
                state[f"{name}/{key}"] = to_host(value).copy()
        return state

    def load_state_dict(self, state, model=None):
        """Restore what :meth:`state_dict` gave, each array onto its parameter's current device.

        Parameters are found by name in ``model`` (default: the model last updated; on a fresh optimizer
        the state waits for the first :meth:`update`). Every entry is checked before anything changes
        (see :meth:`check_state_dict`).
        """
        named = self._named_params(model)
        if named is None:
            self.check_state_dict(state)
            self._pending = {key: to_host(array).copy() for key, array in state.items()}
            self.iteration = int(self._pending["iteration"].item())
            return
        params = dict(named)
        entries = self.check_state_dict(state, {name: p.shape for name, p in params.items()})
        self.state = weakref.WeakKeyDictionary()
        for name, key, array in entries:
            p = params[name]
            value = int(array.item()) if key in self.counters else p.device.put(array.astype(dtype_name(p.dtype)))
            self.state.setdefault(p, {})[key] = value
        self.iteration = int(to_host(state["iteration"]).item())
        self._pending = None
        if hasattr(model, "named_params"):
            self._model = weakref.ref(model)

    def check_state_dict(self, state, shapes=None):
        """The entries of a state_dict as (parameter name, slot or counter, host array), checked against
        this optimizer and, when given, the parameter shapes ``{name: shape}``. Raises ValueError naming the
        entry for a missing or malformed "iteration", an unknown parameter or slot, a missing slot of a
        parameter that has state, or a wrong shape."""
        kind = type(self).__name__
        if "iteration" not in state:
            raise ValueError("load_state_dict: no entry 'iteration'; expected what state_dict() returns")
        _check_count("iteration", state["iteration"])
        entries = []
        for key, array in state.items():
            if key == "iteration":
                continue
            name, _, slot = key.rpartition("/")
            if slot not in self.slots + self.counters:
                raise ValueError(f"load_state_dict: entry {key!r}: {kind} keeps {list(self.slots + self.counters)}")
            array = to_host(array)
            if slot in self.counters:
                _check_count(key, array)
            expected = () if slot in self.counters else shapes.get(name) if shapes is not None else None
            if shapes is not None and name not in shapes:
                raise ValueError(f"load_state_dict: entry {key!r} names no parameter of the model")
            if expected is not None and tuple(array.shape) != tuple(expected):
                raise ValueError(f"load_state_dict: entry {key!r} has shape {tuple(array.shape)}, "
                                 f"expected {tuple(expected)}")
            entries.append((name, slot, array))
        for name in dict.fromkeys(name for name, _, _ in entries):
            missing = [slot for slot in self.slots + self.counters if f"{name}/{slot}" not in state]
            if missing:
                raise ValueError(f"load_state_dict: no entry {name + '/' + missing[0]!r}: {kind} keeps "
                                 f"{list(self.slots + self.counters)} for every parameter it has state for")
        return entries


def _with_grads(params, where):
    """The parameters that have a gradient, each checked to have its parameter's dtype."""
    kept = []
    for p in params:
        grad = p.grad
        if grad is not None:
            if grad.data.dtype != p.data.dtype:
                raise TypeError(f"{where}: a {dtype_name(grad.dtype)} gradient for a {dtype_name(p.dtype)} "
                                f"parameter {p.name or ''} of shape {p.shape}; gradients keep their parameter's "
                                "dtype")
            kept.append(p)
    return kept


def _check_count(key, array):
    """A saved count (``iteration``, Adam's ``step``) must be one whole number >= 0."""
    array = to_host(array)
    value = array.item() if array.shape == () else None
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value < 0 or value != int(value)):
        raise ValueError(f"load_state_dict: entry {key!r} must be one whole number >= 0, got {array!r}")


def _number(name, value, low, high=math.inf, low_open=False, high_open=False):
    """``value`` as a Python float in the given range, or a ValueError (TypeError) naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if math.isnan(value) or too_low or too_high:
        span = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {span}, got {value}")
    return value


def _rate(name, value):
    return _number(name, value, 0.0, low_open=True, high_open=True)


def _beta(name, value):
    return _number(name, value, 0.0, 1.0, high_open=True)


def _eps(name, value):
    return _number(name, value, 0.0, high_open=True)


class SGD(Optimizer):
    """param <- param - learning_rate * grad."""

    def __init__(self, learning_rate=0.01, hooks=None):
        super().__init__(hooks)
        self.learning_rate = _rate("SGD: learning_rate", learning_rate)

    def update_one(self, param):
        self._apply(param, self.learning_rate * param.grad.data)


class Momentum(Optimizer):
    """v <- momentum * v - learning_rate * grad; param <- param + v."""

    slots = ("v",)

    def __init__(self, learning_rate=0.01, momentum=0.9, hooks=None):
        super().__init__(hooks)
        self.learning_rate = _rate("Momentum: learning_rate", learning_rate)
        self.momentum = _beta("Momentum: momentum", momentum)

    def update_one(self, param):
        v = self._state_of(param)["v"]
        v *= self.momentum
        v -= self.learning_rate * param.grad.data
        self._apply(param, -v)


class AdaGrad(Optimizer):
    """h <- h + grad²; param <- param - learning_rate * grad / (sqrt(h) + eps).

    Defaults are PyTorch's (``torch.optim.Adagrad`` without its learning-rate decay)."""

    slots = ("h",)

    def __init__(self, learning_rate=0.01, eps=1e-10, hooks=None):
        super().__init__(hooks)
        self.learning_rate = _rate("AdaGrad: learning_rate", learning_rate)
        self.eps = _eps("AdaGrad: eps", eps)

    def update_one(self, param):
        h, g = self._state_of(param)["h"], param.grad.data
        h += g * g
        self._apply(param, self.learning_rate * g / (param.xp.sqrt(h) + self.eps))


class RMSprop(Optimizer):
    """v <- rho * v + (1 - rho) * grad²; param <- param - learning_rate * grad / (sqrt(v) + eps).

    ``rho`` is the decay PyTorch calls ``alpha`` (renamed here, where ``alpha`` is Adam's step size);
    defaults are PyTorch's."""

    slots = ("v",)

    def __init__(self, learning_rate=0.01, rho=0.99, eps=1e-8, hooks=None):
        super().__init__(hooks)
        self.learning_rate = _rate("RMSprop: learning_rate", learning_rate)
        self.rho = _beta("RMSprop: rho", rho)
        self.eps = _eps("RMSprop: eps", eps)

    def update_one(self, param):
        v, g = self._state_of(param)["v"], param.grad.data
        v *= self.rho
        v += (1.0 - self.rho) * (g * g)
        self._apply(param, self.learning_rate * g / (param.xp.sqrt(v) + self.eps))


class Adam(Optimizer):
    """Adam as the seed writes it: m <- m + (1 - beta1)(g - m); v <- v + (1 - beta2)(g² - v);
    param <- param - lr_t m / (sqrt(v) + eps), with lr_t = alpha sqrt(1 - beta2^t) / (1 - beta1^t).

    t counts the parameter's own updates (``step``), as in PyTorch, so a parameter that starts training
    late (unfrozen, or created lazily) gets the bias correction of its first step; when every parameter
    updates every step this is the seed's global count. The bias correction is folded into the step size
    and eps is added to sqrt(v) after it: this equals PyTorch's Adam with eps / sqrt(1 - beta2^t) in place
    of eps (about 31 times larger at t = 1 with beta2 = 0.999, the same as t grows).
    """

    slots = ("m", "v")
    counters = ("step",)

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, hooks=None):
        super().__init__(hooks)
        name = type(self).__name__
        self.alpha = _rate(f"{name}: alpha", alpha)
        self.beta1 = _beta(f"{name}: beta1", beta1)
        self.beta2 = _beta(f"{name}: beta2", beta2)
        self.eps = _eps(f"{name}: eps", eps)

    def adam_step(self, param):
        """(lr_t, lr_t m / (sqrt(v) + eps)), after updating the moments m and v and the step count t."""
        state, g = self._state_of(param), param.grad.data
        state["step"] = t = state["step"] + 1
        m, v = state["m"], state["v"]
        m += (1.0 - self.beta1) * (g - m)
        v += (1.0 - self.beta2) * (g * g - v)
        lr = self.alpha * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        return lr, lr * m / (param.xp.sqrt(v) + self.eps)

    def update_one(self, param):
        self._apply(param, self.adam_step(param)[1])


class AdamW(Adam):
    """Adam with decoupled weight decay, as the seed: the Adam step, then a decay by the same bias-corrected
    step size, param <- (param - adam step) * (1 - lr_t * weight_decay).

    PyTorch decays first, by the step size without bias correction: param <- param * (1 - alpha *
    weight_decay), then the Adam step."""

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, hooks=None):
        super().__init__(alpha, beta1, beta2, eps, hooks)
        self.weight_decay = _number("AdamW: weight_decay", weight_decay, 0.0, high_open=True)

    def update_one(self, param):
        lr, step = self.adam_step(param)
        self._apply(param, step, 1.0 - lr * self.weight_decay)
