"""The differentiable ops, imported as `F`: `import autograd.function as F`.

Each op is a [Function][autograd.variable.Function] (forward on arrays, backward on Variables) exposed as a
lowercase function. Rules shared by all of them, not repeated under each op:

- Arguments may be [Variable][autograd.variable.Variable]s, arrays of any device (constants: they get no
  gradient) or Python numbers. The result is a Variable; when no input needs a gradient it is a constant too.
- Elementwise ops broadcast with NumPy's rules; the gradient of a broadcast input is summed back to its shape.
- Dtypes are kept: a Python number takes the dtype of the array beside it (`float32 * 2.0` stays float32).
  Only floating-point inputs can have a gradient.
- All array inputs of one op must be on one device, else [DeviceError][autograd.backend.DeviceError] (a
  `ValueError`) naming the op and the devices. Arguments that do not fit (shapes, axes, hyperparameters out
  of range) raise `ValueError` naming the op; of the wrong type (an integer array where a floating one is
  needed), `TypeError`. A negative `axis` counts from the end.
- Every backward pass is built from these same ops, so `backward(create_graph=True)` gives derivatives of any
  order. Below, `gy` is the gradient of the result, and examples assume `import autograd.function as F`.

Examples:
    >>> import autograd.function as F
    >>> from autograd import Variable
    >>> x = Variable(0.0)
    >>> y = F.sin(x) + F.exp(x)       # sin 0 + e^0 = 1
    >>> y.backward()
    >>> x.grad.item()                 # cos 0 + e^0
    2.0
"""
import importlib

from autograd.function.activation import *  # noqa: F401,F403  (each family module lists its ops in __all__)
from autograd.function.arithmetic import *  # noqa: F401,F403
from autograd.function.attention import *  # noqa: F401,F403
from autograd.function.conv import *  # noqa: F401,F403
from autograd.function.dropout import *  # noqa: F401,F403
from autograd.function.elementwise import *  # noqa: F401,F403
from autograd.function.embedding import *  # noqa: F401,F403
from autograd.function.flatten import *  # noqa: F401,F403
from autograd.function.linalg import *  # noqa: F401,F403
from autograd.function.loss import *  # noqa: F401,F403
from autograd.function.normalization import *  # noqa: F401,F403
from autograd.function.random import *  # noqa: F401,F403
from autograd.function.reduction import *  # noqa: F401,F403
from autograd.function.shape import *  # noqa: F401,F403

# The families in the order the reference page shows them; F.__all__ is the union of their __all__ lists.
FAMILIES = tuple(importlib.import_module(f"autograd.function.{name}") for name in (
    "arithmetic", "elementwise", "reduction", "shape", "flatten", "linalg", "activation", "loss", "conv",
    "normalization", "attention", "dropout", "random", "embedding"))
__all__ = sorted(name for family in FAMILIES for name in family.__all__)
