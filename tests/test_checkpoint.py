"""checkpoint.save / checkpoint.load: model, optimizer state and extras in one .npz, on any device."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, checkpoint, hook, model, optimizer, to_host
from autograd.backend import CPU, device_of, load_npz


def _data(device):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 4)).astype(np.float32)
    t = rng.standard_normal((6, 1)).astype(np.float32)
    return Variable(x, device=device, requires_grad=False), Variable(t, device=device, requires_grad=False)


def _adam():
    return optimizer.Adam(alpha=0.01, hooks=[hook.WeightDecay(1e-4), hook.ClipGrad(1.0)])


def _trained(device, steps=3, opt=None, sizes=(5, 1)):
    """An MLP (weights drawn with seed 0) trained ``steps`` steps on ``device``, and its optimizer."""
    autograd.seed(0)
    mlp = model.MLP(list(sizes)).to(device)
    opt = opt or _adam()
    x, t = _data(device)
    for _ in range(steps):
        loss = F.mean_squared_error(mlp(x), t)
        mlp.cleargrads()
        loss.backward()
        opt.update(mlp)
    return mlp, opt


def _fresh(device, sizes=(5, 1)):
    """A model of the same shape with other weights, built (not lazy), on ``device``."""
    autograd.seed(99)
    mlp = model.MLP(list(sizes))
    with autograd.no_grad():
        mlp(Variable(np.ones((1, 4), dtype=np.float32)))
    return mlp.to(device)


def _assert_state_equal(got, expected):
    assert sorted(got) == sorted(expected)
    for key in expected:
        assert got[key].dtype == expected[key].dtype, key
        np.testing.assert_array_equal(got[key], expected[key], err_msg=key)


def _rewrite(path, change):
    """Rewrite the checkpoint at ``path`` with ``change(dict_of_arrays)`` applied."""
    arrays = load_npz(path)
    change(arrays)
    np.savez(path, **arrays)


# ---- round trips ----------------------------------------------------------------------------------------

def test_save_and_load_restore_parameters_optimizer_state_and_extras(device, tmp_path):
    mlp, opt = _trained(device)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt, epoch=3)

    mlp2, opt2 = _fresh(device), _adam()
    extra = checkpoint.load(path, mlp2, opt2)

    assert extra == {"epoch": 3}
    assert type(extra["epoch"]) is int
    _assert_state_equal(mlp2.state_dict(), mlp.state_dict())
    _assert_state_equal(opt2.state_dict(mlp2), opt.state_dict(mlp))
    assert opt2.iteration == opt.iteration == 3
    for _, p in mlp2.named_params():
        assert p.device == device
        assert p.dtype == mlp.l0.b.dtype
        for slot in ("m", "v"):
            assert device_of(opt2.state[p][slot]) == device


def test_the_file_holds_named_sections(tmp_path):
    mlp, opt = _trained(CPU, steps=2)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt, epoch=1)
    names = set(load_npz(path))
    params = [name for name, _ in mlp.named_params()]
    assert params == ["l0.W", "l0.b", "l1.W", "l1.b"]
    assert names == ({f"model/{n}" for n in params} | {"optimizer/kind", "optimizer/iteration", "extra/epoch",
                                                     "rng/host"}
                     | {f"optimizer/{n}/{s}" for n in params for s in ("m", "v", "step")})
    assert load_npz(path)["optimizer/iteration"].item() == 2
    for n in params:
        step = load_npz(path)[f"optimizer/{n}/step"]
        assert step.shape == () and step.dtype.kind in "iu" and step.item() == 2


def test_extras_come_back_as_python_numbers_or_host_arrays(device, tmp_path):
    mlp, opt = _trained(device, steps=1)
    path = tmp_path / "run.npz"
    on_device = Variable(np.array([1.5, 2.5], dtype=np.float32), device=device)
    checkpoint.save(path, mlp, opt, epoch=7, lr=0.125, best=True, history=on_device,
                    norm=device.put(np.asarray(0.5, dtype=np.float32)))
    extra = checkpoint.load(path, _fresh(device), _adam())
    assert sorted(extra) == ["best", "epoch", "history", "lr", "norm"]
    assert extra["epoch"] == 7 and type(extra["epoch"]) is int
    assert extra["lr"] == 0.125 and type(extra["lr"]) is float
    assert extra["best"] is True
    assert extra["norm"] == 0.5 and type(extra["norm"]) is float
    assert type(extra["history"]) is np.ndarray
    np.testing.assert_array_equal(extra["history"], np.array([1.5, 2.5], dtype=np.float32))


def test_save_without_optimizer_and_load_without_optimizer(device, tmp_path):
    mlp, _ = _trained(device)
    path = tmp_path / "weights.npz"
    checkpoint.save(path, mlp)
    assert all(name.startswith("model/") for name in set(load_npz(path)) - {"rng/host"})
    mlp2 = _fresh(device)
    assert checkpoint.load(path, mlp2) == {}
    _assert_state_equal(mlp2.state_dict(), mlp.state_dict())


def test_a_cpu_checkpoint_loads_onto_the_models_device(device, tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt, epoch=3)
    mlp2, opt2 = _fresh(device), _adam()
    checkpoint.load(path, mlp2, opt2)
    for name, p in mlp2.named_params():
        assert device_of(p.data) == device, name
        np.testing.assert_array_equal(to_host(p), mlp.state_dict()[name])
        for slot in ("m", "v"):
            assert device_of(opt2.state[p][slot]) == device
    _assert_state_equal(opt2.state_dict(mlp2), opt.state_dict(mlp))


def test_a_lazy_model_gets_its_weights_created_on_its_device(device, tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    lazy = model.MLP([5, 1]).to(device)  # no parameter created yet
    assert lazy.named_params() == []
    checkpoint.load(path, lazy, _adam())
    assert [name for name, _ in lazy.named_params()] == ["l0.W", "l0.b", "l1.W", "l1.b"]
    for _, p in lazy.named_params():
        assert p.device == device
    _assert_state_equal(lazy.state_dict(), mlp.state_dict())
    x, _ = _data(device)
    with autograd.no_grad():
        np.testing.assert_allclose(to_host(lazy(x)), to_host(mlp(_data(CPU)[0])), rtol=1e-5, atol=1e-6)


def test_an_optimizer_never_updated_round_trips_its_iteration(device, tmp_path):
    mlp = _fresh(device)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, _adam())
    opt2 = _adam()
    opt2.iteration = 5
    checkpoint.load(path, _fresh(device), opt2)
    assert opt2.iteration == 0
    assert len(opt2.state) == 0


def test_a_momentum_checkpoint_round_trips(device, tmp_path):
    mlp, opt = _trained(device, opt=optimizer.Momentum(learning_rate=0.05, momentum=0.9))
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    mlp2, opt2 = _fresh(device), optimizer.Momentum(learning_rate=0.05, momentum=0.9)
    checkpoint.load(path, mlp2, opt2)
    _assert_state_equal(opt2.state_dict(mlp2), opt.state_dict(mlp))
    assert any(np.abs(v).max() > 0 for k, v in opt2.state_dict(mlp2).items() if k.endswith("/v"))


def _optimizer_entries(path):
    return {k: v for k, v in load_npz(path).items() if k.startswith("optimizer/")}


def test_save_after_loading_into_an_optimizer_that_knew_no_model_writes_the_full_state(device, tmp_path):
    """optimizer.load_state_dict(state) with no model leaves the state pending; checkpoint.save passes the
    model to state_dict(model), which applies it: the file gets every m, v and step entry."""
    mlp, opt = _trained(device)
    checkpoint.save(tmp_path / "a.npz", mlp, opt)
    saved = _optimizer_entries(tmp_path / "a.npz")
    assert {k.rsplit("/", 1)[1] for k in saved if k not in ("optimizer/kind", "optimizer/iteration")} == {"m", "v", "step"}

    mlp2, opt2 = _fresh(device), _adam()
    mlp2.load_state_dict(mlp.state_dict())
    opt2.load_state_dict(opt.state_dict(mlp))  # pending: opt2 knows no model yet
    checkpoint.save(tmp_path / "b.npz", mlp2, opt2)
    _assert_state_equal(_optimizer_entries(tmp_path / "b.npz"), saved)
    for _, p in mlp2.named_params():  # and opt2 now holds it
        assert opt2.state[p]["step"] == 3
        assert device_of(opt2.state[p]["m"]) == device


def test_save_after_load_into_a_fresh_optimizer_writes_the_same_optimizer_state(device, tmp_path):
    mlp, opt = _trained(device)
    checkpoint.save(tmp_path / "a.npz", mlp, opt, epoch=3)
    mlp2, opt2 = _fresh(device), _adam()
    checkpoint.load(tmp_path / "a.npz", mlp2, opt2)
    checkpoint.save(tmp_path / "b.npz", mlp2, opt2, epoch=3)
    _assert_state_equal(load_npz(tmp_path / "b.npz"), load_npz(tmp_path / "a.npz"))


# ---- errors ---------------------------------------------------------------------------------------------

def test_load_with_an_optimizer_but_no_optimizer_state_raises(tmp_path):
    mlp, _ = _trained(CPU)
    path = tmp_path / "weights.npz"
    checkpoint.save(path, mlp)
    mlp2, opt2 = _fresh(CPU), _adam()
    before = mlp2.state_dict()
    with pytest.raises(ValueError, match="no optimizer state"):
        checkpoint.load(path, mlp2, opt2)
    _assert_state_equal(mlp2.state_dict(), before)  # nothing changed
    assert opt2.iteration == 0


def test_a_foreign_entry_raises_naming_it(tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    _rewrite(path, lambda a: a.update(stray_entry=np.zeros(2)))
    mlp2 = _fresh(CPU)
    before = mlp2.state_dict()
    with pytest.raises(ValueError, match="stray_entry"):
        checkpoint.load(path, mlp2, _adam())
    _assert_state_equal(mlp2.state_dict(), before)


def test_an_unknown_model_entry_raises_naming_it(tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    _rewrite(path, lambda a: a.update({"model/l9.W": np.zeros((2, 2), dtype=np.float32)}))
    with pytest.raises(ValueError, match="l9.W"):
        checkpoint.load(path, _fresh(CPU), _adam())


def test_a_wrongly_shaped_parameter_raises_naming_it_and_changes_nothing(device, tmp_path):
    mlp, opt = _trained(CPU, sizes=(5, 1))
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    other = _fresh(device, sizes=(3, 1))
    before = other.state_dict()
    with pytest.raises(ValueError, match=r"'l0\.W'.*\(4, 3\).*\(4, 5\)"):
        checkpoint.load(path, other, _adam())
    _assert_state_equal(other.state_dict(), before)


def test_a_missing_parameter_raises_naming_it_and_changes_nothing(tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    _rewrite(path, lambda a: a.pop("model/l1.b"))
    mlp2 = _fresh(CPU)
    before = mlp2.state_dict()
    with pytest.raises(ValueError, match=r"'l1\.b'"):
        checkpoint.load(path, mlp2, _adam())
    _assert_state_equal(mlp2.state_dict(), before)


def test_an_optimizer_entry_of_an_unknown_slot_raises_naming_it(tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    _rewrite(path, lambda a: a.update({"optimizer/l0.b/zz": np.zeros(5, dtype=np.float32)}))
    opt2 = _adam()
    with pytest.raises(ValueError, match="l0.b/zz"):
        checkpoint.load(path, _fresh(CPU), opt2)
    assert opt2.iteration == 0 and len(opt2.state) == 0


def test_a_wrongly_shaped_optimizer_entry_raises_naming_it(tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    _rewrite(path, lambda a: a.update({"optimizer/l1.W/m": np.zeros((2, 2), dtype=np.float32)}))
    with pytest.raises(ValueError, match="l1.W/m"):
        checkpoint.load(path, _fresh(CPU), _adam())


@pytest.mark.parametrize("change, match", [
    (lambda a: a.update({"optimizer/iteration": np.array([3, 3])}), "iteration"),
    (lambda a: a.pop("optimizer/l0.W/step"), "l0.W/step"),
    (lambda a: a.update({"optimizer/l1.b/step": np.array([3])}), "l1.b/step"),
], ids=["iteration-shape-2", "no-step", "step-shape-1"])
def test_a_malformed_optimizer_counter_raises_and_changes_nothing(tmp_path, change, match):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    _rewrite(path, change)
    mlp2, opt2 = _fresh(CPU), _adam()
    before = mlp2.state_dict()
    with pytest.raises(ValueError, match=match):
        checkpoint.load(path, mlp2, opt2)
    _assert_state_equal(mlp2.state_dict(), before)
    assert opt2.iteration == 0 and len(opt2.state) == 0


def test_load_without_optimizer_ignores_the_optimizer_entries(tmp_path):
    """What the code does: with optimizer=None the optimizer section is neither applied nor checked, and it
    is not returned among the extras."""
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt, epoch=2)
    _rewrite(path, lambda a: a.update({"optimizer/no.such/param": np.zeros(3)}))  # would fail with one
    mlp2 = _fresh(CPU)
    assert checkpoint.load(path, mlp2) == {"epoch": 2}
    _assert_state_equal(mlp2.state_dict(), mlp.state_dict())
    with pytest.raises(ValueError, match="no.such/param"):
        checkpoint.load(path, _fresh(CPU), _adam())


# ---- nothing changes when a part is refused; lazy models on the device they were moved to -------------

def test_a_refused_optimizer_state_leaves_the_model_unchanged(tmp_path):
    mlp, opt = _trained(CPU)
    path = tmp_path / "run.npz"
    checkpoint.save(path, mlp, opt)
    mlp2 = _fresh(CPU)
    before = mlp2.state_dict()
    with pytest.raises(ValueError, match="Momentum"):
        checkpoint.load(path, mlp2, optimizer.Momentum())
    _assert_state_equal(mlp2.state_dict(), before)


def test_a_model_with_no_parameters_yet_gets_them_on_the_device_it_was_moved_to(device, tmp_path):
    from autograd import layer

    source = model.Sequential(layer.Linear(3, in_size=2, nobias=True))
    checkpoint.save(tmp_path / "w.npz", source)
    target = model.Sequential(layer.Linear(3, nobias=True)).to(device)
    assert target.params() == []
    checkpoint.load(tmp_path / "w.npz", target)
    assert device_of(target.l0.W.data) == device
    np.testing.assert_array_equal(to_host(target.l0.W), to_host(source.l0.W))
