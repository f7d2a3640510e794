"""Array backends: the only place in autograd that names numpy, cupy or array_api_strict.

A :class:`Device` owns an array namespace ``xp`` (array API standard, through array-api-compat) and the few
things the standard lacks: moving arrays to and from the host, scatter-add for indexing gradients and random
numbers. Everything else in the library asks ``device_of(array).xp`` for its functions.

Devices:

- ``"cpu"``: NumPy.
- ``"cuda"`` / ``"cuda:N"``: CuPy, present only when ``cupy.is_available()``.
- ``"sim"``: a simulated accelerator, array-api-strict arrays on its non-default device. They refuse implicit
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
from autograd.backend._io import load_npz, read_idx, save_npz

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
    "read_idx",
    "same_device",
    "save_npz",
    "seed",
    "to_host",
]
