"""Acceptance tests for training across devices: the seed example, identical training on every device,
checkpoints saved on one device and continued on another, and a model moved mid-training."""
import functools
import importlib.util
import pathlib

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, checkpoint, hook, model, optimizer, to_host
from autograd.backend import CPU, device_of

ROOT = pathlib.Path(__file__).resolve().parents[1]

LOSS_TOL = dict(rtol=1e-4, atol=1e-6)
WEIGHT_TOL = dict(rtol=1e-4, atol=1e-5)


def _load_example(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the seed example -----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _seed_losses(device_name, steps):
    return tuple(_load_example("seed").main(device=device_name, steps=steps, every=steps))


def test_seed_example_learns_and_matches_cpu_on_every_device(device):
    losses = np.array(_seed_losses(device.name, 200))
    assert losses.shape == (200,)
    assert np.all(np.isfinite(losses))
    # Targets [0, 1, 0] for one predicted number: the loss falls from about 0.31 to the optimum 2/9.
    assert losses[0] > 0.3
    assert losses[-1] < 0.75 * losses[0]
    assert abs(losses[-1] - 2 / 9) < 1e-3
    assert losses[-20:].max() < losses[:20].min()
    np.testing.assert_allclose(losses, _seed_losses("cpu", 200), **LOSS_TOL)


# ---- two small problems: an MLP and an LSTM over a short sequence ---------------------------------------

def _mlp_problem():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((8, 4)).astype(np.float32)
    t = np.sin(x.sum(axis=1, keepdims=True)).astype(np.float32)
    return x, t


def _lstm_problem():
    rng = np.random.default_rng(12)
    xs = rng.standard_normal((4, 3, 2)).astype(np.float32)  # 4 time steps, batch 3, 2 features
    ts = np.cumsum(xs[..., :1], axis=0).astype(np.float32) * 0.5
    return list(xs), list(ts)


def _mlp_loss(m, data):
    x, t = data
    return F.mean_squared_error(m(x), t)


def _lstm_loss(m, data):
    xs, ts = data
    m.reset_state()
    loss = None
    for x, t in zip(xs, ts):
        step = F.mean_squared_error(m(x), t)
        loss = step if loss is None else loss + step
    return loss


class Case:
    def __init__(self, build, problem, loss):
        self.build_model, self.problem, self.loss = build, problem, loss

    def data(self, device):
        """The problem's arrays (or lists of arrays, one a time step) as constant Variables on ``device``."""
        def put(a):
            if isinstance(a, list):
                return [put(item) for item in a]
            return Variable(a, device=device, requires_grad=False)
        return tuple(put(a) for a in self.problem())

    def build(self, seed=0):
        """The model with weights drawn from ``seed``, created on the cpu by one forward pass."""
        autograd.seed(seed)
        m = self.build_model()
        with autograd.no_grad():
            self.loss(m, self.data(CPU))
        m.reset_state()
        return m


CASES = {
    "mlp": Case(lambda: model.MLP([16, 16, 1]), _mlp_problem, _mlp_loss),
    "lstm": Case(lambda: model.LSTM(8, 1), _lstm_problem, _lstm_loss),
}


def _adam():
    return optimizer.Adam(alpha=0.01, beta1=0.9, beta2=0.999,
                          hooks=[hook.WeightDecay(1e-4), hook.ClipGrad(1.0)])


def _sgd():
    return optimizer.SGD(learning_rate=0.1, hooks=[hook.WeightDecay(1e-4), hook.ClipGrad(1.0)])


def _train(case, m, opt, device, steps):
    """``steps`` training steps on data placed on ``device``; the losses stay there until the end."""
    data = case.data(device)
    losses = []
    for _ in range(steps):
        loss = case.loss(m, data)
        m.cleargrads()
        loss.backward()
        opt.update(m)
        losses.append(loss)
    return [to_host(loss).item() for loss in losses]


@functools.lru_cache(maxsize=None)
def _reference(case_name, steps, make_opt=_adam):
    """Losses and final weights of an uninterrupted run on the cpu."""
    case = CASES[case_name]
    m = case.build()
    losses = _train(case, m, make_opt(), CPU, steps)
    return losses, m.state_dict()


def _assert_on(m, device):
    for name, p in m.named_params():
        assert device_of(p.data) == device, name


def _assert_weights(got, expected, exact):
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name].dtype == expected[name].dtype == np.float32, name
        if exact:
            np.testing.assert_array_equal(got[name], expected[name], err_msg=name)
        else:
            np.testing.assert_allclose(got[name], expected[name], err_msg=name, **WEIGHT_TOL)


def _assert_losses(got, expected, exact):
    if exact:
        assert got == expected
    else:
        np.testing.assert_allclose(got, expected, **LOSS_TOL)


# ---- identical training on every device -----------------------------------------------------------------

@pytest.mark.parametrize("case_name", CASES)
def test_training_is_identical_on_every_device(device, case_name):
    case = CASES[case_name]
    ref_losses, ref_weights = _reference(case_name, 20)
    assert ref_losses[-1] < 0.7 * ref_losses[0]  # it learns

    m = case.build().to(device)
    _assert_on(m, device)
    opt = _adam()
    losses = _train(case, m, opt, device, 20)

    _assert_on(m, device)
    for p in m.params():
        assert device_of(opt.state[p]["m"]) == device
        assert device_of(opt.state[p]["v"]) == device
    _assert_losses(losses, ref_losses, exact=device == CPU)
    _assert_weights(m.state_dict(), ref_weights, exact=device == CPU)


# ---- save on one device, load on another, continue --------------------------------------------------------

@pytest.mark.parametrize("direction", ["cpu_to_device", "device_to_cpu"])
@pytest.mark.parametrize("case_name", CASES)
def test_checkpoint_then_continue_on_another_device_equals_one_run(device, case_name, direction, tmp_path):
    case = CASES[case_name]
    k, n = 4, 6
    first, second = (CPU, device) if direction == "cpu_to_device" else (device, CPU)
    ref_losses, ref_weights = _reference(case_name, k + n)

    m, opt = case.build().to(first), _adam()
    losses = _train(case, m, opt, first, k)
    path = tmp_path / "ckpt.npz"
    checkpoint.save(path, m, opt, step=k)

    m2, opt2 = case.build(seed=123).to(second), _adam()  # other weights, a fresh optimizer
    assert checkpoint.load(path, m2, opt2) == {"step": k}
    assert opt2.iteration == k
    _assert_on(m2, second)
    _assert_weights(m2.state_dict(), m.state_dict(), exact=True)
    losses += _train(case, m2, opt2, second, n)

    _assert_on(m2, second)
    _assert_losses(losses, ref_losses, exact=device == CPU)
    _assert_weights(m2.state_dict(), ref_weights, exact=device == CPU)


@pytest.mark.parametrize("direction", ["cpu_to_device", "device_to_cpu"])
def test_checkpoint_into_a_lazy_model_then_continue_equals_one_run(device, direction, tmp_path):
    """The fresh MLP has not drawn its weights yet: loading creates them on the model's device."""
    case = CASES["mlp"]
    k, n = 4, 6
    first, second = (CPU, device) if direction == "cpu_to_device" else (device, CPU)
    ref_losses, ref_weights = _reference("mlp", k + n)

    m, opt = case.build().to(first), _adam()
    losses = _train(case, m, opt, first, k)
    checkpoint.save(tmp_path / "ckpt.npz", m, opt)

    m2, opt2 = model.MLP([16, 16, 1]).to(second), _adam()
    checkpoint.load(tmp_path / "ckpt.npz", m2, opt2)
    _assert_on(m2, second)
    losses += _train(case, m2, opt2, second, n)

    _assert_losses(losses, ref_losses, exact=device == CPU)
    _assert_weights(m2.state_dict(), ref_weights, exact=device == CPU)


@pytest.mark.parametrize("direction", ["cpu_to_device", "device_to_cpu"])
@pytest.mark.parametrize("case_name", CASES)
def test_save_weights_then_continue_with_sgd_on_another_device_equals_one_run(device, case_name, direction,
                                                                               tmp_path):
    case = CASES[case_name]
    k, n = 4, 6
    first, second = (CPU, device) if direction == "cpu_to_device" else (device, CPU)
    ref_losses, ref_weights = _reference(case_name, k + n, _sgd)

    m = case.build().to(first)
    losses = _train(case, m, _sgd(), first, k)
    m.save_weights(tmp_path / "weights.npz")

    m2 = case.build(seed=123).to(second)
    m2.load_weights(tmp_path / "weights.npz")
    _assert_on(m2, second)
    losses += _train(case, m2, _sgd(), second, n)

    assert ref_losses[-1] < ref_losses[0]
    _assert_losses(losses, ref_losses, exact=device == CPU)
    _assert_weights(m2.state_dict(), ref_weights, exact=device == CPU)


# ---- moving a model mid-training ------------------------------------------------------------------------

@pytest.mark.parametrize("case_name", CASES)
def test_moving_the_model_mid_training_keeps_the_optimizer(device, case_name):
    case = CASES[case_name]
    ref_losses, ref_weights = _reference(case_name, 6)

    m, opt = case.build(), _adam()
    losses = _train(case, m, opt, CPU, 3)
    m.to(device)
    _assert_on(m, device)
    losses += _train(case, m, opt, device, 3)  # the same optimizer: its state follows the parameters

    _assert_on(m, device)
    assert opt.iteration == 6
    for p in m.params():
        for slot in ("m", "v"):
            assert device_of(opt.state[p][slot]) == device
    _assert_losses(losses, ref_losses, exact=device == CPU)
    _assert_weights(m.state_dict(), ref_weights, exact=device == CPU)


def test_moving_there_and_back_mid_training_equals_one_run(device):
    case = CASES["mlp"]
    ref_losses, ref_weights = _reference("mlp", 6)

    m, opt = case.build(), _adam()
    losses = _train(case, m, opt, CPU, 2)
    losses += _train(case, m.to(device), opt, device, 2)
    losses += _train(case, m.to(CPU), opt, CPU, 2)

    _assert_on(m, CPU)
    for p in m.params():
        assert device_of(opt.state[p]["m"]) == CPU
    _assert_losses(losses, ref_losses, exact=device == CPU)
    _assert_weights(m.state_dict(), ref_weights, exact=device == CPU)
