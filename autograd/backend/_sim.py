"""The simulated accelerator "sim": array-api-strict arrays on its non-default device, `device1`.

They refuse what a GPU's arrays refuse, no more: implicit conversion to NumPy, mixing with NumPy arrays or with
another device's, functions outside the array API standard. The numbers are NumPy's. Like NumPy's and CuPy's
arrays, they leave a binary operator to an operand that asks for it (a Variable: `sim_array * v`).
"""
import functools

import numpy as np

from autograd.backend._device import Device, DeviceError, get_device, refuse_other_device, register


_OPERATORS = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor", "lshift",
              "rshift")
_BINARY = ([f"__{op}__" for op in _OPERATORS] + [f"__r{op}__" for op in _OPERATORS]
           + ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"])  # in-place ones refuse, as NumPy's


def _takes_the_operator(other):
    """NumPy's and CuPy's rule: an operand that opts out of ufuncs (`__array_ufunc__ = None`) or outranks arrays
    (`__array_priority__`) gets the operator, through its reflected method."""
    return getattr(other, "__array_ufunc__", False) is None or getattr(other, "__array_priority__", 0) > 0


def _deferring(method):
    @functools.wraps(method)
    def operator(self, other):
        return NotImplemented if _takes_the_operator(other) else method(self, other)
    operator.defers = True
    return operator


def _defer_operators(array_class):
    """Give array-api-strict's arrays the deferral its operators lack (they raise TypeError for a Variable)."""
    for name in _BINARY:
        method = getattr(array_class, name)
        if not getattr(method, "defers", False):
            setattr(array_class, name, _deferring(method))


@register
class SimDevice(Device):
    name = "sim"
    names = ("sim",)

    def __init__(self):
        try:
            import array_api_strict
        except ImportError:
            raise DeviceError("device 'sim' needs array-api-strict: pip install array-api-strict") from None
        self.xp = array_api_strict
        _defer_operators(type(array_api_strict.asarray(0)))
        self.where = array_api_strict.Device("device1")
        self.host_where = array_api_strict.Device("CPU_DEVICE")

    @classmethod
    def owns(cls, array):
        return type(array).__module__.split(".", 1)[0] == "array_api_strict"

    @classmethod
    def of(cls, array):
        sim = get_device("sim")
        if array.device != sim.where:
            raise DeviceError(f"array-api-strict arrays on {array.device} are not an autograd device; "
                              "the simulated accelerator is device1 (get_device('sim'))")
        return sim

    def asarray(self, data, dtype=None):
        refuse_other_device(self, data)
        if isinstance(data, np.generic):
            data = data.item()
        return self.xp.asarray(data, dtype=dtype, device=self.where)

    def from_host(self, array):
        return self.xp.asarray(array, device=self.where)

    def to_host(self, array):
        return np.asarray(array.to_device(self.host_where))
