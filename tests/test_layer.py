"""Layers: parameter discovery and names, Linear, RNN, LSTM (against NumPy and gradcheck), moving between
devices, and saving / loading weights."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import DeviceError, Parameter, Variable
from autograd.backend import CPU, get_device
from autograd.layer import LSTM, RNN, Layer, Linear
from autograd.numerical import gradcheck
from numpy_layers import host, np_linear, np_lstm_step, np_rnn_step, np_sigmoid

RNG = np.random.default_rng(7)

LSTM_SUBLAYERS = ["x2f", "x2i", "x2o", "x2u", "h2f", "h2i", "h2o", "h2u"]


def normal(*shape):
    return RNG.normal(size=shape)


def var(array, device, dtype=None):
    return Variable(np.asarray(array), dtype=dtype, device=device)


def steps(layer, device, n=2, in_size=3, batch=2):
    """Run ``n`` steps of a recurrent layer on fresh inputs in the layer's dtype (creating the lazy h2*
    weights at step 2) and reset its state; returns the inputs, as host arrays."""
    dtype = next(sub.dtype for sub in layer.sublayers() if isinstance(sub, Linear))
    xs = [normal(batch, in_size) for _ in range(n)]
    for x in xs:
        layer(var(x, device, dtype=dtype))
    layer.reset_state()
    return xs


def all_params_host(layer):
    return {name: host(p).copy() for name, p in layer.named_params()}


def assert_params_equal(layer, expected):
    got = all_params_host(layer)
    assert list(got) == list(expected)
    for name in expected:
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)


# ---- parameter discovery ------------------------------------------------------------------------------------


class Net(Layer):
    """Parameters and sublayers mixed with plain attributes, in a non-alphabetical order."""

    def __init__(self):
        super().__init__()
        self.zeta = Parameter(np.zeros(2))
        self.inner = Linear(2, in_size=3)
        self.scale = 2.0  # not a parameter
        self.alpha = Parameter(np.ones(3))
        self.lazy = Linear(4)
        self.constant = Variable(np.ones(2))  # a plain Variable is not a parameter

    def forward(self, x):
        return self.lazy(self.inner(x * self.alpha) * self.zeta) + self.scale


def test_layer_finds_parameters_and_sublayers_in_definition_order():
    net = Net()
    # the lazy Linear has neither W nor b before its first call
    assert [name for name, _ in net.named_params()] == ["zeta", "inner.W", "inner.b", "alpha"]
    assert [id(p) for p in net.params()] == [id(p) for _, p in net.named_params()]
    assert net.params()[0] is net.zeta and net.params()[1] is net.inner.W and net.params()[3] is net.alpha
    assert all(isinstance(p, Parameter) for p in net.params())
    layers = net.sublayers()
    assert len(layers) == 3 and layers[0] is net and layers[1] is net.inner and layers[2] is net.lazy


def test_reassigning_a_parameter_keeps_its_place():
    net = Net()
    new = Parameter(np.full(2, 5.0))
    net.zeta = new
    assert net.named_params()[0] == ("zeta", new)
    assert [name for name, _ in net.named_params()] == ["zeta", "inner.W", "inner.b", "alpha"]


def test_lazy_parameter_keeps_its_definition_place(device):
    net = Net().to(device)
    net(var(normal(2, 3), device))
    assert [name for name, _ in net.named_params()] == ["zeta", "inner.W", "inner.b", "alpha", "lazy.W", "lazy.b"]
    assert net.lazy.W.shape == (2, 4)
    lin = Linear(3)
    assert lin.W is None and lin.b is None and lin.named_params() == [] and lin.params() == []
    lin(var(normal(2, 5), device))
    assert [name for name, _ in lin.named_params()] == ["W", "b"]
    assert lin.params()[0] is lin.W and lin.params()[1] is lin.b


def test_nested_names():
    # the recurrent h2* weights are lazy: they exist once a step has used the state (step 2)
    rnn = RNN(4, in_size=3)
    assert [name for name, _ in rnn.named_params()] == ["x2h.W", "x2h.b"]
    steps(rnn, CPU, n=2)
    assert [name for name, _ in rnn.named_params()] == ["x2h.W", "x2h.b", "h2h.W"]
    lstm = LSTM(2, in_size=3)
    x2 = ["x2f.W", "x2f.b", "x2i.W", "x2i.b", "x2o.W", "x2o.b", "x2u.W", "x2u.b"]
    assert [name for name, _ in lstm.named_params()] == x2
    steps(lstm, CPU, n=2)
    assert [name for name, _ in lstm.named_params()] == x2 + ["h2f.W", "h2i.W", "h2o.W", "h2u.W"]

    class Outer(Layer):
        def __init__(self):
            super().__init__()
            self.lstm = LSTM(2, in_size=3)
            self.l0 = Linear(1, in_size=2)

    outer = Outer()
    names = [name for name, _ in outer.named_params()]
    assert names == ["lstm." + n for n in x2] + ["l0.W", "l0.b"]
    steps(outer.lstm, CPU, n=2)
    names = [name for name, _ in outer.named_params()]
    # the h2* weights take the places reserved at construction, before l0
    assert names == ["lstm." + n for n in x2] + [f"lstm.h2{g}.W" for g in "fiou"] + ["l0.W", "l0.b"]
    assert outer.sublayers()[:2] == [outer, outer.lstm] and outer.sublayers()[-1] is outer.l0
    assert len(outer.sublayers()) == 1 + 1 + 8 + 1


def test_cleargrads(device):
    net = Net().to(device)
    net(var(normal(2, 3), device)).sum().backward()
    assert all(p.grad is not None for p in net.params())
    net.cleargrads()
    assert all(p.grad is None for p in net.params())


def test_base_layer_forward_is_abstract():
    with pytest.raises(NotImplementedError):
        Layer()(Variable(np.ones(2)))


# ---- Linear -----------------------------------------------------------------------------------------------


def test_linear_eager_output(device):
    lin = Linear(4, in_size=3).to(device)
    assert lin.in_size == 3 and lin.W.shape == (3, 4) and lin.b.shape == (4,)
    assert lin.W.dtype == lin.b.dtype and autograd.backend.dtype_name(lin.W.dtype) == "float32"
    x = normal(5, 3).astype(np.float32)
    y = lin(var(x, device))
    assert y.shape == (5, 4) and y.device == device
    np.testing.assert_allclose(host(y), x @ host(lin.W) + host(lin.b), rtol=1e-5, atol=1e-6)


def test_linear_lazy_in_size_from_the_input(device):
    lin = Linear(2)
    assert Linear._lazy == ("W", "b")
    assert lin.W is None and lin.b is None and lin.in_size is None
    x = normal(3, 5).astype(np.float32)
    y = lin(var(x, device))
    assert lin.in_size == 5
    assert lin.W.shape == (5, 2) and isinstance(lin.W, Parameter)
    assert lin.W.device == device and lin.b.device == device and y.device == device
    np.testing.assert_allclose(host(y), x @ host(lin.W) + host(lin.b), rtol=1e-5, atol=1e-6)
    assert not np.all(host(lin.W) == 0)
    # the second call reuses W
    W = lin.W
    lin(var(x, device))
    assert lin.W is W


def test_linear_lazy_after_to_is_created_on_that_device(device):
    # to() on a layer that has no parameters yet still decides where W and b will be created
    lin = Linear(2).to(device)
    assert lin.W is None and lin.b is None and lin._device == device
    x = normal(3, 4).astype(np.float32)
    y = lin(var(x, device))
    assert lin.W.device == device and lin.b.device == device and y.device == device
    assert lin.W.shape == (4, 2) and lin.b.shape == (2,)
    np.testing.assert_allclose(host(y), x @ host(lin.W) + host(lin.b), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(host(lin.b), np.zeros(2))


def test_linear_moved_before_its_first_call_refuses_a_cpu_input(device):
    if device == CPU:
        pytest.skip("a cpu input is the right device for a layer moved to cpu")
    lin = Linear(2).to(device)
    with pytest.raises(DeviceError):
        lin(Variable(normal(3, 4).astype(np.float32)))
    assert lin.W is None or lin.W.device == device  # never created on the input's device
    assert lin.b is None or lin.b.device == device


def test_linear_moved_to_cpu_creates_on_cpu_whatever_the_input(device):
    if device == CPU:
        pytest.skip("needs an input on another device")
    lin = Linear(2).to("cpu")
    with pytest.raises(DeviceError):
        lin(var(normal(3, 4), device, dtype="float32"))
    assert lin.W is None and lin.b is None  # the refused call keeps nothing it created
    lin(Variable(normal(3, 4).astype(np.float32)))
    assert lin.W.device == CPU and lin.b.device == CPU


def test_linear_eager_is_on_cpu_and_not_moved_implicitly(device):
    lin = Linear(2, in_size=3)
    assert lin.W.device == CPU and lin.b.device == CPU and lin._device is None
    np.testing.assert_array_equal(host(lin.b), np.zeros(2))
    if device != CPU:
        with pytest.raises(DeviceError):
            lin(var(normal(4, 3), device, dtype="float32"))
        assert lin.W.device == CPU and lin.b.device == CPU  # neither W nor b moved behind the user's back


def test_linear_nobias_lazy(device):
    lin = Linear(3, nobias=True)
    assert lin.W is None and lin.b is None and lin.named_params() == []
    x = normal(4, 2)
    y = lin(var(x, device, dtype="float32"))
    assert lin.b is None and [name for name, _ in lin.named_params()] == ["W"]
    assert lin.W.device == device
    np.testing.assert_allclose(host(y), x @ host(lin.W), rtol=1e-5, atol=1e-6)


def test_linear_lazy_on_batched_input(device):
    lin = Linear(2)
    x = normal(2, 3, 4)
    y = lin(var(x, device, dtype="float32"))
    assert lin.W.shape == (4, 2) and y.shape == (2, 3, 2)
    np.testing.assert_allclose(host(y), x @ host(lin.W) + host(lin.b), rtol=1e-5, atol=1e-5)


def test_linear_nobias(device):
    lin = Linear(3, in_size=2, nobias=True).to(device)
    assert lin.b is None
    assert [name for name, _ in lin.named_params()] == ["W"]
    x = normal(4, 2)
    y = lin(var(x, device, dtype="float32"))
    np.testing.assert_allclose(host(y), x @ host(lin.W), rtol=1e-5, atol=1e-6)


def test_linear_float64(device):
    lin = Linear(3, in_size=2, dtype="float64").to(device)
    assert lin.W.dtype == lin.W.xp.float64 and lin.b.dtype == lin.b.xp.float64
    lazy = Linear(3, dtype="float64")
    x = normal(4, 2)
    y = lazy(var(x, device))
    assert lazy.W.dtype == lazy.W.xp.float64
    assert y.dtype == y.xp.float64
    np.testing.assert_allclose(host(y), x @ host(lazy.W) + host(lazy.b), rtol=1e-12, atol=1e-12)


def test_linear_weight_scale(device):
    lin = Linear(100)
    lin(var(np.zeros((1, 400)), device, dtype="float32"))
    W = host(lin.W)
    assert W.shape == (400, 100)
    assert W.std() == pytest.approx(1 / np.sqrt(400), rel=0.05)
    assert abs(W.mean()) < 0.005
    np.testing.assert_array_equal(host(lin.b), np.zeros(100))


def test_linear_gradient_values(device):
    lin = Linear(2, in_size=3, dtype="float64").to(device)
    x = var(normal(4, 3), device)
    w = normal(4, 2)
    (lin(x) * var(w, device)).sum().backward()
    np.testing.assert_allclose(host(lin.W.grad), host(x).T @ w, rtol=1e-12)
    np.testing.assert_allclose(host(lin.b.grad), w.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(host(x.grad), w @ host(lin.W).T, rtol=1e-12)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, None, "3", np.float64(3.0), np.bool_(True), np.int64(0)])
def test_linear_rejects_bad_out_size(bad):
    with pytest.raises(ValueError, match="out_size"):
        Linear(bad)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3", np.float32(2.0), np.bool_(True), np.int32(-2)])
def test_linear_rejects_bad_in_size(bad):
    with pytest.raises(ValueError, match="in_size"):
        Linear(3, in_size=bad)


def test_recurrent_layers_reject_bad_hidden_size():
    for cls in (RNN, LSTM):
        with pytest.raises(ValueError):
            cls(0)
        with pytest.raises(ValueError):
            cls(2.5)


def test_linear_accepts_numpy_integer_sizes():
    lin = Linear(np.int64(3), in_size=np.int32(2))
    assert lin.W.shape == (2, 3) and lin.b.shape == (3,)
    assert type(lin.out_size) is int and lin.out_size == 3 and lin.in_size == 2
    y = lin(Variable(np.ones((1, 2), np.float32)))
    np.testing.assert_allclose(host(y), np.ones((1, 2)) @ host(lin.W), rtol=1e-6)
    sizes = np.array([4, 5])  # sizes read from an array are NumPy integers
    rnn = RNN(sizes[0], in_size=sizes[1])
    assert rnn(Variable(np.ones((1, 5), np.float32))).shape == (1, 4)
    assert LSTM(np.uint8(2))(Variable(np.ones((1, 3), np.float32))).shape == (1, 2)


# ---- RNN --------------------------------------------------------------------------------------------------


def test_rnn_two_steps_against_numpy(device):
    rnn = RNN(4, in_size=3, dtype="float64").to(device)
    x1, x2 = normal(2, 3), normal(2, 3)
    h1 = rnn(var(x1, device))
    expected1 = np.tanh(x1 @ host(rnn.x2h.W) + host(rnn.x2h.b))
    np.testing.assert_allclose(host(h1), expected1, rtol=1e-12, atol=1e-12)
    assert rnn.h is h1
    h2 = rnn(var(x2, device))
    expected2 = np.tanh(x2 @ host(rnn.x2h.W) + host(rnn.x2h.b) + expected1 @ host(rnn.h2h.W))
    np.testing.assert_allclose(host(h2), expected2, rtol=1e-12, atol=1e-12)
    assert not np.allclose(expected2, np.tanh(x2 @ host(rnn.x2h.W) + host(rnn.x2h.b)))  # h2h mattered


def test_rnn_lazy_shapes(device):
    rnn = RNN(5).to(device)
    assert rnn.x2h.W is None and rnn.h2h.W is None and rnn.params() == []
    h = rnn(var(normal(4, 3), device, dtype="float32"))
    assert h.shape == (4, 5) and h.device == device
    assert rnn.x2h.W.shape == (3, 5) and rnn.x2h.b.shape == (5,)
    assert rnn.h2h.W is None and rnn.h2h.b is None  # the first step does not use the state
    assert [name for name, _ in rnn.named_params()] == ["x2h.W", "x2h.b"]
    h = rnn(var(normal(4, 3), device, dtype="float32"))
    assert h.shape == (4, 5)
    assert rnn.h2h.W.shape == (5, 5) and rnn.h2h.b is None and rnn.h2h.W.device == device
    assert [name for name, _ in rnn.named_params()] == ["x2h.W", "x2h.b", "h2h.W"]


def test_rnn_on_a_device_without_to(device):
    # every weight is created on the input's device, the recurrent one too (at step 2)
    rnn = RNN(3, dtype="float64")
    x1, x2 = normal(2, 4), normal(2, 4)
    h1 = rnn(var(x1, device))
    h2 = rnn(var(x2, device))
    assert h1.device == device and h2.device == device
    assert [name for name, _ in rnn.named_params()] == ["x2h.W", "x2h.b", "h2h.W"]
    assert all(p.device == device for p in rnn.params())
    e1 = np_rnn_step(rnn, x1, None)
    np.testing.assert_allclose(host(h1), e1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(host(h2), np_rnn_step(rnn, x2, e1), rtol=1e-12, atol=1e-12)
    h2.sum().backward()
    for name, p in rnn.named_params():
        assert p.grad is not None and p.grad.device == device and np.any(host(p.grad) != 0), name


def test_rnn_reset_state(device):
    rnn = RNN(3, in_size=2, dtype="float64").to(device)
    x1, x2 = normal(2, 2), normal(2, 2)
    first = host(rnn(var(x1, device))).copy()
    second = host(rnn(var(x2, device))).copy()
    rnn.reset_state()
    assert rnn.h is None
    again = host(rnn(var(x2, device)))
    np.testing.assert_allclose(again, np.tanh(x2 @ host(rnn.x2h.W) + host(rnn.x2h.b)), rtol=1e-12)
    assert not np.allclose(again, second)
    rnn.reset_state()
    np.testing.assert_array_equal(host(rnn(var(x1, device))), first)


def test_rnn_truncated_backprop(device):
    rnn = RNN(2, in_size=3, dtype="float64").to(device)
    xs = [normal(2, 3) for _ in range(5)]
    # first segment: steps 0..2
    loss = None
    for x in xs[:3]:
        y = rnn(var(x, device))
        loss = y.sum() if loss is None else loss + y.sum()
    loss.backward()
    loss.unchain_backward()
    assert rnn.h.creator is None
    h_cut = host(rnn.h).copy()
    rnn.cleargrads()
    # second segment: steps 3..4 from the detached state
    loss = None
    for x in xs[3:]:
        y = rnn(var(x, device))
        loss = y.sum() if loss is None else loss + y.sum()
    loss.backward()
    truncated = {name: host(p.grad).copy() for name, p in rnn.named_params()}

    # reference: a fresh RNN with the same weights, starting from the cut state as a leaf
    fresh = RNN(2, in_size=3, dtype="float64").to(device)
    fresh.load_state_dict(rnn.state_dict())
    fresh.h = var(h_cut, device)
    loss = fresh(var(xs[3], device)).sum() + fresh(var(xs[4], device)).sum()
    loss.backward()
    for name, p in fresh.named_params():
        np.testing.assert_allclose(truncated[name], host(p.grad), rtol=1e-12, atol=1e-14, err_msg=name)

    # and without the cut, the gradient would have been different (the test can tell)
    full = RNN(2, in_size=3, dtype="float64").to(device)
    full.load_state_dict(rnn.state_dict())
    outs = [full(var(x, device)) for x in xs]
    (outs[3].sum() + outs[4].sum()).backward()
    assert not np.allclose(host(full.x2h.W.grad), truncated["x2h.W"])


def test_rnn_unchain_backward_on_the_state(device):
    rnn = RNN(2, in_size=3, dtype="float64").to(device)
    x0 = var(normal(1, 3), device)
    rnn(x0)
    rnn.h.unchain_backward()
    x1 = var(normal(1, 3), device)
    rnn(x1).sum().backward()
    assert x0.grad is None  # nothing flows back past the cut
    assert x1.grad is not None


# ---- LSTM -------------------------------------------------------------------------------------------------


def test_lstm_two_steps_against_numpy(device):
    lstm = LSTM(3, in_size=2, dtype="float64").to(device)
    x1, x2 = normal(4, 2), normal(4, 2)
    h1 = lstm(var(x1, device))
    e_h1, e_c1 = np_lstm_step(lstm, x1, None, None)
    np.testing.assert_allclose(host(h1), e_h1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(host(lstm.c), e_c1, rtol=1e-12, atol=1e-12)
    assert lstm.h is h1
    h2 = lstm(var(x2, device))
    e_h2, e_c2 = np_lstm_step(lstm, x2, e_h1, e_c1)
    np.testing.assert_allclose(host(h2), e_h2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(host(lstm.c), e_c2, rtol=1e-12, atol=1e-12)
    # the second step is not a first step: the state mattered
    assert not np.allclose(e_h2, np_lstm_step(lstm, x2, None, None)[0])


def test_lstm_gate_equations_written_out(device):
    # the docstring's equations, spelled out once by hand for a single sample
    lstm = LSTM(2, in_size=1, dtype="float64").to(device)
    x1, x2 = np.array([[0.5]]), np.array([[-1.5]])
    lstm(var(x1, device))
    h2 = lstm(var(x2, device))
    Wx = {k: host(getattr(lstm, "x2" + k).W) for k in "fiou"}
    b = {k: host(getattr(lstm, "x2" + k).b) for k in "fiou"}
    Wh = {k: host(getattr(lstm, "h2" + k).W) for k in "fiou"}
    i1 = np_sigmoid(x1 @ Wx["i"] + b["i"])
    o1 = np_sigmoid(x1 @ Wx["o"] + b["o"])
    u1 = np.tanh(x1 @ Wx["u"] + b["u"])
    c1 = i1 * u1
    h1 = o1 * np.tanh(c1)
    f2 = np_sigmoid(x2 @ Wx["f"] + b["f"] + h1 @ Wh["f"])
    i2 = np_sigmoid(x2 @ Wx["i"] + b["i"] + h1 @ Wh["i"])
    o2 = np_sigmoid(x2 @ Wx["o"] + b["o"] + h1 @ Wh["o"])
    u2 = np.tanh(x2 @ Wx["u"] + b["u"] + h1 @ Wh["u"])
    c2 = f2 * c1 + i2 * u2
    np.testing.assert_allclose(host(h2), o2 * np.tanh(c2), rtol=1e-12)


def test_lstm_shapes(device):
    lstm = LSTM(5).to(device)
    assert lstm.params() == []
    h = lstm(var(normal(3, 4), device, dtype="float32"))
    assert h.shape == (3, 5) and lstm.c.shape == (3, 5) and h.device == device
    for name in ("x2f", "x2i", "x2o", "x2u"):
        assert getattr(lstm, name).W.shape == (4, 5) and getattr(lstm, name).b.shape == (5,)
    for name in ("h2f", "h2i", "h2o", "h2u"):
        assert getattr(lstm, name).W is None and getattr(lstm, name).b is None
    assert len(lstm.params()) == 8
    h = lstm(var(normal(3, 4), device, dtype="float32"))
    assert h.shape == (3, 5) and lstm.c.shape == (3, 5)
    for name in ("h2f", "h2i", "h2o", "h2u"):
        sub = getattr(lstm, name)
        assert sub.W.shape == (5, 5) and sub.W.device == device and sub.b is None
    assert len(lstm.params()) == 12


def test_lstm_on_a_device_without_to(device):
    lstm = LSTM(3, dtype="float64")
    x1, x2 = normal(2, 4), normal(2, 4)
    h1 = lstm(var(x1, device))
    e_h1, e_c1 = np_lstm_step(lstm, x1, None, None)
    h2 = lstm(var(x2, device))
    assert h1.device == device and h2.device == device and lstm.c.device == device
    assert len(lstm.params()) == 12 and all(p.device == device for p in lstm.params())
    np.testing.assert_allclose(host(h1), e_h1, rtol=1e-12, atol=1e-12)
    e_h2, e_c2 = np_lstm_step(lstm, x2, e_h1, e_c1)
    np.testing.assert_allclose(host(h2), e_h2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(host(lstm.c), e_c2, rtol=1e-12, atol=1e-12)
    h2.sum().backward()
    for name, p in lstm.named_params():
        assert p.grad is not None and p.grad.device == device, name


def test_lstm_reset_state_resets_h_and_c(device):
    lstm = LSTM(3, in_size=2, dtype="float64").to(device)
    x1, x2 = normal(2, 2), normal(2, 2)
    first = host(lstm(var(x1, device))).copy()
    first_c = host(lstm.c).copy()
    lstm(var(x2, device))
    lstm.reset_state()
    assert lstm.h is None and lstm.c is None
    np.testing.assert_array_equal(host(lstm(var(x1, device))), first)
    np.testing.assert_array_equal(host(lstm.c), first_c)


def test_lstm_recurrent_weights_get_gradients_from_the_second_step(device):
    lstm = LSTM(2, in_size=3).to(device)
    lstm(var(normal(2, 3), device, dtype="float32")).sum().backward()
    for name in ("h2f", "h2i", "h2o", "h2u"):
        assert getattr(lstm, name).W is None, name  # not even created: the first step has no state
    for name in ("x2i", "x2o", "x2u"):
        assert getattr(lstm, name).W.grad is not None, name
    lstm.cleargrads()
    lstm(var(normal(2, 3), device, dtype="float32")).sum().backward()
    for name in ("h2f", "h2i", "h2o", "h2u", "x2f"):
        grad = getattr(lstm, name).W.grad
        assert grad is not None, name
        assert grad.device == device and grad.shape == getattr(lstm, name).W.shape
        assert np.any(host(grad) != 0), name


# ---- gradcheck: inputs and weights ------------------------------------------------------------------------


def test_gradcheck_linear(device):
    lin = Linear(2, in_size=3, dtype="float64").to(device)
    x = var(normal(2, 3), device)

    def f(x, W, b):
        lin.W, lin.b = W, b
        return lin(x)

    assert gradcheck(f, x, lin.W, lin.b)


def test_gradcheck_linear_nobias_batched(device):
    lin = Linear(2, in_size=3, nobias=True, dtype="float64").to(device)

    def f(x, W):
        lin.W = W
        return lin(x)

    assert gradcheck(f, var(normal(2, 2, 3), device), lin.W)


def test_gradcheck_rnn_two_steps(device):
    rnn = RNN(2, in_size=3, dtype="float64").to(device)
    steps(rnn, device)  # creates h2h.W
    x1, x2 = var(normal(2, 3), device), var(normal(2, 3), device)

    def f(x1, x2, Wx, b, Wh):
        rnn.reset_state()
        rnn.x2h.W, rnn.x2h.b, rnn.h2h.W = Wx, b, Wh
        rnn(x1)
        return rnn(x2)

    assert gradcheck(f, x1, x2, rnn.x2h.W, rnn.x2h.b, rnn.h2h.W)


def test_gradcheck_lstm_two_steps(device):
    lstm = LSTM(2, in_size=3, dtype="float64").to(device)
    steps(lstm, device)  # creates the h2* weights
    x1, x2 = var(normal(2, 3), device), var(normal(2, 3), device)
    places = [(getattr(lstm, name), attr) for name in LSTM_SUBLAYERS for attr in ("W", "b")
              if getattr(getattr(lstm, name), attr) is not None]
    assert len(places) == 12

    def f(x1, x2, *weights):
        lstm.reset_state()
        for (owner, attr), w in zip(places, weights):
            setattr(owner, attr, w)
        lstm(x1)
        return lstm(x2)

    assert gradcheck(f, x1, x2, *[getattr(owner, attr) for owner, attr in places])


def test_gradcheck_lstm_state_outputs(device):
    # both outputs of a step (h and the cell c) differentiate right with respect to the input
    lstm = LSTM(2, in_size=2, dtype="float64").to(device)

    def f(x1, x2):
        lstm.reset_state()
        lstm(x1)
        h = lstm(x2)
        return [h, lstm.c]

    assert gradcheck(f, var(normal(2, 2), device), var(normal(2, 2), device))


# ---- moving between devices -------------------------------------------------------------------------------


def test_linear_to_device_and_back(device):
    lin = Linear(3, in_size=2)
    W, b = lin.W, lin.b
    x = normal(4, 2).astype(np.float32)
    lin(Variable(x)).sum().backward()
    values = {name: host(p).copy() for name, p in lin.named_params()}
    grads = {name: host(p.grad).copy() for name, p in lin.named_params()}
    assert lin.to(device) is lin
    assert lin.W is W and lin.b is b
    for name, p in lin.named_params():
        assert p.device == device and p.grad.device == device
        np.testing.assert_array_equal(host(p), values[name])
        np.testing.assert_array_equal(host(p.grad), grads[name])
        assert p.dtype == p.xp.float32
    y = lin(var(x, device))
    assert y.device == device
    np.testing.assert_allclose(host(y), x @ values["W"] + values["b"], rtol=1e-5, atol=1e-6)
    lin.to("cpu")
    assert lin.W is W and lin.W.device == CPU and lin.b.device == CPU and lin.W.grad.device == CPU
    np.testing.assert_array_equal(host(lin.W), values["W"])


def test_to_without_gradients_leaves_them_none(device):
    lin = Linear(3, in_size=2).to(device)
    assert lin.W.grad is None and lin.b.grad is None
    assert lin.W.device == device


def test_rnn_state_moves_with_the_layer(device):
    rnn = RNN(3, in_size=2, dtype="float64")
    x1, x2 = normal(2, 2), normal(2, 2)
    h1 = host(rnn(Variable(x1, requires_grad=False))).copy()
    rnn.to(device)
    assert rnn.h.device == device
    np.testing.assert_array_equal(host(rnn.h), h1)
    assert rnn.h2h.W is None  # not used by the first step; created at the next, on the device moved to
    h2 = rnn(var(x2, device))
    assert h2.device == device and rnn.h2h.W.device == device
    np.testing.assert_allclose(host(h2), np_rnn_step(rnn, x2, h1), rtol=1e-12)
    rnn.to("cpu")
    assert rnn.h.device == CPU
    h3 = rnn(Variable(x1))
    np.testing.assert_allclose(host(h3), np_rnn_step(rnn, x1, host(h2)), rtol=1e-12)


def test_lstm_state_moves_with_the_layer(device):
    lstm = LSTM(3, in_size=2, dtype="float64")
    x1, x2 = normal(2, 2), normal(2, 2)
    lstm(Variable(x1, requires_grad=False))
    h1, c1 = host(lstm.h).copy(), host(lstm.c).copy()
    lstm.to(device)
    assert lstm.h.device == device and lstm.c.device == device
    assert lstm.h.creator is None and lstm.c.creator is None  # moved detached
    assert all(p.device == device for p in lstm.params())
    h2 = lstm(var(x2, device))
    assert all(p.device == device for p in lstm.params()) and len(lstm.params()) == 12
    e_h2, e_c2 = np_lstm_step(lstm, x2, h1, c1)
    np.testing.assert_allclose(host(h2), e_h2, rtol=1e-12)
    np.testing.assert_allclose(host(lstm.c), e_c2, rtol=1e-12)


def test_backprop_stops_at_a_state_move(device):
    """to() moves the recurrent state detached: backward after the move raises nothing, the steps before the
    move get no gradient, and the gradients are those of a run that starts from the moved state as a
    constant."""
    rnn = RNN(2, in_size=3, dtype="float64")
    xs = [normal(1, 3) for _ in range(3)]
    x0, x1 = Variable(xs[0]), Variable(xs[1])
    rnn(x0)
    h_before = rnn(x1)  # two steps on the cpu: h2h exists and the state's graph reaches both steps
    rnn.to(device)
    moved = rnn.h
    assert moved is not h_before and moved.creator is None and moved.device == device
    np.testing.assert_array_equal(host(moved), host(h_before))
    rnn(var(xs[2], device)).sum().backward()
    assert x0.grad is None and x1.grad is None  # nothing flowed back past the move
    grads = {}
    for name, p in rnn.named_params():
        assert p.device == device and p.grad is not None and p.grad.device == device, name
        grads[name] = host(p.grad).copy()

    # reference: the same weights, one step from the moved state given as a constant
    ref = RNN(2, in_size=3, dtype="float64").to(device)
    ref.load_state_dict(rnn.state_dict())
    ref.h = Variable(host(h_before), device=device, requires_grad=False)
    ref(var(xs[2], device)).sum().backward()
    assert [name for name, _ in ref.named_params()] == list(grads)
    for name, p in ref.named_params():
        np.testing.assert_allclose(grads[name], host(p.grad), rtol=1e-12, atol=1e-14, err_msg=name)

    # and backprop through all three steps would have given other gradients (the test can tell)
    full = RNN(2, in_size=3, dtype="float64")
    full.load_state_dict(rnn.state_dict())
    for x in xs[:2]:
        full(Variable(x))
    full(Variable(xs[2])).sum().backward()
    assert not np.allclose(host(full.x2h.W.grad), grads["x2h.W"])


# ---- saving and loading -----------------------------------------------------------------------------------


def test_state_dict_is_host_copies(device):
    lin = Linear(3, in_size=2).to(device)
    sd = lin.state_dict()
    assert list(sd) == ["W", "b"]
    assert all(type(a) is np.ndarray for a in sd.values())
    np.testing.assert_array_equal(sd["W"], host(lin.W))
    sd["W"][...] = 99.0  # a copy: the parameter is untouched
    assert not np.any(host(lin.W) == 99.0)


def test_state_dict_round_trip(device):
    src = LSTM(3, in_size=2).to(device)
    xs = [normal(2, 2).astype(np.float32) for _ in range(2)]
    expected = [host(src(var(x, device))).copy() for x in xs]
    assert len(src.state_dict()) == 12
    autograd.seed(1)
    dst = LSTM(3, in_size=2).to(device)
    assert not np.array_equal(host(dst.x2f.W), host(src.x2f.W))
    dst.load_state_dict(src.state_dict())  # creates the h2* weights, on the device dst was moved to
    assert all(getattr(dst, f"h2{g}").W.device == device for g in "fiou")
    for x, e in zip(xs, expected):
        np.testing.assert_array_equal(host(dst(var(x, device))), e)


def test_save_and_load_weights(device, tmp_path):
    src = RNN(3, in_size=2).to(device)
    xs = [normal(2, 2).astype(np.float32) for _ in range(2)]
    expected = [host(src(var(x, device))).copy() for x in xs]
    path = tmp_path / "rnn.npz"
    src.save_weights(path)
    with np.load(path) as f:
        assert sorted(f.files) == ["h2h.W", "x2h.W", "x2h.b"]
    autograd.seed(1)
    dst = RNN(3, in_size=2).to(device)
    dst.load_weights(path)
    assert [name for name, _ in dst.named_params()] == ["x2h.W", "x2h.b", "h2h.W"]
    assert all(p.device == device for p in dst.params())
    for x, e in zip(xs, expected):
        np.testing.assert_array_equal(host(dst(var(x, device))), e)


def test_load_a_one_step_state_leaves_the_recurrent_weight_lazy(device):
    src = RNN(3, in_size=2)
    src(Variable(normal(2, 2).astype(np.float32)))
    sd = src.state_dict()
    assert sorted(sd) == ["x2h.W", "x2h.b"]
    dst = RNN(3).to(device)
    dst.load_state_dict(sd)
    assert dst.h2h.W is None and dst.x2h.W.device == device
    np.testing.assert_array_equal(host(dst.x2h.W), sd["x2h.W"])
    dst(var(normal(2, 2), device, dtype="float32"))
    dst(var(normal(2, 2), device, dtype="float32"))
    assert dst.h2h.W.shape == (3, 3) and dst.h2h.W.device == device


def test_save_weights_to_a_path_without_npz(tmp_path, device):
    lin = Linear(2, in_size=3).to(device)
    path = tmp_path / "weights.bin"
    lin.save_weights(str(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weights.bin"]
    other = Linear(2, in_size=3).to(device)
    other.load_weights(path)
    np.testing.assert_array_equal(host(other.W), host(lin.W))
    np.testing.assert_array_equal(host(other.b), host(lin.b))


def test_save_weights_overwrites(tmp_path):
    path = tmp_path / "w.npz"
    a, b = Linear(2, in_size=3), Linear(2, in_size=3)
    a.save_weights(path)
    b.save_weights(path)
    c = Linear(2, in_size=3)
    c.load_weights(path)
    np.testing.assert_array_equal(host(c.W), host(b.W))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]


def test_load_keeps_dtype_device_and_identity(device):
    lin = Linear(3, in_size=2, dtype="float64").to(device)
    W, b = lin.W, lin.b
    sd = {"W": normal(2, 3).astype(np.float32), "b": np.arange(3, dtype=np.float32)}
    lin.load_state_dict(sd)
    assert lin.W is W and lin.b is b
    for name, p in lin.named_params():
        assert p.device == device
        assert p.dtype == p.xp.float64
        np.testing.assert_array_equal(host(p), sd[name].astype(np.float64))
    # entries may be arrays of any device, or Variables
    lin.load_state_dict({"W": var(np.ones((2, 3)), device), "b": var(np.zeros(3), device).data})
    assert lin.W is W and lin.W.device == device
    np.testing.assert_array_equal(host(lin.W), np.ones((2, 3)))


def test_load_into_a_lazy_layer_creates_the_parameter(device, tmp_path):
    src = Linear(3)
    x = normal(4, 5).astype(np.float32)
    expected = host(src(Variable(x))).copy()
    src.save_weights(tmp_path / "w.npz")

    dst = Linear(3).to(device)
    assert dst.W is None
    dst.load_weights(tmp_path / "w.npz")
    assert isinstance(dst.W, Parameter) and dst.W.shape == (5, 3) and dst.in_size == 5
    assert isinstance(dst.b, Parameter) and dst.b.shape == (3,)
    assert dst.W.device == device and dst.W.dtype == dst.W.xp.float32
    assert dst.b.device == device and dst.b.dtype == dst.b.xp.float32
    assert [name for name, _ in dst.named_params()] == ["W", "b"]
    W, b = dst.W, dst.b
    np.testing.assert_array_equal(host(dst(var(x, device))), expected)
    assert dst.W is W and dst.b is b  # the first call did not draw new ones


def test_load_lazy_state_into_a_lazy_layer(device):
    # a state saved before the first call has no W; the W of the target stays to be created
    src = Linear(3)
    dst = Linear(3).to(device)
    assert src.state_dict() == {}
    dst.load_state_dict(src.state_dict())
    assert dst.W is None and dst.b is None
    y = dst(var(normal(2, 4), device, dtype="float32"))
    assert y.shape == (2, 3) and dst.W.shape == (4, 3)


def _drop_h2h_W(sd):
    del sd["h2h.W"]


def _add_extra(sd):
    sd["h2h.extra"] = np.zeros(2, np.float32)


def _reshape_h2h_W(sd):
    sd["h2h.W"] = np.zeros((3, 2), np.float32)  # the last entry: the others were checked and would pass


@pytest.mark.parametrize("spoil, match", [(_drop_h2h_W, r"h2h\.W"), (_add_extra, r"h2h\.extra"),
                                          (_reshape_h2h_W, r"h2h\.W")],
                         ids=["missing key", "unexpected key", "wrong shape"])
def test_a_refused_load_raises_naming_the_key_and_changes_nothing(device, spoil, match):
    rnn = RNN(2, in_size=3).to(device)
    steps(rnn, device)  # creates h2h.W
    before = all_params_host(rnn)
    sd = {name: a + 1 for name, a in rnn.state_dict().items()}
    spoil(sd)
    with pytest.raises(ValueError, match=match):
        rnn.load_state_dict(sd)
    assert_params_equal(rnn, before)


def test_load_weights_failure_changes_nothing(device, tmp_path):
    lin = Linear(2, in_size=3).to(device)
    before = all_params_host(lin)
    Linear(2, in_size=4).save_weights(tmp_path / "other.npz")
    with pytest.raises(ValueError, match="'W'"):
        lin.load_weights(tmp_path / "other.npz")
    assert_params_equal(lin, before)


def test_load_bias_into_a_nobias_linear_is_unexpected(device):
    lin = Linear(3, in_size=2, nobias=True).to(device)
    with pytest.raises(ValueError, match="'b'"):
        lin.load_state_dict({"W": np.zeros((2, 3), np.float32), "b": np.ones(3, np.float32)})
    assert lin.b is None


def test_load_bias_into_a_recurrent_weight_is_unexpected(device):
    rnn = RNN(2, in_size=3).to(device)
    steps(rnn, device)
    sd = rnn.state_dict()
    sd["h2h.b"] = np.ones(2, np.float32)
    with pytest.raises(ValueError, match=r"h2h\.b"):
        rnn.load_state_dict(sd)
    assert rnn.h2h.b is None


def test_nobias_linear_loads_its_own_state(device):
    src = Linear(3, nobias=True)
    src(Variable(normal(2, 4).astype(np.float32)))
    assert list(src.state_dict()) == ["W"]
    dst = Linear(3, nobias=True).to(device)
    dst.load_state_dict(src.state_dict())
    assert dst.b is None and [name for name, _ in dst.named_params()] == ["W"]
    assert dst.W.device == device
    np.testing.assert_array_equal(host(dst.W), host(src.W))


@pytest.mark.parametrize("entries, bad", [
    ({"W": np.zeros((4, 5), np.float32), "b": np.zeros(3, np.float32)}, "W"),   # W's shape[1] != out_size
    ({"W": np.zeros((4, 3, 1), np.float32), "b": np.zeros(3, np.float32)}, "W"),  # W not 2-D
    ({"W": np.zeros(3, np.float32), "b": np.zeros(3, np.float32)}, "W"),         # W not 2-D
    ({"W": np.zeros((4, 3), np.float32), "b": np.zeros(4, np.float32)}, "b"),    # b not (out_size,)
    ({"W": np.zeros((4, 3), np.float32), "b": np.zeros((1, 3), np.float32)}, "b"),
])
def test_load_lazy_weight_of_the_wrong_shape_raises(device, entries, bad):
    lin = Linear(3).to(device)
    with pytest.raises(ValueError, match=f"'{bad}'"):
        lin.load_state_dict(entries)
    assert lin.W is None and lin.b is None  # nothing was created


def test_load_lazy_weight_of_any_in_size(device):
    lin = Linear(3).to(device)
    W = normal(7, 3)
    lin.load_state_dict({"W": W, "b": np.arange(3.0)})
    assert lin.in_size == 7
    np.testing.assert_array_equal(host(lin.W), W.astype(np.float32))
    np.testing.assert_array_equal(host(lin.b), np.arange(3, dtype=np.float32))


def test_load_lazy_weight_takes_the_layer_dtype(device):
    lin = Linear(3).to(device)
    W = normal(2, 3)
    lin.load_state_dict({"W": W, "b": np.zeros(3)})
    assert lin.b.dtype == lin.b.xp.float32
    assert lin.W.dtype == lin.W.xp.float32
    np.testing.assert_array_equal(host(lin.W), W.astype(np.float32))
    wide = Linear(3, dtype="float64").to(device)
    wide.load_state_dict({"W": W.astype(np.float32), "b": np.ones(3, np.int64)})
    assert wide.W.dtype == wide.W.xp.float64 and wide.b.dtype == wide.b.xp.float64
    np.testing.assert_array_equal(host(wide.W), W.astype(np.float32).astype(np.float64))
    np.testing.assert_array_equal(host(wide.b), np.ones(3))


def test_load_uncastable_entry_changes_nothing(device):
    lin = Linear(3, in_size=2).to(device)
    before = all_params_host(lin)
    with pytest.raises(ValueError, match="'b'"):
        lin.load_state_dict({"W": np.ones((2, 3), np.float32), "b": np.array(["a", "b", "c"])})
    assert_params_equal(lin, before)


def test_load_uncastable_entry_into_a_lazy_layer_creates_nothing(device):
    lin = Linear(3).to(device)
    with pytest.raises(ValueError, match="'b'"):
        lin.load_state_dict({"W": np.ones((2, 3), np.float32), "b": np.array(["a", "b", "c"])})
    assert lin.W is None and lin.b is None


def test_load_lazy_parameter_without_to_goes_where_the_other_parameters_are(device):
    # no to(): the first Linear lives on the input's device, the second was never called
    first, second = Linear(4), Linear(2)
    net = model_of(first, second)
    first(var(normal(3, 5), device, dtype="float32"))
    assert first.W.device == device and second.W is None
    sd = {"l0.W": normal(5, 4), "l0.b": np.zeros(4), "l1.W": normal(4, 2), "l1.b": np.ones(2)}
    net.load_state_dict(sd)
    assert second.W.device == device and second.b.device == device
    for name, p in net.named_params():
        assert p.dtype == p.xp.float32
        np.testing.assert_array_equal(host(p), sd[name].astype(np.float32), err_msg=name)
    y = net(var(normal(3, 5), device, dtype="float32"))
    assert y.shape == (3, 2) and y.device == device


def test_load_lazy_parameter_of_a_layer_never_moved_goes_to_the_cpu():
    lin = Linear(3)
    lin.load_state_dict({"W": normal(2, 3), "b": np.zeros(3)})
    assert lin.W.device == CPU and lin.b.device == CPU
    rnn = RNN(2)
    src = RNN(2, in_size=3)
    steps(src, CPU)
    rnn.load_state_dict(src.state_dict())
    assert len(rnn.params()) == 3 and all(p.device == CPU for p in rnn.params())


def test_load_lazy_parameter_of_a_moved_sublayer_goes_where_it_was_moved(device):
    if device == CPU:
        pytest.skip("needs a device other than the cpu default")
    lin = Linear(3)
    net = model_of(lin)
    lin.to(device)
    net.load_state_dict({"l0.W": normal(2, 3), "l0.b": np.zeros(3)})
    assert lin.W.device == device and lin.b.device == device


def model_of(*layers):
    """A container of the given layers, named l0, l1, ... (the way model.Sequential names them)."""
    class Container(Layer):
        def __init__(self):
            super().__init__()
            for i, sub in enumerate(layers):
                setattr(self, f"l{i}", sub)

        def forward(self, x):
            for sub in layers:
                x = sub(x)
            return x

    return Container()


# ---- the walkers see every change after a first walk (Layer._walk's cache) ---------------------------------


class Block(Layer):
    def __init__(self, value=1.0):
        super().__init__()
        self.w = Parameter(np.full(2, value))


class Holder(Layer):
    """A parameter, a sublayer, a list of layers and a list of parameters."""

    def __init__(self):
        super().__init__()
        self.a = Parameter(np.zeros(1))
        self.inner = Block(2.0)
        self.blocks = [Block(3.0), Block(4.0)]
        self.ws = [Parameter(np.full(3, 5.0))]


def holder_places(h):
    return [("a", h.a), ("inner.w", h.inner.w), ("blocks[0].w", h.blocks[0].w), ("blocks[1].w", h.blocks[1].w),
            ("ws[0]", h.ws[0])]


def change_add_param(h, walk):
    z = Parameter(np.full(3, 6.0))
    h.z = z
    return holder_places(h) + [("z", z)]


def change_add_param_to_sublayer(h, walk):
    before, u = holder_places(h), Parameter(np.full(1, 7.0))
    h.inner.u = u
    return before[:2] + [("inner.u", u)] + before[2:]


def change_add_param_to_list_item(h, walk):
    before, u = holder_places(h), Parameter(np.full(1, 7.0))
    h.blocks[0].u = u
    return before[:3] + [("blocks[0].u", u)] + before[3:]


def change_add_sublayer(h, walk):
    extra = Block(8.0)
    h.extra = extra
    return holder_places(h) + [("extra.w", extra.w)]


def change_add_sublayer_to_sublayer(h, walk):
    before, deep = holder_places(h), Block(8.0)
    h.inner.deep = deep
    return before[:2] + [("inner.deep.w", deep.w)] + before[2:]


def change_del_param(h, walk):
    before = holder_places(h)
    del h.a
    return before[1:]


def change_del_sublayer(h, walk):
    before = holder_places(h)
    del h.inner
    return before[:1] + before[2:]


def change_del_param_of_sublayer(h, walk):
    before = holder_places(h)
    del h.inner.w
    return before[:1] + before[2:]


def change_param_to_number(h, walk):
    before = holder_places(h)
    h.a = 3.0
    return before[1:]


def change_sublayer_to_none(h, walk):
    before = holder_places(h)
    h.inner = None
    return before[:1] + before[2:]


def change_list_to_numbers(h, walk):
    before = holder_places(h)
    h.blocks = [1, 2]
    return before[:2] + before[4:]


def change_append(h, walk):
    new = Block(9.0)
    h.blocks.append(new)
    before = holder_places(h)
    return before[:4] + [("blocks[2].w", new.w)] + before[4:]


def change_replace_item(h, walk):
    new = Block(9.0)
    h.blocks[0] = new
    return holder_places(h)


def change_replace_item_by_number(h, walk):
    before = holder_places(h)
    h.blocks[0] = 7
    return before[:2] + [("blocks[1].w", before[3][1])] + before[4:]


def change_pop(h, walk):
    before = holder_places(h)
    h.blocks.pop()
    return before[:3] + before[4:]


def change_pop_front(h, walk):
    before = holder_places(h)
    h.blocks.pop(0)
    return before[:2] + [("blocks[0].w", before[3][1])] + before[4:]


def change_clear_then_append(h, walk):
    before, new = holder_places(h), Block(9.0)
    h.blocks.clear()
    h.blocks.append(new)
    return before[:2] + [("blocks[0].w", new.w)] + before[4:]


def change_append_param(h, walk):
    new = Parameter(np.full(1, 9.0))
    h.ws.append(new)
    return holder_places(h) + [("ws[1]", new)]


def change_replace_param_in_list(h, walk):
    h.ws[0] = Parameter(np.full(3, 9.0))
    return holder_places(h)


def change_list_of_a_list_item(h, walk):
    """A registered list inside a layer that sits in a registered list, appended to after a walk."""
    before, sub, extra = holder_places(h), Block(0.5), Block(0.25)
    h.blocks[1].more = [sub]
    walk()
    h.blocks[1].more.append(extra)
    return before[:4] + [("blocks[1].more[0].w", sub.w), ("blocks[1].more[1].w", extra.w)] + before[4:]


def change_fill_an_empty_list(h, walk):
    """A list assigned empty (`self.blocks = []` in __init__) and filled after a walk."""
    h.extra = []
    walk()
    new = Block(8.0)
    h.extra.append(new)
    return holder_places(h) + [("extra[0].w", new.w)]


def change_fill_a_list_of_none(h, walk):
    """A list assigned as `[None] * 3` and filled after a walk."""
    h.slots = [None] * 3
    walk()
    first, last = Block(8.0), Block(9.0)
    h.slots[2], h.slots[0] = last, first
    return holder_places(h) + [("slots[0].w", first.w), ("slots[2].w", last.w)]


def change_add_to_a_dict(h, walk):
    h.heads = {"a": Block(8.0)}
    walk()
    h.heads["b"] = Block(9.0)
    return holder_places(h) + [("heads[a].w", h.heads["a"].w), ("heads[b].w", h.heads["b"].w)]


def change_replace_in_a_dict(h, walk):
    h.heads = {"a": Block(8.0)}
    walk()
    h.heads["a"] = new = Block(9.0)
    return holder_places(h) + [("heads[a].w", new.w)]


def change_delete_from_a_dict(h, walk):
    h.heads = {"a": Block(8.0), "b": Block(9.0)}
    walk()
    del h.heads["a"]
    return holder_places(h) + [("heads[b].w", h.heads["b"].w)]


def change_rename_a_dict_key(h, walk):
    h.heads = {"a": Block(8.0)}
    walk()
    h.heads["b"] = h.heads.pop("a")
    return holder_places(h) + [("heads[b].w", h.heads["b"].w)]


def change_list_inside_a_tuple(h, walk):
    h.pair = ([], Block(8.0))
    walk()
    h.pair[0].append(Block(9.0))
    return holder_places(h) + [("pair[0][0].w", h.pair[0][0].w), ("pair[1].w", h.pair[1].w)]


def change_dict_inside_a_list(h, walk):
    h.stages = [{}]
    walk()
    h.stages[0]["x"] = Block(8.0)
    return holder_places(h) + [("stages[0][x].w", h.stages[0]["x"].w)]


CHANGES = [change_fill_an_empty_list, change_add_param, change_add_param_to_sublayer, change_add_param_to_list_item,
           change_add_sublayer, change_add_sublayer_to_sublayer, change_del_param, change_del_sublayer,
           change_del_param_of_sublayer, change_param_to_number, change_sublayer_to_none, change_list_to_numbers,
           change_append, change_replace_item, change_replace_item_by_number, change_pop, change_pop_front,
           change_clear_then_append, change_append_param, change_replace_param_in_list, change_list_of_a_list_item,
           change_fill_a_list_of_none, change_add_to_a_dict, change_replace_in_a_dict, change_delete_from_a_dict,
           change_rename_a_dict_key, change_list_inside_a_tuple, change_dict_inside_a_list]


def assert_walkers_see(layer, expected):
    """params(), named_params(), state_dict() and cleargrads() all agree with ``expected`` (name, parameter)."""
    assert [(name, id(p)) for name, p in layer.named_params()] == [(name, id(p)) for name, p in expected]
    assert [id(p) for p in layer.params()] == [id(p) for _, p in expected]
    state = layer.state_dict()
    assert list(state) == [name for name, _ in expected]
    for name, p in expected:
        np.testing.assert_array_equal(state[name], host(p), err_msg=name)


@pytest.mark.parametrize("nested", [False, True], ids=["top", "nested"])
@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__[len("change_"):] for c in CHANGES])
def test_walkers_see_a_change_made_after_a_first_walk(change, nested):
    h = Holder()
    top = model_of(h) if nested else h
    prefix = "l0." if nested else ""
    before = holder_places(h)
    assert_walkers_see(top, [(prefix + name, p) for name, p in before])
    h.params()  # both caches warm
    expected = change(h, lambda: (top.params(), h.params()))
    assert_walkers_see(top, [(prefix + name, p) for name, p in expected])
    assert_walkers_see(h, expected)
    gone = [p for _, p in before if all(p is not q for _, q in expected)]
    for p in [p for _, p in expected] + gone:
        p.grad = Variable(np.ones(p.shape))
    top.cleargrads()
    assert all(p.grad is None for _, p in expected)
    assert all(p.grad is not None for p in gone)  # a parameter no longer in the layer is left alone


def test_walkers_see_lazy_weights_created_by_the_first_forward(device):
    first, second = Linear(3), Linear(2)
    net = model_of(first, second)
    net.blocks = [Linear(2, in_size=2)]
    assert [name for name, _ in net.named_params()] == ["blocks[0].W", "blocks[0].b"]
    assert net.state_dict().keys() == {"blocks[0].W", "blocks[0].b"} and len(net.params()) == 2
    net.to(device)
    y = net(var(normal(4, 5), device))
    assert [name for name, _ in net.named_params()] == ["l0.W", "l0.b", "l1.W", "l1.b", "blocks[0].W", "blocks[0].b"]
    assert [id(p) for p in net.params()] == [id(p) for p in (first.W, first.b, second.W, second.b)
                                              + (net.blocks[0].W, net.blocks[0].b)]
    assert first.W.shape == (5, 3) and second.W.shape == (3, 2)
    assert list(net.state_dict()) == [name for name, _ in net.named_params()]
    np.testing.assert_array_equal(net.state_dict()["l1.W"], host(second.W))
    y.sum().backward()
    assert first.W.grad is not None and second.b.grad is not None
    net.cleargrads()
    assert all(p.grad is None for p in (first.W, first.b, second.W, second.b))


def test_walks_without_a_change_are_equal_and_fresh_lists():
    h = Holder()
    top = model_of(h)
    params, named = top.params(), top.named_params()
    h.scale = 2.0  # a plain attribute: not a change of the places
    again, named_again = top.params(), top.named_params()
    assert again is not params and named_again is not named
    assert [id(p) for p in again] == [id(p) for p in params] and len(params) == 5
    assert named_again == named
    again.clear()
    named_again.append(("x", Parameter(np.ones(1))))
    assert [id(p) for p in top.params()] == [id(p) for p in params]
    assert top.named_params() == named
    assert list(top.state_dict()) == ["l0.a", "l0.inner.w", "l0.blocks[0].w", "l0.blocks[1].w", "l0.ws[0]"]


def _pickled(layer):
    import pickle
    return pickle.loads(pickle.dumps(layer))


def _shallow_copy(layer):
    import copy
    return copy.copy(layer)


def _deep_copy(layer):
    import copy
    return copy.deepcopy(layer)


@pytest.mark.parametrize("copy_of", [_pickled, _shallow_copy, _deep_copy])
def test_a_copied_layer_walks_itself(copy_of):
    """A layer copied or unpickled with its last walk (stale, too) walks itself afresh: its own sublayers, and
    the attributes added before the copy and after it."""
    c = Layer()
    c.w = Parameter(np.ones(2, np.float32))
    c.params()
    d = copy_of(c)
    assert d.sublayers() == [d] and [name for name, _ in d.named_params()] == ["w"]
    c.u = Parameter(np.ones(3, np.float32))  # the walk c keeps is stale now
    e = copy_of(c)
    assert [name for name, _ in e.named_params()] == ["w", "u"]
    e.z = Parameter(np.ones(1, np.float32))
    assert [name for name, _ in e.named_params()] == ["w", "u", "z"]
    assert [name for name, _ in c.named_params()] == ["w", "u"] and c.sublayers() == [c]


# ---- BatchNorm, LayerNorm, Embedding, Dropout ------------------------------------------------------------

def test_batch_norm_layer_tracks_and_uses_running_statistics(device):
    from autograd.layer import BatchNorm
    bn = BatchNorm(3, momentum=0.5).to(device)
    x = RNG_BN.normal(size=(6, 3, 2, 2)).astype(np.float32)
    y = bn(Variable(x, device=device))
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    np.testing.assert_allclose(host(y), (x - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + 1e-5),
                               rtol=1e-4, atol=1e-5)
    unbiased = x.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(host(bn.running_mean), 0.5 * mean, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(host(bn.running_var), 0.5 + 0.5 * unbiased, rtol=1e-5)
    with autograd.test_mode():
        z = bn(Variable(x, device=device))
    expected = (x - 0.5 * mean[None, :, None, None]) / np.sqrt(0.5 + 0.5 * unbiased[None, :, None, None] + 1e-5)
    np.testing.assert_allclose(host(z), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(host(bn.running_mean), 0.5 * mean, rtol=1e-5, atol=1e-7)  # unchanged in test mode
    assert [name for name, _ in bn.named_params()] == ["gamma", "beta"]


def test_batch_norm_statistics_survive_save_load_and_device_moves(device, tmp_path):
    from autograd.layer import BatchNorm
    bn = BatchNorm(2)
    bn(Variable(RNG_BN.normal(size=(5, 2)).astype(np.float32)))
    saved = {k: v.copy() for k, v in bn.state_dict().items()}
    assert set(saved) == {"gamma", "beta", "running_mean", "running_var"}
    assert not np.allclose(saved["running_var"], 1.0)
    bn.save_weights(tmp_path / "bn.npz")
    fresh = BatchNorm(2).to(device)
    fresh.load_weights(tmp_path / "bn.npz")
    assert fresh.running_mean.__class__ is fresh.gamma.data.__class__  # on the layer's device
    for name in saved:
        np.testing.assert_array_equal(fresh.state_dict()[name], saved[name])
    back = fresh.to("cpu")
    np.testing.assert_array_equal(back.running_var, saved["running_var"])
    with pytest.raises(ValueError, match="buffer 'running_mean' has shape"):
        BatchNorm(3).load_state_dict(saved | {"gamma": np.ones(3, np.float32), "beta": np.zeros(3, np.float32),
                                              "running_var": np.ones(3, np.float32)})


def test_a_loaded_buffer_is_not_the_callers_array():
    from autograd.layer import BatchNorm
    bn = BatchNorm(2)
    state = bn.state_dict()
    bn.load_state_dict(state)
    bn(Variable(RNG_BN.normal(size=(4, 2)).astype(np.float32)))
    np.testing.assert_array_equal(state["running_mean"], np.zeros(2, np.float32))


def test_layer_norm_embedding_and_dropout_layers(device):
    from autograd.layer import Dropout, Embedding, LayerNorm
    x = RNG_BN.normal(size=(3, 4, 5)).astype(np.float32)
    ln = LayerNorm((4, 5)).to(device)
    y = host(ln(Variable(x, device=device)))
    flat = x.reshape(3, -1)
    expected = ((flat - flat.mean(1, keepdims=True)) / np.sqrt(flat.var(1, keepdims=True) + 1e-5)).reshape(x.shape)
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)
    emb = Embedding(7, 3).to(device)
    ids = np.array([[0, 6], [6, 2]])
    out = emb(Variable(ids, device=device, requires_grad=False))
    np.testing.assert_array_equal(host(out), host(emb.W)[ids])
    out.backward()
    grad = np.zeros((7, 3), np.float32)
    grad[[0, 2]] = 1.0
    grad[6] = 2.0  # id 6 appears twice: its gradient accumulates
    np.testing.assert_array_equal(host(emb.W.grad), grad)
    drop = Dropout(0.5)
    ones = Variable(np.ones((200, 50), np.float32), device=device)
    kept = host(drop(ones))
    assert set(np.unique(kept)) <= {0.0, 2.0} and 0.4 < (kept == 0).mean() < 0.6
    with autograd.test_mode():
        np.testing.assert_array_equal(host(drop(ones)), np.ones((200, 50), np.float32))


@pytest.mark.parametrize("make, match", [
    (lambda L: L.BatchNorm(0), "num_features"),
    (lambda L: L.BatchNorm(3, momentum=1.5), "momentum"),
    (lambda L: L.LayerNorm((3, 0)), "normalized_shape"),
    (lambda L: L.Embedding(5, 0), "dim"),
    (lambda L: L.Dropout(1.0), "ratio"),
])
def test_new_layers_refuse_bad_arguments(make, match):
    import autograd.layer as L
    with pytest.raises(ValueError, match=match):
        make(L)


RNG_BN = np.random.default_rng(5)


# ---- Conv2d and ConvTranspose2d ----------------------------------------------------------------------

def test_conv_layers_create_their_kernel_at_the_first_call_on_the_input_device(device):
    from autograd.layer import Conv2d, ConvTranspose2d
    x = Variable(RNG_BN.normal(size=(2, 3, 5, 4)).astype(np.float32), device=device)
    conv = Conv2d(4, (3, 2), stride=(2, 1), pad=1)
    assert conv.in_channels is None and [n for n, _ in conv.named_params()] == []
    y = conv(x)
    assert conv.W.shape == (4, 3, 3, 2) and conv.b.shape == (4,) and conv.W.device == device
    assert y.shape == (2, 4, 3, 5) and conv.in_channels == 3
    np.testing.assert_allclose(host(y), host(F.conv2d(x, conv.W, conv.b, stride=(2, 1), pad=1)), rtol=1e-6)
    assert abs(host(conv.W).std() - 1 / np.sqrt(3 * 3 * 2)) < 0.15
    up = ConvTranspose2d(2, 3, stride=2, nobias=True)
    z = up(y)
    assert up.W.shape == (4, 2, 3, 3) and up.b is None and up.in_channels == 4
    assert z.shape == (2, 2, 7, 11)
    np.testing.assert_allclose(host(z), host(F.conv_transpose2d(y, up.W, None, stride=2)), rtol=1e-6)
    z.backward()
    assert conv.W.grad.shape == conv.W.shape and up.W.grad.shape == up.W.shape


def test_a_lazy_conv_loads_its_kernel_from_a_state_dict():
    from autograd.layer import Conv2d
    source = Conv2d(2, 3, in_channels=1)
    target = Conv2d(2, 3)
    target.load_state_dict(source.state_dict())
    np.testing.assert_array_equal(host(target.W), host(source.W))
    with pytest.raises(ValueError, match=r"parameter 'W' has shape \(2, 'any', 3, 3\)"):
        Conv2d(2, 3).load_state_dict({"W": np.zeros((2, 1, 2, 2), np.float32), "b": np.zeros(2, np.float32)})


@pytest.mark.parametrize("kwargs, match", [
    (dict(out_channels=0, kernel_size=3), "out_channels"),
    (dict(out_channels=2, kernel_size=(3, 3, 3)), "kernel_size"),
    (dict(out_channels=2, kernel_size=3, stride=0), "stride"),
    (dict(out_channels=2, kernel_size=3, pad=-1), "pad"),
])
def test_conv_layer_refuses_bad_arguments(kwargs, match):
    from autograd.layer import Conv2d
    with pytest.raises((TypeError, ValueError), match=match):
        Conv2d(**kwargs)


def test_conv_layer_wants_nchw_input():
    from autograd.layer import Conv2d
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        Conv2d(2, 3)(np.zeros((3, 8, 8), np.float32))



def test_conv_layers_with_dilation_and_groups(device):
    from autograd.layer import Conv2d, ConvTranspose2d
    x = Variable(RNG_BN.normal(size=(2, 4, 9, 8)).astype(np.float32), device=device)
    conv = Conv2d(6, 3, stride=2, pad=2, dilation=(2, 1), groups=2)
    y = conv(x)
    assert conv.W.shape == (6, 2, 3, 3) and conv.in_channels == 4 and conv.W.device == device
    assert y.shape == (2, 6, 5, 5)  # (9 + 4 - 2·2 - 1) // 2 + 1 = 5, (8 + 4 - 2 - 1) // 2 + 1 = 5
    np.testing.assert_allclose(host(y), host(F.conv2d(x, conv.W, conv.b, 2, 2, (2, 1), 2)), rtol=1e-6)
    assert abs(host(conv.W).std() - 1 / np.sqrt(2 * 3 * 3)) < 0.2  # fan_in: the C/groups inputs of one output
    up = ConvTranspose2d(4, 2, stride=2, dilation=2, groups=2, nobias=True)
    z = up(y)
    assert up.W.shape == (6, 2, 2, 2) and up.in_channels == 6
    assert z.shape == (2, 4, 11, 11)  # (5 - 1)·2 + 2·(2 - 1) + 1
    np.testing.assert_allclose(host(z), host(F.conv_transpose2d(y, up.W, None, 2, 0, None, 2, 2)), rtol=1e-6)
    z.sum().backward()
    assert conv.W.grad.shape == conv.W.shape and up.W.grad.shape == up.W.shape


def test_depthwise_conv2d_layer(device):
    from autograd.layer import Conv2d
    x = Variable(RNG_BN.normal(size=(1, 3, 5, 5)).astype(np.float32), device=device)
    conv = Conv2d(3, 3, pad=1, groups=3, nobias=True)
    y = conv(x)
    assert conv.W.shape == (3, 1, 3, 3) and y.shape == (1, 3, 5, 5)
    for ch in range(3):  # each output channel is its own channel convolved with its own 3×3 kernel
        alone = F.conv2d(x[:, ch:ch + 1], conv.W[ch:ch + 1], pad=1)
        np.testing.assert_allclose(host(y)[:, ch:ch + 1], host(alone), rtol=1e-5, atol=1e-6)


def test_a_lazy_grouped_conv_loads_its_kernel_from_a_state_dict():
    from autograd.layer import Conv2d, ConvTranspose2d
    for make in (lambda **kw: Conv2d(4, 3, groups=2, **kw), lambda **kw: ConvTranspose2d(4, 3, groups=2, **kw)):
        source, target = make(in_channels=6), make()
        target.load_state_dict(source.state_dict())
        np.testing.assert_array_equal(host(target.W), host(source.W))
        assert target.in_channels == 6


@pytest.mark.parametrize("make, error, match", [
    (lambda L: L.Conv2d(3, 3, groups=2), ValueError, r"^Conv2d: out_channels 3 is not divisible by groups 2"),
    (lambda L: L.Conv2d(4, 3, groups=2, in_channels=3), ValueError,
     r"^Conv2d: in_channels 3 is not divisible by groups 2"),
    (lambda L: L.ConvTranspose2d(4, 3, groups=0), ValueError, r"^ConvTranspose2d: groups must be a positive int"),
    (lambda L: L.Conv2d(4, 3, dilation=0), ValueError, r"^Conv2d: dilation must be positive, got 0"),
    (lambda L: L.ConvTranspose2d(4, 3, dilation=(1, 2, 3)), TypeError,
     r"^ConvTranspose2d: dilation must be an int or a pair of ints"),
])
def test_conv_layer_refuses_bad_dilation_and_groups(make, error, match):
    import autograd.layer as L
    with pytest.raises(error, match=match):
        make(L)


def test_a_lazy_grouped_conv_refuses_channels_not_divisible_and_keeps_no_kernel(device):
    from autograd.layer import Conv2d
    conv = Conv2d(4, 3, groups=2)
    with pytest.raises(ValueError, match=r"^Conv2d: in_channels 3 is not divisible by groups 2"):
        conv(Variable(np.zeros((1, 3, 5, 5), np.float32), device=device))
    assert conv.W is None and conv.b is None
    assert conv(Variable(np.zeros((1, 2, 5, 5), np.float32), device=device)).shape == (1, 4, 3, 3)


def test_a_list_filled_in_a_loop_is_registered():
    class Stack(Layer):
        def __init__(self, sizes):
            super().__init__()
            self.blocks = []
            for size in sizes:
                self.blocks.append(Linear(size))
            self.history = []  # a list of numbers stays a plain attribute in effect: it holds no parameters

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            self.history.append(1.0)
            return x

    net = Stack([3, 2])
    net(Variable(np.ones((1, 4))))
    assert [name for name, _ in net.named_params()] == ["blocks[0].W", "blocks[0].b", "blocks[1].W", "blocks[1].b"]
    assert list(net.state_dict()) == [name for name, _ in net.named_params()]


def test_a_list_of_blocks_is_pytorchs_module_list(device):
    # self.blocks = [Block() for _ in range(3)] needs no container class: parameters, state_dict and to() see them
    from autograd.layer import LayerNorm, MultiHeadAttention

    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.ln = LayerNorm(4)
            self.attn = MultiHeadAttention(4, num_heads=2)

        def forward(self, x):
            return x + self.attn(self.ln(x), is_causal=True)

    class Tower(Layer):
        def __init__(self):
            super().__init__()
            self.blocks = [Block() for _ in range(3)]

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    tower = Tower()
    names = [name for name, _ in tower.named_params()]
    assert len(names) == 3 * (2 + 8)
    assert names[:3] == ["blocks[0].ln.gamma", "blocks[0].ln.beta", "blocks[0].attn.q_proj.W"]
    assert names[-1] == "blocks[2].attn.out_proj.b"
    tower.to(device)
    assert all(p.device == device for p in tower.params())
    x = Variable(RNG.normal(size=(2, 3, 4)), dtype="float32", device=device)
    y = tower(x)
    F.sum(y * y).backward()
    assert all(p.grad is not None and p.grad.device == device for p in tower.params())

    copy = Tower()  # other random weights, on the cpu
    copy.load_state_dict(tower.state_dict())
    assert list(copy.state_dict()) == names
    for name, a in tower.state_dict().items():
        np.testing.assert_array_equal(copy.state_dict()[name], a, err_msg=name)
    np.testing.assert_array_equal(host(copy.to(device)(x)), host(y))


# ---- a failed first call of a lazy layer keeps nothing ----------------------------------------------------

def _other_device(device):
    return get_device("sim") if device == CPU else CPU


def _lazy_layers():
    from autograd.layer import Conv2d, ConvTranspose2d
    flat = lambda n: (3, n)  # noqa: E731  (N, features) input
    image = lambda n: (2, n, 6, 6)  # noqa: E731  (N, C, H, W) input
    return [
        ("Linear", lambda: Linear(2), flat, lambda layer: layer.W.shape[0]),
        ("Linear nobias", lambda: Linear(2, nobias=True), flat, lambda layer: layer.W.shape[0]),
        ("RNN", lambda: RNN(2), flat, lambda layer: layer.x2h.W.shape[0]),
        ("LSTM", lambda: LSTM(2), flat, lambda layer: layer.x2f.W.shape[0]),
        ("Conv2d", lambda: Conv2d(2, 3), image, lambda layer: layer.W.shape[1]),
        ("ConvTranspose2d", lambda: ConvTranspose2d(2, 3, stride=2), image, lambda layer: layer.W.shape[0]),
    ]


@pytest.mark.parametrize("name, make, shape, in_size", _lazy_layers(), ids=[r[0] for r in _lazy_layers()])
def test_a_lazy_layer_whose_first_call_fails_keeps_no_weights(device, name, make, shape, in_size):
    # the first call is refused (its input is on another device than the layer was moved to) after the weights
    # were shaped from it; the next, correct call with another input size must build them afresh and work
    layer = make().to(device)
    wrong = Variable(normal(*shape(5)).astype(np.float32), device=_other_device(device))
    with pytest.raises(DeviceError):
        layer(wrong)
    assert layer.params() == [] and all(getattr(sub, n) is None for sub in layer.sublayers() for n in sub._lazy)
    y = layer(Variable(normal(*shape(4)).astype(np.float32), device=device))
    assert in_size(layer) == 4 and y.device == device and all(p.device == device for p in layer.params())
    y.sum().backward()
    assert layer.params()[-1].grad.shape == layer.params()[-1].shape


def test_a_lazy_conv_whose_first_input_is_too_small_keeps_no_kernel(device):
    from autograd.layer import Conv2d
    conv = Conv2d(2, 3)
    with pytest.raises(ValueError, match="kernel size 3 is larger"):
        conv(Variable(np.zeros((1, 3, 2, 2), np.float32), device=device))  # W (2, 3, 3, 3) was built for it
    assert conv.W is None and conv.b is None
    x = normal(1, 1, 4, 4).astype(np.float32)
    y = conv(Variable(x, device=device))
    assert conv.W.shape == (2, 1, 3, 3) and y.shape == (1, 2, 2, 2)
    np.testing.assert_allclose(host(y), host(F.conv2d(Variable(x, device=device), conv.W, conv.b)), rtol=1e-6)


def test_a_lazy_layer_keeps_weights_loaded_before_a_failed_first_call(device):
    # only what the failed call created is dropped
    lin = Linear(2).to(device)
    lin.load_state_dict(Linear(2, in_size=3).state_dict())
    W = lin.W
    with pytest.raises(ValueError):
        lin(Variable(normal(2, 5).astype(np.float32), device=device))
    assert lin.W is W



def test_a_model_whose_first_call_fails_in_a_later_layer_keeps_no_weights(device):
    # the first sublayer's call succeeds and shapes its W from x; the call fails later (y has the wrong shape):
    # a corrected call with another input size must build every sublayer afresh, in a Model and in a list of layers
    from autograd.model import Model, Sequential

    class Net(Model):
        def __init__(self):
            super().__init__()
            self.blocks = [Sequential(Linear(4)), Linear(3)]

        def forward(self, x, y):
            return self.blocks[1](self.blocks[0](x)) + y

    net = Net().to(device)
    with pytest.raises(ValueError, match="broadcast"):
        net(Variable(normal(2, 5).astype(np.float32), device=device),
            Variable(np.zeros((2, 7), np.float32), device=device))
    assert net.params() == []
    x = normal(2, 6).astype(np.float32)
    y = net(Variable(x, device=device), Variable(np.ones((2, 3), np.float32), device=device))
    first, second = net.blocks[0].l0, net.blocks[1]
    assert first.W.shape == (6, 4) and second.W.shape == (4, 3) and not net._unbuilt
    np.testing.assert_allclose(host(y), np_linear(np_linear(x, first), second) + 1, rtol=1e-5)

# ---- keyword arguments reach forward -----------------------------------------------------------------------

def test_a_layer_call_passes_keyword_arguments_to_forward(device):
    from autograd.model import Model

    class Forecast(Model):
        def __init__(self):
            super().__init__()
            self.lin = Linear(1)

        def forward(self, x, future=0, *, scale=1.0):
            return self.lin(x) * scale + future

    net = Forecast()
    x = Variable(normal(2, 3).astype(np.float32), device=device)
    base = host(net(x))
    np.testing.assert_allclose(host(net(x, future=2)), base + 2, rtol=1e-6)
    np.testing.assert_allclose(host(net(x, 2, scale=3.0)), base * 3 + 2, rtol=1e-6)
    np.testing.assert_allclose(host(net.forward(x, future=2)), base + 2, rtol=1e-6)
    with pytest.raises(TypeError, match="unexpected keyword argument 'past'"):
        net(x, past=1)
