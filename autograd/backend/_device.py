"""Device objects and the functions that find, seed and convert between them."""
from __future__ import annotations

import numpy as np

_NUMPY_IS_ARRAY_API = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 1)
_seed_value = None
_host_rng = np.random.default_rng(_seed_value)
_data_rng = np.random.default_rng(_seed_value)


class DeviceError(ValueError):
    """A device that does not exist here, or arrays of two devices used together."""


class Device:
    """One place arrays live: its name, array namespace ``xp`` and the few extras the array API lacks.

    Devices compare equal by name, so ``get_device("cuda:0") == get_device("cuda")`` on a one-GPU machine.
    """

    name: str
    xp: object
    where: object  # the namespace's own device object, for ``xp.zeros(..., device=device.where)``

    def asarray(self, data, dtype=None):
        """Python numbers, lists, or an array already on this device, as an array here (no copy if possible).

        An array of another device is refused: moving data is explicit, with :meth:`put`.
        """
        raise NotImplementedError

    def put(self, array):
        """Copy an array of any device (or host data) to this device: the one explicit way to move data."""
        return self.asarray(to_host(array))

    def to_host(self, array) -> np.ndarray:
        """The array as a NumPy array on the host."""
        raise NotImplementedError

    def scatter_add(self, shape, index, values):
        """``zeros(shape)`` with ``values`` added at ``index``; repeated indices accumulate (NumPy's add.at)."""
        raise NotImplementedError

    def uniform(self, shape, dtype):
        """Uniform random numbers in [0, 1), drawn from the generator that :func:`seed` reseeds."""
        return self.put(_host_uniform(shape, _host_dtype(dtype)))

    def randn(self, shape, dtype):
        """Standard normal numbers drawn on the host, so every device gets the same numbers from one seed."""
        return self.put(_host_rng.standard_normal(shape).astype(_host_dtype(dtype)))

    def _reseed(self, value):
        """Reseed this device's own generator, where it has one."""

    def __repr__(self):
        return f"Device({self.name!r})"

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, Device) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


def dtype_name(dtype) -> str:
    """The standard name of a dtype of any library, or of a dtype given by name or NumPy type: 'float32'."""
    if isinstance(dtype, str):
        return dtype
    if isinstance(dtype, type):
        return np.dtype(dtype).name
    return getattr(dtype, "name", None) or str(dtype).rsplit(".", 1)[-1]


def dtype_in(xp, dtype):
    """The dtype object of namespace ``xp`` for a dtype of any library or a name ('float32')."""
    return getattr(xp, dtype_name(dtype))


def _host_uniform(shape, dtype):
    """Uniform numbers in [0, 1) of a NumPy dtype, drawn on the host. float32 is drawn as float32: rounding
    float64 draws to float32 would give an occasional 1.0."""
    if dtype in (np.float32, np.float64):
        return _host_rng.random(shape, dtype=dtype)
    below_one = np.nextafter(dtype.type(1), dtype.type(0))
    return np.minimum(_host_rng.random(shape).astype(dtype), below_one)


def _host_dtype(dtype):
    """The NumPy dtype with the same name as a namespace dtype (float32 of any library)."""
    return np.dtype(dtype_name(dtype))


class _NumpyDevice(Device):
    name = "cpu"
    where = "cpu"

    def __init__(self):
        import array_api_compat.numpy

        self.xp = array_api_compat.numpy
        if _NUMPY_IS_ARRAY_API:
            self.xp = np  # NumPy 2.1+ is an array-API namespace itself, without the compat layer's per-call cost

    def asarray(self, data, dtype=None):
        if not isinstance(data, (np.ndarray, np.generic)) and _is_foreign_array(data):
            raise DeviceError(f"asarray: an array of {device_of(data)} is not moved to cpu implicitly; "
                              "use .to('cpu') or autograd.to_host")
        return np.asarray(data, dtype=dtype)

    def to_host(self, array):
        return np.asarray(array)

    def scatter_add(self, shape, index, values):
        out = np.zeros(shape, dtype=values.dtype)
        np.add.at(out, index, values)
        return out


class _CupyDevice(Device):
    def __init__(self, index):
        import array_api_compat.cupy
        import cupy

        self.index = index
        self.name = f"cuda:{index}"
        self.xp = array_api_compat.cupy
        self._cupy = cupy
        self.where = cupy.cuda.Device(index)
        with cupy.cuda.Device(index):
            self._rng = cupy.random.default_rng()

    def asarray(self, data, dtype=None):
        cp = self._cupy
        if isinstance(data, cp.ndarray):
            if data.device.id != self.index:
                raise DeviceError(f"asarray: an array of cuda:{data.device.id} is not moved to {self.name} "
                                  "implicitly; use .to(device)")
            return data if dtype is None else data.astype(dtype, copy=False)
        if isinstance(data, np.ndarray) or _is_foreign_array(data):
            raise DeviceError(f"asarray: an array of {device_of(data)} is not moved to {self.name} implicitly; "
                              "use .to(device)")
        with cp.cuda.Device(self.index):
            return cp.asarray(data, dtype=dtype)

    def put(self, array):
        cp = self._cupy
        if isinstance(array, cp.ndarray) and array.device.id == self.index:
            return array
        with cp.cuda.Device(self.index):
            return cp.asarray(to_host(array))

    def to_host(self, array):
        return self._cupy.asnumpy(array)

    def scatter_add(self, shape, index, values):
        import cupyx

        with self._cupy.cuda.Device(self.index):
            out = self._cupy.zeros(shape, dtype=values.dtype)
            cupyx.scatter_add(out, index, values)
        return out

    def uniform(self, shape, dtype):
        """Uniform numbers from CuPy's own generator (no host transfer); :func:`seed` reseeds it too."""
        with self._cupy.cuda.Device(self.index):
            return self._rng.random(shape, dtype=_host_dtype(dtype))

    def _reseed(self, value):
        with self._cupy.cuda.Device(self.index):
            self._rng = self._cupy.random.default_rng(value)


class _SimDevice(Device):
    """The simulated accelerator: array-api-strict arrays on its non-default device ``device1``."""

    name = "sim"

    def __init__(self):
        import array_api_strict

        self.xp = array_api_strict
        self.where = array_api_strict.Device("device1")
        self._host_where = array_api_strict.Device("CPU_DEVICE")

    def asarray(self, data, dtype=None):
        if isinstance(data, np.ndarray) or (_is_foreign_array(data) and device_of(data) != self):
            raise DeviceError(f"asarray: an array of {device_of(data)} is not moved to sim implicitly; "
                              "use .to('sim')")
        if isinstance(data, np.generic):
            data = data.item()
        return self.xp.asarray(data, dtype=dtype, device=self.where)

    def put(self, array):
        if _is_foreign_array(array) and device_of(array) == self:
            return array
        return self.xp.asarray(to_host(array), device=self.where)

    def to_host(self, array):
        return np.asarray(array.to_device(self._host_where))

    def scatter_add(self, shape, index, values):
        # The real accelerators have a kernel for this; the simulation does it on the host, explicitly.
        if not isinstance(index, tuple):
            index = (index,)
        host_index = tuple(self.to_host(i) if _is_foreign_array(i) else i for i in index)
        out = np.zeros(shape, dtype=_host_dtype(values.dtype))
        np.add.at(out, host_index, self.to_host(values))
        return self.put(out)


CPU = _NumpyDevice()
_devices = {"cpu": CPU}


def is_array(x):
    """True for an array of any backend (NumPy arrays and scalars, CuPy, array-api-strict)."""
    return isinstance(x, (np.ndarray, np.generic)) or _is_foreign_array(x)


def is_host_scalar(x):
    """True for a NumPy scalar number (``np.float32(2.0)``, ``np.int64(3)``, ``np.bool_(True)``): a host number,
    which ops treat as a Python number, not as an array of the cpu device."""
    return isinstance(x, (np.number, np.bool_))


def as_array(data, dtype=None):
    """Python data (numbers, lists) as a NumPy array with NumPy's default dtypes; arrays unchanged, except
    NumPy scalars, which become 0-d arrays."""
    if isinstance(data, np.ndarray) or (_is_foreign_array(data) and dtype is None):
        return data
    if data is None or isinstance(data, (str, bytes, dict, set)):
        raise TypeError(f"expected an array, a number or a list, got {type(data).__name__}")
    return np.asarray(data, dtype=dtype)


def ignoring_overflow():
    """Context manager for an op whose overflow to inf is intended (``1 / (1 + exp(-x))`` at x = -100 is
    1 / inf = 0, the right limit): NumPy, and array-api-strict, which computes with NumPy, would warn; CuPy never
    does."""
    return np.errstate(over="ignore")


def host_str(array) -> str:
    """The values of an array of any device, formatted as NumPy prints them (copies to the host)."""
    return np.array2string(to_host(array), separator=", ", prefix="Variable(")


def _is_foreign_array(x):
    """True for an array of a non-NumPy library autograd knows (CuPy, array-api-strict)."""
    return type(x).__module__.split(".", 1)[0] in ("cupy", "array_api_strict")


def _cuda_device(index):
    try:
        import cupy
    except ImportError:
        raise DeviceError(
            f"device 'cuda:{index}' needs CuPy, which is not installed: pip install 'autograd-dl[cuda]' "
            "(CuPy for CUDA 12; use the extra 'cuda13' for CUDA 13)") from None
    if not cupy.is_available():
        raise DeviceError(f"device 'cuda:{index}': CuPy is installed but finds no usable GPU "
                          "(cupy.is_available() is False); check the NVIDIA driver, or use 'cpu'")
    count = cupy.cuda.runtime.getDeviceCount()
    if not 0 <= index < count:
        raise DeviceError(f"device 'cuda:{index}' does not exist: this machine has {count} GPU(s), "
                          f"cuda:0 to cuda:{count - 1}")
    return _CupyDevice(index)


def get_device(spec="cpu") -> Device:
    """The Device for a name (``"cpu"``, ``"sim"``, ``"cuda"``, ``"cuda:1"``) or a Device itself."""
    if isinstance(spec, Device):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"get_device: expected a device name or Device, got {type(spec).__name__}")
    name = spec.strip().lower()
    if name == "cuda":
        name = "cuda:0"
    if name in _devices:
        return _devices[name]
    if name == "sim":
        try:
            device = _SimDevice()
        except ImportError:
            raise DeviceError("device 'sim' needs array-api-strict: pip install array-api-strict") from None
    elif name.startswith("cuda:") and name[5:].isdigit():
        device = _cuda_device(int(name[5:]))
    else:
        raise DeviceError(f"unknown device {spec!r}: expected 'cpu', 'sim', 'cuda' or 'cuda:N'")
    device._reseed(_seed_value)
    _devices[name] = device
    return device


def available_devices() -> list[Device]:
    """Every device usable here: cpu, the simulated accelerator (with array-api-strict), each CUDA GPU."""
    devices = [CPU]
    try:
        devices.append(get_device("sim"))
    except DeviceError:
        pass
    try:
        import cupy

        count = cupy.cuda.runtime.getDeviceCount() if cupy.is_available() else 0
    except Exception:  # no CuPy, or no driver: no CUDA devices
        count = 0
    devices += [get_device(f"cuda:{i}") for i in range(count)]
    return devices


def device_of(array) -> Device:
    """The Device an array lives on (NumPy scalars count as cpu)."""
    if isinstance(array, (np.ndarray, np.generic)):
        return CPU
    module = type(array).__module__.split(".", 1)[0]
    if module == "cupy":
        return get_device(f"cuda:{array.device.id}")
    if module == "array_api_strict":
        sim = get_device("sim")
        if array.device != sim.where:
            raise DeviceError(f"array-api-strict arrays on {array.device} are not an autograd device; "
                              "the simulated accelerator is device1 (get_device('sim'))")
        return sim
    raise TypeError(f"expected an array of NumPy, CuPy or array-api-strict, got {type(array).__name__}")


def same_device(arrays) -> bool:
    """True when every array lives on one device (a fast path for NumPy arrays, the common case)."""
    for a in arrays:
        if type(a) is not np.ndarray:
            break
    else:
        return True
    first = device_of(arrays[0])
    return all(device_of(a) == first for a in arrays[1:])


def to_host(array) -> np.ndarray:
    """A NumPy copy (or view) of an array of any device; Variables give their data."""
    if isinstance(array, np.ndarray):
        return array
    if isinstance(array, (np.generic, int, float, bool, list, tuple)):
        return np.asarray(array)
    if not _is_foreign_array(array) and hasattr(array, "data"):  # a Variable
        return to_host(array.data)
    return device_of(array).to_host(array)


def seed(value: int) -> None:
    """Seed every random number autograd draws, on every device, for reproducible runs."""
    global _host_rng, _data_rng, _seed_value
    _seed_value = value
    _host_rng = np.random.default_rng(value)
    _data_rng = np.random.default_rng([value, 1])  # its own stream: shuffling never shifts the weights
    for device in list(_devices.values()):
        device._reseed(value)


def data_rng() -> np.random.Generator:
    """The host generator for data: shuffling and generated data sets (reseeded by seed, apart from the
    parameters' stream, so that loading data never changes the initial weights)."""
    return _data_rng


def host_rng() -> np.random.Generator:
    """The host generator behind parameter initialisation and cpu/sim randomness (reseeded by seed)."""
    return _host_rng
