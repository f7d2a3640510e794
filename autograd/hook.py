"""Gradient hooks: callables `hook(params) -> None` that an optimizer applies, in order, just before its update.

An optimizer created with `hooks=[...]` calls each hook, in list order and under
[no_grad][autograd.config.no_grad], with the list of parameters that have a gradient. A hook replaces `p.grad`
with a new Variable (never writes into it: a gradient Variable may be shared), skips parameters whose `grad` is
None, and keeps each gradient's dtype and device. A hook that sets `p.grad = None` takes `p` out of this step:
later hooks and the update skip it.
"""
from autograd._checks import number
from autograd.backend import dtype_name, to_host
from autograd.variable import Parameter, Variable

__all__ = ["WeightDecay", "ClipGrad", "FreezeParam"]


def _with_grad(params):
    return [p for p in params if p.grad is not None]


class WeightDecay:
    """L2 regularisation through the gradient: `grad <- grad + lambda_ * param`.

    This is the gradient of the penalty `lambda_ / 2 * Σ param²`, so the hook trains the same model as adding
    that term to the loss, without computing it. It applies to every parameter the optimizer updates (biases
    and normalisation scales included; freeze or update those separately to exclude them). The decay is part
    of the gradient, so an adaptive optimizer rescales it with the rest: with [Adam][autograd.optimizer.Adam]
    it is divided by sqrt(v), and weights with large gradients are decayed less.
    [AdamW][autograd.optimizer.AdamW] decouples the decay from the gradient instead.

    Args:
        lambda_ (float): the decay coefficient λ, a real number >= 0 (0 changes nothing). Typical values: 1e-4 to
            5e-4 with [SGD][autograd.optimizer.SGD] or [Momentum][autograd.optimizer.Momentum] on vision
            models; 1e-4 in the seed example (with Adam).

    Attributes:
        lambda_: λ as a Python float.

    Raises:
        TypeError: `lambda_` is not a real number (a bool is refused too).
        ValueError: `lambda_` is negative, nan or infinite.

    Examples:
        >>> from autograd import Parameter, Variable, hook, to_host
        >>> p = Parameter([1.0, -2.0])
        >>> p.grad = Variable([0.5, 0.5], dtype="float32")
        >>> hook.WeightDecay(0.1)([p])                  # grad + 0.1 * param
        >>> [round(g, 6) for g in to_host(p.grad).tolist()]
        [0.6, 0.3]
    """

    def __init__(self, lambda_):
        self.lambda_ = number("WeightDecay: lambda_", lambda_, 0.0, high_open=True)

    def __call__(self, params):
        """Set `p.grad` to `p.grad + lambda_ * p` for every parameter of `params` that has a gradient.

        Args:
            params (list[Parameter]): the Parameters of this step (an optimizer passes those that have a gradient).
        """
        for p in _with_grad(params):
            p.grad = Variable(p.grad.data + self.lambda_ * p.data)


class ClipGrad:
    """Clip by global norm: scale every gradient by one factor so that their joint L2 norm is at most `max_norm`.

        n     = sqrt(Σ over every parameter of Σ grad²)
        scale = max_norm / (n + 1e-6)
        grad <- grad * scale        only when scale < 1

    The direction of the whole gradient is kept; gradients whose norm is already below `max_norm` are left
    exactly as they are. The rule is the seed's `ClipGrad` and PyTorch's `clip_grad_norm_`. Squares of float16
    gradients are summed in float32 (a float16 square overflows from |g| = 256); the scale is cast to each
    gradient's dtype.

    The norm, measured before clipping, stays on the device as `last_norm` (a 0-d Variable): log it, or
    collect it and read it later, without a host synchronisation in the step. A nan norm leaves every gradient
    unchanged; an infinite one (an infinite gradient, or float32 gradients above about 1.8e19, whose squares
    overflow) scales them by 0, so finite gradients become 0 and infinite ones nan. `error_if_nonfinite=True`
    raises instead; that check reads n on the host, one synchronisation per step (PyTorch's
    `clip_grad_norm_` does the same).

    Args:
        max_norm (float): the largest joint norm allowed, a real number > 0. Typical values: 0.5 to 5; 1.0 is the
            common choice (the seed example's). Watch `last_norm` for a few hundred steps and pick a value
            a little above its usual size, so that only the spikes are clipped.
        error_if_nonfinite (bool): raise ValueError, leaving the gradients untouched, when n is nan or infinite.
            Default False.

    Attributes:
        max_norm: `max_norm` as a Python float.
        last_norm: the norm n of the last call, before clipping: a 0-d Variable on the parameters' device
            (float32 when the gradients are float16), or None before the first call and after a call in
            which no parameter had a gradient.

    Raises:
        TypeError: `max_norm` is not a real number.
        ValueError: `max_norm` is not in (0, inf); at a call, with `error_if_nonfinite=True`, n is nan or inf.

    Examples:
        A gradient of norm 5 (3, 4) clipped to norm 1:

        >>> from autograd import Parameter, Variable, hook, to_host
        >>> p = Parameter([0.0, 0.0])
        >>> p.grad = Variable([3.0, 4.0], dtype="float32")
        >>> clip = hook.ClipGrad(1.0)
        >>> clip([p])
        >>> [round(g, 4) for g in to_host(p.grad).tolist()]       # (3, 4) * 1 / (5 + 1e-6)
        [0.6, 0.8]
        >>> clip.last_norm.item()
        5.0
    """

    def __init__(self, max_norm, error_if_nonfinite=False):
        self.max_norm = number("ClipGrad: max_norm", max_norm, 0.0, low_open=True, high_open=True)
        self.error_if_nonfinite = error_if_nonfinite
        self.last_norm = None

    def __call__(self, params):
        """Measure the joint norm of the gradients of `params` into `last_norm` and scale them down to `max_norm`.

        Args:
            params (list[Parameter]): the Parameters of this step; those without a gradient are skipped.

        Raises:
            ValueError: with `error_if_nonfinite=True`, when the norm is nan or infinite (gradients untouched).
        """
        params = _with_grad(params)
        if not params:
            self.last_norm = None
            return
        xp = params[0].xp
        total = None
        for p in params:
            g = p.grad.data
            if dtype_name(g.dtype) == "float16":
                g = xp.astype(g, xp.float32)  # float16 squares overflow from |g| = 256
            square_sum = xp.sum(g * g)
            total = square_sum if total is None else total + square_sum
        norm = xp.sqrt(total)
        self.last_norm = Variable(norm)
        if self.error_if_nonfinite and not to_host(xp.isfinite(norm)).item():
            raise ValueError(f"ClipGrad: the total gradient norm of {len(params)} parameters is "
                             f"{to_host(norm).item()}; gradients left unclipped")
        rate = self.max_norm / (norm + 1e-6)
        scale = xp.where(rate < 1.0, rate, xp.ones_like(rate))
        scales = {}  # one cast per gradient dtype
        for p in params:
            dtype = p.grad.dtype
            if dtype not in scales:
                scales[dtype] = xp.astype(scale, dtype)
            p.grad = Variable(p.grad.data * scales[dtype])


class FreezeParam:
    """Keep parameters fixed: the parameters of the given layers, and the given Parameters, lose their gradient.

    At each step it sets `grad = None` on them, so the optimizer and every later hook skip them: they keep their
    values, and an optimizer creates no state for them. Use it to fine-tune part of a model (a pretrained
    encoder frozen, a new head trained) or to train parts in turn. Put it first in `hooks`, so that, for
    example, [ClipGrad][autograd.hook.ClipGrad] measures only the trained parameters. The layers' parameters
    are looked up at every step, so a lazily created weight is frozen too. Gradients are still computed for
    frozen parameters by `backward()`; the hook only drops them.

    Args:
        *targets (Layer | Parameter): the [Layers][autograd.layer.Layer] (anything with a `params()` method, models
            included) and [Parameters][autograd.variable.Parameter] to freeze; at least one.

    Attributes:
        targets: the tuple of `targets`.

    Raises:
        ValueError: no target given.
        TypeError: a target is neither a Layer nor a Parameter.

    Examples:
        >>> from autograd import Variable, hook, layer, model, optimizer, to_host
        >>> import autograd.function as F
        >>> body, head = layer.Linear(3, in_size=2), layer.Linear(1, in_size=3)
        >>> net = model.Sequential(body, F.relu, head)
        >>> W = to_host(body.W).copy()
        >>> opt = optimizer.SGD(0.1, hooks=[hook.FreezeParam(body)])
        >>> F.sum(net(Variable([[1.0, 2.0]], dtype="float32"))).backward()
        >>> opt.update(net)
        >>> (to_host(body.W) == W).all().item(), body.W.grad is None, head.b.grad is None
        (True, True, False)
    """

    def __init__(self, *targets):
        if not targets:
            raise ValueError("FreezeParam: name at least one layer or Parameter to freeze")
        for target in targets:
            if not (isinstance(target, Parameter) or hasattr(target, "params")):
                raise TypeError(f"FreezeParam: expected Layers or Parameters, got {type(target).__name__}")
        self.targets = targets

    def __call__(self, params):
        """Set `grad = None` on every parameter of `params` that belongs to the targets.

        Args:
            params (list[Parameter]): the Parameters of this step; those not among the targets are left as they are.
        """
        frozen = set()
        for target in self.targets:
            frozen.update(id(p) for p in ([target] if isinstance(target, Parameter) else target.params()))
        for p in params:
            if id(p) in frozen:
                p.grad = None
