"""Optimizers: update a model's parameters from their gradients, after applying the gradient hooks.

Per-parameter state (velocities, moments) is created on the parameter's device and moved with it if the
model moves. Parameters without a gradient are skipped.
"""
import math
import weakref

from autograd.backend import device_of, dtype_name, to_host
from autograd.config import no_grad
from autograd.variable import Variable


class Optimizer:
    """Base class. Subclasses define ``update_one(param)`` and list the per-parameter arrays they keep in
    ``slots``; ``begin_step()`` does the per-step work shared by every parameter.

    ``iteration`` counts the calls to :meth:`update`. ``state`` maps each Parameter (weakly: a parameter
    that is gone takes its state with it) to ``{slot: array}``.
    """

    slots = ()

    def __init__(self, hooks=None):
        self.hooks = list(hooks or [])
        self.state = weakref.WeakKeyDictionary()
        self.iteration = 0
        self._model = None  # weak reference to the last model updated: names for state_dict()
        self._pending = None  # a state_dict loaded before the optimizer knew its model

    def update(self, model):
        """Apply the hooks, then one update, to the parameters of ``model`` (a Layer or a list of
        Parameters) that have a gradient. A hook may set ``p.grad = None`` to leave ``p`` alone."""
        if hasattr(model, "named_params"):
            self._model = weakref.ref(model)
            params = model.params()
        elif isinstance(model, Variable):
            raise TypeError("update: expected a Layer or a list of Parameters, got one Variable; pass [param]")
        else:
            params = list(model)
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.load_state_dict(pending, model)
        params = [p for p in params if p.grad is not None]
        with no_grad():
            for hook in self.hooks:
                hook(params)
                params = [p for p in params if p.grad is not None]
            for p in params:
                if p.grad.dtype != p.dtype:
                    raise TypeError(f"update: a {dtype_name(p.grad.dtype)} gradient for a {dtype_name(p.dtype)} "
                                    f"parameter {p.name or ''} of shape {p.shape}; gradients keep their "
                                    "parameter's dtype")
            self.iteration += 1
            self.begin_step()
            for p in params:
                self.update_one(p)

    def begin_step(self):
        """Per-step work shared by every parameter (Adam's bias correction)."""

    def update_one(self, param):
        raise NotImplementedError

    def _slot(self, param, name):
        """The state array ``name`` of ``param``: zeros at first, and always on the parameter's device."""
        slots = self.state.get(param)
        if slots is None:
            slots = self.state[param] = {}
        value = slots.get(name)
        if value is None:
            value = slots[name] = param.xp.zeros_like(param.data)
        elif device_of(value) != param.device:
            value = slots[name] = param.device.put(value)
        return value

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
        """The optimizer's state as ``{"iteration": n, "<param name>/<slot>": host array}``, parameters
        named as in ``model.named_params()`` (default: the model last passed to :meth:`update`).
        Hyperparameters are not included: they are the constructor's arguments."""
        named = self._named_params(model)
        if named is None and self._pending is not None:
            return dict(self._pending)  # loaded, still waiting for the first update
        state = {"iteration": to_host(self.iteration)}
        if named is None:
            if len(self.state):
                raise ValueError("state_dict: pass the model (or parameter list) this optimizer updates")
            return state
        for name, p in named:
            for slot, value in self.state.get(p, {}).items():
                state[f"{name}/{slot}"] = to_host(value).copy()
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
            self.iteration = int(self._pending["iteration"])
            return
        params = dict(named)
        entries = self.check_state_dict(state, {name: p.shape for name, p in params.items()})
        self.state = weakref.WeakKeyDictionary()
        for name, slot, array in entries:
            p = params[name]
            self.state.setdefault(p, {})[slot] = p.device.put(array.astype(dtype_name(p.dtype)))
        self.iteration = int(to_host(state["iteration"]))
        self._pending = None
        if hasattr(model, "named_params"):
            self._model = weakref.ref(model)

    def check_state_dict(self, state, shapes=None):
        """The entries of a state_dict as (parameter name, slot, host array), checked against this optimizer
        and, when given, the parameter shapes ``{name: shape}``. Raises ValueError naming the entry for a
        missing "iteration", an unknown parameter or slot, or a wrong shape."""
        if "iteration" not in state:
            raise ValueError("load_state_dict: no entry 'iteration'; expected what state_dict() returns")
        entries = []
        for key, array in state.items():
            if key == "iteration":
                continue
            name, _, slot = key.rpartition("/")
            if slot not in self.slots:
                raise ValueError(f"load_state_dict: entry {key!r}: {type(self).__name__} keeps {list(self.slots)}")
            array = to_host(array)
            if shapes is not None:
                if name not in shapes:
                    raise ValueError(f"load_state_dict: entry {key!r} names no parameter of the model")
                if tuple(array.shape) != tuple(shapes[name]):
                    raise ValueError(f"load_state_dict: entry {key!r} has shape {tuple(array.shape)}, "
                                     f"the parameter has shape {tuple(shapes[name])}")
            entries.append((name, slot, array))
        for name in dict.fromkeys(name for name, _, _ in entries):
            missing = [slot for slot in self.slots if f"{name}/{slot}" not in state]
            if missing:
                raise ValueError(f"load_state_dict: no entry {name + '/' + missing[0]!r}: {type(self).__name__} "
                                 f"keeps {list(self.slots)} for every parameter it has state for")
        return entries


def _check_rate(name, value):
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")


def _check_beta(name, value):
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value}")


def _check_eps(name, value):
    if not value >= 0:
        raise ValueError(f"{name} must be >= 0, got {value}")


class SGD(Optimizer):
    """param <- param - learning_rate * grad."""

    def __init__(self, learning_rate=0.01, hooks=None):
        super().__init__(hooks)
        _check_rate("SGD: learning_rate", learning_rate)
        self.learning_rate = learning_rate

    def update_one(self, param):
        param.data = param.data - self.learning_rate * param.grad.data


class Momentum(Optimizer):
    """v <- momentum * v - learning_rate * grad; param <- param + v."""

    slots = ("v",)

    def __init__(self, learning_rate=0.01, momentum=0.9, hooks=None):
        super().__init__(hooks)
        _check_rate("Momentum: learning_rate", learning_rate)
        _check_beta("Momentum: momentum", momentum)
        self.learning_rate, self.momentum = learning_rate, momentum

    def update_one(self, param):
        v = self.momentum * self._slot(param, "v") - self.learning_rate * param.grad.data
        self.state[param]["v"] = v
        param.data = param.data + v


class AdaGrad(Optimizer):
    """h <- h + grad²; param <- param - learning_rate * grad / (sqrt(h) + eps).

    Defaults are PyTorch's (``torch.optim.Adagrad`` without its learning-rate decay)."""

    slots = ("h",)

    def __init__(self, learning_rate=0.01, eps=1e-10, hooks=None):
        super().__init__(hooks)
        _check_rate("AdaGrad: learning_rate", learning_rate)
        _check_eps("AdaGrad: eps", eps)
        self.learning_rate, self.eps = learning_rate, eps

    def update_one(self, param):
        g = param.grad.data
        h = self._slot(param, "h") + g * g
        self.state[param]["h"] = h
        param.data = param.data - self.learning_rate * g / (param.xp.sqrt(h) + self.eps)


class RMSprop(Optimizer):
    """v <- rho * v + (1 - rho) * grad²; param <- param - learning_rate * grad / (sqrt(v) + eps).

    ``rho`` is the decay PyTorch calls ``alpha`` (renamed here, where ``alpha`` is Adam's step size);
    defaults are PyTorch's."""

    slots = ("v",)

    def __init__(self, learning_rate=0.01, rho=0.99, eps=1e-8, hooks=None):
        super().__init__(hooks)
        _check_rate("RMSprop: learning_rate", learning_rate)
        _check_beta("RMSprop: rho", rho)
        _check_eps("RMSprop: eps", eps)
        self.learning_rate, self.rho, self.eps = learning_rate, rho, eps

    def update_one(self, param):
        g = param.grad.data
        v = self.rho * self._slot(param, "v") + (1.0 - self.rho) * (g * g)
        self.state[param]["v"] = v
        param.data = param.data - self.learning_rate * g / (param.xp.sqrt(v) + self.eps)


class Adam(Optimizer):
    """Adam as the seed writes it: m <- m + (1 - beta1)(g - m); v <- v + (1 - beta2)(g² - v);
    param <- param - lr_t m / (sqrt(v) + eps), with lr_t = alpha sqrt(1 - beta2^t) / (1 - beta1^t).

    The bias correction is folded into the step size and eps is added to sqrt(v) after that, so eps acts
    at a scale sqrt(1 - beta2^t) smaller than PyTorch's, which adds eps to sqrt(v / (1 - beta2^t)).
    """

    slots = ("m", "v")

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, hooks=None):
        super().__init__(hooks)
        name = type(self).__name__
        _check_rate(f"{name}: alpha", alpha)
        _check_beta(f"{name}: beta1", beta1)
        _check_beta(f"{name}: beta2", beta2)
        _check_eps(f"{name}: eps", eps)
        self.alpha, self.beta1, self.beta2, self.eps = alpha, beta1, beta2, eps

    def begin_step(self):
        t = self.iteration
        self.lr = self.alpha * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)

    def adam_step(self, param):
        """lr_t m / (sqrt(v) + eps), after updating the moments m and v."""
        g = param.grad.data
        m = self._slot(param, "m")
        v = self._slot(param, "v")
        m = m + (1.0 - self.beta1) * (g - m)
        v = v + (1.0 - self.beta2) * (g * g - v)
        self.state[param].update(m=m, v=v)
        return self.lr * m / (param.xp.sqrt(v) + self.eps)

    def update_one(self, param):
        param.data = param.data - self.adam_step(param)


class AdamW(Adam):
    """Adam with decoupled weight decay, as the seed: the Adam step, then a decay by the same bias-corrected
    step size, param <- (param - adam step) * (1 - lr_t * weight_decay).

    PyTorch decays first, by the undecorated step size: param <- param * (1 - alpha * weight_decay), then
    the Adam step."""

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, hooks=None):
        super().__init__(alpha, beta1, beta2, eps, hooks)
        if not weight_decay >= 0:
            raise ValueError(f"AdamW: weight_decay must be >= 0, got {weight_decay}")
        self.weight_decay = weight_decay

    def update_one(self, param):
        param.data = (param.data - self.adam_step(param)) * (1.0 - self.lr * self.weight_decay)
