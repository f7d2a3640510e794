"""Gradient hooks: callables ``hook(params)`` that an optimizer applies, in order, before its update, to the
parameters that have a gradient. They replace ``p.grad`` (never write into it: a gradient Variable may be
shared), skip parameters whose ``grad`` is None, and stay on the parameters' device. A hook that sets
``p.grad = None`` takes ``p`` out of this step: later hooks and the update skip it."""
from autograd.backend import dtype_name, to_host
from autograd.optimizer import _number
from autograd.variable import Parameter, Variable

__all__ = ["WeightDecay", "ClipGrad", "FreezeParam"]


def _with_grad(params):
    return [p for p in params if p.grad is not None]


class WeightDecay:
    """L2 regularisation through the gradient: grad <- grad + lambda_ * param (typical lambda_: 1e-4),
    the gradient of lambda_/2 * sum(param²) added to the loss."""

    def __init__(self, lambda_):
        self.lambda_ = _number("WeightDecay: lambda_", lambda_, 0.0, high_open=True)

    def __call__(self, params):
        for p in _with_grad(params):
            p.grad = Variable(p.grad.data + self.lambda_ * p.data)


class ClipGrad:
    """Clip by global norm: with n = sqrt(sum of every grad²), scale every grad by max_norm / (n + 1e-6)
    when that is below 1, so small gradients are left exactly as they are.

    The norm, measured before clipping, stays on the device (``last_norm``, a 0-d Variable, for logging): no
    host synchronisation.
    ``error_if_nonfinite=True`` raises ValueError, gradients untouched, when n is nan or inf; that check
    has to read n on the host, one synchronisation per step (PyTorch's ``clip_grad_norm_`` does the same).
    """

    def __init__(self, max_norm, error_if_nonfinite=False):
        self.max_norm = _number("ClipGrad: max_norm", max_norm, 0.0, low_open=True, high_open=True)
        self.error_if_nonfinite = error_if_nonfinite
        self.last_norm = None

    def __call__(self, params):
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
    """Keep parameters fixed: the parameters of the given layers (or the given Parameters) lose their
    gradient (``grad`` set to None) before the update, so the optimizer and later hooks skip them.

    Put it first in ``hooks``, so that, for example, ClipGrad measures only the trained parameters.
    The layers' parameters are looked up at every step, so a lazily created weight is frozen too.
    """

    def __init__(self, *targets):
        if not targets:
            raise ValueError("FreezeParam: name at least one layer or Parameter to freeze")
        for target in targets:
            if not (isinstance(target, Parameter) or hasattr(target, "params")):
                raise TypeError(f"FreezeParam: expected Layers or Parameters, got {type(target).__name__}")
        self.targets = targets

    def __call__(self, params):
        frozen = set()
        for target in self.targets:
            frozen.update(id(p) for p in ([target] if isinstance(target, Parameter) else target.params()))
        for p in params:
            if id(p) in frozen:
                p.grad = None
