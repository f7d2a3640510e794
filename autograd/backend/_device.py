"""Device objects and the functions that find, seed and convert between them."""
from __future__ import annotations

import numpy as np

_NUMPY_IS_ARRAY_API = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 1)
_seed_value = None
_host_rng = np.random.default_rng(_seed_value)
_data_rng = np.random.default_rng(_seed_value)


class DeviceError(ValueError):
    """A device that does not exist here, or arrays of two devices used together.

    A subclass of ValueError. Raised by [get_device][autograd.backend.get_device] for an unknown device or one
    this machine lacks, by an op whose inputs live on different devices (the message names the op and both
    devices), and by [Device.asarray][autograd.backend.Device.asarray] for an array of another device.

    Examples:
        >>> import autograd
        >>> try:
        ...     autograd.get_device("tpu")
        ... except autograd.DeviceError as e:
        ...     print(e)
        unknown device 'tpu': expected 'cpu', 'sim', 'cuda' or 'cuda:N'
    """


class Device:
    """One place arrays live: its name, array namespace `xp` and the few extras the array API lacks.

    Get one with [get_device][autograd.backend.get_device]; the device of an array is
    [device_of][autograd.backend.device_of]`(array)`, of a Variable `v.device`. Devices compare equal by name,
    so `get_device("cuda:0") == get_device("cuda")`, and `str(device)` is the name.

    Attributes:
        name: `"cpu"`, `"sim"` or `"cuda:N"`.
        xp: the array namespace, following the array API standard: `xp.zeros`, `xp.exp`, `xp.matmul` ...
        where: the namespace's own device object, for `xp.zeros(shape, device=device.where)`.

    Examples:
        >>> import autograd
        >>> cpu = autograd.get_device("cpu")
        >>> cpu.name, str(cpu), cpu == autograd.get_device("CPU")
        ('cpu', 'cpu', True)
        >>> cpu.xp.exp(cpu.asarray([0.0])).tolist()
        [1.0]
    """

    name: str
    xp: object
    where: object  # the namespace's own device object, for ``xp.zeros(..., device=device.where)``

    def asarray(self, data, dtype=None):
        """Python numbers, lists, or an array already on this device, as an array here (no copy if possible).

        An array of another device is refused: moving data is explicit, with
        [put][autograd.backend.Device.put].

        Args:
            data (number | list | array): a number, a (nested) list, or an array of this device.
            dtype (dtype | None): a dtype of this device's namespace (`device.xp.float32`); None infers it from `data`.

        Raises:
            DeviceError: `data` is an array of another device.

        Examples:
            >>> import autograd
            >>> cpu = autograd.get_device("cpu")
            >>> a = cpu.asarray([1, 2], dtype=cpu.xp.float32)
            >>> a.tolist(), str(a.dtype)
            ([1.0, 2.0], 'float32')
        """
        raise NotImplementedError

    def put(self, array):
        """An array of any device (or host data) on this device: the one explicit way to move data.

        An array of another device is copied (through the host); one already on this device is returned as it
        is, not copied.

        Args:
            array (array | number | list): an array of any device, or Python numbers and lists.

        Returns:
            array (array): `array` on this device.

        Examples:
            >>> import numpy as np
            >>> import autograd
            >>> a = np.array([1.0, 2.0])
            >>> autograd.get_device("cpu").put(a) is a
            True
        """
        return self.asarray(to_host(array))

    def to_host(self, array) -> np.ndarray:
        """The array as a NumPy array on the host; on the cpu, the array itself (no copy).

        Args:
            array (array): an array of this device.

        Examples:
            >>> import autograd
            >>> cpu = autograd.get_device("cpu")
            >>> cpu.to_host(cpu.asarray([1.0, 2.0])).tolist()
            [1.0, 2.0]
        """
        raise NotImplementedError

    def scatter_add(self, shape, index, values):
        """`zeros(shape)` with `values` added at `index`; repeated indices accumulate (NumPy's `add.at`).

        The gradient of indexing: every element `x[index]` read receives its share. The result has the dtype
        of `values` and lives on this device.

        Args:
            shape (tuple[int, ...]): the shape of the result.
            index (int | slice | array | tuple): a NumPy-style index into it: an int, a slice, an integer array
                of this device, or a tuple of them.
            values (array): an array of this device, shaped like `zeros(shape)[index]`.

        Examples:
            >>> import autograd
            >>> cpu = autograd.get_device("cpu")
            >>> out = cpu.scatter_add((3,), cpu.asarray([0, 0, 2]), cpu.asarray([1.0, 2.0, 3.0]))
            >>> out.tolist()
            [3.0, 0.0, 3.0]
        """
        raise NotImplementedError

    def uniform(self, shape, dtype):
        """Uniform random numbers in [0, 1), drawn from the generator that [seed][autograd.backend.seed] reseeds.

        On the cpu and the simulated accelerator they are drawn on the host (the same numbers on both);
        a CUDA device draws them with CuPy's own generator, without a host transfer.

        Args:
            shape (tuple[int, ...]): the shape of the result, a tuple of ints.
            dtype (str | dtype): a floating dtype, by name or of any library. Typical values: `"float32"`, `"float64"`.

        Examples:
            >>> import autograd
            >>> cpu = autograd.get_device("cpu")
            >>> u = cpu.uniform((1000,), "float32")
            >>> u.shape, str(u.dtype), bool((u >= 0).all() and (u < 1).all())
            ((1000,), 'float32', True)
        """
        return self.put(_host_uniform(shape, _host_dtype(dtype)))

    def randn(self, shape, dtype):
        """Standard normal numbers drawn on the host, so every device gets the same numbers from one seed.

        They come from the generator that [seed][autograd.backend.seed] reseeds (the one behind parameter
        initialisation), and are then copied to this device.

        Args:
            shape (tuple[int, ...]): the shape of the result, a tuple of ints.
            dtype (str | dtype): a floating dtype, by name or of any library. Typical values: `"float32"`, `"float64"`.

        Examples:
            >>> import autograd
            >>> cpu = autograd.get_device("cpu")
            >>> autograd.seed(0)
            >>> a = cpu.randn((3,), "float32").tolist()
            >>> autograd.seed(0)
            >>> cpu.randn((3,), "float32").tolist() == a
            True
        """
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
    """The standard name of a dtype of any library, or of a dtype given by name or NumPy type: `'float32'`.

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import dtype_name
        >>> dtype_name(np.float32), dtype_name(np.dtype("int64")), dtype_name("float64")
        ('float32', 'int64', 'float64')
    """
    if isinstance(dtype, str):
        return dtype
    known = _DTYPE_NAMES.setdefault(type(dtype), {})  # one table per library: their dtypes must not be compared
    try:
        return known[dtype]  # NumPy computes dtype.name anew at each call: 3 us
    except (KeyError, TypeError):
        pass
    if isinstance(dtype, type):
        name = np.dtype(dtype).name
    else:
        name = getattr(dtype, "name", None) or str(dtype).rsplit(".", 1)[-1]
    try:
        known[dtype] = name
    except TypeError:  # an unhashable dtype object: not cached
        pass
    return name


_DTYPE_NAMES = {}  # dtype class -> {dtype: its standard name}, as variable._FLOATING


def dtype_in(xp, dtype):
    """The dtype object of namespace `xp` for a dtype of any library or a name (`'float32'`).

    Args:
        xp (module): an array namespace, such as `device.xp`.
        dtype (str | dtype | type): a dtype of any library, a NumPy type or a name.

    Raises:
        AttributeError: `xp` has no dtype of that name.

    Examples:
        >>> import autograd
        >>> from autograd.backend import dtype_in
        >>> xp = autograd.get_device("cpu").xp
        >>> dtype_in(xp, "float32") is xp.float32
        True
    """
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
        """Uniform numbers from CuPy's own generator (no host transfer); `seed` reseeds it too."""
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
    """True for an array of any backend (NumPy arrays and scalars, CuPy, array-api-strict).

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import is_array
        >>> is_array(np.ones(2)), is_array(np.float32(1.0)), is_array([1.0, 2.0]), is_array(1.0)
        (True, True, False, False)
    """
    return isinstance(x, (np.ndarray, np.generic)) or _is_foreign_array(x)


def is_host_scalar(x):
    """True for a NumPy scalar number (`np.float32(2.0)`, `np.int64(3)`, `np.bool_(True)`): a host number,
    which ops treat as a Python number, not as an array of the cpu device.

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import is_host_scalar
        >>> is_host_scalar(np.float32(2.0)), is_host_scalar(np.array(2.0)), is_host_scalar(2.0)
        (True, False, False)
    """
    return isinstance(x, (np.number, np.bool_))


def as_array(data, dtype=None):
    """Python data (numbers, lists) as a NumPy array with NumPy's default dtypes; arrays unchanged, except
    NumPy scalars, which become 0-d arrays.

    Args:
        data (number | list | array): a number, a (nested) list, or an array of any device.
        dtype (str | dtype | None): the NumPy dtype for Python data; None for NumPy's defaults (float64, int64, bool).

    Raises:
        TypeError: `data` is None, a string, bytes, a dict or a set.

    Examples:
        >>> from autograd.backend import as_array
        >>> a = as_array([1.0, 2.0])
        >>> a.shape, str(a.dtype), str(as_array(1).dtype)
        ((2,), 'float64', 'int64')
    """
    if isinstance(data, np.ndarray) or (_is_foreign_array(data) and dtype is None):
        return data
    if data is None or isinstance(data, (str, bytes, dict, set)):
        raise TypeError(f"expected an array, a number or a list, got {type(data).__name__}")
    return np.asarray(data, dtype=dtype)


def ignoring_overflow():
    """Context manager for an op whose overflow to inf is intended (`1 / (1 + exp(-x))` at x = -100 in float32
    is 1 / inf = 0, the right limit): NumPy, and array-api-strict, which computes with NumPy, would warn; CuPy never
    does.

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import ignoring_overflow
        >>> with ignoring_overflow():
        ...     y = 1 / (1 + np.exp(np.array([1000.0])))
        >>> y.tolist()
        [0.0]
    """
    return np.errstate(over="ignore")


def host_str(array) -> str:
    """The values of an array of any device, formatted as NumPy prints them (copies to the host).

    Continuation lines are indented to follow `Variable(`, as `repr` of a Variable shows them.
    """
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
    """The [Device][autograd.backend.Device] for a name (`"cpu"`, `"sim"`, `"cuda"`, `"cuda:1"`) or a Device itself.

    Names ignore case and surrounding spaces; `"cuda"` is `"cuda:0"`. A device is made once and then reused,
    so `get_device("sim") is get_device("sim")`.

    Args:
        spec (str | Device): a device name or a Device. Typical values: `"cpu"`, `"sim"`, `"cuda"`, `"cuda:1"`.

    Raises:
        DeviceError: an unknown name, `"sim"` without array-api-strict installed, `"cuda"` without CuPy or
            without a usable GPU, or a GPU index this machine does not have.
        TypeError: `spec` is neither a string nor a Device.

    Examples:
        >>> import autograd
        >>> autograd.get_device("cpu")
        Device('cpu')
        >>> autograd.get_device(" CPU ") is autograd.get_device("cpu")
        True
    """
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
    """Every device usable here: cpu, the simulated accelerator (with array-api-strict), each CUDA GPU.

    Examples:
        >>> import autograd
        >>> "cpu" in [device.name for device in autograd.available_devices()]
        True
    """
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
    """The [Device][autograd.backend.Device] an array lives on (NumPy scalars count as cpu).

    Raises:
        TypeError: `array` is not an array of NumPy, CuPy or array-api-strict (a Variable, a list, a number).
        DeviceError: an array-api-strict array on a device other than the simulated accelerator's.

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import device_of
        >>> device_of(np.ones(2)).name
        'cpu'
    """
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
    """True when every array lives on one device (a fast path for NumPy arrays, the common case).

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import same_device
        >>> same_device([np.ones(2), np.zeros(3)])
        True
    """
    for a in arrays:
        if type(a) is not np.ndarray:
            break
    else:
        return True
    first = device_of(arrays[0])
    return all(device_of(a) == first for a in arrays[1:])


def to_host(array) -> np.ndarray:
    """The values of an array of any device, or of a Variable, as a NumPy array on the host.

    An array of another device is copied to the host (a synchronisation on a GPU). A NumPy array, or the data
    of a Variable on the cpu, is returned as it is, not copied: copy it before writing into it. Numbers and
    lists become NumPy arrays.

    Args:
        array (array | Variable | number | list): an array of any device, a Variable, a number or a list.

    Raises:
        TypeError: `array` is of an unknown kind (a string, say).

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> autograd.to_host(Variable([1.0, 2.0]) * 2).tolist()
        [2.0, 4.0]
        >>> type(autograd.to_host(Variable(1.0))).__name__
        'ndarray'
    """
    if isinstance(array, np.ndarray):
        return array
    if isinstance(array, (np.generic, int, float, bool, list, tuple)):
        return np.asarray(array)
    if not _is_foreign_array(array) and hasattr(array, "data"):  # a Variable
        return to_host(array.data)
    return device_of(array).to_host(array)


def seed(value: int) -> None:
    """Seed every random number autograd draws, on every device, for reproducible runs.

    Parameter initialisation, dropout masks and [Device.uniform][autograd.backend.Device.uniform] /
    [Device.randn][autograd.backend.Device.randn] draw from one host generator (and CuPy's generator on each
    CUDA device); shuffling and generated data sets draw from a second one
    ([data_rng][autograd.backend.data_rng]), so loading data never shifts the initial weights.
    Devices first used after the call are seeded too.

    Args:
        value (int): the seed, a non-negative int.

    Examples:
        >>> import autograd
        >>> from autograd import layer
        >>> x = autograd.Variable([[1.0, 2.0]], dtype="float32")
        >>> autograd.seed(0)
        >>> a = autograd.to_host(layer.Linear(3)(x)).tolist()
        >>> autograd.seed(0)
        >>> autograd.to_host(layer.Linear(3)(x)).tolist() == a
        True
    """
    global _host_rng, _data_rng, _seed_value
    _seed_value = value
    _host_rng = np.random.default_rng(value)
    _data_rng = np.random.default_rng([value, 1])  # its own stream: shuffling never shifts the weights
    for device in list(_devices.values()):
        device._reseed(value)


def data_rng() -> np.random.Generator:
    """The host generator for data: shuffling and generated data sets (reseeded by
    [seed][autograd.backend.seed], apart from the parameters' stream, so that loading data never changes the
    initial weights).

    Returns:
        rng (numpy.random.Generator): the generator; ask for it each time, as `seed` replaces it.
    """
    return _data_rng


def host_rng() -> np.random.Generator:
    """The host generator behind parameter initialisation and cpu/sim randomness (reseeded by
    [seed][autograd.backend.seed]).

    Returns:
        rng (numpy.random.Generator): the generator; ask for it each time, as `seed` replaces it.
    """
    return _host_rng
