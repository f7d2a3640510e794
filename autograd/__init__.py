"""autograd: define-by-run automatic differentiation on NumPy, CuPy and any array-API device.

Operations on [Variable][autograd.variable.Variable]s record the graph as they run; `backward()` walks it back and
fills in each input's `grad`. With `backward(create_graph=True)` the backward pass is recorded too, so derivatives
of any order come out. The ops live in [autograd.function][autograd.function] (imported as `F`); layers, models,
optimizers, hooks, data and checkpoints in their own modules.

Examples:
    >>> import autograd.function as F
    >>> from autograd import Variable
    >>> x = Variable(0.0)
    >>> y = F.sin(x) + x ** 2
    >>> y.backward()
    >>> x.grad.item()  # cos 0 + 2·0
    1.0
"""
from autograd.backend import Device, DeviceError, available_devices, get_device, seed, to_host
from autograd.config import detect_anomaly, enable_grad, is_training, no_grad, test_mode
from autograd.variable import Function, Parameter, Variable, as_variable, grad

__version__ = "0.1.0"

__all__ = [
    "Device", "DeviceError", "Function", "Parameter", "Variable", "as_variable", "available_devices",
    "detect_anomaly", "enable_grad", "get_device", "grad", "is_training", "no_grad", "seed", "test_mode", "to_host",
]
