"""autograd.init: the distributions' statistics, orthogonality, fans, reproducibility under autograd.seed on every
device, in-place writes, and the initializer of Linear, Conv2d and ConvTranspose2d."""
import math

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Parameter, Variable, init, layer, to_host
from autograd.backend import dtype_name


def param(shape, device, dtype="float32"):
    return Parameter(np.zeros(shape, dtype=dtype), device=device)


def stats(p):
    a = to_host(p).astype(np.float64)
    return a.mean(), a.std(), a.min(), a.max()


# ---- distributions ----------------------------------------------------------------------------------------
# A (500, 400) weight: 200 000 draws, so the mean is within ~3e-3 std of its value and the std within ~0.5 %.


def test_uniform(device):
    mean, std, lo, hi = stats(init.uniform_(param((500, 400), device), -2.0, 3.0))
    assert lo >= -2.0 and hi < 3.0
    assert mean == pytest.approx(0.5, abs=0.02) and std == pytest.approx(5 / math.sqrt(12), rel=0.01)


def test_normal(device):
    mean, std, _, _ = stats(init.normal_(param((500, 400), device), mean=1.0, std=2.0))
    assert mean == pytest.approx(1.0, abs=0.02) and std == pytest.approx(2.0, rel=0.01)


def test_constants(device):
    p = param((3, 2), device)
    assert (to_host(init.ones_(p)) == 1).all()
    assert (to_host(init.zeros_(p)) == 0).all()
    assert (to_host(init.constant_(p, 0.25)) == 0.25).all()


@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_xavier(device, gain):
    p = param((500, 400), device)  # fan_in + fan_out = 900
    bound = gain * math.sqrt(6 / 900)
    mean, std, lo, hi = stats(init.xavier_uniform_(p, gain=gain))
    assert -bound <= lo and hi <= bound and lo < -0.99 * bound and hi > 0.99 * bound
    assert mean == pytest.approx(0.0, abs=0.01 * bound) and std == pytest.approx(bound / math.sqrt(3), rel=0.01)
    mean, std, _, _ = stats(init.xavier_normal_(p, gain=gain))
    assert std == pytest.approx(gain * math.sqrt(2 / 900), rel=0.01)


@pytest.mark.parametrize("mode, fan", [("fan_in", 500), ("fan_out", 400)])
def test_kaiming_on_a_linear_weight(device, mode, fan):
    p = param((500, 400), device)  # (in, out), Linear's layout: fan_in 500, fan_out 400
    bound = math.sqrt(2.0) * math.sqrt(3 / fan)  # a = 0, leaky_relu: gain √2
    _, std, lo, hi = stats(init.kaiming_uniform_(p, mode=mode))
    assert -bound <= lo and hi <= bound and std == pytest.approx(bound / math.sqrt(3), rel=0.01)
    _, std, _, _ = stats(init.kaiming_normal_(p, mode=mode, nonlinearity="relu"))
    assert std == pytest.approx(math.sqrt(2.0 / fan), rel=0.01)
    _, std, _, _ = stats(init.kaiming_normal_(p, a=0.2, mode=mode))
    assert std == pytest.approx(math.sqrt(2.0 / (1 + 0.04)) / math.sqrt(fan), rel=0.01)


def test_kaiming_on_a_conv_weight_uses_channels_times_the_receptive_field(device):
    p = param((128, 16, 5, 5), device)  # (out, in, kh, kw): fan_in 16·25 = 400, fan_out 128·25 = 3200
    _, std, _, _ = stats(init.kaiming_normal_(p))
    assert std == pytest.approx(math.sqrt(2.0 / 400), rel=0.01)
    _, std, _, _ = stats(init.kaiming_normal_(p, mode="fan_out"))
    assert std == pytest.approx(math.sqrt(2.0 / 3200), rel=0.01)
    _, std, _, _ = stats(init.xavier_normal_(p))
    assert std == pytest.approx(math.sqrt(2.0 / 3600), rel=0.01)


def test_calculate_gain_has_pytorchs_values():
    assert init.calculate_gain("linear") == init.calculate_gain("conv2d") == init.calculate_gain("sigmoid") == 1.0
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == 0.75


# ---- orthogonal --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (4, 2, 3, 3)], ids=str)
@pytest.mark.parametrize("gain", [1.0, 0.5])
def test_orthogonal(device, shape, gain):
    p = init.orthogonal_(param(shape, device, dtype="float64"), gain=gain)
    W = to_host(p).reshape(shape[0], -1)
    small = W @ W.T if W.shape[0] <= W.shape[1] else W.T @ W
    np.testing.assert_allclose(small, gain ** 2 * np.eye(min(W.shape)), atol=1e-12)


# ---- in place, on its device, reproducible -----------------------------------------------------------------


FILLS = {
    "uniform_": lambda p: init.uniform_(p, -1.0, 1.0),
    "normal_": lambda p: init.normal_(p, 0.0, 0.1),
    "xavier_uniform_": init.xavier_uniform_,
    "xavier_normal_": init.xavier_normal_,
    "kaiming_uniform_": init.kaiming_uniform_,
    "kaiming_normal_": init.kaiming_normal_,
    "orthogonal_": init.orthogonal_,
    "zeros_": init.zeros_,
    "ones_": init.ones_,
}


@pytest.mark.parametrize("name", list(FILLS))
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_a_fill_writes_in_place_on_its_device_in_its_dtype(device, name, dtype):
    if not hasattr(device.xp, dtype):
        pytest.skip(f"{device.name} has no {dtype}")
    p = param((4, 3), device, dtype)
    array = p.data
    assert FILLS[name](p) is p
    assert p.data is array and p.device == device and dtype_name(p.dtype) == dtype
    assert p.version == 1
    assert np.isfinite(to_host(p)).all()


@pytest.mark.parametrize("name", [n for n in FILLS if n not in ("zeros_", "ones_")])
def test_the_same_seed_gives_the_same_values_on_every_device(device, name):
    autograd.seed(7)
    expected = to_host(FILLS[name](param((6, 5), "cpu"))).copy()
    autograd.seed(7)
    got = to_host(FILLS[name](param((6, 5), device)))
    np.testing.assert_array_equal(got, expected)
    again = to_host(FILLS[name](param((6, 5), device)))
    assert not np.array_equal(again, expected)  # the stream moved on


def test_a_graph_recorded_before_a_fill_refuses_its_backward(device):
    p = param((2, 2), device)
    y = F.sum(p * p)
    init.normal_(p)
    with pytest.raises(RuntimeError, match="updated in place"):
        y.backward()


def test_a_view_sees_the_fill(device):
    p = param((2, 3), device)
    with autograd.no_grad():
        v = p.T
    init.ones_(p)
    assert (to_host(v) == 1).all() and v.version == 1


# ---- layers take an initializer ----------------------------------------------------------------------------


def test_linear_keeps_its_default_weights():
    """The default is still LeCun normal, W = N(0, 1) / √in_size in float32, drawn first from the seeded stream."""
    autograd.seed(0)
    W = to_host(layer.Linear(3, in_size=2).W)
    expected = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32) * np.float32(1 / math.sqrt(2))
    np.testing.assert_array_equal(W, expected)


def test_linear_applies_its_initializer_at_creation_and_lazily(device):
    seen = []

    def initializer(W):
        seen.append((W.shape, W.device))
        init.constant_(W, 0.5)

    eager = layer.Linear(3, in_size=2, initializer=initializer)
    assert (to_host(eager.W) == 0.5).all() and (to_host(eager.b) == 0).all()
    lazy = layer.Linear(3, initializer=initializer).to(device)
    assert lazy.W is None
    lazy(Variable(np.ones((1, 4), dtype=np.float32), device=device))
    assert seen == [((2, 3), autograd.get_device("cpu")), ((4, 3), device)]
    assert (to_host(lazy.W) == 0.5).all() and lazy.W.device == device and dtype_name(lazy.W.dtype) == "float32"


def test_an_init_function_as_the_initializer_is_reproducible_on_every_device(device):
    autograd.seed(3)
    expected = to_host(layer.Linear(4, in_size=6, initializer=init.xavier_uniform_).W)
    autograd.seed(3)
    lin = layer.Linear(4, initializer=init.xavier_uniform_).to(device)
    lin(Variable(np.ones((2, 6), dtype=np.float32), device=device))
    np.testing.assert_array_equal(to_host(lin.W), expected)
    bound = math.sqrt(6 / 10)
    assert np.abs(expected).max() <= bound


@pytest.mark.parametrize("kind", [layer.Conv2d, layer.ConvTranspose2d])
def test_conv_layers_apply_their_initializer(device, kind):
    conv = kind(4, kernel_size=3, in_channels=2, initializer=lambda W: init.kaiming_normal_(W, mode="fan_out"))
    assert conv.W.version == 1  # filled by the initializer
    lazy = kind(4, kernel_size=3, initializer=init.ones_).to(device)
    y = lazy(Variable(np.ones((1, 2, 5, 5), dtype=np.float32), device=device))
    assert (to_host(lazy.W) == 1).all() and lazy.W.device == device
    assert y.shape[1] == 4


# ---- bad input ---------------------------------------------------------------------------------------------


def test_fans_need_two_axes():
    with pytest.raises(ValueError, match=r"^xavier_uniform_: fan in and fan out can not be computed for a Variable "
                                         r"of fewer than 2 axes, got shape \(3,\)"):
        init.xavier_uniform_(param((3,), "cpu"))
    with pytest.raises(ValueError, match=r"^orthogonal_: only Variables of 2 or more axes"):
        init.orthogonal_(param((3,), "cpu"))
