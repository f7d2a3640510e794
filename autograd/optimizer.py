"""Optimizers: update a model's parameters from their gradients, after applying the gradient hooks.

`opt.update(model)` applies the optimizer's `hooks` (see [autograd.hook][]), then updates every parameter
that still has a gradient; parameters without one are skipped. Per-parameter state (velocities, moments) is
created on the parameter's device at its first update and follows it if the model moves.

Updates are written in place into arrays the optimizer made itself: the first update of a parameter (and the
first after its `data` was replaced, by a load or by hand) writes a new array, which later updates then
overwrite. An array the user handed in is never written into; but `p.data` read between steps is the live
array, which the next update changes (copy it to keep a snapshot, as `state_dict()` does).
"""
import math
import weakref

from autograd._checks import number
from autograd.backend import as_array, device_of, dtype_name, to_host
from autograd.config import no_grad
from autograd.variable import Variable

__all__ = ["Optimizer", "SGD", "Momentum", "AdaGrad", "RMSprop", "Adam", "AdamW"]


class Optimizer:
    """Base class of the optimizers: hooks, the update loop, per-parameter state, saving and loading.

    A subclass defines [update_one][autograd.optimizer.Optimizer.update_one], the step rule for one parameter,
    and names its per-parameter state in two class attributes: `slots`, arrays shaped like the parameter
    (zeros at first, on its device), and `counters`, Python ints (0 at first). Those names key
    [state_dict][autograd.optimizer.Optimizer.state_dict].

    Args:
        hooks (list[Callable] | None): callables `hook(params) -> None` applied in list order before each update, such
            as [WeightDecay][autograd.hook.WeightDecay], [ClipGrad][autograd.hook.ClipGrad] and
            [FreezeParam][autograd.hook.FreezeParam]. Default: none.

    Attributes:
        hooks: the list of hooks; it may be changed between steps.
        iteration: the number of calls to [update][autograd.optimizer.Optimizer.update] (saved by `state_dict`).
        state: maps each Parameter (weakly: a parameter that is gone takes its state with it) to
            `{slot or counter name: array or int}`.

    Examples:
        A custom optimizer, sign descent `param <- param - lr * sign(grad)`:

        >>> from autograd import Parameter, Variable, to_host
        >>> from autograd.optimizer import Optimizer
        >>> class SignSGD(Optimizer):
        ...     def __init__(self, lr=0.01, hooks=None):
        ...         super().__init__(hooks)
        ...         self.lr = lr
        ...     def update_one(self, param):
        ...         param.data = param.data - self.lr * param.xp.sign(param.grad.data)
        >>> p = Parameter([1.0, 1.0])
        >>> p.grad = Variable([-3.0, 0.5], dtype="float32")
        >>> SignSGD(0.25).update([p])
        >>> to_host(p).tolist()
        [1.25, 0.75]
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
        """One training step: apply the hooks, then update every parameter of `model` that has a gradient.

        The parameters that have a gradient are passed to each hook in turn, under
        [no_grad][autograd.config.no_grad]; after each hook those whose `grad` it set to None are dropped, so
        later hooks and the update skip them. Then `iteration` grows by one (even if no parameter is left) and
        [update_one][autograd.optimizer.Optimizer.update_one] updates each remaining parameter, in the order
        of `model.params()` (or of the list). A state_dict loaded before the optimizer knew its model is applied first.

        Args:
            model (Layer | list[Parameter]): a [Layer][autograd.layer.Layer] (or Model), or a list of Parameters (one
                listed twice is updated once). With a Layer, its parameter names key later `state_dict()` calls.

        Raises:
            TypeError: `model` is a single Variable (pass `[param]`), or a gradient's dtype differs from its
                parameter's, before or after the hooks.

        Examples:
            >>> from autograd import Parameter, Variable, optimizer, to_host
            >>> p, q = Parameter([1.0]), Parameter([1.0])
            >>> p.grad = Variable([0.5], dtype="float32")      # q has no gradient: skipped
            >>> opt = optimizer.SGD(learning_rate=0.5)
            >>> opt.update([p, q])
            >>> to_host(p).tolist(), to_host(q).tolist(), opt.iteration
            ([0.75], [1.0], 1)
        """
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
        """Update one parameter from its gradient: the step rule that a subclass defines.

        [update][autograd.optimizer.Optimizer.update] calls it once per parameter that still has a gradient
        after the hooks, after incrementing `iteration`. `param.grad.data` is the gradient array, in the
        parameter's dtype and on its device. It works on raw arrays, so it records no graph. It must leave the
        new value in `param.data`: the built-in optimizers write in place into arrays they made (raising
        `param.version`, so a graph recorded before the step refuses its backward pass); a subclass may also
        assign a new array, `param.data = ...`. It returns nothing.

        Args:
            param (Parameter): the [Parameter][autograd.variable.Parameter] to update; `param.grad` is not None.

        Raises:
            NotImplementedError: on the base class.
        """
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
        """The optimizer's state as `{"iteration": n, "<param name>/<slot or counter>": host array}`.

        Parameters are named as in `model.named_params()` (`lstm.x2f.W`), or by position ("0", "1", ...) for a
        list of Parameters. Every value is a NumPy copy (counters and `iteration` as 0-d integer arrays), so it
        can be saved with `numpy.savez` or [checkpoint.save][autograd.checkpoint.save]. Hyperparameters and
        hooks are not included: they are the constructor's arguments.

        Args:
            model (Layer | list[Parameter]): the Layer or list of Parameters this optimizer updates. Default: the Layer
                last passed to [update][autograd.optimizer.Optimizer.update].

        Returns:
            (dict): a new dict of host arrays; `{"iteration": ...}` alone before the first update.

        Raises:
            ValueError: the optimizer has state but no model was given and none is known (it was updated
                only with lists of Parameters).

        Examples:
            >>> from autograd import Parameter, Variable, optimizer
            >>> p = Parameter([1.0, 2.0])
            >>> p.grad = Variable([0.5, 0.5], dtype="float32")
            >>> opt = optimizer.Momentum(learning_rate=0.1)
            >>> opt.update([p])
            >>> state = opt.state_dict([p])
            >>> sorted(state), state["0/v"].tolist()
            (['0/v', 'iteration'], [-0.05000000074505806, -0.05000000074505806])
        """
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
        """Restore what [state_dict][autograd.optimizer.Optimizer.state_dict] gave, each array onto its
        parameter's current device and into its dtype.

        Parameters are found by name in `model`. Every entry is checked first (see
        [check_state_dict][autograd.optimizer.Optimizer.check_state_dict]), so a refused state changes
        nothing; an accepted one replaces the whole state, and `iteration`. A parameter without entries
        starts afresh. The hyperparameters are the constructor's: create the optimizer as before, then load.

        Args:
            state (dict): a dict as `state_dict()` returns it (arrays of any device).
            model (Layer | list[Parameter]): the Layer or list of Parameters the state belongs to. Default: the Layer
                last updated; on a fresh optimizer the state is kept (checked, as host copies) until the first
                [update][autograd.optimizer.Optimizer.update], which applies it.

        Raises:
            ValueError: a missing or malformed entry, as `check_state_dict` describes.

        Examples:
            >>> from autograd import Variable, layer, optimizer, to_host
            >>> import autograd.function as F
            >>> lin = layer.Linear(2, in_size=3)
            >>> opt = optimizer.Adam()
            >>> F.sum(lin(Variable([[1.0, 2.0, 3.0]], dtype="float32"))).backward()
            >>> opt.update(lin)
            >>> again = optimizer.Adam()
            >>> again.load_state_dict(opt.state_dict(), lin)
            >>> again.iteration, (to_host(again.state[lin.W]["m"]) == to_host(opt.state[lin.W]["m"])).all().item()
            (1, True)
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
        """Check a state_dict against this optimizer, and the model's parameter shapes when given; change nothing.

        Args:
            state (dict): a dict as [state_dict][autograd.optimizer.Optimizer.state_dict] returns it.
            shapes (dict | None): `{parameter name: shape}` of the model, or None to check only the names of the slots
                and counters.

        Returns:
            (list[tuple]): the entries as `(parameter name, slot or counter, host array)`, "iteration" left out.

        Raises:
            ValueError: naming the entry, for a missing or malformed "iteration" (it, and each counter, must be
                one whole number >= 0), an unknown parameter or slot, a missing slot of a parameter that has
                state, or a wrong shape.
        """
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


def _rate(name, value):
    return number(name, value, 0.0, low_open=True, high_open=True)


def _beta(name, value):
    return number(name, value, 0.0, 1.0, high_open=True)


def _eps(name, value):
    return number(name, value, 0.0, high_open=True)


class SGD(Optimizer):
    """Stochastic gradient descent: `param <- param - learning_rate * grad`.

    No state. Add momentum with [Momentum][autograd.optimizer.Momentum], L2 regularisation with the hook
    [WeightDecay][autograd.hook.WeightDecay].

    Args:
        learning_rate (float): the step size, > 0. Typical values: 0.01 (default) to 0.1; up to 1 for small models.
        hooks (list[Callable] | None): gradient hooks applied before each update (see
            [Optimizer][autograd.optimizer.Optimizer]).

    Raises:
        TypeError: `learning_rate` is not a real number.
        ValueError: `learning_rate` is not in (0, inf).

    Examples:
        >>> from autograd import Parameter, Variable, optimizer, to_host
        >>> p = Parameter([1.0, 2.0])
        >>> p.grad = Variable([0.5, -1.0], dtype="float32")
        >>> optimizer.SGD(learning_rate=0.1).update([p])       # p - 0.1 * grad
        >>> [round(v, 6) for v in to_host(p).tolist()]
        [0.95, 2.1]
    """

    def __init__(self, learning_rate=0.01, hooks=None):
        super().__init__(hooks)
        self.learning_rate = _rate("SGD: learning_rate", learning_rate)

    def update_one(self, param):
        self._apply(param, self.learning_rate * param.grad.data)


class Momentum(Optimizer):
    """SGD with momentum: a velocity `v` (zeros at first) accumulates past steps.

        v     <- momentum * v - learning_rate * grad
        param <- param + v

    As the seed and Chainer write it; PyTorch's `SGD(momentum=...)` accumulates the gradient instead,
    `b <- momentum * b + grad; param <- param - lr * b`, which gives the same steps for a constant learning rate.

    Args:
        learning_rate (float): the step size, > 0. Typical values: 0.01 (default) to 0.1.
        momentum (float): the decay of the velocity, in [0, 1); 0 gives SGD. Typical values: 0.9 (default), 0.5 to 0.99.
        hooks (list[Callable] | None): gradient hooks applied before each update (see
            [Optimizer][autograd.optimizer.Optimizer]).

    Raises:
        TypeError: a hyperparameter is not a real number.
        ValueError: a hyperparameter is out of range.

    Examples:
        Two steps with the gradient 1: v = -0.1, then -0.19.

        >>> from autograd import Parameter, Variable, optimizer, to_host
        >>> p, opt = Parameter([1.0]), optimizer.Momentum(learning_rate=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     p.grad = Variable([1.0], dtype="float32")
        ...     opt.update([p])
        >>> round(p.item(), 6)
        0.71
    """

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
    """AdaGrad: each weight's step shrinks with the sum `h` of its squared gradients (zeros at first).

        h     <- h + grad²
        param <- param - learning_rate * grad / (sqrt(h) + eps)

    The first step is about `learning_rate` in every coordinate; for a constant gradient the steps then decay
    like 1 / sqrt(t). The defaults are PyTorch's (`torch.optim.Adagrad`, whose `lr_decay` and
    `initial_accumulator_value`, 0 by default, are not offered here).

    Args:
        learning_rate (float): the step size, > 0. Typical values: 0.01 (default) to 0.1.
        eps (float): added to sqrt(h), >= 0, against division by zero. Default 1e-10.
        hooks (list[Callable] | None): gradient hooks applied before each update (see
            [Optimizer][autograd.optimizer.Optimizer]).

    Raises:
        TypeError: a hyperparameter is not a real number.
        ValueError: a hyperparameter is out of range.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer, to_host
        >>> p, opt = Parameter([1.0]), optimizer.AdaGrad(learning_rate=0.1)
        >>> for _ in range(2):                 # h = 4, then 8: steps 0.1 * 2 / 2 and 0.1 * 2 / sqrt(8)
        ...     p.grad = Variable([2.0], dtype="float32")
        ...     opt.update([p])
        >>> round(p.item(), 4)
        0.8293
    """

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
    """RMSprop: each weight's step is divided by a running root mean square of its gradients.

        v     <- rho * v + (1 - rho) * grad²          (v: zeros at first)
        param <- param - learning_rate * grad / (sqrt(v) + eps)

    There is no bias correction (as in PyTorch): the first step is `learning_rate / sqrt(1 - rho)` in every
    coordinate, 10 times `learning_rate` with `rho = 0.99`. `rho` is the decay PyTorch calls `alpha` (renamed
    here, where `alpha` is Adam's step size); the defaults are PyTorch's.

    Args:
        learning_rate (float): the step size, > 0. Typical values: 1e-3 to 0.01 (default).
        rho (float): the decay of the running average, in [0, 1). Typical values: 0.9 to 0.99 (default).
        eps (float): added to sqrt(v), >= 0, against division by zero. Default 1e-8.
        hooks (list[Callable] | None): gradient hooks applied before each update (see
            [Optimizer][autograd.optimizer.Optimizer]).

    Raises:
        TypeError: a hyperparameter is not a real number.
        ValueError: a hyperparameter is out of range.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> p.grad = Variable([2.0], dtype="float32")
        >>> optimizer.RMSprop(learning_rate=0.01).update([p])    # a first step of 0.01 / sqrt(0.01)
        >>> round(p.item(), 6)
        0.9
    """

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
    """Adam as the seed writes it: moving averages of the gradient and of its square, with bias correction.

        t     <- t + 1                                   (the parameter's own step count)
        m     <- m + (1 - beta1) (g - m)                 (= beta1 m + (1 - beta1) g; m, v zeros at first)
        v     <- v + (1 - beta2) (g² - v)                (= beta2 v + (1 - beta2) g²)
        lr_t  = alpha * sqrt(1 - beta2^t) / (1 - beta1^t)
        param <- param - lr_t * m / (sqrt(v) + eps)

    t counts the parameter's own updates (the counter `step`), as in PyTorch, so a parameter that starts
    training late (unfrozen, or created lazily) gets the bias correction of its first step; when every
    parameter updates every step this is the seed's global count. The bias correction is folded into the step
    size and eps is added to sqrt(v) after it: this equals PyTorch's Adam with eps / sqrt(1 - beta2^t) in
    place of eps (about 32 times larger at t = 1 with beta2 = 0.999, the same as t grows). The first step
    moves each weight by almost exactly `alpha * sign(g)`.

    Args:
        alpha (float): the step size, > 0. Typical values: 1e-3 (default), 1e-4 to 3e-3.
        beta1 (float): the decay of the first moment m, in [0, 1). Typical value: 0.9 (default).
        beta2 (float): the decay of the second moment v, in [0, 1). Typical values: 0.999 (default), 0.98 to 0.99 for
            transformers.
        eps (float): added to sqrt(v), >= 0. Default 1e-8.
        hooks (list[Callable] | None): gradient hooks applied before each update (see
            [Optimizer][autograd.optimizer.Optimizer]).

    Raises:
        TypeError: a hyperparameter is not a real number.
        ValueError: a hyperparameter is out of range.

    Examples:
        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> p.grad = Variable([2.0], dtype="float32")
        >>> optimizer.Adam(alpha=0.001).update([p])             # the first step: alpha * sign(g)
        >>> round(p.item(), 6)
        0.999
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
        """Advance the moments of `param` by its gradient and return the Adam step (for subclasses).

        Updates `t`, `m` and `v` in the parameter's state as the class docstring shows, but not the parameter.

        Args:
            param (Parameter): a Parameter with a gradient.

        Returns:
            (tuple[float, array]): `(lr_t, step)`, the bias-corrected step size and the array
                `lr_t * m / (sqrt(v) + eps)` to subtract from `param.data`.
        """
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
    step size.

        param <- (param - lr_t * m / (sqrt(v) + eps)) * (1 - lr_t * weight_decay)

    with m, v and lr_t as in [Adam][autograd.optimizer.Adam]. The decay shrinks the weight itself, by the same
    factor for every weight, instead of entering the gradient as the hook
    [WeightDecay][autograd.hook.WeightDecay] does (where Adam divides it by sqrt(v)).

    PyTorch's `AdamW` decays first, by the step size without bias correction, `param <- param * (1 - alpha *
    weight_decay)`, then takes the Adam step. Here the decay is `lr_t * weight_decay`: smaller at first
    (lr_t = 0.316 alpha at t = 1 with the default betas), the same as PyTorch's as t grows.

    Args:
        alpha (float): the step size, > 0. Typical values: 1e-3 (default), 1e-4 to 3e-3.
        beta1 (float): the decay of the first moment, in [0, 1). Default 0.9.
        beta2 (float): the decay of the second moment, in [0, 1). Default 0.999.
        eps (float): added to sqrt(v), >= 0. Default 1e-8.
        weight_decay (float): the decoupled decay rate, >= 0. Typical values: 0.01 (default, PyTorch's too) to 0.1.
        hooks (list[Callable] | None): gradient hooks applied before each update (see
            [Optimizer][autograd.optimizer.Optimizer]).

    Raises:
        TypeError: a hyperparameter is not a real number.
        ValueError: a hyperparameter is out of range.

    Examples:
        A zero gradient leaves only the decay: 1 - lr_1 * 0.1 with lr_1 = 0.1 * sqrt(0.001) / 0.1.

        >>> from autograd import Parameter, Variable, optimizer
        >>> p = Parameter([1.0])
        >>> p.grad = Variable([0.0], dtype="float32")
        >>> optimizer.AdamW(alpha=0.1, weight_decay=0.1).update([p])
        >>> round(p.item(), 6)
        0.996838
    """

    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, hooks=None):
        super().__init__(alpha, beta1, beta2, eps, hooks)
        self.weight_decay = number("AdamW: weight_decay", weight_decay, 0.0, high_open=True)

    def update_one(self, param):
        lr, step = self.adam_step(param)
        self._apply(param, step, 1.0 - lr * self.weight_decay)
