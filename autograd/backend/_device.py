"""The Device interface and the registry of Device classes, one per array library in a module of its own: every
lookup here loops over the registry, and this module names no array library but NumPy, the host's."""
from __future__ import annotations

import numpy as np

from autograd.backend._dtypes import host_dtype
from autograd.backend._random import check_host_state, host_normal, host_state, host_uniform, reseed, set_host_state


class DeviceError(ValueError):
    """A device that does not exist here (`get_device("tpu")`), or arrays of two devices used together; a
    ValueError whose message names the devices, and the known names for an unknown one."""


class Device:
    """One place arrays live: its name, array namespace `xp` and the few extras the array API lacks.

    A Device class serves one array library. Its class methods tell the registry which arrays it owns (`owns`,
    `of`) and which names it answers to (`names`, `parse`, `create`, `available`); the defaults suit a class of
    one device. Its devices move arrays (`asarray`, `from_host`, `to_host`, `put`) and do what the array API
    lacks (`scatter_add`, `uniform`, `randn`: by default on the host). Devices compare equal by name (`str`).

    Attributes:
        name: `"cpu"`, `"sim"` or `"cuda:N"`.
        names: the names the class answers to, as the error for an unknown name lists them: `("cuda", "cuda:N")`.
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

    names = ()

    @classmethod
    def owns(cls, array) -> bool:
        """True for an array of this class's library. Asked once per type of array: decide by the type."""
        raise NotImplementedError

    @classmethod
    def of(cls, array) -> Device:
        """The device of an array this class owns."""
        return get_device(cls.name)

    @classmethod
    def parse(cls, name: str) -> str | None:
        """The device name that `name` (lower-case, stripped) means to this class; None if it is not its."""
        return name if name in cls.names else None

    @classmethod
    def create(cls, name: str) -> Device:
        """A new device for a name `parse` gave; DeviceError, saying why, if this machine cannot have it."""
        return cls()

    @classmethod
    def available(cls) -> list[Device]:
        """The devices of this class that this machine has."""
        try:
            return [get_device(cls.name)]
        except DeviceError:
            return []

    def asarray(self, data, dtype=None):
        """Python numbers and lists, NumPy scalars or an array of this device as an array here, of `xp`'s `dtype`
        (None infers it); DeviceError for an array of another device: [put][autograd.backend.Device.put] moves data."""
        raise NotImplementedError

    def from_host(self, array: np.ndarray):
        """A NumPy array copied to this device (on the cpu, the array itself)."""
        raise NotImplementedError

    def to_host(self, array) -> np.ndarray:
        """An array of this device as a NumPy array (on the cpu, the array itself)."""
        raise NotImplementedError

    def put(self, array):
        """An array of any device, or host data, on this device: copied through the host, unless already here."""
        if self == _array_device(array):
            return array
        return self.from_host(to_host(array))

    def scatter_add(self, shape, index, values):
        """`zeros(shape)` with `values` added at `index`, repeated indices accumulating (NumPy's `add.at`).

        The gradient of indexing. `index` is a NumPy-style index (ints, slices, integer arrays of this device, or
        a tuple of them), `values` an array of this device; the result has its dtype.

        Examples:
            >>> import autograd
            >>> cpu = autograd.get_device("cpu")
            >>> cpu.scatter_add((3,), cpu.asarray([0, 0, 2]), cpu.asarray([1.0, 2.0, 3.0])).tolist()
            [3.0, 0.0, 3.0]
        """
        index = index if isinstance(index, tuple) else (index,)
        out = np.zeros(shape, dtype=host_dtype(values.dtype))
        np.add.at(out, tuple(to_host(i) if is_array(i) else i for i in index), self.to_host(values))
        return self.from_host(out)

    def uniform(self, shape, dtype):
        """Uniform random numbers in [0, 1) of a floating `dtype`, drawn on the host (the same on every device)
        unless the device has a generator of its own (CUDA's, without a host transfer)."""
        return self.from_host(host_uniform(shape, dtype))

    def randn(self, shape, dtype):
        """Standard normal numbers of a floating `dtype`, drawn on the host: one seed, the same on every device."""
        return self.from_host(host_normal(shape, dtype))

    def reseed(self, value):
        """Reseed the device's own generator, where it has one (`seed` calls it on every device made)."""

    def rng_state(self):
        """The state of the device's own generator as a host uint8 array, None where it has none (it draws on
        the host): what [get_rng_state][autograd.backend.get_rng_state] saves."""
        return None

    def set_rng_state(self, state):
        """Restore the device's own generator from a [rng_state][autograd.backend.Device.rng_state] of the same
        size (checked by [set_rng_state][autograd.backend.set_rng_state] before anything changes)."""

    def __repr__(self):
        return f"Device({self.name!r})"

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, Device) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __reduce__(self):
        """Pickled (and deep-copied) by name: the copy is this machine's device of that name, not a second one
        (a device holds its namespace, a module, which does not pickle)."""
        return get_device, (self.name,)


_classes = []  # the registered Device classes, in the order available_devices lists them
_owners = {}  # type of array -> `of` of the class that owns it, or None: device_of's cache
_fixed = {}  # type of array -> its device, for a class of one device (`of` not overridden): the fast path
_devices = {}  # a name -> its one device ("cuda" and "cuda:0" share theirs)


def register(cls):
    """Make a Device class known to get_device, device_of and available_devices (in the order registered).

    Examples:
        >>> from autograd.backend import Device, get_device, register, unregister
        >>> @register
        ... class Abacus(Device):
        ...     name, names = "abacus", ("abacus",)
        >>> get_device("Abacus").name
        'abacus'
        >>> unregister(Abacus)
    """
    _classes.append(cls)
    _owners.clear()
    _fixed.clear()
    return cls


def unregister(cls) -> None:
    """Forget a class that [register][autograd.backend.register] added, and its devices."""
    _classes.remove(cls)
    _owners.clear()
    _fixed.clear()
    for name, device in list(_devices.items()):
        if type(device) is cls:
            del _devices[name]


def _known_names():
    names = [repr(name) for cls in _classes for name in cls.names]
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def get_device(spec="cpu") -> Device:
    """The [Device][autograd.backend.Device] for a name (`"cpu"`, `"sim"`, `"cuda"`, `"cuda:1"`) or a Device itself.

    Names ignore case and surrounding spaces; `"cuda"` is `"cuda:0"`. A device is made at its first use, then
    reused. DeviceError for an unknown name or a device this machine lacks (saying why), TypeError for a `spec`
    neither a string nor a Device.

    Examples:
        >>> import autograd
        >>> autograd.get_device(" CPU ") is autograd.get_device("cpu")
        True
    """
    if isinstance(spec, Device):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"get_device: expected a device name or Device, got {type(spec).__name__}")
    name = spec.strip().lower()
    device = _devices.get(name)
    if device is not None:
        return device
    for cls in _classes:
        canonical = cls.parse(name)
        if canonical is not None:
            break
    else:
        raise DeviceError(f"unknown device {spec!r}: expected {_known_names()}")
    device = _devices.get(canonical) or cls.create(canonical)
    _devices[name] = _devices[canonical] = device
    return device


def available_devices() -> list[Device]:
    """Every device this machine has, class by class: cpu, sim (with array-api-strict), each GPU (with CuPy)."""
    return [device for cls in _classes for device in cls.available()]


def _owner(array):
    """The `of` of the registered class that owns arrays of this type, or None (cached)."""
    owner = next((cls for cls in _classes if cls.owns(array)), None)
    found = _owners[type(array)] = None if owner is None else owner.of
    if owner is not None and owner.of.__func__ is Device.of.__func__:
        _fixed[type(array)] = owner.of(array)
    return found


def device_of(array) -> Device:
    """The [Device][autograd.backend.Device] an array lives on (NumPy scalars count as cpu): TypeError for what
    is no array of a registered library (a Variable, a list), DeviceError for an array on no device autograd has.

    Examples:
        >>> import numpy as np
        >>> from autograd.backend import device_of
        >>> device_of(np.ones(2)).name
        'cpu'
    """
    device = _fixed.get(type(array))
    if device is not None:
        return device
    try:
        of = _owners[type(array)]
    except KeyError:
        of = _owner(array)
    if of is None:
        raise TypeError(f"device_of: expected an array of a device ({_known_names()}), got {type(array).__name__}")
    return of(array)


def is_array(x) -> bool:
    """True for an array of any device, NumPy scalars included; False for numbers, lists and Variables."""
    try:
        return _owners[type(x)] is not None
    except KeyError:
        return _owner(x) is not None


def refuse_other_device(device, data) -> None:
    """DeviceError if `data` is an array of a device other than `device` (NumPy scalars are host numbers): every
    [Device.asarray][autograd.backend.Device.asarray] asks, as data moves between devices only when asked."""
    other = _array_device(data)
    if other is not None and other != device:
        raise DeviceError(f"asarray: an array of {other} is not moved to {device} implicitly; move it with "
                          f"autograd.get_device('{device}').put(array) (a Variable with .to('{device}'))")


def _array_device(data):
    """The device of an array; None for host data (Python numbers and lists, NumPy scalars)."""
    return device_of(data) if is_array(data) and not isinstance(data, np.generic) else None


def same_device(arrays) -> bool:
    """True when every array lives on one device."""
    for a in arrays:
        if type(a) is not np.ndarray:
            break
    else:
        return True  # host arrays, the common case, at once
    first = device_of(arrays[0])
    return all(device_of(a) == first for a in arrays[1:])


def to_host(array) -> np.ndarray:
    """The values of an array of any device, a Variable, numbers or lists as a NumPy array on the host.

    An array of another device is copied (on a GPU, a synchronisation); a NumPy array, or the data of a Variable
    on the cpu, is returned as it is: copy it before writing into it. TypeError for anything else (a string).

    Examples:
        >>> import autograd
        >>> from autograd import Variable
        >>> autograd.to_host(Variable([1.0, 2.0]) * 2).tolist()
        [2.0, 4.0]
    """
    if isinstance(array, np.ndarray):
        return array
    if isinstance(array, (np.generic, int, float, bool, list, tuple)):
        return np.asarray(array)
    if not is_array(array) and hasattr(array, "data"):  # a Variable
        return to_host(array.data)
    return device_of(array).to_host(array)


def seed(value: int) -> None:
    """Seed every random number autograd draws, on every device, for reproducible runs.

    Parameter initialisation, dropout masks and [Device.uniform][autograd.backend.Device.uniform] /
    [Device.randn][autograd.backend.Device.randn] draw from one host generator (CUDA devices from their own);
    shuffling and generated data sets from another ([data_rng][autograd.backend.data_rng]), so loading data
    never shifts the initial weights. Devices first used after the call are seeded too.

    Examples:
        >>> import autograd
        >>> cpu = autograd.get_device("cpu")
        >>> autograd.seed(0)
        >>> a = cpu.randn((3,), "float32")
        >>> autograd.seed(0)
        >>> bool((cpu.randn((3,), "float32") == a).all())
        True
    """
    reseed(value)
    for device in list(_devices.values()):
        device.reseed(value)


def get_rng_state() -> dict:
    """`{"host": uint8 array, device name: uint8 array}`: the state of every random stream autograd draws from,
    the host's two (and the last seed) and those of the devices made that have a generator of their own (CUDA),
    copied to the host; [set_rng_state][autograd.backend.set_rng_state] restores it, so the numbers drawn next
    are the same again (PyTorch's `torch.get_rng_state`, for every device at once).

    Examples:
        >>> import autograd
        >>> from autograd.backend import get_rng_state, set_rng_state
        >>> cpu = autograd.get_device("cpu")
        >>> state = get_rng_state()
        >>> a = cpu.randn((3,), "float32")
        >>> set_rng_state(state)
        >>> bool((cpu.randn((3,), "float32") == a).all())
        True
    """
    state = {"host": host_state()}
    for device in set(_devices.values()):
        own = device.rng_state()
        if own is not None:
            state[device.name] = own
    return state


def set_rng_state(state) -> None:
    """Restore what [get_rng_state][autograd.backend.get_rng_state] gave; a device named there that this
    machine lacks is skipped (a GPU run resumed on a cpu). Everything is checked before anything changes:
    ValueError naming the entry for a malformed host state or a device state of another size (another kind of
    GPU) or for a device without a generator of its own."""
    if "host" not in state:
        raise ValueError(f"set_rng_state: no 'host' entry among {sorted(state)}")
    try:
        check_host_state(state["host"])
    except ValueError as e:
        raise ValueError(f"set_rng_state: {e}") from None
    devices = []
    for name, saved in state.items():
        if name == "host":
            continue
        try:
            device = get_device(name)
        except DeviceError:
            continue  # not on this machine: its stream cannot matter here
        current, saved = device.rng_state(), np.asarray(saved)
        if current is None or saved.dtype != current.dtype or saved.shape != current.shape:
            expected = "none (it draws on the host)" if current is None else f"{current.dtype} {current.shape}"
            raise ValueError(f"set_rng_state: the state of {name} is {saved.dtype} {saved.shape}, its generator "
                             f"has {expected}")
        devices.append((device, saved))
    set_host_state(state["host"])
    for device, saved in devices:
        device.set_rng_state(saved)
