"""Models: Sequential, MLP and the LSTM model against NumPy forwards, their parameter names, and two small
trainings (an MLP regression with SGD and an LSTM on a sine wave with truncated BPTT and Adam)."""
import numpy as np
import pytest

import autograd.function as F
from autograd import Parameter, Variable
from autograd import layer, model, optimizer
from autograd.layer import Layer
from numpy_layers import host, np_linear, np_lstm_step, np_sigmoid

RNG = np.random.default_rng(11)


def var(array, device, dtype="float32"):
    return Variable(np.asarray(array), dtype=dtype, device=device)


def names(m):
    return [name for name, _ in m.named_params()]


# ---- Sequential -------------------------------------------------------------------------------------------


def test_sequential_applies_steps_in_order(device):
    seq = model.Sequential(layer.Linear(4, in_size=3), F.relu, layer.Linear(2, in_size=4), F.tanh).to(device)
    x = RNG.normal(size=(5, 3)).astype(np.float32)
    y = seq(var(x, device))
    expected = np.tanh(np_linear(np.maximum(np_linear(x, seq.l0), 0.0), seq.l2))
    assert y.shape == (5, 2) and y.device == device
    np.testing.assert_allclose(host(y), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(host(seq.forward(var(x, device))), host(y))
    # the order matters: relu before the first layer would give something else
    assert not np.allclose(expected, np.tanh(np_linear(np_linear(np.maximum(x, 0.0), seq.l0), seq.l2)))


def test_sequential_names_layers_by_position():
    first, last = layer.Linear(4, in_size=3), layer.Linear(2, in_size=4)
    seq = model.Sequential(first, F.relu, last)
    assert seq.l0 is first and seq.l1 is F.relu and seq.l2 is last
    assert names(seq) == ["l0.W", "l0.b", "l2.W", "l2.b"]
    assert seq.params() == [first.W, first.b, last.W, last.b]
    assert seq.sublayers() == [seq, first, last]
    assert isinstance(seq, model.Model) and isinstance(seq, Layer)


def test_sequential_of_models_nests_names(device):
    inner = model.MLP([3, 2])
    seq = model.Sequential(F.sigmoid, inner, layer.Linear(1))
    y = seq(var(RNG.normal(size=(2, 4)), device))
    assert y.shape == (2, 1)
    assert names(seq) == ["l1.l0.W", "l1.l0.b", "l1.l1.W", "l1.l1.b", "l2.W", "l2.b"]


def test_empty_sequential_is_the_identity(device):
    x = var(RNG.normal(size=(2, 3)), device)
    assert model.Sequential()(x) is x
    assert model.Sequential().params() == []


@pytest.mark.parametrize("bad", [3, "relu", None, np.ones(2)])
def test_sequential_rejects_non_callables(bad):
    with pytest.raises(TypeError, match="item 1"):
        model.Sequential(layer.Linear(2), bad)


def test_shared_layer_is_listed_once_under_its_first_name():
    lin = layer.Linear(2, in_size=2)
    seq = model.Sequential(lin, F.tanh, lin)
    assert seq.l0 is lin and seq.l2 is lin
    assert names(seq) == ["l0.W", "l0.b"]
    assert seq.params() == [lin.W, lin.b]
    assert seq.sublayers() == [seq, lin]
    assert list(seq.state_dict()) == ["l0.W", "l0.b"]


def test_shared_layer_is_updated_once(device):
    lin = layer.Linear(2, in_size=2).to(device)
    seq = model.Sequential(lin, F.tanh, lin)
    x = RNG.normal(size=(3, 2)).astype(np.float32)
    y = seq(var(x, device))
    W0, b0 = host(lin.W).copy(), host(lin.b).copy()
    np.testing.assert_allclose(host(y), np.tanh(x @ W0 + b0) @ W0 + b0, rtol=1e-5, atol=1e-6)
    y.sum().backward()
    # the gradient sums both uses: d/dW of sum(tanh(x W + b) W + b)
    a = np.tanh(x @ W0 + b0)
    g_a = np.ones((3, 2)) @ W0.T * (1 - a ** 2)
    expected_W = a.T @ np.ones((3, 2)) + x.T @ g_a
    expected_b = np.ones((3, 2)).sum(axis=0) + g_a.sum(axis=0)
    np.testing.assert_allclose(host(lin.W.grad), expected_W, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(host(lin.b.grad), expected_b, rtol=1e-5, atol=1e-5)
    optimizer.SGD(learning_rate=0.1).update(seq)
    np.testing.assert_allclose(host(lin.W), W0 - 0.1 * expected_W, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(host(lin.b), b0 - 0.1 * expected_b, rtol=1e-5, atol=1e-6)
    assert len(seq.params()) == 2


def test_shared_lazy_layer(device):
    lin = layer.Linear(3)
    seq = model.Sequential(lin, F.tanh, lin)
    assert names(seq) == []
    y = seq(var(RNG.normal(size=(2, 3)), device))
    assert y.shape == (2, 3) and lin.W.shape == (3, 3) and lin.W.device == device
    assert names(seq) == ["l0.W", "l0.b"]


def test_shared_parameter_is_listed_once(device):
    class Tied(Layer):
        """One weight used by two sublayers (tied weights) and also held directly."""

        def __init__(self):
            super().__init__()
            self.enc = layer.Linear(2, in_size=2, nobias=True)
            self.dec = layer.Linear(2, in_size=2, nobias=True)
            self.dec.W = self.enc.W
            self.tied = self.enc.W

        def forward(self, x):
            return self.dec(F.tanh(self.enc(x)))

    m = Tied().to(device)
    assert names(m) == ["enc.W"] and m.params() == [m.enc.W]
    assert m.dec.W is m.enc.W and m.enc.W.device == device
    x = RNG.normal(size=(3, 2)).astype(np.float32)
    W0 = host(m.enc.W).copy()
    m(var(x, device)).sum().backward()
    grad = host(m.enc.W.grad).copy()
    optimizer.SGD(learning_rate=0.1).update(m)
    np.testing.assert_allclose(host(m.enc.W), W0 - 0.1 * grad, rtol=1e-6, atol=1e-7)


# ---- MLP --------------------------------------------------------------------------------------------------


def linears(m):
    return [getattr(m, f"l{i}") for i in range(m.size)]


def np_mlp(m, x, activation):
    for lin in linears(m)[:-1]:
        x = activation(np_linear(x, lin))
    return np_linear(x, linears(m)[-1])


def test_mlp_default_sigmoid(device):
    m = model.MLP([4, 3, 1])
    x = RNG.normal(size=(6, 5)).astype(np.float32)
    y = m(var(x, device))
    assert y.shape == (6, 1) and y.device == device
    assert [lin.W.shape for lin in linears(m)] == [(5, 4), (4, 3), (3, 1)]
    np.testing.assert_allclose(host(y), np_mlp(m, x, np_sigmoid), rtol=1e-5, atol=1e-6)


def test_mlp_relu(device):
    m = model.MLP([4, 3, 2], activation=F.relu)
    x = RNG.normal(size=(6, 5)).astype(np.float32)
    y = m(var(x, device))
    expected = np_mlp(m, x, lambda a: np.maximum(a, 0.0))
    np.testing.assert_allclose(host(y), expected, rtol=1e-5, atol=1e-6)
    assert not np.allclose(expected, np_mlp(m, x, np_sigmoid))


def test_mlp_activation_after_all_but_the_last_layer(device):
    seen = []

    def activation(a):
        seen.append(a.shape)
        return F.relu(a)

    m = model.MLP([4, 3, 2], activation=activation)
    x = RNG.normal(size=(2, 5)).astype(np.float32)
    y = m(var(x, device))
    assert seen == [(2, 4), (2, 3)]
    # the last layer's output is not activated: it has negative values where relu would give none
    expected = np_mlp(m, x, lambda a: np.maximum(a, 0.0))
    np.testing.assert_allclose(host(y), expected, rtol=1e-5, atol=1e-6)


def test_mlp_of_one_layer_is_linear(device):
    m = model.MLP([3])
    x = RNG.normal(size=(4, 2)).astype(np.float32)
    np.testing.assert_allclose(host(m(var(x, device))), np_linear(x, m.l0), rtol=1e-5, atol=1e-6)


def test_mlp_param_names():
    m = model.MLP([4, 3, 1])
    assert names(m) == [] and m.params() == []  # W and b are created at the first call
    m(Variable(np.ones((2, 5), np.float32)))
    assert names(m) == ["l0.W", "l0.b", "l1.W", "l1.b", "l2.W", "l2.b"]
    assert all(isinstance(p, Parameter) for p in m.params())


def test_mlp_rejects_empty_sizes():
    with pytest.raises(ValueError, match="MLP"):
        model.MLP([])
    with pytest.raises(ValueError):
        model.MLP([4, 0])


def test_mlp_gradients_reach_every_parameter(device):
    m = model.MLP([3, 2])
    F.mean_squared_error(m(var(RNG.normal(size=(4, 2)), device)), var(np.zeros((4, 2)), device)).backward()
    for name, p in m.named_params():
        assert p.grad is not None and p.grad.device == device and p.grad.shape == p.shape, name
        assert np.any(host(p.grad) != 0), name


# ---- LSTM model -------------------------------------------------------------------------------------------


def test_lstm_model_is_linear_of_lstm(device):
    m = model.LSTM(3, 2).to(device)
    x1 = RNG.normal(size=(4, 5)).astype(np.float32)
    x2 = RNG.normal(size=(4, 5)).astype(np.float32)
    y1 = m(var(x1, device))
    h1, c1 = np_lstm_step(m.lstm, x1, None, None)
    assert y1.shape == (4, 2) and y1.device == device
    np.testing.assert_allclose(host(y1), np_linear(h1, m.linear), rtol=1e-5, atol=1e-6)
    y2 = m.forward(var(x2, device))
    h2, _ = np_lstm_step(m.lstm, x2, h1, c1)
    np.testing.assert_allclose(host(y2), np_linear(h2, m.linear), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(host(m.lstm.h), h2, rtol=1e-5, atol=1e-6)


def test_lstm_model_on_a_device_without_to(device):
    m = model.LSTM(3, 2)
    x1 = RNG.normal(size=(4, 5)).astype(np.float32)
    x2 = RNG.normal(size=(4, 5)).astype(np.float32)
    y1 = m(var(x1, device))
    y2 = m(var(x2, device))
    assert y1.device == device and y2.device == device
    assert len(m.params()) == 14 and all(p.device == device for p in m.params())
    h1, c1 = np_lstm_step(m.lstm, x1, None, None)
    h2, _ = np_lstm_step(m.lstm, x2, h1, c1)
    np.testing.assert_allclose(host(y1), np_linear(h1, m.linear), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(host(y2), np_linear(h2, m.linear), rtol=1e-5, atol=1e-6)
    F.mean_squared_error(y2, var(np.zeros((4, 2)), device)).backward()
    for name, p in m.named_params():
        assert p.grad is not None and p.grad.device == device, name
    optimizer.Adam(alpha=0.01).update(m)
    assert all(p.device == device for p in m.params())


def test_lstm_model_reset_state(device):
    m = model.LSTM(3, 1).to(device)
    x1, x2 = RNG.normal(size=(2, 2)), RNG.normal(size=(2, 2))
    first = host(m(var(x1, device))).copy()
    second = host(m(var(x2, device))).copy()
    m.reset_state()
    assert m.lstm.h is None and m.lstm.c is None
    np.testing.assert_array_equal(host(m(var(x1, device))), first)
    np.testing.assert_array_equal(host(m(var(x2, device))), second)  # the same sequence again
    m.reset_state()
    assert not np.allclose(host(m(var(x2, device))), second)  # x2 as a first step differs


def test_lstm_model_names():
    m = model.LSTM(3, 1)
    assert names(m) == []
    gates = ["x2f", "x2i", "x2o", "x2u"]
    x2 = [f"lstm.{g}.{a}" for g in gates for a in ("W", "b")]
    m(Variable(np.ones((1, 2), np.float32)))
    assert names(m) == x2 + ["linear.W", "linear.b"]  # the h2* weights wait for the second step
    m(Variable(np.ones((1, 2), np.float32)))
    # in definition order: the h2* weights take the places reserved for them, before the read-out
    assert names(m) == x2 + [f"lstm.h2{g[-1]}.W" for g in gates] + ["linear.W", "linear.b"]
    assert m.sublayers()[:2] == [m, m.lstm] and m.sublayers()[-1] is m.linear


# ---- training ---------------------------------------------------------------------------------------------


def test_mlp_regression_with_sgd(device):
    rng = np.random.default_rng(0)
    xs = rng.random((32, 1))
    ys = np.sin(2 * np.pi * xs) + 0.1 * rng.random((32, 1))
    x, t = var(xs, device), var(ys, device)
    m = model.MLP([8, 1])
    opt = optimizer.SGD(learning_rate=0.2)
    losses = []
    for _ in range(100):
        loss = F.mean_squared_error(m(x), t)
        m.cleargrads()
        loss.backward()
        opt.update(m)
        losses.append(loss)
    assert all(p.device == device for p in m.params())
    first, last = float(losses[0]), float(losses[-1])
    assert np.isfinite(last)
    assert last < first / 4, (first, last)
    # the model fits: its final predictions agree with the loss it reports
    np.testing.assert_allclose(float(np.mean((host(m(x)) - ys.astype(np.float32)) ** 2)), last, rtol=0.05)


def test_lstm_on_a_sine_with_truncated_bptt_and_adam(device):
    seq = np.sin(np.linspace(0, 3 * np.pi, 31)).astype(np.float32)
    xs = [var(seq[k].reshape(1, 1), device) for k in range(30)]
    ts = [var(seq[k + 1].reshape(1, 1), device) for k in range(30)]
    m = model.LSTM(8, 1).to(device)
    opt = optimizer.Adam(alpha=0.01)
    bptt = 10
    epoch_losses = []
    for _ in range(5):
        m.reset_state()
        total, loss = 0.0, None
        for k, (x, t) in enumerate(zip(xs, ts)):
            step = F.mean_squared_error(m(x), t)
            loss = step if loss is None else loss + step
            if (k + 1) % bptt == 0:
                m.cleargrads()
                loss.backward()
                loss.unchain_backward()
                assert m.lstm.h.creator is None and m.lstm.c.creator is None
                opt.update(m)
                total += float(loss)
                loss = None
        epoch_losses.append(total / len(xs))
    assert all(np.isfinite(epoch_losses))
    assert epoch_losses[-1] < 0.7 * epoch_losses[0], epoch_losses
    assert all(p.device == device for p in m.params())


def test_a_replaced_layer_is_the_one_used_and_trained(device):
    m = model.MLP([3, 1])
    m.l1 = layer.Linear(1, in_size=3).to(device)
    x = var(RNG.normal(size=(2, 4)), device, dtype="float32")
    y = m(x)
    np.testing.assert_allclose(host(y), np_mlp(m, host(x), np_sigmoid), rtol=1e-5, atol=1e-6)
    assert m.params()[-2] is m.l1.W


def test_layers_in_a_list_are_found_and_named_by_index(device):
    class Stack(model.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [layer.Linear(3, in_size=2), layer.Linear(1, in_size=3)]

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    m = Stack().to(device)
    assert names(m) == ["blocks[0].W", "blocks[0].b", "blocks[1].W", "blocks[1].b"]
    assert all(p.device == device for p in m.params())
    assert m.sublayers() == [m, m.blocks[0], m.blocks[1]]


def test_an_attribute_no_longer_holding_a_layer_is_forgotten():
    m = model.MLP([3, 1])
    m(Variable(np.ones((2, 4), np.float32)))
    m.l1 = None
    assert names(m) == ["l0.W", "l0.b"]
    del m.l0
    assert names(m) == []


class Containers(model.Model):
    """Layers and parameters held in containers, built the ways users build them: a list of None filled
    later, a tuple holding a layer and a list appended to later, a dict filled later, a dict in a list."""

    def __init__(self):
        super().__init__()
        self.slots = [None] * 2
        self.pair = (layer.Linear(3, in_size=2), [])
        self.heads = {"mean": layer.Linear(1, in_size=3)}
        self.stages = [{"scale": Parameter(np.ones(3, np.float32))}]
        self.slots[1] = layer.Linear(3, in_size=3)
        self.pair[1].append(layer.Linear(3, in_size=3))
        self.heads["spread"] = layer.Linear(1, in_size=3)

    def forward(self, x):
        h = self.slots[1](F.tanh(self.pair[0](x))) * self.stages[0]["scale"]
        h = F.tanh(self.pair[1][0](h))
        return self.heads["mean"](h) + self.heads["spread"](h)


CONTAINER_NAMES = ["slots[1].W", "slots[1].b", "pair[0].W", "pair[0].b", "pair[1][0].W", "pair[1][0].b",
                   "heads[mean].W", "heads[mean].b", "heads[spread].W", "heads[spread].b", "stages[0][scale]"]


def test_layers_in_containers_are_trained_cleared_saved_and_loaded(device, tmp_path):
    from autograd import checkpoint
    m = Containers().to(device)
    assert names(m) == CONTAINER_NAMES
    assert [id(p) for p in m.params()] == [id(p) for _, p in m.named_params()]
    assert m.sublayers() == [m, m.slots[1], m.pair[0], m.pair[1][0], m.heads["mean"], m.heads["spread"]]
    assert all(p.device == device for p in m.params())
    x, t = var(RNG.normal(size=(4, 2)), device), var(RNG.normal(size=(4, 1)), device)
    before = {name: host(p).copy() for name, p in m.named_params()}
    opt = optimizer.Adam(alpha=0.01)
    for _ in range(2):
        m.cleargrads()
        F.mean_squared_error(m(x), t).backward()
        assert all(p.grad is not None for p in m.params())
        opt.update(m)
    assert all(not np.array_equal(host(p), before[name]) for name, p in m.named_params()), "a parameter was not trained"
    m.cleargrads()
    assert all(p.grad is None for p in m.params())
    assert list(m.state_dict()) == CONTAINER_NAMES

    m.save_weights(tmp_path / "w.npz")
    checkpoint.save(tmp_path / "run.npz", m, opt)
    for load in (lambda fresh, _: fresh.load_weights(tmp_path / "w.npz"),
                 lambda fresh, fresh_opt: checkpoint.load(tmp_path / "run.npz", fresh, fresh_opt)):
        fresh, fresh_opt = Containers().to(device), optimizer.Adam(alpha=0.01)
        load(fresh, fresh_opt)
        for (name, p), (_, q) in zip(m.named_params(), fresh.named_params()):
            np.testing.assert_array_equal(host(q), host(p), err_msg=name)
        np.testing.assert_array_equal(host(fresh(x)), host(m(x)))


def test_a_container_shared_or_holding_itself_is_walked_once():
    m = model.Model()
    m.blocks = [layer.Linear(2, in_size=2)]
    m.same = m.blocks                     # the same list again: its layers keep their first names
    m.loop = [m.blocks]
    m.loop.append(m.loop)                 # a list holding itself ends the walk instead of recursing forever
    m.numbers = [1.0, "a", None, {"k": 2}]  # containers of plain values hold nothing
    assert names(m) == ["blocks[0].W", "blocks[0].b"]
    assert m.sublayers() == [m, m.blocks[0]]
