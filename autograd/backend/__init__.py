"""Array backends: devices, the array namespace of each, and moving arrays between them and the host.

A [Device][autograd.backend.Device] owns an array namespace `xp` that follows the array API standard (NumPy
2.1+ itself, or array-api-compat's wrapper) and the few things the standard lacks: moving arrays to and from the
host, scatter-add for indexing gradients and random numbers. Everything else in autograd asks
`device_of(array).xp` for its functions; this package is the only place that names numpy, cupy or
array_api_strict. It also writes and reads `.npz` files ([save_npz][autograd.backend.save_npz],
[load_npz][autograd.backend.load_npz]).

Devices, found by name with [get_device][autograd.backend.get_device]:

- `"cpu"`: NumPy; the constant `CPU` is this device.
- `"cuda"` / `"cuda:N"`: CuPy, present only when `cupy.is_available()`.
- `"sim"`: a simulated accelerator, array-api-strict arrays on its non-default device. They refuse implicit
  conversion to NumPy and mixing with NumPy arrays or another device, the failures that break code on a GPU.
"""
from autograd.backend._device import (
    CPU,
    Device,
    DeviceError,
    as_array,
    available_devices,
    data_rng,
    device_of,
    dtype_in,
    dtype_name,
    get_device,
    host_rng,
    host_str,
    ignoring_overflow,
    is_array,
    is_host_scalar,
    same_device,
    seed,
    to_host,
)
from autograd.backend._io import load_npz, save_npz

__all__ = [
    "CPU",
    "Device",
    "DeviceError",
    "as_array",
    "available_devices",
    "data_rng",
    "device_of",
    "dtype_in",
    "dtype_name",
    "get_device",
    "host_rng",
    "host_str",
    "ignoring_overflow",
    "is_array",
    "is_host_scalar",
    "load_npz",
    "same_device",
    "save_npz",
    "seed",
    "to_host",
]
