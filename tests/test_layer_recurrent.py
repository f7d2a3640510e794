"""GRU (against NumPy, gradcheck, state and devices), model.GRU, and loading PyTorch-layout weights into RNN,
LSTM and GRU, checked against NumPy forwards of PyTorch's documented equations (torch is not needed)."""
import re

import numpy as np
import pytest

from autograd import Variable, model
from autograd.backend import dtype_name
from autograd.layer import GRU, LSTM, RNN
from autograd.numerical import gradcheck
from numpy_layers import host, np_gru_step, np_sigmoid

RNG = np.random.default_rng(5)
GRU_SUBLAYERS = ["x2r", "x2z", "x2n", "h2r", "h2z", "h2n"]


def var(a, device, dtype=None):
    return Variable(np.asarray(a), dtype=dtype, device=device)


# ---- GRU ----------------------------------------------------------------------------------------------------


def test_gru_three_steps_against_numpy(device):
    gru = GRU(3, in_size=2, dtype="float64").to(device)
    h = None
    for _ in range(3):
        x = RNG.normal(size=(4, 2))
        y = gru(var(x, device))
        h = np_gru_step(gru, x, h)
        assert y.shape == (4, 3) and y.device == device and gru.h is y
        np.testing.assert_allclose(host(y), h, rtol=1e-12, atol=1e-12)


def test_gru_equations_written_out(device):
    # one unit, one input, hand-picked weights: r, z, n and h' as PyTorch's documentation writes them
    gru = GRU(1, in_size=1, dtype="float64").to(device)
    gru(var([[0.0]], device))  # creates the h2* weights
    gru.reset_state()
    values = {"x2r": (0.5, 0.1), "x2z": (-0.3, 0.2), "x2n": (0.8, -0.1), "h2r": (0.7, None), "h2z": (0.4, None),
              "h2n": (-0.6, 0.3)}
    for name, (w, b) in values.items():
        sub = getattr(gru, name)
        sub.W.data = sub.W.device.put(np.array([[w]]))
        if b is not None:
            sub.b.data = sub.b.device.put(np.array([b]))
    x1, x2 = 1.5, -0.5
    h1 = gru(var([[x1]], device)).item()
    r, z = np_sigmoid(0.5 * x1 + 0.1), np_sigmoid(-0.3 * x1 + 0.2)
    n = np.tanh(0.8 * x1 - 0.1 + r * 0.3)  # b_hn counts on the first step too (h = 0)
    assert h1 == pytest.approx((1 - z) * n, rel=1e-12)
    h2 = gru(var([[x2]], device)).item()
    r, z = np_sigmoid(0.5 * x2 + 0.1 + 0.7 * h1), np_sigmoid(-0.3 * x2 + 0.2 + 0.4 * h1)
    n = np.tanh(0.8 * x2 - 0.1 + r * (-0.6 * h1 + 0.3))
    assert h2 == pytest.approx((1 - z) * n + z * h1, rel=1e-12)


def test_gru_lazy_on_a_device_without_to(device):
    gru = GRU(3, dtype="float32")
    assert gru.params() == []
    x = RNG.normal(size=(2, 5))
    y = gru(var(x, device, "float32"))
    assert y.shape == (2, 3) and gru.x2r.W.shape == (5, 3) and gru.h2n.W.shape == (3, 3)
    assert [name for name, _ in gru.named_params()] == [
        "x2r.W", "x2r.b", "x2z.W", "x2z.b", "x2n.W", "x2n.b", "h2r.W", "h2z.W", "h2n.W", "h2n.b"]
    assert all(p.device == device and dtype_name(p.dtype) == "float32" for p in gru.params())
    gru(var(x, device, "float32")).sum().backward()
    for name, p in gru.named_params():
        assert p.grad is not None and np.any(host(p.grad) != 0), name


def test_gru_reset_state_and_state_moves(device):
    gru = GRU(2, in_size=2, dtype="float64")
    x1, x2 = RNG.normal(size=(1, 2)), RNG.normal(size=(1, 2))
    first = host(gru(var(x1, "cpu"))).copy()
    gru.to(device)
    assert gru.h.device == device
    second = host(gru(var(x2, device)))
    np.testing.assert_allclose(second, np_gru_step(gru, x2, first), rtol=1e-12)
    gru.reset_state()
    assert gru.h is None
    np.testing.assert_allclose(host(gru(var(x1, device))), first, rtol=1e-12)


def test_gradcheck_gru_two_steps(device):
    gru = GRU(2, in_size=3, dtype="float64").to(device)
    gru(var(RNG.normal(size=(1, 3)), device))  # creates the h2* weights
    places = [(getattr(gru, name), attr) for name in GRU_SUBLAYERS for attr in ("W", "b")
              if getattr(getattr(gru, name), attr) is not None]
    assert len(places) == 10
    x1, x2 = var(RNG.normal(size=(2, 3)), device), var(RNG.normal(size=(2, 3)), device)

    def f(x1, x2, *weights):
        gru.reset_state()
        for (owner, attr), w in zip(places, weights):
            setattr(owner, attr, w)
        gru(x1)
        return gru(x2)

    assert gradcheck(f, x1, x2, *[getattr(owner, attr) for owner, attr in places])


def test_model_gru(device):
    net = model.GRU(hidden_size=4, out_size=2).to(device)
    x = RNG.normal(size=(3, 1))
    y1, y2 = net(var(x, device, "float32")), net(var(x, device, "float32"))
    assert y1.shape == y2.shape == (3, 2) and net.gru.h.shape == (3, 4)
    assert not np.allclose(host(y1), host(y2))  # the state carried over
    net.reset_state()
    np.testing.assert_allclose(host(net(var(x, device, "float32"))), host(y1), rtol=1e-6)


# ---- PyTorch-layout weights ---------------------------------------------------------------------------------
# NumPy forwards of PyTorch's documented cell equations, on its own layout: W_ih (G H, in), W_hh (G H, H), gates
# stacked in PyTorch's order, x @ W.T, two biases; h0 = c0 = 0.


def torch_rnn(s, xs):
    h, out = np.zeros((xs[0].shape[0], s["weight_hh"].shape[1])), []
    for x in xs:
        h = np.tanh(x @ s["weight_ih"].T + s["bias_ih"] + h @ s["weight_hh"].T + s["bias_hh"])
        out.append(h)
    return out


def torch_lstm(s, xs):
    H = s["weight_hh"].shape[1]
    h = c = np.zeros((xs[0].shape[0], H))
    out = []
    for x in xs:
        g = x @ s["weight_ih"].T + s["bias_ih"] + h @ s["weight_hh"].T + s["bias_hh"]
        i, f, u, o = (g[:, k * H:(k + 1) * H] for k in range(4))  # PyTorch's i, f, g, o
        c = np_sigmoid(f) * c + np_sigmoid(i) * np.tanh(u)
        h = np_sigmoid(o) * np.tanh(c)
        out.append(h)
    return out


def torch_gru(s, xs):
    H = s["weight_hh"].shape[1]
    h, out = np.zeros((xs[0].shape[0], H)), []
    for x in xs:
        gi = x @ s["weight_ih"].T + s["bias_ih"]
        gh = h @ s["weight_hh"].T + s["bias_hh"]
        r = np_sigmoid(gi[:, :H] + gh[:, :H])
        z = np_sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        h = (1 - z) * n + z * h
        out.append(h)
    return out


CASES = {"RNN": (RNN, 1, torch_rnn), "LSTM": (LSTM, 4, torch_lstm), "GRU": (GRU, 3, torch_gru)}


def torch_state(gates, hidden, in_size, suffix=""):
    """Random arrays in PyTorch's layout (what `cell.state_dict()` holds, as NumPy arrays)."""
    shapes = {"weight_ih": (gates * hidden, in_size), "weight_hh": (gates * hidden, hidden),
              "bias_ih": (gates * hidden,), "bias_hh": (gates * hidden,)}
    return {key + suffix: RNG.uniform(-0.8, 0.8, shape) for key, shape in shapes.items()}


@pytest.mark.parametrize("kind", CASES)
@pytest.mark.parametrize("in_size", [3, None], ids=["eager", "lazy"])
def test_torch_weights_give_torch_outputs(device, kind, in_size):
    cls, gates, reference = CASES[kind]
    layer = cls(4, in_size=in_size, dtype="float64").to(device)
    state = torch_state(gates, 4, 3)
    layer.load_torch_weights(state)
    xs = [RNG.normal(size=(2, 3)) for _ in range(3)]
    for y, expected in zip([layer(var(x, device)) for x in xs], reference(state, xs)):
        assert y.device == device
        np.testing.assert_allclose(host(y), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", CASES)
def test_torch_weights_of_a_one_layer_module_and_without_biases(device, kind):
    # nn.RNN / nn.LSTM / nn.GRU name them weight_ih_l0, ...; bias=False has no bias entries: ours become zeros
    cls, gates, reference = CASES[kind]
    layer = cls(2, dtype="float32").to(device)
    state = {k: v for k, v in torch_state(gates, 2, 3, suffix="_l0").items() if k.startswith("weight")}
    layer.load_torch_weights(state)
    assert all(p.device == device and dtype_name(p.dtype) == "float32" for p in layer.params())
    plain = {k.removesuffix("_l0"): v for k, v in state.items()}
    plain |= {bias: np.zeros(gates * 2) for bias in ("bias_ih", "bias_hh")}
    xs = [RNG.normal(size=(1, 3)) for _ in range(3)]
    for y, expected in zip([layer(var(x, device, "float32")) for x in xs], reference(plain, xs)):
        np.testing.assert_allclose(host(y), expected, rtol=1e-5, atol=1e-6)


def test_torch_gru_keeps_b_hn_apart(device):
    # b_hn sits inside r * (W_hn h + b_hn): it is h2n's bias, not added to x2n's
    gru = GRU(2, in_size=1, dtype="float64").to(device)
    state = torch_state(3, 2, 1)
    gru.load_torch_weights(state)
    np.testing.assert_array_equal(host(gru.h2n.b), state["bias_hh"][4:])
    np.testing.assert_array_equal(host(gru.x2n.b), state["bias_ih"][4:])
    np.testing.assert_array_equal(host(gru.x2r.b), state["bias_ih"][:2] + state["bias_hh"][:2])
    np.testing.assert_array_equal(host(gru.h2z.W), state["weight_hh"][2:4].T)


@pytest.mark.parametrize("key, shape", [("weight_ih", (12, 2)), ("weight_ih", (9, 3)), ("weight_hh", (12, 4)),
                                        ("bias_hh", (4,))])
def test_torch_weights_of_the_wrong_shape_change_nothing(key, shape):
    lstm = LSTM(3, in_size=3, dtype="float64")
    before = {name: host(p).copy() for name, p in lstm.named_params()}
    state = torch_state(4, 3, 3)
    state[key] = np.zeros(shape)
    pattern = rf"^LSTM.load_torch_weights: '{key}' must have shape .* got {re.escape(str(shape))}$"
    with pytest.raises(ValueError, match=pattern):
        lstm.load_torch_weights(state)
    for name, p in lstm.named_params():
        np.testing.assert_array_equal(host(p), before[name])
