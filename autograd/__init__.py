"""autograd: define-by-run automatic differentiation on NumPy, CuPy and any array-API device."""
from autograd.backend import Device, DeviceError, available_devices, get_device, seed, to_host
from autograd.config import detect_anomaly, enable_grad, is_training, no_grad, test_mode
from autograd.variable import Function, Parameter, Variable, as_variable

__version__ = "0.1.0"

__all__ = [
    "Device", "DeviceError", "Function", "Parameter", "Variable", "as_variable", "available_devices",
    "detect_anomaly", "enable_grad", "get_device", "is_training", "no_grad", "seed", "test_mode", "to_host",
]
