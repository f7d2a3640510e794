"""Devices: finding them by name, moving arrays explicitly, randomness and scatter-add on every device."""
import sys

import numpy as np
import pytest

import autograd
from autograd import Device, DeviceError, Variable, available_devices, get_device, to_host
from autograd.backend import CPU, _device, _random, device_of, dtype_in, dtype_name, is_array


@pytest.fixture
def sim():
    if "sim" not in [d.name for d in available_devices()]:
        pytest.skip("the simulated accelerator needs array-api-strict")
    return get_device("sim")


def _has_gpu():
    try:
        import cupy

        return bool(cupy.is_available())
    except Exception:  # noqa: BLE001
        return False


# ---- finding devices ------------------------------------------------------------------------------------


def test_get_device_cpu():
    cpu = get_device("cpu")
    assert cpu is CPU
    assert isinstance(cpu, Device)
    assert cpu.name == "cpu" and str(cpu) == "cpu"
    assert repr(cpu) == "Device('cpu')"
    assert get_device() is cpu
    assert hasattr(cpu.xp, "matmul")


def test_get_device_sim(sim):
    assert sim.name == "sim" and str(sim) == "sim"
    assert get_device("sim") is sim  # one object per device
    a = sim.asarray([1.0, 2.0])
    assert device_of(a) == sim
    assert not isinstance(a, np.ndarray)


@pytest.mark.parametrize("spec, name", [(" CPU ", "cpu"), ("Cpu", "cpu"), ("\tcpu\n", "cpu"),
                                        (" SIM", "sim"), ("Sim ", "sim")])
def test_names_are_case_and_space_tolerant(spec, name, sim):
    assert get_device(spec) is get_device(name)


def test_get_device_of_a_device_returns_it(device):
    assert get_device(device) is device


@pytest.mark.parametrize("spec", ["tpu", "gpu", "cuda:", "cuda:x", "cuda0", "sim:1", "", "cpu:0"])
def test_unknown_names_raise_device_error(spec):
    with pytest.raises(DeviceError) as info:
        get_device(spec)
    message = str(info.value)
    assert repr(spec) in message
    assert "'cpu'" in message and "'sim'" in message and "cuda" in message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("spec", [0, None, 1.5, ["cpu"]])
def test_non_string_spec_raises_type_error(spec):
    with pytest.raises(TypeError, match="get_device"):
        get_device(spec)


@pytest.mark.skipif(_has_gpu(), reason="this machine has a GPU")
@pytest.mark.parametrize("spec", ["cuda", "cuda:0", "CUDA:1"])
def test_cuda_without_a_gpu_says_so(spec):
    pytest.importorskip("cupy")
    with pytest.raises(DeviceError, match="no usable GPU") as info:
        get_device(spec)
    assert "cuda:" in str(info.value)
    assert all(d.name in ("cpu", "sim") for d in available_devices())


@pytest.mark.parametrize("spec", ["cuda", "cuda:1"])
def test_cuda_without_cupy_says_how_to_install(monkeypatch, spec):
    monkeypatch.setitem(sys.modules, "cupy", None)  # `import cupy` raises ImportError
    monkeypatch.setattr(_device, "_devices", {"cpu": CPU})  # forget any cached GPU device
    with pytest.raises(DeviceError) as info:
        get_device(spec)
    message = str(info.value)
    assert "CuPy" in message and "not installed" in message
    assert "pip install" in message
    names = [d.name for d in available_devices()]
    assert names[0] == "cpu"
    assert not any(n.startswith("cuda") for n in names)


def test_available_devices():
    devices = available_devices()
    names = [d.name for d in devices]
    assert names[0] == "cpu"
    assert "sim" in names
    assert len(set(names)) == len(names)
    assert all(isinstance(d, Device) for d in devices)
    assert all(get_device(d.name) is d for d in devices)


def test_devices_compare_equal_by_name_and_hash(sim):
    assert get_device("cpu") == CPU
    other_cpu = type(CPU)()  # a second object for the same device
    assert other_cpu is not CPU
    assert other_cpu == CPU and hash(other_cpu) == hash(CPU)
    assert CPU != sim
    assert hash(CPU) != hash(sim) or CPU != sim
    assert CPU != "cpu"  # not equal to its name
    assert len({CPU, other_cpu, sim, get_device("sim")}) == 2
    assert {CPU: 1}[other_cpu] == 1


def test_a_device_pickles_and_copies_as_this_machines_device_of_its_name(device):
    import copy
    import pickle
    assert pickle.loads(pickle.dumps(device)) is device
    assert copy.deepcopy(device) is device
    from autograd.layer import Linear
    layer = Linear(2, in_size=3)
    layer.to(device)
    copied = pickle.loads(pickle.dumps(layer))  # a Layer keeps its device
    assert copied.W.device == device and to_host(copied.W).tolist() == to_host(layer.W).tolist()


def test_device_of(sim):
    assert device_of(np.zeros(2)) is CPU
    assert device_of(np.float32(1.0)) is CPU
    assert device_of(sim.asarray([1.0])) is sim
    import array_api_strict

    with pytest.raises(DeviceError, match="device1"):
        device_of(array_api_strict.asarray([1.0]))  # array-api-strict's default device is not 'sim'
    with pytest.raises(TypeError):
        device_of([1.0, 2.0])


def test_is_array(sim):
    assert is_array(np.zeros(1)) and is_array(np.float64(1.0)) and is_array(sim.asarray([1.0]))
    assert not is_array([1.0]) and not is_array(1.0) and not is_array(Variable([1.0]))


def test_dtype_name_and_dtype_in(device):
    xp = device.xp
    assert dtype_name(xp.float32) == "float32"
    assert dtype_name(np.dtype("float64")) == "float64"
    assert dtype_name(np.float16) == "float16"
    assert dtype_name("int64") == "int64"
    assert dtype_name(device.asarray([1, 2], dtype=xp.int32).dtype) == "int32"
    assert dtype_in(xp, "float32") == xp.float32
    assert dtype_in(xp, np.float64) == xp.float64


# ---- moving data ------------------------------------------------------------------------------------------


def test_to_host_returns_numpy_with_the_same_values(device):
    values = np.array([[1.5, -2.0], [3.0, 4.25]], dtype=np.float32)
    on_device = device.put(values)
    for thing in (on_device, Variable(on_device), Variable(values, device=device)):
        host = to_host(thing)
        assert isinstance(host, np.ndarray)
        assert host.dtype == np.float32
        np.testing.assert_array_equal(host, values)
    assert device.to_host(on_device).tolist() == values.tolist()


def test_to_host_of_host_data():
    a = np.array([1.0, 2.0])
    assert to_host(a) is a
    for thing, expected in [(np.float32(2.5), 2.5), (3.0, 3.0), ([1, 2], [1, 2]), ((1.0,), [1.0])]:
        host = to_host(thing)
        assert isinstance(host, np.ndarray)
        np.testing.assert_array_equal(host, expected)


def test_put_moves_explicitly(device, sim):
    host = np.array([1.0, 2.0, 3.0])
    a = device.put(host)
    assert device_of(a) == device
    np.testing.assert_array_equal(to_host(a), host)
    s = sim.put(a)  # from any device to sim
    assert device_of(s) == sim
    back = CPU.put(s)
    assert isinstance(back, np.ndarray)
    np.testing.assert_array_equal(back, host)
    assert device.put(a) is a or np.array_equal(to_host(device.put(a)), host)
    assert device_of(device.put([1.0, 2.0])) == device


def test_put_keeps_the_dtype(device):
    for dtype in (np.float32, np.float64, np.int32, np.bool_):
        a = device.put(np.zeros(3, dtype=dtype))
        assert dtype_name(a.dtype) == np.dtype(dtype).name


def test_asarray_of_python_data(device):
    a = device.asarray([1, 2, 3])
    assert device_of(a) == device
    assert dtype_name(a.dtype) == "int64"
    b = device.asarray([1, 2], dtype=device.xp.float32)
    assert dtype_name(b.dtype) == "float32"
    np.testing.assert_array_equal(to_host(b), [1.0, 2.0])
    c = device.asarray(2.5)
    assert c.shape == () and to_host(c).item() == 2.5
    same = device.asarray(a)
    np.testing.assert_array_equal(to_host(same), [1, 2, 3])


def test_asarray_refuses_another_devices_array(sim):
    with pytest.raises(DeviceError, match="sim"):
        sim.asarray(np.ones(3))
    with pytest.raises(DeviceError, match="cpu"):
        CPU.asarray(sim.asarray([1.0, 2.0]))
    with pytest.raises(DeviceError):
        Variable(np.ones(2), device=sim) * sim.asarray([1.0, 2.0]) + np.ones(2)


# ---- randomness -------------------------------------------------------------------------------------------


def test_seed_makes_randn_reproducible_and_equal_on_every_device(device):
    autograd.seed(42)
    expected = CPU.randn((3, 4), np.float64)
    autograd.seed(42)
    a = device.randn((3, 4), device.xp.float64)
    assert device_of(a) == device
    assert a.shape == (3, 4)
    np.testing.assert_array_equal(to_host(a), expected)
    autograd.seed(42)
    again = device.randn((3, 4), device.xp.float64)
    np.testing.assert_array_equal(to_host(again), to_host(a))
    following = device.randn((3, 4), device.xp.float64)
    assert not np.array_equal(to_host(following), to_host(a))  # the generator moves on
    autograd.seed(43)
    other = device.randn((3, 4), device.xp.float64)
    assert not np.array_equal(to_host(other), to_host(a))


def test_seed_randn_values_are_numpys_default_rng():
    autograd.seed(7)
    expected = np.random.default_rng(7).standard_normal((5,))
    np.testing.assert_array_equal(CPU.randn((5,), np.float64), expected)


def test_randn_dtype_and_statistics(device):
    a = device.randn((20000,), device.xp.float32)
    assert dtype_name(a.dtype) == "float32"
    host = to_host(a)
    assert abs(host.mean()) < 0.05
    assert abs(host.std() - 1.0) < 0.05


def test_uniform_in_unit_interval(device):
    a = device.uniform((100, 100), device.xp.float64)
    assert device_of(a) == device
    assert a.shape == (100, 100)
    assert dtype_name(a.dtype) == "float64"
    host = to_host(a)
    assert host.min() >= 0.0 and host.max() < 1.0
    assert abs(host.mean() - 0.5) < 0.02
    assert host.min() < 0.01 and host.max() > 0.99
    b = device.uniform((10,), device.xp.float32)
    assert dtype_name(b.dtype) == "float32"


class _LargestDraws:
    """A generator whose every draw is the largest number below 1 of the requested dtype."""

    def random(self, shape, dtype=np.float64):
        dtype = np.dtype(dtype)
        return np.full(shape, np.nextafter(dtype.type(1), dtype.type(0)), dtype=dtype)


def test_uniform_float32_never_reaches_one(device, monkeypatch):
    monkeypatch.setattr(_random, "_host", _LargestDraws())  # a float64 draw this close rounds to 1.0f
    a = to_host(device.uniform((4,), device.xp.float32))
    assert a.dtype == np.float32
    assert (a < 1.0).all()


def test_uniform_float16_never_reaches_one():
    a = CPU.uniform((100_000,), np.float16)
    assert a.dtype == np.float16
    assert a.max() < 1.0 and a.min() >= 0.0


def test_seed_makes_uniform_reproducible(device):
    autograd.seed(3)
    a = to_host(device.uniform((50,), device.xp.float64))
    autograd.seed(3)
    b = to_host(device.uniform((50,), device.xp.float64))
    np.testing.assert_array_equal(a, b)
    autograd.seed(4)
    c = to_host(device.uniform((50,), device.xp.float64))
    assert not np.array_equal(a, c)


# ---- scatter-add ------------------------------------------------------------------------------------------


def test_scatter_add_accumulates_repeated_indices(device):
    index = device.asarray([0, 1, 1, 3, 1])
    values = device.asarray([1.0, 2.0, 3.0, 4.0, 5.0])
    out = device.scatter_add((5,), index, values)
    assert device_of(out) == device
    np.testing.assert_array_equal(to_host(out), [1.0, 10.0, 0.0, 4.0, 0.0])
    assert dtype_name(out.dtype) == "float64"


def test_scatter_add_rows_of_a_matrix(device):
    index = (device.asarray([2, 0, 2]), Ellipsis)
    values = device.asarray(np.arange(6.0, dtype=np.float32).reshape(3, 2).tolist(), dtype=device.xp.float32)
    out = device.scatter_add((3, 2), index, values)
    assert dtype_name(out.dtype) == "float32"
    expected = np.zeros((3, 2), dtype=np.float32)
    np.add.at(expected, np.array([2, 0, 2]), np.arange(6.0, dtype=np.float32).reshape(3, 2))
    np.testing.assert_array_equal(to_host(out), expected)
    np.testing.assert_array_equal(to_host(out), [[2.0, 3.0], [0.0, 0.0], [4.0, 6.0]])


def test_scatter_add_with_two_index_arrays(device):
    rows = device.asarray([0, 0, 1, 0])
    cols = device.asarray([1, 1, 0, 2])
    values = device.asarray([1.0, 2.0, 3.0, 4.0])
    out = device.scatter_add((2, 3), (rows, cols), values)
    np.testing.assert_array_equal(to_host(out), [[0.0, 3.0, 4.0], [3.0, 0.0, 0.0]])


# ---- an array of the device on the left of an operator defers to the Variable (issue 15) --------------------

def test_device_array_on_the_left_defers_to_the_variable(device):
    a = device.put(np.array([1.0, 2.0]))
    v = Variable(np.array([3.0, 5.0]), device=device)
    cases = [(a + v, [4.0, 7.0]), (a * v, [3.0, 10.0]), (a - v, [-2.0, -3.0]), (a / v, [1 / 3, 0.4]),
             (a @ v, 13.0), (a ** v, [1.0, 32.0])]
    for result, expected in cases:
        assert isinstance(result, Variable) and result.device == device
        np.testing.assert_allclose(to_host(result), expected, rtol=1e-12)
    (a * v).sum().backward()
    np.testing.assert_array_equal(to_host(v.grad), [1.0, 2.0])
    np.testing.assert_array_equal(to_host(a < v), [True, True])  # the Variable's comparison, reflected
    np.testing.assert_array_equal(to_host(a * a), [1.0, 4.0])  # arrays among themselves: unchanged
    with pytest.raises(TypeError):  # in place, an array does not become a Variable (NumPy refuses too)
        a += v
