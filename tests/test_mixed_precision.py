"""Mixed precision: float32 master weights of float16 parameters in every optimizer, and dynamic loss scaling
(hook.LossScaler): unscaled gradients, a skipped step and a halved scale on inf or nan, growth after clean steps,
a float16 model that learns like a float32 one. float16 tests skip on a device without float16 (the simulated
accelerator: array-api-strict has no float16); the scaler's own logic runs on every device in float32."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import hook, layer, model, optimizer, to_host
from test_optimizer import _pickled

FACTORIES = [("sgd", lambda: optimizer.SGD(learning_rate=1e-4)),
             ("momentum", lambda: optimizer.Momentum(learning_rate=1e-5, momentum=0.9)),
             ("adam", lambda: optimizer.Adam(alpha=1e-4)),
             ("adamw", lambda: optimizer.AdamW(alpha=1e-4, weight_decay=0.0))]


def need_float16(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (array-api-strict does not define it)")


def param(values, device, dtype):
    return autograd.Parameter(values, dtype=dtype, device=device)


def set_grad(p, values, dtype=None):
    p.grad = autograd.Variable(np.asarray(values, dtype=dtype or np.float64), dtype=dtype or p.dtype,
                               device=p.device)


# ---- float32 master weights ------------------------------------------------------------------------------------

@pytest.mark.parametrize("factory", [f for _, f in FACTORIES], ids=[n for n, _ in FACTORIES])
def test_master_weights_accumulate_updates_float16_alone_would_lose(device, factory):
    """At 1.0 float16's spacing is 2^-10 ~ 1e-3: a step of ~1e-4 rounds back to 1.0 every time unless a float32
    master copy keeps the sum; 100 steps move the master, and the data with it, as a float32 run."""
    need_float16(device)
    half, full = param([1.0, -1.0], device, "float16"), param([1.0, -1.0], device, "float32")
    opt16, opt32 = factory(), factory()
    for _ in range(100):
        set_grad(half, [1.0, -1.0])
        set_grad(full, [1.0, -1.0])
        opt16.update([half])
        opt32.update([full])
    expected = to_host(full)
    assert abs(expected[0] - 1.0) > 2.0 ** -10  # it moved by more than one float16 ulp
    np.testing.assert_array_equal(to_host(half), expected.astype(np.float16))  # the rounded master
    np.testing.assert_allclose(to_host(opt16.state[half]["master"]), expected, rtol=1e-6)
    assert opt16.state[half]["master"].dtype == half.xp.float32 and half.dtype == half.xp.float16


def test_data_assigned_by_hand_or_loaded_replaces_the_master(device):
    need_float16(device)
    p = param([1.0, 2.0], device, "float16")
    opt = optimizer.SGD([p], learning_rate=1e-4)
    for _ in range(10):
        set_grad(p, [1.0, 1.0])
        opt.update()
    p.data = param([3.0, float(to_host(p)[1])], device, "float16").data  # element 0 assigned, 1 as it was
    set_grad(p, [1.0, 1.0])
    opt.update()
    master = to_host(opt.state[p]["master"])
    np.testing.assert_allclose(master, [3.0 - 1e-4, 2.0 - 11e-4], rtol=1e-6)  # element 1 kept its master
    net = layer.Linear(1, in_size=2, dtype="float16").to(device)
    opt = optimizer.Adam(net, alpha=1e-4)
    for _ in range(3):
        F.sum(net(autograd.Variable(np.ones((1, 2), dtype=np.float16), device=device))).backward()
        opt.update()
        net.cleargrads()
    net.load_state_dict({"W": np.full((2, 1), 0.5, dtype=np.float16), "b": np.zeros(1, dtype=np.float16)})
    F.sum(net(autograd.Variable(np.ones((1, 2), dtype=np.float16), device=device))).backward()
    opt.update()
    assert abs(to_host(opt.state[net.W]["master"]) - 0.5).max() < 1e-3  # taken from the loaded weights


def test_the_master_round_trips_through_state_dict_and_a_resumed_run_is_identical(device):
    need_float16(device)
    p, q = param([1.0, -1.0], device, "float16"), param([1.0, -1.0], device, "float16")
    a = optimizer.Adam([p], alpha=1e-4)
    for _ in range(5):
        set_grad(p, [1.0, -0.5])
        a.update()
    state = a.state_dict()
    assert state["0/master"].dtype == np.float32 and sorted(state) == [
        "0/m", "0/master", "0/step", "0/v", "iteration", "kind"]
    q.data = param(to_host(p), device, "float16").data
    b = optimizer.Adam([q], alpha=1e-4)
    b.load_state_dict(state)
    for _ in range(5):
        for x, opt in ((p, a), (q, b)):
            set_grad(x, [1.0, -0.5])
            opt.update()
    np.testing.assert_array_equal(to_host(b.state[q]["master"]), to_host(a.state[p]["master"]))
    np.testing.assert_array_equal(to_host(q), to_host(p))


def test_float32_parameters_keep_no_master(device):
    p = param([1.0], device, "float32")
    opt = optimizer.Adam([p])
    set_grad(p, [1.0])
    opt.update()
    assert "master" not in opt.state[p]


# ---- LossScaler ----------------------------------------------------------------------------------------------

DTYPES = ["float32", "float16"]


def scaled_step(scaler, opt, p, grad):
    """A backward of `scaler.scale(sum(grad * p))`: p.grad = scale * grad, in p's dtype."""
    p.cleargrad()
    g = autograd.Variable(np.asarray(grad), dtype=p.dtype, device=p.device)
    with np.errstate(all="ignore"):
        scaler.scale(F.sum(g * p)).backward()
        opt.update()


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_scaled_loss_gives_unscaled_updates(device, dtype):
    if dtype == "float16":
        need_float16(device)
    p = param([1.0, -2.0], device, dtype)
    scaler = hook.LossScaler(init_scale=1024.0)
    seen = []
    opt = optimizer.SGD([p], learning_rate=0.5, hooks=[scaler, lambda ps: seen.append(to_host(ps[0].grad))])
    scaled_step(scaler, opt, p, [0.25, 1.0])
    np.testing.assert_array_equal(seen[0], [0.25, 1.0])  # the next hook sees the true gradient
    assert seen[0].dtype == np.float32  # float32 for a float16 gradient, its own dtype otherwise
    np.testing.assert_array_equal(to_host(p), np.array([0.875, -2.5], dtype=dtype))
    assert scaler.get_scale() == 1024.0 and not scaler.found_inf


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan], ids=["inf", "-inf", "nan"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_an_inf_or_nan_gradient_skips_the_whole_step_and_halves_the_scale(device, dtype, bad):
    if dtype == "float16":
        need_float16(device)
    p, q = param([1.0, -2.0], device, dtype), param([0.5], device, dtype)
    scaler = hook.LossScaler(init_scale=8.0)
    opt = optimizer.Adam([p, q], alpha=0.1, hooks=[scaler, hook.ClipGrad(1.0)])
    set_grad(p, [8.0, 8.0])
    set_grad(q, [8.0])
    opt.update()  # one clean step: state to compare against
    before = {x: {k: (to_host(v).copy() if not isinstance(v, int) else v) for k, v in opt.state[x].items()}
              for x in (p, q)}
    data = [to_host(p).copy(), to_host(q).copy()]
    set_grad(p, [1.0, 1.0])
    set_grad(q, [bad])  # one bad element in one parameter skips every parameter
    with np.errstate(all="ignore"):
        opt.update()
    assert scaler.found_inf and scaler.get_scale() == 4.0 and p.grad is None and q.grad is None
    np.testing.assert_array_equal(to_host(p), data[0])
    np.testing.assert_array_equal(to_host(q), data[1])
    for x in (p, q):
        assert opt.state[x]["step"] == 1  # Adam's counters did not advance
        for k in ("m", "v") + (("master",) if dtype == "float16" else ()):
            np.testing.assert_array_equal(to_host(opt.state[x][k]), before[x][k])
    set_grad(p, [4.0, 4.0])
    set_grad(q, [4.0])
    opt.update()  # the next clean step goes on as one
    assert opt.state[p]["step"] == 2 and not scaler.found_inf


def test_the_scale_grows_after_growth_interval_clean_steps_and_an_inf_restarts_the_count(device):
    p = param([1.0], device, "float32")
    scaler = hook.LossScaler(init_scale=4.0, growth_factor=3.0, backoff_factor=0.25, growth_interval=3)
    opt = optimizer.SGD([p], learning_rate=1e-3, hooks=[scaler])
    scales = []
    for g in [1.0, 1.0, 1.0, 1.0, np.inf, 1.0, 1.0, 1.0]:
        scaled_step(scaler, opt, p, [g])
        scales.append(scaler.get_scale())
    assert scales == [4.0, 4.0, 12.0, 12.0, 3.0, 3.0, 3.0, 9.0]


def test_a_growth_interval_lowered_below_the_count_grows_at_the_next_clean_step(device):
    """3 clean steps of an interval of 4, then the interval set to 2: the 4th clean step grows the scale (the
    count compared equal to the interval passed 2 and never met it again, so the scale never grew)."""
    p = param([1.0], device, "float32")
    scaler = hook.LossScaler(init_scale=4.0, growth_interval=4)
    opt = optimizer.SGD([p], learning_rate=1e-3, hooks=[scaler])
    for _ in range(3):
        scaled_step(scaler, opt, p, [1.0])
    scaler.growth_interval = 2
    scales = []
    for _ in range(3):
        scaled_step(scaler, opt, p, [1.0])
        scales.append(scaler.get_scale())
    assert scales == [8.0, 8.0, 16.0]


def test_a_hook_failing_after_the_scaler_puts_its_scale_and_count_back(device):
    """All or nothing: a step whose later hook raises leaves the scaler as it was, so the retry is one step
    (without this the retry unscaled by a grown scale, or counted the failed step towards growth)."""
    p = param([1.0], device, "float32")
    scaler = hook.LossScaler(init_scale=4.0, growth_factor=2.0, growth_interval=1)
    fail = [True]

    def flaky(params):
        if fail.pop():
            raise RuntimeError("flaky hook")

    opt = optimizer.SGD([p], learning_rate=0.5, hooks=[scaler, flaky])
    p.cleargrad()
    scaler.scale(F.sum(p * 1.0)).backward()  # p.grad = 4
    with pytest.raises(RuntimeError, match="flaky hook"):
        opt.update()
    assert scaler.get_scale() == 4.0 and scaler.state_dict()["growth_tracker"] == 0
    assert to_host(p.grad).tolist() == [4.0] and to_host(p).tolist() == [1.0]
    fail.append(False)
    opt.update()  # the retry: unscaled by 4, then the scale grows
    assert to_host(p).tolist() == [0.5] and scaler.get_scale() == 8.0


def test_a_float16_model_with_loss_scaling_learns_like_float32_and_without_it_does_not():
    """A loss 1e-6 times smaller: its float16 gradients underflow to 0 (Adam with eps=0 gives nan); scaled by
    the LossScaler they do not, and the float16 run ends where the float32 one does."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (64, 2))
    t = np.sin(2 * x[:, :1]) * np.cos(x[:, 1:])

    def train(dtype, scaler=None):
        autograd.seed(0)
        net = model.Sequential(layer.Linear(16, in_size=2, dtype=dtype), F.tanh, layer.Linear(1, in_size=16,
                                                                                              dtype=dtype))
        opt = optimizer.Adam(net, alpha=0.01, eps=0.0, hooks=[scaler] if scaler else [])
        X, T = autograd.Variable(x, dtype=dtype), autograd.Variable(t, dtype=dtype)
        skipped = 0
        with np.errstate(all="ignore"):
            for _ in range(300):
                loss = F.mean_squared_error(net(X), T) * 1e-6
                net.cleargrads()
                (scaler.scale(loss) if scaler else loss).backward()
                opt.update()
                skipped += bool(scaler and scaler.found_inf)
            return float(to_host(F.mean_squared_error(net(X), T)).astype(np.float64)), skipped

    full, _ = train("float32")
    scaler = hook.LossScaler()
    half, skipped = train("float16", scaler)
    unscaled, _ = train("float16")
    assert full < 0.01 and abs(half - full) < 0.05 * full
    assert skipped == 1 and scaler.get_scale() == 2.0 ** 15  # 2^16 times the first loss overflows float16
    assert not unscaled < 2 * full  # nan: underflowed gradients


def test_loss_scaler_state_dict_round_trips(device):
    scaler = hook.LossScaler(init_scale=16.0, growth_interval=2)
    p = param([1.0], device, "float32")
    opt = optimizer.SGD([p], hooks=[scaler])
    for g in [np.inf, 1.0]:
        scaled_step(scaler, opt, p, [g])
    state = scaler.state_dict()
    assert state == dict(scale=8.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2, growth_tracker=1)
    again = hook.LossScaler()
    again.load_state_dict({k: np.asarray(v) for k, v in state.items()})  # as a checkpoint gives them back
    assert again.state_dict() == state
    scaled_step(again, optimizer.SGD([p], hooks=[again]), p, [1.0])
    assert again.get_scale() == 16.0
    copy = _pickled(again)
    assert copy.state_dict() == again.state_dict()


SCALER_MISTAKES = [
    (lambda: hook.LossScaler(init_scale=0.0), ValueError, r"^LossScaler: init_scale must be in \(0.0, inf\)"),
    (lambda: hook.LossScaler(growth_factor=1.0), ValueError, r"^LossScaler: growth_factor must be in \(1.0, inf\)"),
    (lambda: hook.LossScaler(backoff_factor=1.0), ValueError, r"^LossScaler: backoff_factor must be in \(0.0, 1.0\)"),
    (lambda: hook.LossScaler(growth_interval=0), ValueError, r"^LossScaler: growth_interval must be >= 1, got 0"),
    (lambda: hook.LossScaler(growth_interval=2.5), TypeError, r"^LossScaler: growth_interval must be an integer"),
    (lambda: hook.LossScaler().load_state_dict({"scale": -1.0, "growth_tracker": 0}), ValueError,
     r"^LossScaler.load_state_dict: scale must be in \(0.0, inf\)"),
    (lambda: hook.LossScaler().load_state_dict({"scale": 1.0}), ValueError,
     r"^LossScaler.load_state_dict: no entry 'growth_tracker'"),
    (lambda: hook.LossScaler().load_state_dict({"scale": 1.0, "growth_tracker": -1}), ValueError,
     r"^LossScaler.load_state_dict: growth_tracker must be >= 0, got -1"),
]


@pytest.mark.parametrize("make, error, match", SCALER_MISTAKES, ids=[
    "init_scale", "growth_factor", "backoff_factor", "growth_interval", "growth_interval-float", "bad-scale",
    "missing", "negative-count"])
def test_loss_scaler_mistakes_raise_naming_it(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_a_refused_state_leaves_the_scaler_unchanged():
    scaler = hook.LossScaler(init_scale=4.0)
    with pytest.raises(ValueError):
        scaler.load_state_dict({"scale": 2.0, "growth_tracker": 0, "growth_factor": 0.5})
    assert scaler.get_scale() == 4.0 and scaler.growth_factor == 2.0


def test_a_checkpoint_keeps_the_loss_scale_and_refuses_it_for_an_optimizer_without_the_hook(device, tmp_path):
    from autograd import checkpoint

    net = layer.Linear(1, in_size=2).to(device)
    scaler = hook.LossScaler(init_scale=64.0, growth_interval=3)
    opt = optimizer.Adam(net, hooks=[scaler, hook.ClipGrad(1.0)])
    x = autograd.Variable(np.ones((1, 2), dtype=np.float32), device=device)
    for bad in (True, False):
        net.cleargrads()
        scaler.scale(F.sum(net(x)) * (np.inf if bad else 1.0)).backward()
        with np.errstate(all="ignore"):
            opt.update()
    checkpoint.save(tmp_path / "run.npz", net, opt)
    fresh = hook.LossScaler()
    resumed = optimizer.Adam(net, hooks=[fresh, hook.ClipGrad(1.0)])
    checkpoint.load(tmp_path / "run.npz", net, resumed)
    assert fresh.state_dict() == scaler.state_dict() == dict(scale=32.0, growth_factor=2.0, backoff_factor=0.5,
                                                             growth_interval=3, growth_tracker=1)
    plain = optimizer.Adam(net)
    with pytest.raises(ValueError, match=r"checkpoint.load: .* holds the state of hook 0, which the optimizer's "
                                         r"hooks \(0\) do not have or cannot load"):
        checkpoint.load(tmp_path / "run.npz", net, plain)
    assert plain.iteration == 0 and len(plain.state) == 0  # nothing changed
