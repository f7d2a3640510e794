"""Gradient hooks: callables `hook(params) -> None` that an optimizer applies, in order, just before its update.

An optimizer created with `hooks=[...]` calls each hook, in list order and under
[no_grad][autograd.config.no_grad], with the list of parameters that have a gradient. A hook replaces `p.grad`
with a new Variable (never writes into it: a gradient Variable may be shared), skips parameters whose `grad` is
None, and keeps each gradient's dtype and device. A hook that sets `p.grad = None` takes `p` out of this step:
later hooks and the update skip it. Called by hand, `hook(params)` does the same to any list of Parameters.
A setting that is not a real number raises TypeError (a bool too), one out of its range ValueError, at
construction and at every later assignment (`clip.max_norm = -1.0`) alike.
"""
from autograd._checks import Hyperparameters, integer, number
from autograd.backend import dtype_name, to_host
from autograd.variable import Parameter, Variable

__all__ = ["WeightDecay", "ClipGrad", "FreezeParam", "LossScaler"]


def _with_grad(params):
    return [p for p in params if p.grad is not None]


class WeightDecay(Hyperparameters):
    """L2 regularisation through the gradient: `grad <- grad + lambda_ * param`, the gradient of the penalty
    `lambda_ / 2 * Σ param²` (PyTorch's `weight_decay` argument of `SGD` and `Adam`). It applies to every
    parameter updated, biases included. Being part of the gradient, it is rescaled by an adaptive optimizer
    (divided by sqrt(v) in [Adam][autograd.optimizer.Adam]); [AdamW][autograd.optimizer.AdamW] decouples it.

    Args:
        lambda_ (float): λ, a real number >= 0, kept as the float `lambda_`. Typical values: 1e-4 to 5e-4.

    Examples:
        >>> from autograd import Parameter, Variable, hook, to_host
        >>> p = Parameter([1.0, -2.0])
        >>> p.grad = Variable([0.5, 0.5], dtype="float32")
        >>> hook.WeightDecay(0.1)([p])                  # grad + 0.1 * param
        >>> [round(g, 6) for g in to_host(p.grad).tolist()]
        [0.6, 0.3]
    """

    hyperparameters = {"lambda_": dict(low=0.0, high_open=True)}  # [0, inf)

    def __init__(self, lambda_):
        self.lambda_ = lambda_

    def __call__(self, params):
        """`grad <- grad + lambda_ * param` for each of `params` that has a gradient."""
        for p in _with_grad(params):
            p.grad = Variable(p.grad.data + self.lambda_ * p.data)


class ClipGrad(Hyperparameters):
    """Clip by global norm, as the seed's `ClipGrad` and PyTorch's `clip_grad_norm_`:

        n = sqrt(Σ over every parameter of Σ grad²);  grad <- grad * max_norm / (n + 1e-6)  when that factor is < 1

    The norm n, measured before clipping, stays on the device as `last_norm`, a 0-d Variable (None after a call
    where no parameter had a gradient): the step never waits for the host. A nan n leaves the gradients as they
    are, an infinite one scales them by 0; `error_if_nonfinite=True` raises instead (reading n on the host).

    Args:
        max_norm (float): the largest joint norm, > 0, kept as a float. Typical values: 0.5 to 5; 1.0 is common.
        error_if_nonfinite (bool): at a call, raise ValueError, leaving the gradients untouched, if n is nan or inf.

    Examples:
        >>> from autograd import Parameter, Variable, hook, to_host
        >>> p = Parameter([0.0, 0.0])
        >>> p.grad = Variable([3.0, 4.0], dtype="float32")
        >>> clip = hook.ClipGrad(1.0)
        >>> clip([p])
        >>> [round(g, 4) for g in to_host(p.grad).tolist()]       # norm 5 clipped to 1: (3, 4) / (5 + 1e-6)
        [0.6, 0.8]
        >>> clip.last_norm.item()
        5.0
    """

    hyperparameters = {"max_norm": dict(low=0.0, low_open=True, high_open=True)}  # (0, inf)

    def __init__(self, max_norm, error_if_nonfinite=False):
        self.max_norm = max_norm
        self.error_if_nonfinite = error_if_nonfinite
        self.last_norm = None

    def __call__(self, params):
        """Measure the joint norm of the gradients of `params` into `last_norm`, then clip them."""
        params = _with_grad(params)
        if not params:
            self.last_norm = None
            return
        xp = params[0].xp
        squares = []
        for p in params:
            g = p.grad.data  # float16 squares overflow from |g| = 256: sum them in float32
            g = xp.astype(g, xp.float32) if dtype_name(g.dtype) == "float16" else g
            squares.append(xp.sum(g * g))
        norm = xp.sqrt(sum(squares[1:], squares[0]))
        self.last_norm = Variable(norm)
        if self.error_if_nonfinite and not to_host(xp.isfinite(norm)).item():
            raise ValueError(f"ClipGrad: the total gradient norm of {len(params)} parameters is "
                             f"{to_host(norm).item()}; gradients left unclipped")
        rate = self.max_norm / (norm + 1e-6)
        scale = xp.where(rate < 1.0, rate, xp.ones_like(rate))
        scales = {dtype: xp.astype(scale, dtype) for dtype in {p.grad.dtype for p in params}}  # one cast per dtype
        for p in params:
            p.grad = Variable(p.grad.data * scales[p.grad.dtype])


class FreezeParam:
    """Keep parameters fixed: at each step, `grad = None` for the given Parameters and the parameters of the
    given layers (looked up at every step, so lazy weights too), so the optimizer and later hooks skip them and
    make no state for them. Put it first in `hooks`. PyTorch's way is `requires_grad_(False)`; here `backward()`
    still computes their gradients and the hook drops them.

    Args:
        *targets (Layer | Parameter): [Layers][autograd.layer.Layer] (anything with `params()`) and
            [Parameters][autograd.variable.Parameter], at least one; kept as the tuple `targets`.

    Raises:
        ValueError: no target given. TypeError: a target is neither a Layer nor a Parameter.

    Examples:
        >>> from autograd import Variable, hook, layer, model, optimizer
        >>> import autograd.function as F
        >>> body, head = layer.Linear(3, in_size=2), layer.Linear(1, in_size=3)
        >>> net = model.Sequential(body, F.relu, head)
        >>> F.sum(net(Variable([[1.0, 2.0]], dtype="float32"))).backward()
        >>> optimizer.SGD(net, learning_rate=0.1, hooks=[hook.FreezeParam(body)]).update()
        >>> body.W.grad is None, head.W.grad is None               # body is not updated
        (True, False)
    """

    def __init__(self, *targets):
        if not targets:
            raise ValueError("FreezeParam: name at least one layer or Parameter to freeze")
        for target in targets:
            if not (isinstance(target, Parameter) or hasattr(target, "params")):
                raise TypeError(f"FreezeParam: expected Layers or Parameters, got {type(target).__name__}")
        self.targets = targets

    def __call__(self, params):
        """`grad = None` for each of `params` that belongs to the targets."""
        frozen = set()
        for target in self.targets:
            frozen.update(id(p) for p in ([target] if isinstance(target, Parameter) else target.params()))
        for p in params:
            if id(p) in frozen:
                p.grad = None


class LossScaler(Hyperparameters):
    """Dynamic loss scaling for float16 training, PyTorch's `GradScaler` as a hook, with any optimizer. Small
    gradients underflow in float16 (below 6e-8 they are 0): the loss is multiplied by a large scale before
    `backward()`, so the gradients are that much larger, and divided by it again before the update:

        scaler.scale(loss).backward()                     # loss * scale
        opt.update()                                      # hooks=[scaler, ...]: the scaler first
        grad <- grad / scale   (in float32 for a float16 or bfloat16 gradient, which the optimizer accepts)

    If any gradient is inf or nan after that (the scale was too large), every gradient is set to None, so the
    optimizer skips the whole step (no parameter, moment or step count changes; `iteration` still counts the
    call), and `scale <- scale * backoff_factor`. After `growth_interval` steps in a row without one,
    `scale <- scale * growth_factor`. Deciding to skip reads one bool on the host per step (one fused device
    reduction over every gradient), as PyTorch's `GradScaler.step` does. Put it first in `hooks`, so that the
    later ones (ClipGrad) see the true gradients. The optimizer keeps a float32 master copy of each float16
    parameter (see [autograd.optimizer][]), so updates far below float16's resolution are not lost.

    Args:
        init_scale (float): the first scale, > 0. Default 2^16 (PyTorch's).
        growth_factor (float): the factor of a growth, > 1. Default 2.
        backoff_factor (float): the factor after an inf or nan, in (0, 1). Default 0.5.
        growth_interval (int): clean steps before a growth, >= 1. Default 2000.

    Examples:
        >>> from autograd import Parameter, Variable, hook, optimizer, to_host
        >>> p = Parameter([1.0, 2.0])
        >>> scaler = hook.LossScaler(init_scale=1024.0, growth_interval=1)
        >>> opt = optimizer.SGD([p], learning_rate=0.1, hooks=[scaler])
        >>> scaler.scale(p * p).backward(Variable([1.0, 1.0], dtype="float32"))   # grad 1024 * 2p
        >>> opt.update()                                  # unscaled: 2p
        >>> [round(v, 6) for v in to_host(p).tolist()], scaler.get_scale()   # grown after 1 clean step
        ([0.8, 1.6], 2048.0)
        >>> p.grad = Variable([float("inf"), 0.0], dtype="float32")
        >>> opt.update()                                  # skipped, the scale halved
        >>> [round(v, 6) for v in to_host(p).tolist()], scaler.get_scale(), scaler.found_inf
        ([0.8, 1.6], 1024.0, True)
    """

    hyperparameters = {"growth_factor": dict(low=1.0, low_open=True, high_open=True),  # (1, inf)
                       "backoff_factor": dict(low=0.0, high=1.0, low_open=True, high_open=True)}  # (0, 1)

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self._scale = number("LossScaler: init_scale", init_scale, 0.0, low_open=True, high_open=True)
        self.growth_factor = growth_factor
        self.backoff_factor = backoff_factor
        self.growth_interval = integer(growth_interval, "LossScaler: growth_interval")
        if self.growth_interval < 1:
            raise ValueError(f"LossScaler: growth_interval must be >= 1, got {growth_interval}")
        self._growth_tracker = 0
        self.found_inf = False  # whether the last call found an inf or nan (and dropped the gradients)

    def scale(self, loss):
        """`loss * scale`, to call `backward()` on (a Variable of any dtype: the scale is a Python number)."""
        return loss * self._scale

    def get_scale(self):
        """The current scale, a Python float."""
        return self._scale

    def __call__(self, params):
        """Unscale the gradients of `params`, or drop them all if one has an inf or nan; then adapt the scale."""
        params = _with_grad(params)
        if not params:
            return
        xp = params[0].xp
        inverse = 1.0 / self._scale
        grads = []
        for p in params:
            g = p.grad.data
            grads.append((xp.astype(g, xp.float32) if dtype_name(g.dtype) in ("float16", "bfloat16") else g) * inverse)
        finite = xp.all(xp.isfinite(grads[0]))
        for g in grads[1:]:
            finite = finite & xp.all(xp.isfinite(g))
        self.found_inf = not to_host(finite).item()  # the one host read: skip this step or not
        if self.found_inf:
            for p in params:
                p.grad = None
            self._scale *= self.backoff_factor
            self._growth_tracker = 0
            return
        for p, g in zip(params, grads):
            p.grad = Variable(g)
        self._growth_tracker += 1
        if self._growth_tracker >= self.growth_interval:  # >=: an interval lowered below the count
            self._scale *= self.growth_factor
            self._growth_tracker = 0

    def state_dict(self):
        """`{"scale", "growth_factor", "backoff_factor", "growth_interval", "growth_tracker"}`, plain numbers."""
        return {"scale": self._scale, "growth_factor": self.growth_factor, "backoff_factor": self.backoff_factor,
                "growth_interval": self.growth_interval, "growth_tracker": self._growth_tracker}

    def check_state_dict(self, state):
        """Check what `state_dict()` gave (numbers or 0-d arrays, as a checkpoint holds them), changing nothing;
        return it as a dict of Python numbers. ValueError (TypeError) names the entry."""
        values = {key: to_host(value).item() if hasattr(value, "shape") else value for key, value in state.items()}
        missing = {"scale", "growth_tracker"} - set(values)
        if missing:
            raise ValueError(f"LossScaler.load_state_dict: no entry {sorted(missing)[0]!r}")
        values["scale"] = number("LossScaler.load_state_dict: scale", values["scale"], 0.0, low_open=True,
                                 high_open=True)
        values["growth_tracker"] = integer(values["growth_tracker"], "LossScaler.load_state_dict: growth_tracker")
        if values["growth_tracker"] < 0:
            raise ValueError(f"LossScaler.load_state_dict: growth_tracker must be >= 0, got {values['growth_tracker']}")
        checked = LossScaler(values["scale"], values.get("growth_factor", self.growth_factor),
                             values.get("backoff_factor", self.backoff_factor),
                             values.get("growth_interval", self.growth_interval))
        return dict(checked.state_dict(), growth_tracker=values["growth_tracker"])

    def load_state_dict(self, state):
        """Restore what `state_dict()` gave, checked first
        ([check_state_dict][autograd.hook.LossScaler.check_state_dict])."""
        values = self.check_state_dict(state)
        self._scale, self.growth_factor, self.backoff_factor = (values["scale"], values["growth_factor"],
                                                                values["backoff_factor"])
        self.growth_interval, self._growth_tracker = values["growth_interval"], values["growth_tracker"]
