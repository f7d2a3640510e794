"""The cpu device, NumPy, and host data: what a Python number, a list or a NumPy scalar becomes."""

import numpy as np

from autograd.backend._device import Device, get_device, is_array, refuse_other_device, register, to_host


@register
class NumpyDevice(Device):
    name = where = "cpu"
    names = ("cpu",)

    def __init__(self):
        if tuple(int(part) for part in np.__version__.split(".")[:2]) >= (2, 1):
            self.xp = np  # an array-API namespace itself, without the compat layer's per-call cost
        else:
            import array_api_compat.numpy

            self.xp = array_api_compat.numpy

    @classmethod
    def owns(cls, array):
        return isinstance(array, (np.ndarray, np.generic))

    def asarray(self, data, dtype=None):
        refuse_other_device(self, data)
        return np.asarray(data, dtype=dtype)

    def from_host(self, array):
        return np.asarray(array)

    def to_host(self, array):
        return np.asarray(array)

    def scatter_add(self, shape, index, values):
        out = np.zeros(shape, dtype=values.dtype)
        np.add.at(out, index, values)
        return out


CPU = get_device("cpu")


def is_host_scalar(x) -> bool:
    """True for a NumPy scalar number (`np.float32(2.0)`, `np.bool_(True)`; not a 0-d array), which ops treat
    as a Python number, not as an array of the cpu."""
    return isinstance(x, (np.number, np.bool_))


def as_array(data, dtype=None):
    """Python data (numbers, lists) as a NumPy array of NumPy's default dtypes, or of the NumPy `dtype` given;
    arrays unchanged, except NumPy scalars, which become 0-d arrays. TypeError for None, str, bytes, dict, set."""
    if isinstance(data, np.ndarray) or (dtype is None and is_array(data) and not isinstance(data, np.generic)):
        return data
    if data is None or isinstance(data, (str, bytes, dict, set)):
        raise TypeError(f"expected an array, a number or a list, got {type(data).__name__}")
    return np.asarray(data, dtype=dtype)


def ignoring_overflow():
    """A context in which overflow to inf is intended (`1 / (1 + exp(-x))` at x = -100 in float32 is 1 / inf = 0,
    the right limit): NumPy, and array-api-strict, which computes with NumPy, would warn; CuPy never does."""
    return np.errstate(over="ignore")


def ignoring_poles():
    """A context in which inf and NaN at a pole are intended (`d/dx x^0.5 = 0.5 x^-0.5` is inf at 0, PyTorch's
    value; `ln 0 = -inf`): NumPy, and array-api-strict, would warn "divide by zero" or "invalid value", which
    fails a user who runs with `-W error`, though the value is the right one; CuPy never warns."""
    return np.errstate(divide="ignore", invalid="ignore")


def host_str(array) -> str:
    """The values of an array of any device as NumPy prints them, continuation lines indented to follow
    `Variable(` as a Variable's `repr` shows them (a copy to the host)."""
    return np.array2string(to_host(array), separator=", ", prefix="Variable(")
