"""Optimizers: exact update values against NumPy references written from the docstring formulas, hooks,
skipped parameters, hyperparameter checks, per-parameter state (slots on the device, counters as ints, weak
keys), Adam's per-parameter step count, and state_dict."""
import gc
import math
import weakref

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import hook, layer, model, optimizer, to_host
from autograd.backend import CPU, device_of
from test_variable import _deep_copied, _pickled  # copies of a whole object, as a Variable test makes them


def param(values, device, dtype="float64"):
    return autograd.Parameter(values, dtype=dtype, device=device)


def set_grad(p, values, device, dtype="float64"):
    p.grad = autograd.Variable(values, dtype=dtype, device=device)


def close(actual, expected, rtol=1e-12, atol=1e-15):
    np.testing.assert_allclose(to_host(actual), np.asarray(expected, dtype=np.float64), rtol=rtol, atol=atol)


# ---- NumPy references, written from the docstring formulas -------------------------------------------

P0 = [1.0, -2.0, 0.5]
G1 = [0.5, 1.0, -2.0]
G2 = [-1.5, 0.25, 3.0]


def ref_weight_decay(lam):
    return lambda g, p: g + lam * p


def ref_clip(max_norm):
    def clip(g, p):
        n = math.sqrt(float(np.sum(g * g)))
        rate = max_norm / (n + 1e-6)
        return g * rate if rate < 1.0 else g
    return clip


def reference(kind, hp, hooks=(), p0=P0, grads=(G1, G2)):
    """The parameter after each step, in float64 on the host."""
    p = np.array(p0, dtype=np.float64)
    s1 = np.zeros_like(p)  # v (Momentum, RMSprop), h (AdaGrad), m (Adam)
    s2 = np.zeros_like(p)  # v (Adam)
    out = []
    for t, g in enumerate(grads, start=1):
        g = np.array(g, dtype=np.float64)
        for h in hooks:
            g = h(g, p)
        if kind == "sgd":
            p = p - hp["learning_rate"] * g
        elif kind == "momentum":
            s1 = hp["momentum"] * s1 - hp["learning_rate"] * g
            p = p + s1
        elif kind == "adagrad":
            s1 = s1 + g * g
            p = p - hp["learning_rate"] * g / (np.sqrt(s1) + hp["eps"])
        elif kind == "rmsprop":
            s1 = hp["rho"] * s1 + (1.0 - hp["rho"]) * (g * g)
            p = p - hp["learning_rate"] * g / (np.sqrt(s1) + hp["eps"])
        elif kind in ("adam", "adamw"):
            b1, b2 = hp["beta1"], hp["beta2"]
            s1 = s1 + (1.0 - b1) * (g - s1)
            s2 = s2 + (1.0 - b2) * (g * g - s2)
            lr_t = hp["alpha"] * math.sqrt(1.0 - b2 ** t) / (1.0 - b1 ** t)
            p = p - lr_t * s1 / (np.sqrt(s2) + hp["eps"])
            if kind == "adamw":
                p = p * (1.0 - lr_t * hp["weight_decay"])  # the decay follows the Adam step
        else:
            raise AssertionError(kind)
        out.append(p.copy())
    return out


SGD_HP = dict(learning_rate=0.1)
MOMENTUM_HP = dict(learning_rate=0.1, momentum=0.8)
ADAGRAD_HP = dict(learning_rate=0.2, eps=1e-3)
RMSPROP_HP = dict(learning_rate=0.05, rho=0.7, eps=1e-3)
ADAM_HP = dict(alpha=0.1, beta1=0.8, beta2=0.9, eps=1e-3)
ADAMW_HP = dict(ADAM_HP, weight_decay=0.2)

# (id, factory of the optimizer, kind, hyperparameters, reference hooks)
TWO_STEP_CASES = [
    ("sgd", lambda: optimizer.SGD(**SGD_HP), "sgd", SGD_HP, ()),
    ("momentum", lambda: optimizer.Momentum(**MOMENTUM_HP), "momentum", MOMENTUM_HP, ()),
    ("adagrad", lambda: optimizer.AdaGrad(**ADAGRAD_HP), "adagrad", ADAGRAD_HP, ()),
    ("rmsprop", lambda: optimizer.RMSprop(**RMSPROP_HP), "rmsprop", RMSPROP_HP, ()),
    ("adam", lambda: optimizer.Adam(**ADAM_HP), "adam", ADAM_HP, ()),
    ("adamw", lambda: optimizer.AdamW(**ADAMW_HP), "adamw", ADAMW_HP, ()),
    ("adam+weightdecay", lambda: optimizer.Adam(**ADAM_HP, hooks=[hook.WeightDecay(0.05)]),
     "adam", ADAM_HP, (ref_weight_decay(0.05),)),
    ("adamw+weightdecay", lambda: optimizer.AdamW(**ADAMW_HP, hooks=[hook.WeightDecay(0.05)]),
     "adamw", ADAMW_HP, (ref_weight_decay(0.05),)),
    ("sgd+weightdecay+clip", lambda: optimizer.SGD(**SGD_HP, hooks=[hook.WeightDecay(0.5), hook.ClipGrad(1.0)]),
     "sgd", SGD_HP, (ref_weight_decay(0.5), ref_clip(1.0))),
    ("sgd+clip+weightdecay", lambda: optimizer.SGD(**SGD_HP, hooks=[hook.ClipGrad(1.0), hook.WeightDecay(0.5)]),
     "sgd", SGD_HP, (ref_clip(1.0), ref_weight_decay(0.5))),
    ("momentum+clip", lambda: optimizer.Momentum(**MOMENTUM_HP, hooks=[hook.ClipGrad(2.0)]),
     "momentum", MOMENTUM_HP, (ref_clip(2.0),)),
]


@pytest.mark.parametrize("factory, kind, hp, hooks", [c[1:] for c in TWO_STEP_CASES],
                         ids=[c[0] for c in TWO_STEP_CASES])
def test_two_steps_match_the_formulas(device, factory, kind, hp, hooks):
    expected = reference(kind, hp, hooks)
    p = param(P0, device)
    opt = factory()
    for g, want in zip((G1, G2), expected):
        set_grad(p, g, device)
        opt.update([p])
        assert p.device == device
        assert p.dtype == p.xp.float64
        close(p, want)
    assert opt.iteration == 2


def test_references_differ_between_cases():
    """The references above are not all the same numbers (so every case checks something of its own)."""
    finals = {c[0]: reference(c[2], c[3], c[4])[-1] for c in TWO_STEP_CASES}
    values = list(finals.values())
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            assert not np.allclose(values[i], values[j], rtol=1e-9, atol=0)
    # eps placement matters at these settings: eps added to sqrt(v_hat) (PyTorch) would differ
    b1, b2, alpha, eps = ADAM_HP["beta1"], ADAM_HP["beta2"], ADAM_HP["alpha"], ADAM_HP["eps"]
    g = np.array(G1)
    m, v = (1 - b1) * g, (1 - b2) * g * g
    torch_style = np.array(P0) - alpha * (m / (1 - b1)) / (np.sqrt(v / (1 - b2)) + eps)
    assert not np.allclose(torch_style, reference("adam", ADAM_HP)[0], rtol=1e-6, atol=0)


# ---- the seed's published examples (p = 1, grad = 1 every step) ----------------------------------------

SEED_CASES = [
    ("sgd", lambda: optimizer.SGD(learning_rate=0.1), [0.9], 1e-15),
    ("momentum", lambda: optimizer.Momentum(learning_rate=0.001, momentum=0.9), [0.999, 0.9971], 1e-13),
    # the seed's float32 Adam prints 0.999 and 0.998 (its float32 rounding, hence rtol 1e-6)
    ("adam", lambda: optimizer.Adam(alpha=0.001, beta1=0.9, beta2=0.999), [0.999, 0.998], 1e-6),
    # itsubaki/autograd optimizer/adamw_test.go (float64; decay from the parameter before the step)
    ("adamw", lambda: optimizer.AdamW(alpha=0.001, beta1=0.9, beta2=0.999, weight_decay=0.1),
     [0.9989684091623926, 0.9979449255202475], 1e-14),
]


@pytest.mark.parametrize("factory, expected, rtol", [c[1:] for c in SEED_CASES], ids=[c[0] for c in SEED_CASES])
def test_seed_examples(device, factory, expected, rtol):
    p = param(1.0, device)
    opt = factory()
    for want in expected:
        set_grad(p, 1.0, device)
        opt.update([p])
        assert p.shape == ()
        close(p, want, rtol=rtol)


def test_seed_adam_and_adamw_exact_first_step(device):
    """p = 1, g = 1: m = 0.1, v = 0.001, lr_t = 0.001 sqrt(0.001) / 0.1."""
    lr_t = 0.001 * math.sqrt(1 - 0.999) / (1 - 0.9)
    step = lr_t * 0.1 / (math.sqrt(0.001) + 1e-8)
    for opt, want in [(optimizer.Adam(), 1.0 - step), (optimizer.AdamW(weight_decay=0.1), (1.0 - step) * (1.0 - lr_t * 0.1))]:
        p = param(1.0, device)
        set_grad(p, 1.0, device)
        opt.update([p])
        close(p, want, rtol=1e-14)


def adam_t1(hp, g, p0):
    """A parameter's first Adam(W) step, from the docstring formula with t = 1."""
    g, p0 = np.asarray(g, dtype=np.float64), np.asarray(p0, dtype=np.float64)
    b1, b2 = hp["beta1"], hp["beta2"]
    m, v = (1.0 - b1) * g, (1.0 - b2) * g * g
    lr_t = hp["alpha"] * math.sqrt(1.0 - b2) / (1.0 - b1)
    p = p0 - lr_t * m / (np.sqrt(v) + hp["eps"])
    return p * (1.0 - lr_t * hp.get("weight_decay", 0.0)), lr_t


@pytest.mark.parametrize("cls, hp", [
    (optimizer.Adam, dict(alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8)),
    (optimizer.AdamW, dict(alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1)),
    (optimizer.Adam, ADAM_HP),
], ids=["adam-defaults", "adamw-defaults", "adam-test-hp"])
def test_a_parameter_that_starts_late_takes_the_first_adam_step(device, cls, hp):
    """t is the parameter's own update count (PyTorch's rule), not the optimizer's iteration: a parameter
    whose first gradient comes after 50 updates of another one gets the t = 1 bias correction."""
    early, late = param(P0, device), param([0.25, -1.0, 2.0], device)
    opt = cls(**hp)
    for i in range(50):
        set_grad(early, np.array(G1) * (1.0 + 0.01 * i), device)
        opt.update([early, late])  # late has no gradient: skipped, no state
    assert late not in opt.state and opt.state[early]["step"] == 50
    g = [0.5, -2.0, 1e-3]
    set_grad(late, g, device)
    early.grad = None
    opt.update([early, late])
    want, lr_1 = adam_t1(hp, g, [0.25, -1.0, 2.0])
    close(late, want, rtol=1e-13)
    assert opt.state[late]["step"] == 1 and opt.state[early]["step"] == 50 and opt.iteration == 51
    close(opt.state[late]["m"], (1.0 - hp["beta1"]) * np.array(g), rtol=1e-13)
    if hp["eps"] == 1e-8:  # with a small eps the first step is alpha * sign(g), less a little for tiny |g|
        np.testing.assert_allclose(np.array([0.25, -1.0, 2.0]) - to_host(late) / (1.0 - lr_1 * hp.get("weight_decay", 0.0)),
                                   hp["alpha"] * np.sign(g), rtol=1e-3)
    # the global count would have given another step: the test tells the two rules apart
    b1, b2 = hp["beta1"], hp["beta2"]
    lr_51 = hp["alpha"] * math.sqrt(1.0 - b2 ** 51) / (1.0 - b1 ** 51)
    old = np.array([0.25, -1.0, 2.0]) - lr_51 * (1 - b1) * np.array(g) / (np.sqrt((1 - b2) * np.array(g) ** 2) + hp["eps"])
    assert not np.allclose(to_host(late), old, rtol=1e-6, atol=0)


def test_adam_step_counts_each_parameter_separately(device):
    """Two parameters updated on different steps each follow the single-parameter reference."""
    a, b = param(P0, device), param(P0, device)
    opt = optimizer.Adam(**ADAM_HP)
    set_grad(a, G1, device)
    opt.update([a, b])  # b has no gradient yet
    set_grad(a, G2, device)
    set_grad(b, G1, device)
    opt.update([a, b])
    a.grad = None
    set_grad(b, G2, device)
    opt.update([a, b])
    close(a, reference("adam", ADAM_HP, grads=(G1, G2))[-1])
    close(b, reference("adam", ADAM_HP, grads=(G1, G2))[-1])
    assert (opt.state[a]["step"], opt.state[b]["step"], opt.iteration) == (2, 2, 3)


def test_adam_step_returns_the_step_size_and_the_step(device):
    p = param(P0, device)
    set_grad(p, G1, device)
    opt = optimizer.Adam(**ADAM_HP)
    lr_t, step = opt.adam_step(p)
    want, lr_1 = adam_t1(ADAM_HP, G1, P0)
    assert type(lr_t) is float and lr_t == pytest.approx(lr_1, rel=1e-15)
    assert device_of(step) == device
    close(step, np.array(P0) - want, rtol=1e-13)
    close(p, P0)  # adam_step leaves the parameter to its caller
    assert opt.state[p]["step"] == 1 and opt.iteration == 0
    opt.update([p])
    assert opt.state[p]["step"] == 2
    assert not hasattr(opt, "lr") and not hasattr(optimizer.Optimizer, "begin_step")


def test_default_hyperparameters():
    sgd = optimizer.SGD()
    assert sgd.learning_rate == 0.01
    mom = optimizer.Momentum()
    assert (mom.learning_rate, mom.momentum) == (0.01, 0.9)
    ada = optimizer.AdaGrad()
    assert (ada.learning_rate, ada.eps) == (0.01, 1e-10)
    rms = optimizer.RMSprop()
    assert (rms.learning_rate, rms.rho, rms.eps) == (0.01, 0.99, 1e-8)
    adam = optimizer.Adam()
    assert (adam.alpha, adam.beta1, adam.beta2, adam.eps) == (0.001, 0.9, 0.999, 1e-8)
    adamw = optimizer.AdamW()
    assert (adamw.alpha, adamw.beta1, adamw.beta2, adamw.eps, adamw.weight_decay) == (0.001, 0.9, 0.999, 1e-8, 0.01)
    for opt in (sgd, mom, ada, rms, adam, adamw):
        assert opt.hooks == [] and opt.iteration == 0 and len(opt.state) == 0


# ---- what update() accepts and skips -------------------------------------------------------------------

ALL_OPTIMIZERS = [
    ("sgd", lambda **kw: optimizer.SGD(learning_rate=0.1, **kw)),
    ("momentum", lambda **kw: optimizer.Momentum(learning_rate=0.1, momentum=0.8, **kw)),
    ("adagrad", lambda **kw: optimizer.AdaGrad(learning_rate=0.1, **kw)),
    ("rmsprop", lambda **kw: optimizer.RMSprop(learning_rate=0.1, **kw)),
    ("adam", lambda **kw: optimizer.Adam(alpha=0.1, **kw)),
    ("adamw", lambda **kw: optimizer.AdamW(alpha=0.1, weight_decay=0.1, **kw)),
]
OPT_IDS = [name for name, _ in ALL_OPTIMIZERS]
OPT_FACTORIES = [f for _, f in ALL_OPTIMIZERS]


def make_linear(device, W=((1.0, -1.0), (0.5, 2.0), (-0.25, 0.0)), b=(0.1, -0.2)):
    lin = layer.Linear(2, in_size=3, dtype="float64")
    lin.load_state_dict({"W": np.array(W), "b": np.array(b)})
    return lin.to(device)


GW = [[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]]
GB = [0.3, -0.6]


def test_update_accepts_a_layer(device):
    lin = make_linear(device)
    W0, b0 = to_host(lin.W).copy(), to_host(lin.b).copy()
    set_grad(lin.W, GW, device)
    set_grad(lin.b, GB, device)
    opt = optimizer.SGD(learning_rate=0.5)
    opt.update(lin)
    close(lin.W, W0 - 0.5 * np.array(GW))
    close(lin.b, b0 - 0.5 * np.array(GB))
    assert lin.W.device == device and lin.b.device == device
    assert opt.iteration == 1


def test_update_accepts_a_list_and_a_tuple_of_parameters(device):
    p0, p1 = param([1.0, 2.0], device), param([[3.0]], device)
    set_grad(p0, [1.0, -1.0], device)
    set_grad(p1, [[2.0]], device)
    opt = optimizer.Momentum(learning_rate=0.1, momentum=0.5)
    opt.update([p0, p1])
    close(p0, [0.9, 2.1])
    close(p1, [[2.8]])
    opt.update((p0, p1))  # v = 0.5 v - 0.1 g
    close(p0, [0.9 - 0.05 - 0.1, 2.1 + 0.05 + 0.1])
    close(p1, [[2.8 - 0.1 - 0.2]])


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_parameters_without_grad_are_skipped(device, factory):
    trained, idle = param([1.0, -2.0], device), param([5.0, 6.0], device)
    set_grad(trained, [0.5, 0.5], device)
    opt = factory()
    opt.update([trained, idle])
    opt.update([trained, idle])
    np.testing.assert_array_equal(to_host(idle), [5.0, 6.0])
    assert idle.grad is None
    assert idle not in opt.state
    assert not np.allclose(to_host(trained), [1.0, -2.0])
    if opt.slots:
        assert set(opt.state[trained]) == set(opt.slots) | set(opt.counters)
        for name in opt.counters:
            assert opt.state[trained][name] == 2  # the trained parameter's own updates
    else:
        assert len(opt.state) == 0
    assert opt.iteration == 2


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_layers_with_nothing_to_update(device, factory):
    opt = factory()
    lazy = layer.Linear(2, dtype="float64")  # W not created before the first call
    opt.update(lazy)
    assert lazy.W is None
    lin = make_linear(device)
    before = [to_host(p).copy() for p in lin.params()]
    opt.update(lin)  # no parameter has a gradient: no change, no state, no crash
    for p, b in zip(lin.params(), before):
        np.testing.assert_array_equal(to_host(p), b)
    assert len(opt.state) == 0
    assert opt.iteration == 2


class Recorder:
    """A hook that records what it saw; optionally doubles the gradients or drops one of them."""

    def __init__(self, name, log, scale=None, drop=None):
        self.name, self.log, self.scale, self.drop = name, log, scale, drop

    def __call__(self, params):
        self.log.append((self.name, list(params), [to_host(p.data).copy() for p in params],
                         [to_host(p.grad.data).copy() for p in params], autograd.config.backprop_enabled()))
        for p in params:
            if p is self.drop:
                p.grad = None
            elif self.scale is not None:
                p.grad = autograd.Variable(p.grad.data * self.scale)


def test_hooks_run_in_order_before_the_update(device):
    p0, p1, idle = param([1.0, 2.0], device), param([-1.0], device), param([9.0], device)
    set_grad(p0, [1.0, 1.0], device)
    set_grad(p1, [0.5], device)
    log = []
    opt = optimizer.SGD(learning_rate=0.1, hooks=[Recorder("first", log, scale=2.0), Recorder("second", log)])
    opt.update([p0, idle, p1])
    assert [entry[0] for entry in log] == ["first", "second"]
    for name, params, data, grads, backprop in log:
        assert params[0] is p0 and params[1] is p1 and len(params) == 2  # only the parameters with a gradient
        np.testing.assert_array_equal(data[0], [1.0, 2.0])  # not updated yet
        np.testing.assert_array_equal(data[1], [-1.0])
        assert backprop is False  # hooks run under no_grad
    np.testing.assert_array_equal(log[0][3][0], [1.0, 1.0])
    np.testing.assert_array_equal(log[1][3][0], [2.0, 2.0])  # the second hook sees the first one's work
    close(p0, [1.0 - 0.2, 2.0 - 0.2])  # the update uses the doubled gradient
    close(p1, [-1.0 - 0.1])
    np.testing.assert_array_equal(to_host(idle), [9.0])


def test_a_hook_that_drops_a_grad_takes_the_parameter_out_of_the_step(device):
    p0, p1 = param([1.0, 2.0], device), param([3.0], device)
    set_grad(p0, [1.0, 1.0], device)
    set_grad(p1, [1.0], device)
    log = []
    opt = optimizer.Momentum(learning_rate=0.1, hooks=[Recorder("drop", log, drop=p0), Recorder("after", log)])
    opt.update([p0, p1])
    assert log[0][1] == [p0, p1]
    assert len(log[1][1]) == 1 and log[1][1][0] is p1  # the later hook no longer sees p0
    np.testing.assert_array_equal(to_host(p0), [1.0, 2.0])
    assert p0.grad is None and p0 not in opt.state
    close(p1, [2.9])
    assert p1 in opt.state


class Tied(layer.Layer):
    """One Linear reachable under two attribute names (weight tying)."""

    def __init__(self, lin):
        super().__init__()
        self.enc = lin
        self.dec = lin


def test_a_shared_parameter_is_updated_once_per_step(device):
    lin = make_linear(device)
    tied = Tied(lin)
    W0 = to_host(lin.W).copy()
    set_grad(lin.W, GW, device)
    set_grad(lin.b, GB, device)
    optimizer.SGD(learning_rate=0.1).update(tied)
    close(lin.W, W0 - 0.1 * np.array(GW))
    mom = optimizer.Momentum(learning_rate=0.1, momentum=0.5)
    mom.update(tied)
    close(lin.W, W0 - 0.2 * np.array(GW))
    assert set(mom.state_dict()) == {"kind", "iteration", "enc.W/v", "enc.b/v"}  # named once, by its first name


def test_a_parameter_listed_twice_is_updated_once(device):
    p, q = param([1.0, 2.0], device), param([3.0], device)
    set_grad(p, [1.0, -1.0], device)
    set_grad(q, [0.5], device)
    optimizer.SGD(learning_rate=0.1).update([p, p])
    close(p, [0.9, 2.1])
    log = []
    mom = optimizer.Momentum(learning_rate=0.1, momentum=0.5, hooks=[Recorder("seen", log)])
    mom.update([p, q, p])
    assert len(log[0][1]) == 2 and log[0][1][0] is p and log[0][1][1] is q  # the hooks see it once too
    close(p, [0.8, 2.2])
    close(q, [2.95])
    assert len(mom.state) == 2
    adam, single = optimizer.Adam(**ADAM_HP), param(P0, device)
    twice = param(P0, device)
    set_grad(single, G1, device)
    set_grad(twice, G1, device)
    optimizer.Adam(**ADAM_HP).update([single])
    adam.update((twice, twice))
    np.testing.assert_array_equal(to_host(twice), to_host(single))
    assert adam.state[twice]["step"] == 1


# ---- hyperparameter checks ------------------------------------------------------------------------------

NAN = float("nan")
BAD_HYPERPARAMETERS = [
    (optimizer.SGD, dict(learning_rate=-0.1), "learning_rate"),
    (optimizer.SGD, dict(learning_rate=NAN), "learning_rate"),
    (optimizer.Momentum, dict(learning_rate=NAN), "learning_rate"),
    (optimizer.Momentum, dict(momentum=1.0), "momentum"),
    (optimizer.Momentum, dict(momentum=-0.1), "momentum"),
    (optimizer.Momentum, dict(momentum=NAN), "momentum"),
    (optimizer.AdaGrad, dict(learning_rate=-1.0), "learning_rate"),
    (optimizer.AdaGrad, dict(eps=-1e-10), "eps"),
    (optimizer.AdaGrad, dict(eps=NAN), "eps"),
    (optimizer.RMSprop, dict(rho=1.0), "rho"),
    (optimizer.RMSprop, dict(rho=-0.5), "rho"),
    (optimizer.RMSprop, dict(eps=-1e-8), "eps"),
    (optimizer.RMSprop, dict(eps=NAN), "eps"),
    (optimizer.Adam, dict(alpha=-0.001), "alpha"),
    (optimizer.Adam, dict(alpha=NAN), "alpha"),
    (optimizer.Adam, dict(beta1=1.0), "beta1"),
    (optimizer.Adam, dict(beta1=-0.1), "beta1"),
    (optimizer.Adam, dict(beta1=NAN), "beta1"),
    (optimizer.Adam, dict(beta2=1.0), "beta2"),
    (optimizer.Adam, dict(beta2=1.5), "beta2"),
    (optimizer.Adam, dict(beta2=NAN), "beta2"),
    (optimizer.Adam, dict(eps=-1e-8), "eps"),
    (optimizer.Adam, dict(eps=NAN), "eps"),
    (optimizer.AdamW, dict(beta1=1.0), "beta1"),
    (optimizer.AdamW, dict(beta2=-0.1), "beta2"),
    (optimizer.AdamW, dict(eps=-1.0), "eps"),
    (optimizer.AdamW, dict(weight_decay=-0.01), "weight_decay"),
    (optimizer.AdamW, dict(weight_decay=NAN), "weight_decay"),
    # learning rates and alpha in [0, inf) (PyTorch's: a schedule may end at 0); betas in [0, 1); eps and
    # weight_decay in [0, inf)
    (optimizer.SGD, dict(learning_rate=math.inf), "learning_rate"),
    (optimizer.Momentum, dict(learning_rate=math.inf), "learning_rate"),
    (optimizer.AdaGrad, dict(learning_rate=math.inf), "learning_rate"),
    (optimizer.RMSprop, dict(learning_rate=math.inf), "learning_rate"),
    (optimizer.Adam, dict(alpha=math.inf), "alpha"),
    (optimizer.AdamW, dict(alpha=np.float64(np.inf)), "alpha"),
    (optimizer.Momentum, dict(momentum=math.inf), "momentum"),
    (optimizer.Adam, dict(beta1=-math.inf), "beta1"),
    (optimizer.AdaGrad, dict(eps=math.inf), "eps"),
    (optimizer.Adam, dict(eps=math.inf), "eps"),
    (optimizer.AdamW, dict(weight_decay=math.inf), "weight_decay"),
]


@pytest.mark.parametrize("cls, kwargs, name", BAD_HYPERPARAMETERS,
                         ids=[f"{c.__name__}-{n}={k[n]}" for c, k, n in BAD_HYPERPARAMETERS])
def test_invalid_hyperparameters_raise(cls, kwargs, name):
    with pytest.raises(ValueError, match=f"{name} must be"):
        cls(**kwargs)


HYPERPARAMETERS = [
    (optimizer.SGD, "learning_rate"),
    (optimizer.Momentum, "learning_rate"), (optimizer.Momentum, "momentum"),
    (optimizer.AdaGrad, "learning_rate"), (optimizer.AdaGrad, "eps"),
    (optimizer.RMSprop, "learning_rate"), (optimizer.RMSprop, "rho"), (optimizer.RMSprop, "eps"),
    (optimizer.Adam, "alpha"), (optimizer.Adam, "beta1"), (optimizer.Adam, "beta2"), (optimizer.Adam, "eps"),
    (optimizer.AdamW, "alpha"), (optimizer.AdamW, "weight_decay"),
]


@pytest.mark.parametrize("value", ["0.1", None, True, False, 1j, np.array([0.1])],
                         ids=["str", "None", "True", "False", "complex", "array"])
@pytest.mark.parametrize("cls, name", HYPERPARAMETERS, ids=[f"{c.__name__}-{n}" for c, n in HYPERPARAMETERS])
def test_a_hyperparameter_that_is_not_a_real_number_raises_type_error(cls, name, value):
    with pytest.raises(TypeError, match=f"{cls.__name__}: {name} must be a real number"):
        cls(**{name: value})


NUMPY_HP_CASES = [
    (optimizer.SGD, dict(learning_rate=0.1)),
    (optimizer.Momentum, dict(learning_rate=0.1, momentum=0.8)),
    (optimizer.AdaGrad, dict(learning_rate=0.2, eps=1e-3)),
    (optimizer.RMSprop, dict(learning_rate=0.05, rho=0.7, eps=1e-3)),
    (optimizer.Adam, ADAM_HP),
    (optimizer.AdamW, ADAMW_HP),
]


@pytest.mark.parametrize("scalar", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("cls, hp", NUMPY_HP_CASES, ids=[c.__name__ for c, _ in NUMPY_HP_CASES])
def test_numpy_scalar_hyperparameters_keep_float32_parameters_float32(device, cls, hp, scalar):
    """Hyperparameters become Python floats: a NumPy float64 scalar would otherwise promote a float32
    parameter to float64 (NumPy 2's promotion rules) or be refused by a strict device."""
    opt = cls(**{k: scalar(v) for k, v in hp.items()})
    plain = cls(**{k: float(scalar(v)) for k, v in hp.items()})
    for name, value in hp.items():
        assert type(getattr(opt, name)) is float and getattr(opt, name) == float(scalar(value))
    p, q = param(P0, device, dtype="float32"), param(P0, device, dtype="float32")
    for g in (G1, G2):
        set_grad(p, g, device, dtype="float32")
        set_grad(q, g, device, dtype="float32")
        opt.update([p])
        plain.update([q])
        assert p.dtype == p.xp.float32 and p.device == device
    np.testing.assert_array_equal(to_host(p), to_host(q))
    for name in opt.slots:
        assert opt.state[p][name].dtype == p.xp.float32
    close(p, reference(cls.__name__.lower(), {k: float(scalar(v)) for k, v in hp.items()})[-1],
          rtol=1e-5, atol=1e-6)


def test_integer_and_fraction_hyperparameters_become_floats():
    from fractions import Fraction

    opt = optimizer.AdamW(alpha=1, beta1=Fraction(1, 2), beta2=np.int64(0), eps=0, weight_decay=np.uint8(2))
    values = (opt.alpha, opt.beta1, opt.beta2, opt.eps, opt.weight_decay)
    assert values == (1.0, 0.5, 0.0, 0.0, 2.0) and all(type(v) is float for v in values)


def test_adamw_errors_name_adamw():
    with pytest.raises(ValueError, match="AdamW: alpha"):
        optimizer.AdamW(alpha=-1.0)


def test_boundary_hyperparameters_are_accepted():
    for cls in (optimizer.SGD, optimizer.Momentum, optimizer.AdaGrad, optimizer.RMSprop, optimizer.Adam):
        assert cls(lr=0.0).param_groups[0]["lr"] == 0.0  # PyTorch's lower bound: a schedule may end at 0
    optimizer.Momentum(momentum=0.0)
    optimizer.AdaGrad(eps=0.0)
    optimizer.RMSprop(rho=0.0, eps=0.0)
    optimizer.Adam(beta1=0.0, beta2=0.0, eps=0.0)
    optimizer.AdamW(weight_decay=0.0)


def test_adamw_with_zero_weight_decay_is_adam(device):
    a, b = param(P0, device), param(P0, device)
    adam, adamw = optimizer.Adam(**ADAM_HP), optimizer.AdamW(**ADAM_HP, weight_decay=0.0)
    for g in (G1, G2):
        set_grad(a, g, device)
        set_grad(b, g, device)
        adam.update([a])
        adamw.update([b])
    np.testing.assert_array_equal(to_host(a), to_host(b))


# ---- per-parameter state ----------------------------------------------------------------------------------

STATEFUL = [(name, f) for name, f in ALL_OPTIMIZERS if name != "sgd"]


@pytest.mark.parametrize("factory", [f for _, f in STATEFUL], ids=[n for n, _ in STATEFUL])
def test_state_is_created_on_the_parameter_device(device, factory):
    p = param(P0, device)
    set_grad(p, G1, device)
    opt = factory()
    opt.update([p])
    assert set(opt.state[p]) == set(opt.slots) | set(opt.counters)
    for name in opt.slots:
        value = opt.state[p][name]
        assert device_of(value) == device
        assert tuple(value.shape) == (3,)
        assert value.dtype == p.dtype
    for name in opt.counters:  # Python ints, on no device
        assert type(opt.state[p][name]) is int and opt.state[p][name] == 1


@pytest.mark.parametrize("factory", [f for _, f in STATEFUL], ids=[n for n, _ in STATEFUL])
def test_state_follows_the_parameters_to_another_device(device, factory):
    moved = make_linear("cpu")
    opt = factory()
    set_grad(moved.W, GW, "cpu")
    set_grad(moved.b, GB, "cpu")
    opt.update(moved)
    for p in moved.params():
        assert all(device_of(opt.state[p][name]) == CPU for name in opt.slots)
    moved.to(device)
    set_grad(moved.W, np.array(GW) * -0.5, device)
    set_grad(moved.b, np.array(GB) * 2.0, device)
    opt.update(moved)
    for p in moved.params():
        assert p.device == device
        assert set(opt.state[p]) == set(opt.slots) | set(opt.counters)
        for name in opt.slots:
            assert device_of(opt.state[p][name]) == device
        for name in opt.counters:
            assert opt.state[p][name] == 2

    same = make_linear(device)  # both steps on one device
    ref = factory()
    for scale_W, scale_b in ((1.0, 1.0), (-0.5, 2.0)):
        set_grad(same.W, np.array(GW) * scale_W, device)
        set_grad(same.b, np.array(GB) * scale_b, device)
        ref.update(same)
    close(moved.W, to_host(same.W), rtol=1e-13)
    close(moved.b, to_host(same.b), rtol=1e-13)
    for p, q in zip(moved.params(), same.params()):
        for slot in opt.slots:
            close(opt.state[p][slot], to_host(ref.state[q][slot]), rtol=1e-13)
        for name in opt.counters:
            assert opt.state[p][name] == ref.state[q][name]


def test_state_is_weakly_keyed(device):
    assert isinstance(optimizer.Adam().state, weakref.WeakKeyDictionary)
    keep, gone = param([1.0, 2.0], device), param([3.0], device)
    set_grad(keep, [1.0, 1.0], device)
    set_grad(gone, [1.0], device)
    opt = optimizer.Adam()
    opt.update([keep, gone])
    assert len(opt.state) == 2
    ref = weakref.ref(gone)
    del gone
    gc.collect()
    assert ref() is None
    assert len(opt.state) == 1
    assert keep in opt.state


def test_iteration_counts_update_calls(device):
    p = param([1.0], device)
    opt = optimizer.SGD(learning_rate=0.5)
    assert opt.iteration == 0
    opt.update([p])  # no gradient: still a call
    assert opt.iteration == 1
    set_grad(p, [1.0], device)
    opt.update([p])
    opt.update([p])
    assert opt.iteration == 3
    close(p, [0.0])


# ---- state_dict / load_state_dict ---------------------------------------------------------------------------


def train_steps(opt, lin, device, scales):
    for s in scales:
        set_grad(lin.W, np.array(GW) * s, device)
        set_grad(lin.b, np.array(GB) * (1.0 - s), device)
        opt.update(lin)


def test_state_dict_keys_and_host_arrays(device):
    lin = make_linear(device)
    opt = optimizer.Adam(alpha=0.1)
    train_steps(opt, lin, device, [1.0])
    state = opt.state_dict()
    assert set(state) == {"kind", "iteration", "W/m", "W/v", "W/step", "b/m", "b/v", "b/step"}
    for key, value in state.items():
        assert isinstance(value, np.ndarray), key
    assert int(state["iteration"]) == 1
    for key in ("W/step", "b/step"):  # the step counters: 0-d host integer arrays
        assert state[key].shape == () and state[key].dtype.kind in "iu", key
        assert int(state[key]) == 1
    assert state["W/m"].shape == (3, 2) and state["b/v"].shape == (2,)
    np.testing.assert_allclose(state["W/m"], 0.1 * np.array(GW), rtol=1e-13)  # m = (1 - beta1) g
    np.testing.assert_allclose(state["W/v"], 0.001 * np.array(GW) ** 2, rtol=1e-13)  # v = (1 - beta2) g^2
    np.testing.assert_array_equal(state["b/m"], np.zeros(2))  # b had a zero gradient
    # a copy: changing it changes nothing in the optimizer
    state["W/m"][...] = 123.0
    assert not np.any(to_host(opt.state[lin.W]["m"]) == 123.0)


def test_step_counters_round_trip(device):
    """Each parameter's step count is saved and restored, and the resumed run continues exactly."""
    p0, p1 = param(P0, device), param([3.0, -1.0], device)
    opt = optimizer.AdamW(**ADAMW_HP)
    for i in range(3):
        set_grad(p0, np.array(G1) * (i + 1), device)
        if i == 2:
            set_grad(p1, [1.0, -0.5], device)
        opt.update([p0, p1])
    state = opt.state_dict([p0, p1])
    assert set(state) == {"kind", "iteration", "0/m", "0/v", "0/step", "1/m", "1/v", "1/step"}
    assert (int(state["iteration"]), int(state["0/step"]), int(state["1/step"])) == (3, 3, 1)
    q0, q1 = param(to_host(p0), device), param(to_host(p1), device)
    resumed = optimizer.AdamW(**ADAMW_HP)
    resumed.load_state_dict(state, [q0, q1])
    assert resumed.state[q0]["step"] == 3 and type(resumed.state[q0]["step"]) is int
    assert resumed.state[q1]["step"] == 1 and type(resumed.state[q1]["step"]) is int
    again = resumed.state_dict([q0, q1])
    assert set(again) == set(state)
    for key in state:
        assert again[key].dtype == state[key].dtype, key
        np.testing.assert_array_equal(again[key], state[key], err_msg=key)
    for o, ps in ((opt, (p0, p1)), (resumed, (q0, q1))):
        for g, p in zip((G2, [0.25, 0.75]), ps):
            set_grad(p, g, device)
        o.update(list(ps))
    np.testing.assert_array_equal(to_host(q0), to_host(p0))
    np.testing.assert_array_equal(to_host(q1), to_host(p1))
    assert (resumed.state[q0]["step"], resumed.state[q1]["step"]) == (4, 2)


def test_state_dict_of_a_parameter_list_is_named_by_position(device):
    p0, p1 = param([1.0, 2.0], device), param([3.0], device)
    set_grad(p0, [1.0, 1.0], device)
    set_grad(p1, [2.0], device)
    opt = optimizer.Momentum(learning_rate=0.1, momentum=0.5)
    opt.update([p0, p1])
    with pytest.raises(ValueError, match="state_dict"):
        opt.state_dict()  # no model known, state not empty
    state = opt.state_dict([p0, p1])
    assert set(state) == {"kind", "iteration", "0/v", "1/v"}
    np.testing.assert_allclose(state["0/v"], [-0.1, -0.1], rtol=1e-15)
    np.testing.assert_allclose(state["1/v"], [-0.2], rtol=1e-15)


def test_state_dict_of_a_fresh_optimizer():
    state = optimizer.Adam().state_dict()
    assert set(state) == {"kind", "iteration"} and int(state["iteration"]) == 0


def test_state_dict_names_nested_parameters(device):
    seq = model.Sequential(layer.Linear(2, in_size=3, dtype="float64"), F.relu,
                           layer.Linear(1, in_size=2, dtype="float64")).to(device)
    for p in seq.params():
        set_grad(p, np.ones(p.shape), device)
    opt = optimizer.RMSprop()
    opt.update(seq)
    assert set(opt.state_dict()) == {"kind", "iteration", "l0.W/v", "l0.b/v", "l2.W/v", "l2.b/v"}


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_loaded_optimizer_continues_exactly(device, factory):
    original_model, original = make_linear(device), factory()
    train_steps(original, original_model, device, [1.0, -2.0])
    state = original.state_dict()
    copy_model = make_linear(device)
    copy_model.load_state_dict(original_model.state_dict())
    resumed = factory()
    resumed.load_state_dict(state, copy_model)
    assert resumed.iteration == 2
    train_steps(original, original_model, device, [0.5, 3.0])
    train_steps(resumed, copy_model, device, [0.5, 3.0])
    np.testing.assert_array_equal(to_host(copy_model.W), to_host(original_model.W))
    np.testing.assert_array_equal(to_host(copy_model.b), to_host(original_model.b))
    assert resumed.iteration == original.iteration == 4


@pytest.mark.parametrize("factory", [f for _, f in STATEFUL], ids=[n for n, _ in STATEFUL])
def test_loaded_state_matters(device, factory):
    """Resuming without the state ends elsewhere: the state really carries information."""
    a, opt_a = make_linear(device), factory()
    train_steps(opt_a, a, device, [1.0, -2.0])
    b = make_linear(device)
    b.load_state_dict(a.state_dict())
    train_steps(opt_a, a, device, [0.5])
    train_steps(factory(), b, device, [0.5])
    assert not np.allclose(to_host(a.W), to_host(b.W), rtol=1e-9, atol=0)


def trained_and_pending(device):
    """An Adam trained two steps on a Linear, and a fresh Adam holding its state as pending (no model known
    yet), beside a copy of the Linear: (original_model, original, copy_model, resumed, state)."""
    original_model, original = make_linear(device), optimizer.Adam(alpha=0.1)
    train_steps(original, original_model, device, [1.0, -2.0])
    state = original.state_dict()
    copy_model = make_linear(device)
    copy_model.load_state_dict(original_model.state_dict())
    resumed = optimizer.Adam(alpha=0.1)
    resumed.load_state_dict(state)  # no model known yet: pending
    return original_model, original, copy_model, resumed, state


def test_load_state_dict_before_the_first_update_waits_for_the_model(device):
    original_model, original, copy_model, resumed, state = trained_and_pending(device)
    assert len(resumed.state) == 0
    train_steps(original, original_model, device, [0.5, 3.0])
    train_steps(resumed, copy_model, device, [0.5, 3.0])
    np.testing.assert_array_equal(to_host(copy_model.W), to_host(original_model.W))
    np.testing.assert_array_equal(to_host(copy_model.b), to_host(original_model.b))
    assert resumed.iteration == 4
    for p in copy_model.params():
        assert all(device_of(resumed.state[p][name]) == device for name in resumed.slots)
        assert resumed.state[p]["step"] == 4


def test_pending_state_for_a_parameter_list(device):
    p0, p1 = param([1.0, 2.0], device), param([3.0], device)
    opt = optimizer.Momentum(learning_rate=0.1, momentum=0.5)
    opt.load_state_dict({"iteration": np.asarray(7), "0/v": np.array([1.0, -1.0]), "1/v": np.array([2.0])})
    set_grad(p0, [1.0, 1.0], device)
    set_grad(p1, [0.0], device)
    opt.update([p0, p1])  # v = 0.5 v - 0.1 g
    close(p0, [1.0 + 0.4, 2.0 - 0.6])
    close(p1, [4.0])
    assert opt.iteration == 8


def test_pending_state_with_a_bad_entry_raises_at_the_first_update(device):
    lin = make_linear(device)
    W0 = to_host(lin.W).copy()
    opt = optimizer.Momentum()
    opt.load_state_dict({"iteration": 1, "X/v": np.zeros((3, 2))})
    set_grad(lin.W, GW, device)
    with pytest.raises(ValueError, match="X/v"):
        opt.update(lin)
    np.testing.assert_array_equal(to_host(lin.W), W0)


def test_pending_state_with_an_unknown_slot_raises_at_once(device):
    opt = optimizer.SGD(learning_rate=0.5)
    with pytest.raises(ValueError, match="W/h"):
        opt.load_state_dict({"iteration": 9, "W/h": np.zeros((3, 2))})
    lin = make_linear(device)
    W0 = to_host(lin.W).copy()
    set_grad(lin.W, GW, device)
    opt.update(lin)  # nothing was kept from the failed load
    assert opt.iteration == 1
    close(lin.W, W0 - 0.5 * np.array(GW))


def test_load_state_dict_with_a_layer_remembers_it_for_state_dict(device):
    state = adam_state(device)
    lin = make_linear(device)
    opt = optimizer.Adam()
    opt.load_state_dict(state, lin)
    again = opt.state_dict()  # no model passed: the one just loaded into
    assert set(again) == set(state)
    for key in state:
        np.testing.assert_array_equal(again[key], state[key])


def test_load_state_dict_casts_to_the_parameter_dtype_and_device(device):
    p = param([1.0, 2.0], device, dtype="float32")
    opt = optimizer.Momentum(learning_rate=0.1, momentum=0.5)
    opt.load_state_dict({"iteration": 3, "0/v": np.array([1.0, 2.0], dtype=np.float64)}, [p])
    value = opt.state[p]["v"]
    assert device_of(value) == device
    assert value.dtype == p.dtype
    assert opt.iteration == 3


def adam_state(device):
    lin = make_linear(device)
    opt = optimizer.Adam()
    train_steps(opt, lin, device, [1.0])
    return opt.state_dict()


@pytest.mark.parametrize("change, match", [
    (lambda s: s.update({"X/m": np.zeros((3, 2))}), "X/m"),
    (lambda s: s.update({"W/h": np.zeros((3, 2))}), "W/h"),
    (lambda s: s.update({"W/v": np.zeros((2, 3))}), "W/v"),
    (lambda s: s.update({"b/m": np.zeros((2, 1))}), "b/m"),
    (lambda s: s.pop("iteration"), "iteration"),
    (lambda s: s.update(iteration=np.array([1, 2])), "iteration"),
    (lambda s: s.update(iteration=np.zeros((1, 1), dtype=np.int64)), "iteration"),
    (lambda s: s.pop("W/step"), "W/step"),
    (lambda s: s.pop("b/m"), "b/m"),
    (lambda s: s.update({"W/step": np.array([1])}), "W/step"),
    (lambda s: s.update({"b/step": np.ones((3, 2), dtype=np.int64)}), "b/step"),
], ids=["unknown-parameter", "unknown-slot", "wrong-shape", "wrong-shape-same-size", "no-iteration",
        "iteration-shape-2", "iteration-shape-1x1", "no-step-counter", "no-slot", "step-shape-1",
        "step-shaped-like-the-parameter"])
def test_load_state_dict_errors_name_the_entry_and_change_nothing(device, change, match):
    state = adam_state(device)
    change(state)
    lin = make_linear(device)
    opt = optimizer.Adam()
    train_steps(opt, lin, device, [0.25, 0.5])
    before = {k: v.copy() for k, v in opt.state_dict().items()}
    with pytest.raises(ValueError, match=match):
        opt.load_state_dict(state, lin)
    after = opt.state_dict()
    assert set(after) == set(before) and opt.iteration == 2
    for key in before:
        np.testing.assert_array_equal(after[key], before[key])


def test_load_state_dict_of_another_optimizer_kind_raises(device):
    lin = make_linear(device)
    with pytest.raises(ValueError, match="entry 'kind': the state_dict of Adam does not fit Momentum"):
        optimizer.Momentum().load_state_dict(adam_state(device), lin)
    ada = optimizer.AdaGrad()
    train_steps(ada, lin, device, [1.0])
    with pytest.raises(ValueError, match="the state_dict of AdaGrad does not fit Adam"):
        optimizer.Adam().load_state_dict(ada.state_dict(), lin)
    with pytest.raises(ValueError, match="SGD"):  # SGD keeps nothing
        optimizer.SGD().load_state_dict(ada.state_dict(), lin)


def test_load_state_dict_without_iteration_raises_even_when_pending():
    with pytest.raises(ValueError, match="iteration"):
        optimizer.Adam().load_state_dict({"W/m": np.zeros((3, 2))})


def test_a_malformed_iteration_raises_before_anything_changes_even_when_pending(device):
    """"iteration" must be a single number: a (2,) array is refused, with or without a model, and neither
    the iteration nor a pending state nor the per-parameter state changes."""
    opt = optimizer.Adam()
    with pytest.raises(ValueError, match="iteration"):
        opt.load_state_dict({"iteration": np.array([3, 4])})
    assert opt.iteration == 0 and len(opt.state) == 0
    assert set(opt.state_dict()) == {"kind", "iteration"} and int(opt.state_dict()["iteration"]) == 0  # nothing pending

    state = adam_state(device)
    opt.load_state_dict(state)  # pending
    bad = dict(state, iteration=np.array([3, 4]))
    with pytest.raises(ValueError, match="iteration"):
        opt.load_state_dict(bad)
    assert opt.iteration == 1
    kept = opt.state_dict()  # the earlier pending state, intact
    assert set(kept) == set(state)
    lin = make_linear(device)
    with pytest.raises(ValueError, match="iteration"):
        opt.load_state_dict(bad, lin)
    assert opt.iteration == 1 and len(opt.state) == 0

    trained, lin = optimizer.Adam(), make_linear(device)
    train_steps(trained, lin, device, [1.0, 0.5])
    before = trained.state_dict()
    with pytest.raises(ValueError, match="iteration"):
        trained.load_state_dict(dict(before, iteration=np.array([7, 8])), lin)
    after = trained.state_dict()
    assert trained.iteration == 2 and set(after) == set(before)
    for key in before:
        np.testing.assert_array_equal(after[key], before[key])


@pytest.mark.parametrize("step", [np.asarray(-1), np.asarray(2.5), np.asarray(np.inf), np.asarray(True)],
                         ids=["negative", "fractional", "inf", "bool"])
def test_a_malformed_step_counter_is_refused(device, step):
    p = param(P0, device)
    opt = optimizer.Adam()
    state = {"iteration": np.asarray(3), "0/m": np.zeros(3), "0/v": np.zeros(3), "0/step": step}
    with pytest.raises(ValueError, match="0/step"):
        opt.load_state_dict(state, [p])


# ---- loading order, mismatched optimizers, misuse -----------------------------------------------------------


def test_explicit_load_replaces_an_earlier_pending_state(device):
    lin = make_linear(device)
    old = {"iteration": 1, "W/v": np.full((3, 2), 100.0), "b/v": np.full(2, 100.0)}
    new = {"iteration": 5, "W/v": np.zeros((3, 2)), "b/v": np.zeros(2)}
    opt = optimizer.Momentum(learning_rate=0.1, momentum=0.5)
    opt.load_state_dict(old)  # pending
    opt.load_state_dict(new, lin)  # explicit, more recent
    W0 = to_host(lin.W).copy()
    train_steps(opt, lin, device, [1.0])
    assert opt.iteration == 6
    close(lin.W, W0 - 0.1 * np.array(GW))


def test_state_dict_while_pending_gives_back_the_loaded_state(device):
    state = adam_state(device)
    opt = optimizer.Adam()
    opt.load_state_dict(state)
    again = opt.state_dict()
    assert set(again) == set(state)
    for key in state:
        np.testing.assert_array_equal(np.asarray(again[key]), state[key])


def test_state_dict_with_a_model_applies_a_pending_state(device):
    """A state loaded before any model was known is applied by state_dict(model): the full state comes back
    (m, v and step for every parameter), the optimizer holds it, and training continues exactly."""
    original_model, original, copy_model, resumed, state = trained_and_pending(device)
    assert len(resumed.state) == 0
    got = resumed.state_dict(copy_model)  # applies it
    assert set(got) == set(state) == {"kind", "iteration", "W/m", "W/v", "W/step", "b/m", "b/v", "b/step"}
    for key in state:
        assert got[key].dtype == state[key].dtype, key
        np.testing.assert_array_equal(got[key], state[key], err_msg=key)
    assert len(resumed.state) == 2 and resumed.iteration == 2
    for p in copy_model.params():
        assert resumed.state[p]["step"] == 2
        assert all(device_of(resumed.state[p][name]) == device for name in resumed.slots)
    assert set(resumed.state_dict()) == set(state)  # the model is now known
    train_steps(original, original_model, device, [0.5])
    train_steps(resumed, copy_model, device, [0.5])
    np.testing.assert_array_equal(to_host(copy_model.W), to_host(original_model.W))
    assert resumed.iteration == 3


def test_state_dict_with_a_parameter_list_applies_a_pending_state(device):
    p0, p1 = param([1.0, 2.0], device), param([3.0], device)
    opt = optimizer.Momentum(learning_rate=0.1, momentum=0.5)
    pending = {"iteration": np.asarray(7), "0/v": np.array([1.0, -1.0]), "1/v": np.array([2.0])}
    opt.load_state_dict(pending)
    got = opt.state_dict([p0, p1])
    assert set(got) == set(pending) | {"kind"} and int(got["iteration"]) == 7
    close(opt.state[p0]["v"], [1.0, -1.0])
    np.testing.assert_array_equal(got["1/v"], [2.0])


def test_a_pending_state_that_does_not_fit_stays_pending(device):
    """state_dict(model) raises naming the entry that does not fit, and keeps the pending state: it is
    cleared only when applying it succeeds."""
    lin = make_linear(device)
    opt = optimizer.Momentum()
    pending = {"iteration": np.asarray(4), "X/v": np.zeros((3, 2))}
    opt.load_state_dict(pending)
    with pytest.raises(ValueError, match="X/v"):
        opt.state_dict(lin)
    assert len(opt.state) == 0
    assert set(opt.state_dict()) == {"kind", "iteration", "X/v"}  # still pending
    set_grad(lin.W, GW, device)
    with pytest.raises(ValueError, match="X/v"):  # and still refused by update()
        opt.update(lin)
    good = {"iteration": np.asarray(4), "W/v": np.ones((3, 2)), "b/v": np.ones(2)}
    opt.load_state_dict(good, lin)  # an explicit load replaces it
    assert set(opt.state_dict()) == set(good) | {"kind"} and opt.iteration == 4


def test_loading_momentum_state_into_adam_raises(device):
    lin = make_linear(device)
    mom = optimizer.Momentum()
    train_steps(mom, lin, device, [1.0])
    with pytest.raises(ValueError, match="the state_dict of Momentum does not fit Adam"):
        optimizer.Adam().load_state_dict(mom.state_dict(), lin)


def test_update_with_a_single_parameter_is_refused(device):
    p = param([1.0, 2.0], device)
    set_grad(p, [1.0, 1.0], device)
    opt = optimizer.SGD(learning_rate=0.5)
    with pytest.raises(TypeError, match=r"\[param\]"):
        opt.update(p)
    close(p, [1.0, 2.0])
    assert opt.iteration == 0


def test_a_gradient_of_another_dtype_is_refused_before_the_hooks_run(device):
    """The dtype check comes first: the hooks never run, so every gradient is left as it was."""
    ok, p32 = param([1.0, 2.0], device), param([3.0, 4.0], device, dtype="float32")
    set_grad(ok, [1.0, 1.0], device)
    set_grad(p32, [1.0, 1.0], device, dtype="float64")
    g_ok, g_bad = ok.grad, p32.grad
    log = []
    opt = optimizer.Adam(hooks=[Recorder("scale", log, scale=2.0)])
    with pytest.raises(TypeError, match="float64 gradient for a float32 parameter"):
        opt.update([ok, p32])
    assert log == []
    assert ok.grad is g_ok and p32.grad is g_bad
    close(ok.grad, [1.0, 1.0])
    close(ok, [1.0, 2.0])
    close(p32, [3.0, 4.0])
    assert opt.iteration == 0 and len(opt.state) == 0


class ToFloat64:
    """A (faulty) hook that hands back float64 gradients."""

    def __call__(self, params):
        for p in params:
            p.grad = autograd.Variable(p.xp.astype(p.grad.data, p.xp.float64))


def test_a_hook_that_changes_the_gradient_dtype_is_refused(device):
    p = param([1.0, 2.0], device, dtype="float32")
    set_grad(p, [1.0, 1.0], device, dtype="float32")
    with pytest.raises(TypeError, match="float64 gradient for a float32 parameter"):
        optimizer.SGD(learning_rate=0.5, hooks=[ToFloat64()]).update([p])
    assert p.dtype == p.xp.float32


def test_a_gradient_of_another_dtype_is_refused(device):
    p = param([1.0, 2.0], device, dtype="float32")
    set_grad(p, [1.0, 1.0], device, dtype="float64")
    with pytest.raises(TypeError, match="float64 gradient for a float32 parameter"):
        optimizer.SGD(learning_rate=0.5).update([p])
    assert p.dtype == p.xp.float32
    close(p, [1.0, 2.0])


# ---- in-place updates: only into arrays the optimizer made ---------------------------------------------------

G3 = [0.75, -0.5, 1.25]
G4 = [2.0, -1.0, -0.25]
FOUR_GRADS = (G1, G2, G3, G4)
FORMULA_CASES = TWO_STEP_CASES[:6]  # every optimizer class, no hooks
FORMULA_IDS = [c[0] for c in FORMULA_CASES]
FORMULA_PARAMS = [c[1:4] for c in FORMULA_CASES]


def fresh_copy(array, device):
    """A new array with the values of ``array``, on ``device``, that nothing else holds."""
    return device.put(to_host(array).copy())


@pytest.mark.parametrize("factory, kind, hp", FORMULA_PARAMS, ids=FORMULA_IDS)
def test_an_array_the_user_assigned_is_never_written_into(device, factory, kind, hp):
    """p.data = arr (at the start and again midway): arr keeps its values, and every step equals both the
    formula and, exactly, a run whose parameter gets a fresh array before every step (no in-place path)."""
    expected = reference(kind, hp, grads=FOUR_GRADS)
    p, q = param([9.0, 9.0, 9.0], device), param(P0, device)
    first = device.put(np.array(P0))
    p.data = first
    opt_p, opt_q = factory(), factory()
    second = None
    for i, (g, want) in enumerate(zip(FOUR_GRADS, expected)):
        set_grad(p, g, device)
        set_grad(q, g, device)
        q.data = fresh_copy(q.data, device)
        opt_p.update([p])
        opt_q.update([q])
        close(p, want)
        np.testing.assert_array_equal(to_host(p), to_host(q))
        if i == 1:
            second = p.data = fresh_copy(p.data, device)  # handed in midway, with the current values
            assert p.data is not first
    np.testing.assert_array_equal(to_host(first), P0)
    np.testing.assert_array_equal(to_host(second), expected[1])
    assert p.data is not second and p.data is not first


@pytest.mark.parametrize("factory, kind, hp", FORMULA_PARAMS, ids=FORMULA_IDS)
def test_updates_after_the_first_write_in_place(device, factory, kind, hp):
    expected = reference(kind, hp, grads=FOUR_GRADS)
    p = param(P0, device)
    made_by_parameter = p.data
    opt = factory()
    set_grad(p, G1, device)
    opt.update([p])
    owned = p.data
    assert owned is not made_by_parameter  # the first update writes a new array...
    np.testing.assert_array_equal(to_host(made_by_parameter), P0)
    slots = {name: opt.state[p][name] for name in opt.slots}
    for g, want in zip(FOUR_GRADS[1:], expected[1:]):
        set_grad(p, g, device)
        opt.update([p])
        assert p.data is owned  # ...which later updates overwrite
        close(p, want)
        assert all(opt.state[p][name] is slots[name] for name in opt.slots)  # slots too


@pytest.mark.parametrize("factory, kind, hp", FORMULA_PARAMS, ids=FORMULA_IDS)
def test_the_first_update_after_a_load_writes_a_new_array(device, factory, kind, hp):
    """Layer.load_state_dict replaces p.data: the loaded array, and the caller's dict, keep their values."""
    expected = reference(kind, hp, grads=FOUR_GRADS)
    lin = layer.Layer()
    lin.p = param([9.0, 9.0, 9.0], device)
    opt = factory()
    initial = np.array(P0)
    state = {"p": initial}
    lin.load_state_dict(state)
    for i, (g, want) in enumerate(zip(FOUR_GRADS, expected)):
        loaded = lin.p.data
        set_grad(lin.p, g, device)
        opt.update(lin)
        close(lin.p, want)
        if i in (0, 2):
            assert lin.p.data is not loaded
            np.testing.assert_array_equal(to_host(loaded), P0 if i == 0 else expected[1])
        if i == 1:  # reload the current values from a host snapshot
            state = lin.state_dict()
            lin.load_state_dict(state)
            state["p"][...] = -7.0  # the caller's dict is not the parameter's array
    np.testing.assert_array_equal(initial, P0)
    np.testing.assert_array_equal(state["p"], [-7.0, -7.0, -7.0])


@pytest.mark.parametrize("factory, kind, hp", FORMULA_PARAMS, ids=FORMULA_IDS)
def test_the_first_update_after_a_move_writes_a_new_array(device, factory, kind, hp):
    """Layer.to another device replaces p.data: the moved array keeps its values; the steps follow the formula."""
    other = autograd.get_device("sim") if device == CPU else CPU
    expected = reference(kind, hp, grads=FOUR_GRADS)
    lin = layer.Layer()
    lin.p = param(P0, device)
    opt = factory()
    for i, (g, want) in enumerate(zip(FOUR_GRADS, expected)):
        if i == 2:
            lin.to(other)
            moved = lin.p.data
            assert device_of(moved) == other
        set_grad(lin.p, g, lin.p.device)
        opt.update(lin)
        close(lin.p, want, rtol=1e-13)
        if i == 2:
            assert lin.p.data is not moved
            close(moved, expected[1], rtol=1e-13)


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_state_dict_snapshots_do_not_change_when_training_goes_on(device, factory):
    lin, opt = make_linear(device), factory()
    train_steps(opt, lin, device, [1.0, -2.0])  # the in-place path is taken from now on
    model_state, opt_state = lin.state_dict(), opt.state_dict()
    kept = {**{k: v.copy() for k, v in model_state.items()}, **{"opt/" + k: v.copy() for k, v in opt_state.items()}}
    train_steps(opt, lin, device, [0.5, 3.0])
    for name, value in model_state.items():
        np.testing.assert_array_equal(value, kept[name], err_msg=name)
        assert not np.array_equal(value, to_host(getattr(lin, name)))  # training did change the parameter
    for key, value in opt_state.items():
        np.testing.assert_array_equal(value, kept["opt/" + key], err_msg=key)
    for key, value in opt.state_dict().items():
        if key.endswith(("/m", "/v", "/h")):
            assert not np.array_equal(value, opt_state[key]), key


@pytest.mark.parametrize("make", [lambda d: autograd.Parameter(np.float32(2.0), device=d),
                                  lambda d: autograd.Parameter(2.0, device=d)], ids=["numpy-scalar", "float"])
@pytest.mark.parametrize("factory, kind, hp", FORMULA_PARAMS, ids=FORMULA_IDS)
def test_a_0d_parameter_stays_a_0d_array(device, factory, kind, hp, make):
    grads = (0.5, -1.5, 0.25, 2.0)
    expected = reference(kind, hp, p0=2.0, grads=grads)
    p = make(device)
    opt = factory()
    owned = None
    for g, want in zip(grads, expected):
        set_grad(p, g, device, dtype="float32")
        opt.update([p])
        assert not isinstance(p.data, np.generic) and tuple(p.data.shape) == () and p.dtype == p.xp.float32
        assert device_of(p.data) == device
        for name in opt.slots:
            value = opt.state[p][name]
            assert not isinstance(value, np.generic) and tuple(value.shape) == ()
        close(p, want, rtol=1e-6)
        assert owned is None or p.data is owned
        owned = p.data


@pytest.mark.parametrize("cls, hp", [(optimizer.Adam, ADAM_HP), (optimizer.AdamW, ADAMW_HP)], ids=["adam", "adamw"])
def test_adam_moments_are_separate_arrays_even_when_loaded_from_one(device, cls, hp):
    p = param(P0, device)
    opt = cls(**hp)
    set_grad(p, G1, device)
    opt.update([p])
    m, v = opt.state[p]["m"], opt.state[p]["v"]
    assert m is not v
    close(m, (1 - hp["beta1"]) * np.array(G1))
    close(v, (1 - hp["beta2"]) * np.array(G1) ** 2)
    # one array for both moments in the loaded dict: each slot gets its own copy
    shared = np.array([0.5, 0.25, 2.0])
    opt = cls(**hp)
    opt.load_state_dict({"iteration": 3, "0/m": shared, "0/v": shared, "0/step": np.asarray(3)}, [p])
    p0 = to_host(p).copy()
    set_grad(p, G2, device)
    opt.update([p])
    assert opt.state[p]["m"] is not opt.state[p]["v"]
    b1, b2, g = hp["beta1"], hp["beta2"], np.array(G2)
    m = shared + (1 - b1) * (g - shared)
    v = shared + (1 - b2) * (g * g - shared)
    close(opt.state[p]["m"], m)
    close(opt.state[p]["v"], v)
    lr_t = hp["alpha"] * math.sqrt(1 - b2 ** 4) / (1 - b1 ** 4)
    close(p, (p0 - lr_t * m / (np.sqrt(v) + hp["eps"])) * (1 - lr_t * hp.get("weight_decay", 0.0)))
    np.testing.assert_array_equal(shared, [0.5, 0.25, 2.0])


@pytest.mark.parametrize("pending", [False, True], ids=["with-model", "pending"])
@pytest.mark.parametrize("factory", [f for _, f in STATEFUL], ids=[n for n, _ in STATEFUL])
def test_loaded_optimizer_state_is_not_the_callers_arrays(device, factory, pending):
    original_model, original = make_linear(device), factory()
    train_steps(original, original_model, device, [1.0, -2.0])
    state = original.state_dict()
    kept = {k: v.copy() for k, v in state.items()}
    copy_model = make_linear(device)
    copy_model.load_state_dict(original_model.state_dict())
    resumed = factory()
    resumed.load_state_dict(state, None if pending else copy_model)
    for key, value in state.items():  # the caller reuses its dict's arrays
        if key != "iteration" and not key.endswith("/step"):
            value[...] = 1e3
    train_steps(original, original_model, device, [0.5, 3.0])
    train_steps(resumed, copy_model, device, [0.5, 3.0])
    np.testing.assert_array_equal(to_host(copy_model.W), to_host(original_model.W))
    np.testing.assert_array_equal(to_host(copy_model.b), to_host(original_model.b))
    for key, value in state.items():  # and training does not write into them
        expected = kept[key] if key == "iteration" or key.endswith("/step") else np.full_like(value, 1e3)
        np.testing.assert_array_equal(value, expected, err_msg=key)


# ---- Parameter copies its data -------------------------------------------------------------------------------

def test_a_parameter_copies_the_array_it_is_made_from(device):
    a = np.ones(3, np.float32)
    p = autograd.Parameter(a)
    p.data[0] = 5.0
    np.testing.assert_array_equal(a, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(to_host(p), [5.0, 1.0, 1.0])
    on_device = device.put(np.array([1.0, 2.0]))
    q = autograd.Parameter(on_device, device=device)
    r = autograd.Parameter(on_device)
    assert q.data is not on_device and r.data is not on_device
    q.data[1] = -3.0
    r.data[0] = 7.0
    np.testing.assert_array_equal(to_host(on_device), [1.0, 2.0])
    np.testing.assert_array_equal(to_host(q), [1.0, -3.0])
    np.testing.assert_array_equal(to_host(r), [7.0, 2.0])


@pytest.mark.parametrize("source", ["data", "variable"])
@pytest.mark.parametrize("factory, kind, hp", FORMULA_PARAMS, ids=FORMULA_IDS)
def test_a_parameter_made_from_another_is_independent_of_its_updates(device, factory, kind, hp, source):
    expected = reference(kind, hp, grads=FOUR_GRADS)
    other = param(P0, device)
    opt = factory()
    for g in FOUR_GRADS[:2]:  # the in-place path is taken from the second update on
        set_grad(other, g, device)
        opt.update([other])
    copy = autograd.Parameter(other.data if source == "data" else other)
    assert copy.data is not other.data and copy.device == device
    for g in FOUR_GRADS[2:]:
        set_grad(other, g, device)
        opt.update([other])
    close(other, expected[3])
    close(copy, expected[1])
    # and the other way round: training the copy leaves the original alone
    opt2 = factory()
    set_grad(copy, G1, device)
    opt2.update([copy])
    set_grad(copy, G2, device)
    opt2.update([copy])
    close(other, expected[3])


# ---- bound at construction: Adam(model) or SGD(params) then update() -------------------------------------------


def set_linear_grads(lin, device, scale):
    set_grad(lin.W, np.array(GW) * scale, device)
    set_grad(lin.b, np.array(GB) * (1.0 - scale), device)


BOUND_STYLES = {  # how an optimizer gets the Linear it trains: (construction, one step)
    "unbound": (lambda factory, lin: factory(), lambda opt, lin: opt.update(lin)),
    "bound-layer": (lambda factory, lin: factory(params=lin), lambda opt, lin: opt.update()),
    "bound-list": (lambda factory, lin: factory(params=lin.params()), lambda opt, lin: opt.update()),
    "bound-tuple-step": (lambda factory, lin: factory(params=tuple(lin.params())), lambda opt, lin: opt.step()),
}


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_bound_and_unbound_optimizers_take_bit_identical_steps(device, factory):
    """Every way of giving the parameters (and step(), update()'s other name) gives the same bits, hooks
    included, and the same state."""
    runs = {}
    for style, (make, step) in BOUND_STYLES.items():
        lin = make_linear(device)
        opt = make(lambda **kw: factory(hooks=[hook.WeightDecay(0.05), hook.ClipGrad(2.0)], **kw), lin)
        for s in (1.0, -2.0, 0.5, 3.0):
            set_linear_grads(lin, device, s)
            step(opt, lin)
        assert opt.iteration == 4
        runs[style] = [to_host(p).copy() for p in lin.params()], opt.state_dict(lin)
    params, state = runs.pop("unbound")
    assert not np.array_equal(params[0], np.array(make_linear("cpu").state_dict()["W"]))  # it trained
    for style, (other_params, other_state) in runs.items():
        for a, b in zip(params, other_params):
            np.testing.assert_array_equal(a, b, err_msg=style)
        assert set(other_state) == set(state), style
        for key in state:
            np.testing.assert_array_equal(other_state[key], state[key], err_msg=f"{style}: {key}")


def test_a_bound_layer_is_asked_for_its_parameters_at_each_step(device):
    """Bound before its first call, a lazy MLP's weights (made by that call) are trained; a bound list is
    fixed at construction: a parameter left out of it is not updated, gradient or not."""
    autograd.seed(0)
    mlp = model.MLP([4, 1])
    opt = optimizer.Adam(mlp, alpha=0.1)
    x = autograd.Variable(np.ones((2, 3)), dtype="float32")
    mlp(x)
    assert len(mlp.params()) == 4
    before = [to_host(p).copy() for p in mlp.params()]
    F.sum(mlp(x)).backward()
    opt.update()
    assert len(opt.state) == 4 and opt.iteration == 1
    for p, b in zip(mlp.params(), before):
        assert not np.array_equal(to_host(p), b)

    lin = make_linear(device)
    b0 = to_host(lin.b).copy()
    only_W = optimizer.SGD([lin.W], learning_rate=0.5)
    set_linear_grads(lin, device, 0.5)
    W0 = to_host(lin.W).copy()
    only_W.update()
    close(lin.W, W0 - 0.25 * np.array(GW))
    np.testing.assert_array_equal(to_host(lin.b), b0)
    assert set(only_W.state_dict()) == {"kind", "iteration"}  # SGD keeps no state; named "0" if it did


def test_a_bound_list_is_named_by_position_and_counts_a_parameter_once(device):
    lin = make_linear(device)
    opt = optimizer.Momentum([lin.b, lin.W, lin.b], learning_rate=0.1, momentum=0.5)
    set_linear_grads(lin, device, 0.25)
    opt.update()
    assert set(opt.state_dict()) == {"kind", "iteration", "0/v", "1/v"}
    close(opt.state_dict()["0/v"], -0.1 * 0.75 * np.array(GB))
    close(opt.state_dict()["1/v"], -0.1 * 0.25 * np.array(GW))
    assert set(opt.state_dict(lin)) == {"kind", "iteration", "W/v", "b/v"}  # named after a model when given one


def test_hooks_of_a_bound_optimizer_run_in_order_before_the_update(device):
    lin = make_linear(device)
    W0 = to_host(lin.W).copy()
    log = []
    opt = optimizer.SGD(lin, learning_rate=0.1, hooks=[Recorder("first", log, scale=2.0), Recorder("second", log)])
    set_grad(lin.W, GW, device)  # b has no gradient: not handed to the hooks
    opt.update()
    assert [entry[0] for entry in log] == ["first", "second"]
    for name, params, data, grads, backprop in log:
        assert len(params) == 1 and params[0] is lin.W and backprop is False
        np.testing.assert_array_equal(data[0], W0)  # not updated yet
    np.testing.assert_array_equal(log[1][3][0], 2.0 * np.array(GW))  # the second hook sees the first one's work
    close(lin.W, W0 - 0.2 * np.array(GW))


@pytest.mark.parametrize("make, expected", [
    (lambda: optimizer.SGD(0.5), dict(learning_rate=0.5)),
    (lambda: optimizer.SGD(np.float32(0.25), [hook.WeightDecay(0.1)]), dict(learning_rate=0.25)),
    (lambda: optimizer.Momentum(0.1, 0.5), dict(learning_rate=0.1, momentum=0.5)),
    (lambda: optimizer.AdaGrad(1, 0.0), dict(learning_rate=1.0, eps=0.0)),
    (lambda: optimizer.RMSprop(0.05, 0.7, 1e-3), dict(learning_rate=0.05, rho=0.7, eps=1e-3)),
    (lambda: optimizer.Adam(0.1, 0.8, 0.9, 1e-3), ADAM_HP),
    (lambda: optimizer.AdamW(0.1, 0.8, 0.9, 1e-3, 0.2), ADAMW_HP),
], ids=["sgd", "sgd-hooks", "momentum", "adagrad-int", "rmsprop", "adam", "adamw"])
def test_positional_hyperparameters_still_come_first_without_parameters(make, expected):
    opt = make()
    for name, value in expected.items():
        assert getattr(opt, name) == value, name
    with pytest.raises(TypeError, match=f"{type(opt).__name__}.update: pass the model"):
        opt.update()  # unbound


def test_positional_hyperparameters_after_the_parameters(device):
    lin = make_linear(device)
    opt = optimizer.AdamW(lin, 0.1, 0.8, 0.9, 1e-3, 0.2, [hook.ClipGrad(1.0)])
    assert (opt.alpha, opt.beta1, opt.beta2, opt.eps, opt.weight_decay) == (0.1, 0.8, 0.9, 1e-3, 0.2)
    assert len(opt.hooks) == 1
    set_linear_grads(lin, device, 1.0)
    opt.update()
    assert len(opt.state) == 2
    with pytest.raises(TypeError, match="SGD: learning_rate must be a real number, got bool"):
        optimizer.SGD(True)


BAD_PARAMS = [
    (lambda p: optimizer.SGD("W"), TypeError, r"SGD: expected a Layer or a list of Parameters, got a list holding str"),
    (lambda p: optimizer.Momentum(object()), TypeError, r"Momentum: expected a Layer or a list of Parameters, got object"),
    (lambda p: optimizer.Adam(p), TypeError, r"Adam: expected a Layer or a list of Parameters, got one Parameter; "
                                             r"pass \[param\]"),
    (lambda p: optimizer.AdaGrad([p, 0.5]), TypeError, r"AdaGrad: .* got a list holding float 0.5"),
    (lambda p: optimizer.RMSprop([hook.ClipGrad(1.0)]), TypeError, r"RMSprop: .* got a list holding ClipGrad"),
    (lambda p: optimizer.AdamW([]), ValueError, r"AdamW: no Parameters"),
    (lambda p: optimizer.SGD(iter(())), ValueError, r"SGD: no Parameters"),
]


@pytest.mark.parametrize("make, error, match", BAD_PARAMS,
                         ids=["str", "object", "one-parameter", "number-in-list", "hooks-first", "empty", "empty-iter"])
def test_bad_parameters_at_construction_raise_naming_the_optimizer(device, make, error, match):
    with pytest.raises(error, match=match):
        make(param([1.0], device))


def test_update_of_a_bound_optimizer_takes_no_other_model(device):
    lin, other = make_linear(device), make_linear(device)
    W0 = to_host(lin.W).copy()
    opt = optimizer.Momentum(lin, learning_rate=0.1)
    set_linear_grads(lin, device, 1.0)
    set_linear_grads(other, device, 1.0)
    for wrong in (other, lin.params(), [lin.W]):
        with pytest.raises(ValueError, match="Momentum.update: given its parameters at construction, it takes no "
                                             "model; got a"):
            opt.update(wrong)
    assert opt.iteration == 0 and len(opt.state) == 0
    np.testing.assert_array_equal(to_host(lin.W), W0)
    np.testing.assert_array_equal(to_host(other.W), W0)
    opt.update(lin)  # its own Layer is accepted
    close(lin.W, W0 - 0.1 * np.array(GW))
    assert opt.iteration == 1



def step_side_by_side(device, *runs):
    """Two more steps, with the same gradients, for each (model, optimizer) pair."""
    for s in (0.5, 3.0):
        for model, opt in runs:
            set_linear_grads(model, device, s)
            opt.update()

def test_update_of_an_unbound_optimizer_refuses_what_is_not_parameters(device):
    opt = optimizer.SGD(learning_rate=0.1)
    with pytest.raises(TypeError, match=r"SGD.update: expected a Layer or a list of Parameters, got int 3"):
        opt.update(3)
    with pytest.raises(TypeError, match=r"SGD.update: .* got a list holding ndarray"):
        opt.update([np.ones(2)])
    assert opt.iteration == 0


@pytest.mark.parametrize("factory", [f for _, f in STATEFUL], ids=[n for n, _ in STATEFUL])
def test_a_bound_optimizer_state_dict_round_trip(device, factory):
    """state_dict() and load_state_dict(state) need no model when bound: the state is named after the bound
    Layer and applied at once (nothing pending), and the resumed run continues exactly."""
    original_model = make_linear(device)
    original = factory(params=original_model)
    train_steps(original, original_model, device, [1.0, -2.0])
    state = original.state_dict()
    assert set(state) == {"kind", "iteration"} | {f"{p}/{s}" for p in ("W", "b") for s in original.slots + original.counters}
    copy_model = make_linear(device)
    copy_model.load_state_dict(original_model.state_dict())
    resumed = factory(params=copy_model)
    resumed.load_state_dict(state)
    assert len(resumed.state) == 2 and resumed.iteration == 2  # applied, not pending
    for p in copy_model.params():
        assert all(device_of(resumed.state[p][slot]) == device for slot in resumed.slots)
    again = resumed.state_dict()
    for key in state:
        np.testing.assert_array_equal(again[key], state[key], err_msg=key)
    step_side_by_side(device, (original_model, original), (copy_model, resumed))
    np.testing.assert_array_equal(to_host(copy_model.W), to_host(original_model.W))
    np.testing.assert_array_equal(to_host(copy_model.b), to_host(original_model.b))
    listed = factory(params=[copy_model.W, copy_model.b])  # a bound list: named by position
    listed.load_state_dict({k.replace("W/", "0/").replace("b/", "1/"): v for k, v in state.items()})
    for slot in listed.slots:
        close(listed.state[copy_model.W][slot], state[f"W/{slot}"])


def test_checkpoint_of_a_bound_optimizer(device, tmp_path):
    from autograd import checkpoint

    original_model = make_linear(device)
    original = optimizer.Adam(original_model, alpha=0.1)
    train_steps(original, original_model, device, [1.0, -2.0])
    checkpoint.save(tmp_path / "run.npz", original_model, original, epoch=2)
    resumed_model = make_linear(device)
    resumed = optimizer.Adam(resumed_model, alpha=0.1)
    assert checkpoint.load(tmp_path / "run.npz", resumed_model, resumed) == {"epoch": 2}
    step_side_by_side(device, (original_model, original), (resumed_model, resumed))
    np.testing.assert_array_equal(to_host(resumed_model.W), to_host(original_model.W))
    assert resumed.iteration == 4 and resumed.state[resumed_model.W]["step"] == 4


def test_a_custom_optimizer_written_for_the_old_base_signature_still_works(device):
    class Halve(optimizer.Optimizer):
        def __init__(self, hooks=None):
            super().__init__(hooks)

        def update_one(self, p):
            p.data = p.data * 0.5  # assigning a new array is allowed too

    p = param([4.0], device)
    set_grad(p, [1.0], device)
    opt = Halve(hooks=[hook.WeightDecay(1.0)])
    opt.update([p])
    opt.update([p])
    close(p, [1.0])
    assert p.version == 2 and opt.iteration == 2
    with pytest.raises(NotImplementedError):
        optimizer.Optimizer(params=[p]).update()


# ---- issue 15: gradients that do not fit their parameter are refused before anything is written -------------

class Reshape:
    """A (faulty) custom hook that hands back gradients of another shape."""

    def __call__(self, params):
        for p in params:
            p.grad = autograd.Variable(p.xp.reshape(p.grad.data, (-1,)))


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_a_gradient_of_another_shape_is_refused_naming_the_parameter(device, factory):
    lin = make_linear(device)
    F.sum(lin(autograd.Variable([[1.0, 2.0, 3.0]], dtype="float64", device=device))).backward()
    W, b = to_host(lin.W).copy(), to_host(lin.b).copy()
    opt = factory(hooks=[Reshape()])
    with pytest.raises(ValueError, match=r"\.update, after the hooks: the gradient of parameter 'W' has shape "
                                         r"\(6,\), the parameter \(3, 2\)"):
        opt.update(lin)
    close(lin.W, W)
    close(lin.b, b)
    assert opt.iteration == 0 and len(opt.state) == 0


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_a_gradient_of_another_shape_in_a_list_is_named_by_position(device, factory):
    p, q = param([1.0, 2.0], device), param([[1.0, 2.0]], device)
    set_grad(p, [1.0, 1.0], device)
    set_grad(q, [1.0, 1.0], device)
    with pytest.raises(ValueError, match=r"the gradient of parameter '1' has shape \(2,\), the parameter \(1, 2\)"):
        factory().update([p, q])
    close(p, [1.0, 2.0])
    close(q, [[1.0, 2.0]])


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_a_gradient_on_another_device_is_a_device_error(device, factory):
    other = "sim" if device.name == "cpu" else "cpu"
    p = autograd.Parameter([1.0, 2.0], dtype="float32", device=device, name="w")
    p.grad = autograd.Variable([1.0, 1.0], dtype="float32", device=other)
    opt = factory()
    with pytest.raises(autograd.DeviceError, match=rf"\.update: the gradient of parameter '0' is on {other}, "
                                                   rf"the parameter on {device.name}"):
        opt.update([p])
    close(p, [1.0, 2.0], rtol=0)
    assert opt.iteration == 0 and len(opt.state) == 0


# ---- issue 15: an update is all or nothing --------------------------------------------------------------------

@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_a_failing_hook_leaves_no_half_applied_step(device, factory):
    """WeightDecay, then ClipGrad raising on an infinite gradient: the decayed gradients are put back, so a retry
    (after fixing the gradient) decays once, exactly as a clean step does."""
    def run(first_grad):
        p, q = param([1.0, -2.0], device), param([0.5], device)
        set_grad(p, [0.5, 1.0], device)
        set_grad(q, first_grad, device)
        opt = factory(hooks=[hook.WeightDecay(0.5), hook.ClipGrad(10.0, error_if_nonfinite=True)])
        return p, q, opt

    p, q, opt = run([math.inf])
    grads = (p.grad, q.grad)
    with pytest.raises(ValueError, match="ClipGrad: the total gradient norm"):
        opt.update([p, q])
    assert (p.grad, q.grad) == grads and opt.iteration == 0 and len(opt.state) == 0
    close(p.grad, [0.5, 1.0])
    close(p, [1.0, -2.0])
    set_grad(q, [0.25], device)  # the cause fixed: the retry is one clean step
    opt.update([p, q])
    clean_p, clean_q, clean = run([0.25])
    clean.update([clean_p, clean_q])
    close(p, to_host(clean_p))
    close(q, to_host(clean_q))
    close(p.grad, to_host(clean_p.grad))
    assert opt.iteration == clean.iteration == 1


def test_a_hook_that_drops_a_gradient_then_fails_puts_it_back(device):
    p = param([1.0], device)
    set_grad(p, [2.0], device)
    g = p.grad

    def fail(params):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        optimizer.SGD(hooks=[hook.FreezeParam(p), fail]).update([p])
    assert p.grad is g


# ---- issue 15: hyperparameters are checked on every assignment, as at construction -----------------------------

ASSIGNED = [
    (optimizer.SGD, "learning_rate", -1.0, ValueError), (optimizer.SGD, "learning_rate", -1, ValueError),
    (optimizer.Momentum, "learning_rate", math.nan, ValueError), (optimizer.Momentum, "momentum", 1.0, ValueError),
    (optimizer.AdaGrad, "eps", -1e-8, ValueError), (optimizer.AdaGrad, "learning_rate", "0.1", TypeError),
    (optimizer.RMSprop, "rho", 1.5, ValueError), (optimizer.RMSprop, "eps", True, TypeError),
    (optimizer.Adam, "alpha", -1e-3, ValueError), (optimizer.Adam, "beta1", 1.0, ValueError),
    (optimizer.Adam, "beta2", -0.5, ValueError), (optimizer.Adam, "eps", None, TypeError),
    (optimizer.AdamW, "beta1", 1.0, ValueError), (optimizer.AdamW, "weight_decay", -0.01, ValueError),
]


@pytest.mark.parametrize("cls, name, value, error", ASSIGNED,
                         ids=[f"{c.__name__}.{n}={v!r}" for c, n, v, _ in ASSIGNED])
def test_a_hyperparameter_assigned_later_is_checked_as_the_constructor_checks_it(cls, name, value, error):
    with pytest.raises(error) as at_construction:
        cls(**{name: value})
    opt = cls()
    before = getattr(opt, name)
    with pytest.raises(error) as assigned:
        setattr(opt, name, value)
    assert str(assigned.value) == str(at_construction.value)
    assert str(assigned.value).startswith(f"{cls.__name__}: {name} must be")
    assert getattr(opt, name) == before  # a refused value is not kept


def test_an_assigned_hyperparameter_is_kept_as_a_float_and_used(device):
    p = param([1.0], device)
    opt = optimizer.SGD([p], learning_rate=0.1)
    opt.learning_rate = 1  # an int becomes a float, as at construction
    assert type(opt.learning_rate) is float and opt.learning_rate == 1.0
    set_grad(p, [0.25], device)
    opt.update()
    close(p, [0.75])


# ---- issue 15: a state_dict records the optimizer's kind -------------------------------------------------------

KIND_PAIRS = [(optimizer.Momentum, optimizer.RMSprop), (optimizer.SGD, optimizer.Adam),
              (optimizer.Adam, optimizer.AdamW), (optimizer.AdaGrad, optimizer.Momentum)]


@pytest.mark.parametrize("saved_cls, loading_cls", KIND_PAIRS, ids=[f"{a.__name__}-into-{b.__name__}"
                                                                    for a, b in KIND_PAIRS])
def test_a_state_dict_of_another_kind_is_refused_naming_both(device, saved_cls, loading_cls, tmp_path):
    """Momentum's v loaded as RMSprop's v gave NaN after one step, SGD's empty state restarted Adam's moments
    silently: now refused (directly and through a checkpoint), before anything changes."""
    from autograd import checkpoint
    lin = make_linear(device)
    saved = saved_cls()
    train_steps(saved, lin, device, [1.0])
    state = saved.state_dict()
    assert to_host(state["kind"]).item() == saved_cls.__name__
    loading = loading_cls()
    train_steps(loading, lin, device, [0.5, 0.25])
    before = loading.state_dict()
    pattern = f"entry 'kind': the state_dict of {saved_cls.__name__} does not fit {loading_cls.__name__}$"
    with pytest.raises(ValueError, match=pattern):
        loading.load_state_dict(state, lin)
    with pytest.raises(ValueError, match=pattern):
        loading.load_state_dict(state)  # no model: checked all the same
    checkpoint.save(tmp_path / "run.npz", lin, saved)
    W = to_host(lin.W).copy()
    with pytest.raises(ValueError, match=pattern):
        checkpoint.load(tmp_path / "run.npz", make_linear(device), loading)
    after = loading.state_dict()
    assert set(after) == set(before) and loading.iteration == 2
    for key in before:
        np.testing.assert_array_equal(after[key], before[key], err_msg=key)
    close(lin.W, W)


def test_a_state_dict_saved_without_a_kind_still_loads(device):
    lin = make_linear(device)
    adam = optimizer.Adam()
    train_steps(adam, lin, device, [1.0])
    old = {key: value for key, value in adam.state_dict().items() if key != "kind"}  # as saved before the kind
    again = optimizer.Adam()
    again.load_state_dict(old, lin)
    assert again.iteration == 1 and to_host(again.state_dict()["kind"]).item() == "Adam"
    np.testing.assert_array_equal(to_host(again.state[lin.W]["m"]), to_host(adam.state[lin.W]["m"]))
    with pytest.raises(ValueError, match=r"entry 'W/m': RMSprop keeps \['v'\]"):  # the slots still tell
        optimizer.RMSprop().load_state_dict(old, lin)


# ---- issue 15: float16 parameters are updated in float32, with float32 state ----------------------------------

HALF_GRADS = ([0.0, 0.0, 0.0], [1e-6, -3e-5, 0.0], [0.5, -2.0, 1e-3], [0.0, 0.0, 0.0])


@pytest.mark.parametrize("factory", OPT_FACTORIES, ids=OPT_IDS)
def test_a_float16_parameter_with_zero_and_tiny_gradients_stays_finite(device, factory):
    """eps = 1e-8 is 0 in float16: Adam's, RMSprop's and AdaGrad's 0 / (sqrt(0) + eps) gave NaN. The update runs in
    float32 on float32 state and is rounded once into the parameter: it follows a float32 run of the same
    float16 gradients within float16 rounding, one half ulp per step."""
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16")
    half, full = param(P0, device, dtype="float16"), param(P0, device, dtype="float32")
    opt16, opt32 = factory(), factory()
    for step, g in enumerate(HALF_GRADS, start=1):
        g16 = np.asarray(g, dtype=np.float16)
        set_grad(half, g16, device, dtype="float16")
        set_grad(full, g16.astype(np.float32), device, dtype="float32")
        opt16.update([half])
        opt32.update([full])
        got = to_host(half)
        assert got.dtype == np.float16 and np.isfinite(got).all(), (step, got)
        np.testing.assert_allclose(got.astype(np.float32), to_host(full), rtol=step * 2.0 ** -11,
                                   atol=step * 2.0 ** -10)  # half an ulp at |p| = 2, where P0 starts
    assert half.dtype == half.xp.float16
    for name in opt16.slots:
        assert opt16.state[half][name].dtype == half.xp.float32
        np.testing.assert_allclose(to_host(opt16.state[half][name]), to_host(opt32.state[full][name]), rtol=1e-6)


def test_float16_state_round_trips_as_float32(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16")
    p = param(P0, device, dtype="float16")
    opt = optimizer.Adam([p])
    set_grad(p, [1e-4, 0.0, -1e-4], device, dtype="float16")
    opt.update()
    state = opt.state_dict()
    assert state["0/v"].dtype == np.float32 and state["0/v"][0] > 0  # 1e-8 is 0 in float16
    again = optimizer.Adam([p])
    again.load_state_dict(state)
    assert again.state[p]["v"].dtype == p.xp.float32
    np.testing.assert_array_equal(to_host(again.state[p]["v"]), state["0/v"])


# ---- pickle and deepcopy (issue 15) ------------------------------------------------------------------



@pytest.mark.parametrize("copy_of", [_pickled, _deep_copied], ids=["pickle", "deepcopy"])
def test_a_copied_model_and_optimizer_continue_as_the_original(device, copy_of):
    net = model.MLP([4, 2])
    x = autograd.Variable(np.linspace(-1.0, 1.0, 6, dtype=np.float32).reshape(2, 3), device=device)
    net(x)
    net.to(device)
    opt = optimizer.Adam(alpha=0.1, hooks=[hook.WeightDecay(0.01), hook.ClipGrad(1.0)])
    for _ in range(3):
        loss = F.sum(net(x) * net(x))
        net.cleargrads()
        loss.backward()
        opt.update(net)
    net2, opt2 = copy_of((net, opt))
    assert opt2.iteration == 3 and len(opt2.state) == len(opt.state) == 4
    for p, q in zip(net.params(), net2.params()):
        assert q in opt2.state and p not in opt2.state  # keyed by the copy's own parameters
        assert opt2.state[q]["step"] == 3 and device_of(opt2.state[q]["m"]) == device
        q.grad = autograd.Variable(to_host(p.grad).copy(), device=device)
    opt.update(net)
    opt2.update(net2)
    for p, q in zip(net.params(), net2.params()):
        np.testing.assert_array_equal(to_host(q), to_host(p))
    assert opt2.state_dict().keys() == opt.state_dict().keys()


@pytest.mark.parametrize("copy_of", [_pickled, _deep_copied], ids=["pickle", "deepcopy"])
@pytest.mark.parametrize("factory", [c[1] for c in TWO_STEP_CASES], ids=[c[0] for c in TWO_STEP_CASES])
def test_every_optimizer_and_its_hooks_copy(device, factory, copy_of):
    fresh = copy_of(factory())
    ref, p = factory(), param(P0, device)
    trained, q = factory(), param(P0, device)
    set_grad(q, G1, device)
    trained.update([q])
    q, trained = copy_of((q, trained))  # a list of parameters, not a Layer
    assert type(fresh) is type(ref) and [type(h) for h in fresh.hooks] == [type(h) for h in ref.hooks]
    for opt, r in ((fresh, p), (ref, param(P0, device))):
        for g in (G1, G2):
            set_grad(r, g, device)
            opt.update([r])
        if opt is fresh:
            first = to_host(r).copy()
        else:
            np.testing.assert_array_equal(to_host(r), first)
    set_grad(q, G2, device)
    trained.update([q])
    np.testing.assert_array_equal(to_host(q), first)


def test_a_bound_optimizer_pickles_with_its_model(device):
    net = layer.Linear(2, in_size=3)
    net.to(device)
    opt = optimizer.Momentum(net, learning_rate=0.1)
    for p in net.params():
        p.grad = autograd.Variable(np.ones(p.shape, dtype=np.float32), device=device)
    opt.update()
    net2, opt2 = _pickled((net, opt))
    assert opt2.param_groups[0]["params"] is net2
    for p, q in zip(net.params(), net2.params()):
        q.grad = autograd.Variable(np.ones(q.shape, dtype=np.float32), device=device)
        p.grad = autograd.Variable(np.ones(p.shape, dtype=np.float32), device=device)
    opt.update()
    opt2.update()
    for p, q in zip(net.params(), net2.params()):
        np.testing.assert_array_equal(to_host(q), to_host(p))


# ---- issue 16: parameter groups -----------------------------------------------------------------------------

def two_groups(device, cls, first, second, **defaults):
    """Two parameters, each in its own group with the hyperparameters `first` and `second`."""
    p, q = param(P0, device), param(P0, device)
    return p, q, cls([{"params": [p], **first}, {"params": [q], **second}], **defaults)


def step_both(opt, *params, grads=(G1, G2)):
    device = params[0].device
    for g in grads:
        for p in params:
            set_grad(p, g, device)
        opt.update()


@pytest.mark.parametrize("cls, kind, defaults, first, second", [
    (optimizer.AdamW, "adamw", ADAMW_HP, dict(weight_decay=0.5), dict(weight_decay=0.0, alpha=0.05)),
    (optimizer.SGD, "sgd", SGD_HP, dict(), dict(lr=0.3)),
    (optimizer.Momentum, "momentum", MOMENTUM_HP, dict(momentum=0.5), dict(learning_rate=0.02)),
    (optimizer.RMSprop, "rmsprop", RMSPROP_HP, dict(rho=0.9), dict(eps=0.1)),
], ids=["adamw", "sgd", "momentum", "rmsprop"])
def test_each_group_takes_its_own_hyperparameters(device, cls, kind, defaults, first, second):
    """A group's value wins over the constructor's; "lr" stands for the optimizer's learning rate."""
    p, q, opt = two_groups(device, cls, first, second, **defaults)
    step_both(opt, p, q)
    lr = {"lr": cls.lr_name}
    for x, group in ((p, first), (q, second)):
        hp = {**defaults, **{lr.get(k, k): v for k, v in group.items()}}
        close(x, reference(kind, hp)[-1])
    assert not np.array_equal(to_host(p), to_host(q))


def test_param_groups_have_pytorch_shape():
    p, q = autograd.Parameter([1.0]), autograd.Parameter([2.0])
    opt = optimizer.AdamW([{"params": [p], "weight_decay": 0.1}, {"params": q, "weight_decay": 0.0}], alpha=3e-4)
    assert opt.defaults == dict(alpha=3e-4, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)
    assert [dict(g) for g in opt.param_groups] == [
        dict(params=[p], alpha=3e-4, lr=3e-4, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1),
        dict(params=[q], alpha=3e-4, lr=3e-4, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0)]
    assert opt.alpha == 3e-4  # the groups agree
    with pytest.raises(AttributeError, match=r"AdamW.weight_decay: the parameter groups differ \(\[0.1, 0.0\]\)"):
        opt.weight_decay


def test_a_group_hyperparameter_assigned_later_takes_effect_under_either_name(device):
    p, q, opt = two_groups(device, optimizer.SGD, {}, {}, learning_rate=0.1)
    opt.param_groups[0]["lr"] = 1
    opt.param_groups[1]["learning_rate"] = 0.5
    assert [(g["lr"], g["learning_rate"]) for g in opt.param_groups] == [(1.0, 1.0), (0.5, 0.5)]
    assert type(opt.param_groups[0]["lr"]) is float
    step_both(opt, p, q, grads=(G1,))
    close(p, np.array(P0) - 1.0 * np.array(G1))
    close(q, np.array(P0) - 0.5 * np.array(G1))


def test_the_attribute_sets_every_group_and_the_default(device):
    p, q, opt = two_groups(device, optimizer.Adam, dict(alpha=0.5), dict(alpha=0.2), **ADAM_HP)
    opt.alpha = 0.1
    assert [g["alpha"] for g in opt.param_groups] == [0.1, 0.1] and opt.defaults["alpha"] == 0.1 == opt.alpha
    step_both(opt, p, q)
    close(p, reference("adam", ADAM_HP)[-1])
    close(q, reference("adam", ADAM_HP)[-1])
    assert "alpha" not in opt.__dict__  # the groups hold it; the attribute is theirs only during an update


GROUP_MISTAKES = [
    (lambda p: optimizer.AdamW([{"params": [p], "weight_decay": -0.1}]), ValueError,
     r"^AdamW: weight_decay must be in \[0.0, inf\), got -0.1"),
    (lambda p: optimizer.Adam([{"params": [p], "lr": -1e-3}]), ValueError, r"^Adam: lr \(alpha\) must be in"),
    (lambda p: optimizer.SGD([{"params": [p], "lr": "0.1"}]), TypeError,
     r"^SGD: lr \(learning_rate\) must be a real number, got str"),
    (lambda p: optimizer.SGD([{"params": [p]}, {"params": [p]}]), ValueError,
     r"^SGD.add_param_group: some parameters are in parameter group 0 already"),
    (lambda p: optimizer.SGD([{"lr": 0.1}]), ValueError, r"^SGD.add_param_group: a parameter group needs 'params'"),
    (lambda p: optimizer.SGD([{"params": [p]}, p]), TypeError, r"^SGD: expected a list of Parameters or a list of "
                                                              r"parameter group dicts, got a list mixing both"),
    (lambda p: optimizer.SGD([{"params": [p]}]).add_param_group([p]), TypeError,
     r"^SGD.add_param_group: expected a dict with 'params', got list"),
    (lambda p: optimizer.SGD().add_param_group({"params": [p]}), ValueError,
     r"^SGD.add_param_group: an optimizer given its parameters at each update has one group"),
    (lambda p: optimizer.SGD([{"params": ["W"]}]), TypeError, r"^SGD: params: expected a Layer or a list of "
                                                              r"Parameters, got a list holding str"),
    (lambda p: optimizer.Adam([p], lr=0.1, alpha=0.1), TypeError, r"^Adam: lr and alpha name one hyperparameter"),
    (lambda p: optimizer.SGD([{"params": []}]), ValueError, r"^SGD: no Parameters"),
]


@pytest.mark.parametrize("make, error, match", GROUP_MISTAKES, ids=[
    "decay", "lr-alias-range", "lr-alias-type", "twice", "no-params", "mixed", "not-a-dict", "unbound",
    "not-params", "lr-and-alpha", "empty"])
def test_group_mistakes_raise_naming_the_optimizer(device, make, error, match):
    with pytest.raises(error, match=match):
        make(param([1.0], device))


def test_a_group_hyperparameter_is_checked_at_assignment_and_kept_unchanged(device):
    p, q, opt = two_groups(device, optimizer.Momentum, {}, dict(momentum=0.5))
    for key, value, error in (("momentum", 1.0, ValueError), ("lr", -1.0, ValueError), ("learning_rate", None,
                              TypeError), ("momentum", True, TypeError)):
        with pytest.raises(error, match=r"^Momentum: (lr \(learning_rate\)|momentum|learning_rate) must be"):
            opt.param_groups[1][key] = value
    for refused in (dict(momentum=2.0), [("lr", -0.1)]):
        with pytest.raises(ValueError):
            opt.param_groups[1].update(refused)
    del opt.param_groups[1]["momentum"]
    with pytest.raises(ValueError, match="^Momentum: momentum must be"):
        opt.param_groups[1].setdefault("momentum", 5.0)
    assert opt.param_groups[1].setdefault("momentum", 0.5) == 0.5
    assert opt.param_groups[1].setdefault("name", "head") == "head"  # other keys are kept as given
    assert dict(opt.param_groups[1], params=None) == dict(params=None, learning_rate=0.01, lr=0.01, momentum=0.5,
                                                          name="head")


def test_add_param_group_takes_the_defaults_and_is_updated(device):
    p, q = param(P0, device), param(P0, device)
    opt = optimizer.Adam([p], **ADAM_HP)
    opt.add_param_group({"params": q, "beta1": 0.5})
    assert opt.param_groups[1]["params"] == [q] and opt.param_groups[1]["alpha"] == ADAM_HP["alpha"]
    step_both(opt, p, q)
    close(p, reference("adam", ADAM_HP)[-1])
    close(q, reference("adam", dict(ADAM_HP, beta1=0.5))[-1])
    with pytest.raises(ValueError, match="some parameters are in parameter group 1 already"):
        opt.add_param_group({"params": [param(P0, device), q]})
    assert len(opt.param_groups) == 2


def test_the_hooks_see_every_group_at_once_before_any_update(device):
    log = []
    p, q, opt = two_groups(device, optimizer.SGD, dict(lr=0.1), dict(lr=0.2))
    opt.hooks = [Recorder("a", log), hook.ClipGrad(1.0)]
    step_both(opt, p, q, grads=(G1,))
    assert len(log) == 1 and log[0][1] == [p, q]
    np.testing.assert_array_equal(log[0][2][1], P0)  # q not updated yet when the hooks ran
    g = np.array(G1 + G1)
    clipped = g * 1.0 / (np.sqrt(np.sum(g * g)) + 1e-6)  # one global norm over both groups
    close(p, np.array(P0) - 0.1 * clipped[:3])
    close(q, np.array(P0) - 0.2 * clipped[3:])


def test_a_frozen_group_parameter_is_skipped_and_the_others_updated(device):
    p, q, opt = two_groups(device, optimizer.Adam, {}, dict(alpha=0.5), **ADAM_HP)
    opt.hooks = [hook.FreezeParam(p)]
    step_both(opt, p, q)
    close(p, P0)
    close(q, reference("adam", dict(ADAM_HP, alpha=0.5))[-1])
    assert p not in opt.state and opt.state[q]["step"] == 2


def test_an_unbound_optimizer_has_one_group_of_params_none(device):
    opt = optimizer.SGD(learning_rate=0.1)
    assert [dict(g) for g in opt.param_groups] == [dict(params=None, learning_rate=0.1, lr=0.1)]
    opt.param_groups[0]["lr"] = 0.5
    p = param(P0, device)
    set_grad(p, G1, device)
    opt.update([p])
    close(p, np.array(P0) - 0.5 * np.array(G1))
    assert opt.learning_rate == 0.5


def test_a_group_may_be_a_layer_asked_at_each_step(device):
    lin, head = make_linear(device), make_linear(device)
    opt = optimizer.SGD([{"params": lin, "lr": 0.5}, {"params": head.params()}], learning_rate=0.1)
    for m in (lin, head):
        set_grad(m.W, GW, device)
        set_grad(m.b, GB, device)
    W0 = to_host(lin.W).copy()
    opt.update()
    close(lin.W, W0 - 0.5 * np.array(GW))
    close(head.W, W0 - 0.1 * np.array(GW))
    with pytest.raises(ValueError, match="given its parameters at construction, it takes no model"):
        opt.update(lin)
    opt.param_groups[1]["params"] = [lin.W]  # now in two groups: refused before anything is written
    with pytest.raises(ValueError, match=r"SGD.update: a parameter of group 1 is in an earlier group too"):
        opt.update()
    close(lin.W, W0 - 0.5 * np.array(GW))


def test_lr_is_accepted_by_the_constructors():
    assert optimizer.SGD(lr=0.5).learning_rate == 0.5
    assert optimizer.AdamW(lr=3e-4, weight_decay=0.1).alpha == 3e-4
    assert optimizer.RMSprop(lr=0.2).param_groups[0]["lr"] == 0.2


def test_grouped_state_is_named_by_position_over_the_groups_and_round_trips(device):
    p, q, opt = two_groups(device, optimizer.Adam, {}, dict(alpha=0.5), **ADAM_HP)
    step_both(opt, p, q, grads=(G1,))
    state = opt.state_dict()
    assert sorted(state) == ["0/m", "0/step", "0/v", "1/m", "1/step", "1/v", "iteration", "kind"]
    p2, q2 = param(to_host(p), device), param(to_host(q), device)
    again = optimizer.Adam([{"params": [p2]}, {"params": [q2], "alpha": 0.5}], **ADAM_HP)
    again.load_state_dict(state)
    step_both(opt, p, q, grads=(G2,))
    step_both(again, p2, q2, grads=(G2,))
    np.testing.assert_array_equal(to_host(p2), to_host(p))
    np.testing.assert_array_equal(to_host(q2), to_host(q))
    close(q, reference("adam", dict(ADAM_HP, alpha=0.5))[-1])


@pytest.mark.parametrize("copy_of", [_pickled, _deep_copied], ids=["pickle", "deepcopy"])
def test_grouped_optimizers_copy_with_their_checks(device, copy_of):
    p, q, opt = two_groups(device, optimizer.AdamW, {}, dict(weight_decay=0.0), **ADAMW_HP)
    step_both(opt, p, q, grads=(G1,))
    p2, q2, opt2 = copy_of((p, q, opt))
    assert opt2.param_groups[0]["params"][0] is p2 and opt2.param_groups[1]["params"][0] is q2
    with pytest.raises(ValueError, match="AdamW: weight_decay must be"):
        opt2.param_groups[1]["weight_decay"] = -1.0
    step_both(opt, p, q, grads=(G2,))
    step_both(opt2, p2, q2, grads=(G2,))
    np.testing.assert_array_equal(to_host(q2), to_host(q))
    close(q, reference("adamw", dict(ADAMW_HP, weight_decay=0.0))[-1])


def test_a_custom_optimizer_reads_its_groups_values_as_attributes(device):
    class Scaled(optimizer.Optimizer):
        hyperparameters = {"rate": dict(low=0.0)}
        lr_name = "rate"

        def __init__(self, params=None, rate=0.1):
            super().__init__(None, params)
            self.rate = rate

        def rule(self, param, data, grad):
            data -= self.rate * grad

    p, q = param(P0, device), param(P0, device)
    opt = Scaled([{"params": [p]}, {"params": [q], "lr": 1.0}])
    step_both(opt, p, q, grads=(G1,))
    close(p, np.array(P0) - 0.1 * np.array(G1))
    close(q, np.array(P0) - 1.0 * np.array(G1))
