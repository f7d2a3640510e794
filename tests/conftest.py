"""Test configuration: the `device` fixture runs a test once per available device.

Every machine has cpu (NumPy) and sim (array-api-strict's simulated accelerator); CUDA devices join when
CuPy finds a GPU. `pytest --device sim` (repeatable) narrows the run to the named devices.
"""
import pytest

import autograd
from autograd.backend import available_devices, get_device


def pytest_addoption(parser):
    parser.addoption("--device", action="append", default=None,
                     help="run device-parametrized tests only on this device (cpu, sim, cuda:0, ...); repeatable")


def _selected_devices(config):
    names = config.getoption("--device")
    if names:
        return [get_device(name) for name in names]
    return available_devices()


def pytest_generate_tests(metafunc):
    if "device" in metafunc.fixturenames:
        devices = _selected_devices(metafunc.config)
        metafunc.parametrize("device", devices, ids=[d.name for d in devices])


def pytest_report_header(config):
    return "autograd devices: " + ", ".join(d.name for d in _selected_devices(config))


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same random state."""
    autograd.seed(0)
