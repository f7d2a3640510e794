"""CUDA GPUs through CuPy, the devices "cuda:N" of a machine where CuPy finds a GPU (imported at first use)."""

from autograd.backend._device import Device, DeviceError, get_device, refuse_other_device, register
from autograd.backend._dtypes import host_dtype
from autograd.backend._random import current_seed


@register
class CupyDevice(Device):
    names = ("cuda", "cuda:N")

    def __init__(self, index):
        import array_api_compat.cupy
        import cupy

        self.index, self.name = index, f"cuda:{index}"
        self.xp, self.cp = array_api_compat.cupy, cupy
        self.where = cupy.cuda.Device(index)
        self.reseed(current_seed())

    @classmethod
    def owns(cls, array):
        return type(array).__module__.split(".", 1)[0] == "cupy"

    @classmethod
    def of(cls, array):
        return get_device(f"cuda:{array.device.id}")

    @classmethod
    def parse(cls, name):
        if name == "cuda":
            return "cuda:0"
        if name.startswith("cuda:") and name[5:].isdigit():
            return f"cuda:{int(name[5:])}"
        return None

    @classmethod
    def create(cls, name):
        try:
            import cupy
        except ImportError:
            raise DeviceError(
                f"device '{name}' needs CuPy, which is not installed: pip install 'autograd-dl[cuda]' "
                "(CuPy for CUDA 12; use the extra 'cuda13' for CUDA 13)") from None
        if not cupy.is_available():
            raise DeviceError(f"device '{name}': CuPy is installed but finds no usable GPU "
                              "(cupy.is_available() is False); check the NVIDIA driver, or use 'cpu'")
        count, index = cupy.cuda.runtime.getDeviceCount(), int(name[5:])
        if not 0 <= index < count:
            raise DeviceError(f"device '{name}' does not exist: this machine has {count} GPU(s), "
                              f"cuda:0 to cuda:{count - 1}")
        return cls(index)

    @classmethod
    def available(cls):
        try:
            import cupy

            count = cupy.cuda.runtime.getDeviceCount() if cupy.is_available() else 0
        except Exception:  # no CuPy, or no driver: no CUDA devices
            count = 0
        return [get_device(f"cuda:{i}") for i in range(count)]

    def asarray(self, data, dtype=None):
        if isinstance(data, self.cp.ndarray) and data.device.id == self.index:
            return data if dtype is None else data.astype(dtype, copy=False)
        refuse_other_device(self, data)
        with self.cp.cuda.Device(self.index):
            return self.cp.asarray(data, dtype=dtype)

    def from_host(self, array):
        with self.cp.cuda.Device(self.index):
            return self.cp.asarray(array)

    def to_host(self, array):
        return self.cp.asnumpy(array)

    def scatter_add(self, shape, index, values):
        import cupyx

        with self.cp.cuda.Device(self.index):
            out = self.cp.zeros(shape, dtype=values.dtype)
            cupyx.scatter_add(out, index, values)
        return out

    def uniform(self, shape, dtype):
        """Uniform numbers from CuPy's own generator, without a host transfer."""
        with self.cp.cuda.Device(self.index):
            return self.rng.random(shape, dtype=host_dtype(dtype))

    def reseed(self, value):
        with self.cp.cuda.Device(self.index):
            self.rng = self.cp.random.default_rng(value)

    def rng_state(self):
        """The bytes of CuPy's cuRAND states (one per GPU thread: their count depends on the GPU), on the host.
        CuPy has no public accessor: they are its bit generator's `_state` array."""
        with self.cp.cuda.Device(self.index):
            return self.cp.asnumpy(self.rng.bit_generator._state).view("uint8")

    def set_rng_state(self, state):
        with self.cp.cuda.Device(self.index):
            self.rng.bit_generator._state[...] = self.cp.asarray(state.view("int8"))
