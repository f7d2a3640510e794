"""The simulated accelerator "sim": array-api-strict arrays on its non-default device, `device1`.

They refuse what a GPU's arrays refuse, no more: implicit conversion to NumPy, mixing with NumPy arrays or with
another device's, functions outside the array API standard. The numbers are NumPy's.
"""

import numpy as np

from autograd.backend._device import Device, DeviceError, get_device, refuse_other_device, register


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
