"""Array backends: devices, the array namespace of each, and moving arrays between them and the host.

A [Device][autograd.backend.Device] owns an array namespace `xp` that follows the array API standard (NumPy
2.1+ itself, or array-api-compat's wrapper) and the few things the standard lacks: moving arrays to and from the
host, scatter-add for indexing gradients and random numbers. Everything else in autograd asks
`device_of(array).xp` for its functions. Each array library has one module here, the only one that names it,
whose Device class [register][autograd.backend.register] adds to the devices autograd knows. The package also
writes and reads `.npz` files ([save_npz][autograd.backend.save_npz], [load_npz][autograd.backend.load_npz]) and
saves and restores the random streams ([get_rng_state][autograd.backend.get_rng_state],
[set_rng_state][autograd.backend.set_rng_state]).

Devices, found by name with [get_device][autograd.backend.get_device]:

- `"cpu"`: NumPy; the constant `CPU` is this device.
- `"cuda"` / `"cuda:N"`: CuPy, present only when `cupy.is_available()`.
- `"sim"`: a simulated accelerator, array-api-strict arrays on its non-default device. They refuse implicit
  conversion to NumPy and mixing with NumPy arrays or another device, the failures that break code on a GPU.

A dtype argument may be a dtype of any library, a NumPy type or a name (`"float32"`).
"""
from autograd.backend._device import (Device, DeviceError, available_devices, device_of, get_device, get_rng_state,
                                      is_array, refuse_other_device, register, same_device, seed, set_rng_state,
                                      to_host, unregister)
from autograd.backend._numpy import (CPU, as_array, host_str, ignoring_overflow, ignoring_poles,  # registered first
                                     is_host_scalar)
from autograd.backend import _sim, _cupy  # noqa: F401, I001  registered next, in available_devices' order
from autograd.backend._dtypes import dtype_in, dtype_name
from autograd.backend._io import load_npz, save_npz
from autograd.backend._random import data_rng, host_rng

__all__ = [
    "CPU", "Device", "DeviceError", "as_array", "available_devices", "data_rng", "device_of", "dtype_in",
    "dtype_name", "get_device", "get_rng_state", "host_rng", "host_str", "ignoring_overflow", "ignoring_poles",
    "is_array", "is_host_scalar", "load_npz", "refuse_other_device", "register", "same_device", "save_npz", "seed",
    "set_rng_state", "to_host", "unregister",
]
