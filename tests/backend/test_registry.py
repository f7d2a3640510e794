"""The registry of Device classes: a class registered here is found by its name, by its arrays and in
available_devices, and forgotten when unregistered; no array library is named outside its own module."""
import ast
import doctest
import importlib
import pathlib
import pkgutil

import numpy as np
import pytest

import autograd
import autograd.backend
from autograd.backend import (CPU, Device, DeviceError, available_devices, device_of, get_device, is_array,
                              refuse_other_device, register, to_host, unregister)


class Beads:
    """An array of a made-up library: values strung on an abacus."""

    def __init__(self, values, dtype):
        self.values, self.dtype = list(values), np.dtype(dtype)


class AbacusDevice(Device):
    """The whole of a device: its names, the arrays it owns, and moving them; the rest is the defaults."""

    name = where = "abacus"
    names = ("abacus",)

    @classmethod
    def owns(cls, array):
        return isinstance(array, Beads)

    def asarray(self, data, dtype=None):
        refuse_other_device(self, data)
        return data if isinstance(data, Beads) else self.from_host(np.asarray(data, dtype=dtype))

    def from_host(self, array):
        return Beads(array.ravel().tolist(), array.dtype)

    def to_host(self, array):
        return np.asarray(array.values, dtype=array.dtype)


@pytest.fixture
def abacus():
    register(AbacusDevice)
    yield get_device("abacus")
    unregister(AbacusDevice)


def test_a_registered_class_is_found_by_name_and_by_its_arrays(abacus):
    assert isinstance(abacus, AbacusDevice) and str(abacus) == "abacus"
    assert get_device(" ABACUS ") is abacus
    beads = abacus.asarray([1.0, 2.0])
    assert is_array(beads) and device_of(beads) is abacus
    assert [d.name for d in available_devices()][-1] == "abacus"
    with pytest.raises(DeviceError, match=r"expected 'cpu', 'sim', 'cuda', 'cuda:N' or 'abacus'"):
        get_device("tpu")


def test_a_registered_device_moves_data_only_when_asked(abacus):
    beads = abacus.put(np.array([1.0, 2.0]))
    assert abacus.put(beads) is beads
    assert to_host(beads).tolist() == [1.0, 2.0]
    assert isinstance(CPU.put(beads), np.ndarray)
    with pytest.raises(DeviceError, match="an array of abacus is not moved to cpu"):
        CPU.asarray(beads)
    with pytest.raises(DeviceError, match="an array of cpu is not moved to abacus"):
        abacus.asarray(np.ones(2))
    assert abacus.asarray(np.float32(2.0)).values == [2.0]  # a NumPy scalar is a host number


def test_a_registered_device_gets_the_host_defaults(abacus):
    autograd.seed(5)
    expected = CPU.randn((4,), "float32")
    autograd.seed(5)
    assert to_host(abacus.randn((4,), "float32")).tolist() == expected.tolist()  # the same numbers everywhere
    u = to_host(abacus.uniform((100,), "float64"))
    assert u.dtype == np.float64 and (u >= 0).all() and (u < 1).all()
    out = abacus.scatter_add((3,), abacus.asarray([0, 2, 0]), abacus.asarray([1.0, 2.0, 3.0]))
    assert device_of(out) is abacus and to_host(out).tolist() == [4.0, 0.0, 2.0]


def test_an_unregistered_class_is_forgotten():
    register(AbacusDevice)
    beads = get_device("abacus").asarray([1.0])
    assert is_array(beads)
    unregister(AbacusDevice)
    assert not is_array(beads)
    with pytest.raises(TypeError, match="got Beads"):
        device_of(beads)
    with pytest.raises(DeviceError, match="unknown device 'abacus'") as info:
        get_device("abacus")
    assert "abacus'" not in str(info.value).split("expected", 1)[1]
    assert "abacus" not in [d.name for d in available_devices()]
    assert [d.name for d in available_devices()][:2] == ["cpu", "sim"]


BACKEND = pathlib.Path(autograd.backend.__file__).parent
WITH_EXAMPLES = sorted(f"autograd.backend.{m.name}" for m in pkgutil.iter_modules([str(BACKEND)])
                       if ">>>" in (BACKEND / f"{m.name}.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_of_every_backend_module_run(name):
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(importlib.import_module(name), name):
        autograd.seed(0)
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0 and failed == 0, f"{failed} of {attempted} docstring examples in {name} failed"


def _named_libraries(path):
    """The array libraries a module imports or names in a string of its code (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node)}
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            named.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            named.add(node.value)
    return {name.split(".")[0] for name in named} & {"cupy", "cupyx", "array_api_strict"}


def test_no_array_library_is_named_outside_its_own_module():
    owners = {"cupy": "_cupy.py", "cupyx": "_cupy.py", "array_api_strict": "_sim.py"}
    found = {str(path.relative_to(BACKEND.parent)): _named_libraries(path)
             for path in sorted(BACKEND.parent.rglob("*.py"))}
    assert found["backend/_cupy.py"] == {"cupy", "cupyx"} and found["backend/_sim.py"] == {"array_api_strict"}
    strays = {path: names for path, names in found.items()
              if any(not path.endswith("backend/" + owners[name]) for name in names)}
    assert strays == {}
