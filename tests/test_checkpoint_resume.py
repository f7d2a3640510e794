"""Resuming from a checkpoint is exact: the random streams and a shuffling loader's place in its epoch are saved,
so a run stopped at any step (mid-epoch included) and resumed in a fresh model, optimizer and loader ends with
the very parameters of a run never interrupted."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import checkpoint, data, layer, model, optimizer
from autograd.backend import get_rng_state, load_npz, save_npz, set_rng_state

STEPS = 20  # 30 examples in batches of 4: 8 batches an epoch, the last of 2


def _dataset():
    rng = np.random.default_rng(5)
    return data.Dataset(rng.standard_normal((30, 4)), rng.integers(0, 3, 30))


def _run(device, path, stop_at=None, resume=False, rng=True, with_loader=True):
    """Train STEPS steps (an MLP with dropout, Adam, a shuffling loader) on `device`; with `stop_at`, save a
    checkpoint after that step and stop; with `resume`, go on from it in fresh objects. The final state_dict."""
    autograd.seed(123 if resume else 0)  # a resumed run starts from other streams: only the checkpoint's count
    net = model.Sequential(layer.Linear(16), F.relu, layer.Dropout(0.3), layer.Linear(3)).to(device)
    opt = optimizer.Adam(alpha=0.01)
    loader = data.DataLoader(_dataset(), batch_size=4, shuffle=True, device=device)
    step = 0
    if resume:
        step = checkpoint.load(path, net, opt, loader=loader if with_loader else None, rng=rng)["step"]
    while step < STEPS:
        for x, t in loader:
            loss = F.cross_entropy(net(x), t)
            net.cleargrads()
            loss.backward()
            opt.update(net)
            step += 1
            if step == stop_at:
                checkpoint.save(path, net, opt, loader=loader, step=step)
                return None
            if step == STEPS:
                break
    return net.state_dict()


def _assert_same(got, expected):
    assert sorted(got) == sorted(expected)
    for name in expected:
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)


@pytest.mark.parametrize("stop_at", [1, 3, 8, 13])  # mid-epoch, an epoch just finished, mid second epoch
def test_a_run_resumed_from_a_checkpoint_ends_exactly_as_one_never_interrupted(device, tmp_path, stop_at):
    path = tmp_path / "run.npz"
    uninterrupted = _run(device, path)
    _run(device, path, stop_at=stop_at)
    resumed = _run(device, path, resume=True)
    _assert_same(resumed, uninterrupted)


def test_the_resume_test_notices_lost_random_state_or_a_lost_place_in_the_epoch(device, tmp_path):
    """The check of the check: leave out the streams, or the loader's place, and the run ends elsewhere."""
    path = tmp_path / "run.npz"
    uninterrupted = _run(device, path)
    _run(device, path, stop_at=3)
    for kwds in ({"rng": False}, {"with_loader": False}):
        resumed = _run(device, path, resume=True, **kwds)
        assert any(not np.array_equal(resumed[n], uninterrupted[n]) for n in uninterrupted), kwds


def test_the_file_holds_the_streams_and_the_loaders_place(tmp_path):
    path = tmp_path / "run.npz"
    _run("cpu", path, stop_at=3)
    arrays = load_npz(path)
    assert {"rng/host", "loader/order", "loader/position", "loader/batch_size"} <= set(arrays)
    assert arrays["loader/position"].item() == 3 and arrays["loader/batch_size"].item() == 4
    assert sorted(arrays["loader/order"].tolist()) == list(range(30))
    assert arrays["rng/host"].dtype == np.uint8


def test_a_checkpoint_without_random_state_still_loads_and_leaves_the_streams(tmp_path):
    """A checkpoint written before the streams were saved (no rng/ entries) loads as it did."""
    path = tmp_path / "old.npz"
    autograd.seed(0)
    lin = layer.Linear(2, in_size=3)
    save_npz(path, {f"model/{name}": array for name, array in lin.state_dict().items()} | {"extra/epoch": 4})
    autograd.seed(1)
    expected = autograd.get_device("cpu").randn((3,), "float32")
    autograd.seed(1)
    fresh = layer.Linear(2, in_size=3)  # draws, as it would in the uninterrupted order
    assert checkpoint.load(path, fresh) == {"epoch": 4}
    np.testing.assert_array_equal(fresh.state_dict()["W"], lin.state_dict()["W"])
    autograd.seed(1)
    np.testing.assert_array_equal(autograd.to_host(autograd.get_device("cpu").randn((3,), "float32")),
                                  autograd.to_host(expected))


def test_loading_with_a_loader_from_a_file_without_its_state_raises_and_changes_nothing(tmp_path):
    path = tmp_path / "run.npz"
    autograd.seed(0)
    checkpoint.save(path, layer.Linear(2, in_size=3))
    target = layer.Linear(2, in_size=3)
    before = target.state_dict()
    loader = data.DataLoader(_dataset(), batch_size=4)
    with pytest.raises(ValueError, match=r"run.npz holds no data loader state"):
        checkpoint.load(path, target, loader=loader)
    _assert_same(target.state_dict(), before)


def test_a_loader_state_that_does_not_fit_raises_and_changes_nothing(tmp_path):
    path = tmp_path / "run.npz"
    _run("cpu", path, stop_at=3)
    target = model.Sequential(layer.Linear(16), F.relu, layer.Dropout(0.3), layer.Linear(3))
    state = get_rng_state()
    with pytest.raises(ValueError, match=r"saved with batch_size=4, this loader has batch_size=5"):
        checkpoint.load(path, target, optimizer.Adam(alpha=0.01), loader=data.DataLoader(_dataset(), batch_size=5))
    assert target.params() == []  # the lazy model got nothing
    for name, array in get_rng_state().items():
        np.testing.assert_array_equal(array, state[name])


def test_a_malformed_random_state_raises_naming_the_file_and_changes_nothing(tmp_path):
    path = tmp_path / "run.npz"
    autograd.seed(0)
    lin = layer.Linear(2, in_size=3)
    checkpoint.save(path, lin)
    arrays = load_npz(path)
    arrays["rng/host"] = arrays["rng/host"][:-5]
    save_npz(path, arrays)
    target = layer.Linear(2, in_size=3)
    before, state = target.state_dict(), get_rng_state()
    with pytest.raises(ValueError, match=r"checkpoint.load: .*run.npz: set_rng_state: the host random state is "
                                         r"malformed"):
        checkpoint.load(path, target)
    _assert_same(target.state_dict(), before)
    np.testing.assert_array_equal(get_rng_state()["host"], state["host"])


# ---- the pieces: the streams, the loader's state ----------------------------------------------------------

def test_set_rng_state_replays_parameter_init_dropout_and_shuffling(device):
    autograd.seed(7)
    _ = data.DataLoader(_dataset(), batch_size=4)  # nothing drawn yet
    state = get_rng_state()

    def draws():
        w = layer.Linear(3, in_size=2).W.data
        mask = F.dropout(autograd.Variable(np.ones((4, 5), dtype=np.float32), device=device), 0.5).data
        order = [t.data for _, t in data.DataLoader(_dataset(), batch_size=30)]
        return [autograd.to_host(a) for a in (w, mask, *order)]

    first = draws()
    set_rng_state(state)
    again = draws()
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)


def test_set_rng_state_restores_the_seed_that_later_devices_start_from():
    from autograd.backend import _random

    autograd.seed(11)
    state = get_rng_state()
    autograd.seed(12)
    set_rng_state(state)
    assert _random.current_seed() == 11


@pytest.mark.parametrize("state, match", [
    ({}, r"no 'host' entry"),
    ({"host": np.frombuffer(b"{}", dtype=np.uint8)}, r"host random state is malformed: KeyError"),
    ({"host": np.frombuffer(b"\xff\xfe", dtype=np.uint8)}, r"host random state is malformed"),
])
def test_set_rng_state_refuses_a_malformed_state_changing_nothing(state, match):
    before = get_rng_state()["host"]
    with pytest.raises(ValueError, match=match):
        set_rng_state(state)
    np.testing.assert_array_equal(get_rng_state()["host"], before)


def test_set_rng_state_refuses_a_generator_state_for_a_device_that_draws_on_the_host():
    state = get_rng_state() | {"cpu": np.zeros(4, dtype=np.uint8)}
    with pytest.raises(ValueError, match=r"the state of cpu is uint8 \(4,\), its generator has none"):
        set_rng_state(state)


def test_set_rng_state_skips_a_device_this_machine_lacks():
    state = get_rng_state() | {"cuda:7": np.zeros(4, dtype=np.uint8)}
    set_rng_state(state)  # a GPU run resumed on a machine without that GPU


def test_a_loader_resumes_its_epoch_in_the_same_order_then_shuffles_anew(device):
    autograd.seed(3)
    loader = data.DataLoader(_dataset(), batch_size=4, shuffle=True, device=device)
    batches = iter(loader)
    seen = [autograd.to_host(next(batches)[1]) for _ in range(5)]
    state, streams = loader.state_dict(), get_rng_state()
    rest = [autograd.to_host(t) for _, t in batches] + [autograd.to_host(t) for _, t in loader]

    autograd.seed(4)
    again = data.DataLoader(_dataset(), batch_size=4, shuffle=True, device=device)
    again.load_state_dict(state)
    set_rng_state(streams)
    resumed = [autograd.to_host(t) for _, t in again] + [autograd.to_host(t) for _, t in again]
    assert len(resumed) == len(rest) == 3 + 8
    for a, b in zip(resumed, rest):
        np.testing.assert_array_equal(a, b)
    assert sorted(np.concatenate(seen + rest[:3]).tolist()) == sorted(_dataset().t.tolist())


def test_a_new_iteration_without_load_state_dict_starts_a_new_epoch():
    loader = data.DataLoader(_dataset(), batch_size=4, shuffle=False)
    next(iter(loader))
    assert len(list(loader)) == 8
    assert loader.state_dict()["position"].item() == 0  # that epoch ran to its end: none is in progress


def test_a_seq_loader_resumes_at_its_time_step():
    seq = data.sin_curve(num=41)
    loader = data.SeqDataLoader(seq, batch_size=4)
    batches = iter(loader)
    _ = [next(batches) for _ in range(3)]
    again = data.SeqDataLoader(seq, batch_size=4)
    again.load_state_dict(loader.state_dict())
    expected = [autograd.to_host(x) for x, _ in batches]
    got = [autograd.to_host(x) for x, _ in again]
    assert len(got) == len(expected) == 10 - 3
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("change, match", [
    (lambda s: s.pop("order"), r"expected entries \['batch_size', 'order', 'position'\]"),
    (lambda s: s.update(order=np.arange(29)), r"order int64 \(29,\) is not a permutation of this loader's 30"),
    (lambda s: s.update(order=np.zeros(30, dtype=np.int64)), r"not a permutation"),
    (lambda s: s.update(position=np.asarray(9)), r"position 9 is outside this loader's 8 batches"),
    (lambda s: s.update(position=np.asarray(1.5)), r"position and batch_size must be integers"),
    (lambda s: s.update(batch_size=np.asarray(2)), r"saved with batch_size=2, this loader has batch_size=4"),
])
def test_load_state_dict_refuses_a_state_that_does_not_fit_changing_nothing(change, match):
    loader = data.DataLoader(_dataset(), batch_size=4, shuffle=False)
    batches = iter(loader)
    next(batches)
    state = loader.state_dict()
    change(state)
    fresh = data.DataLoader(_dataset(), batch_size=4, shuffle=False)
    with pytest.raises(ValueError, match=r"^DataLoader.load_state_dict: .*" + match):
        fresh.load_state_dict(state)
    assert len(list(fresh)) == 8  # still a whole new epoch


def _epochs(device, path, stop_at=None, resume=False):
    """Two epochs of `for epoch in range(start, 2): for x, t in loader:` (4 batches an epoch, no dropout), saving
    `epoch` with the checkpoint after batch `stop_at` of epoch 0; the batches seen, as lists of first features."""
    autograd.seed(7 if resume else 0)
    loader = data.DataLoader(data.Dataset(np.arange(16.0).reshape(8, 2), np.zeros(8, int)), batch_size=2,
                             device=device)
    net, start, seen = layer.Linear(1, in_size=2).to(device), 0, []
    if resume:
        start = checkpoint.load(path, net, loader=loader)["epoch"]
    for epoch in range(start, 2):
        for i, (x, t) in enumerate(loader):
            seen.append(autograd.to_host(x)[:, 0].tolist())
            if epoch == 0 and i == stop_at:
                checkpoint.save(path, net, loader=loader, epoch=epoch)
                return seen
    return seen


@pytest.mark.parametrize("stop_at", [0, 3])  # mid-epoch, and during the epoch's last batch
def test_a_resume_in_an_epoch_loop_sees_the_batches_an_uninterrupted_run_sees(device, tmp_path, stop_at):
    """Saved during the last batch, the epoch is not over until the loop asks for one more: the resumed loader
    gives the (empty) rest of that epoch, then the next epoch, never that epoch again."""
    path = tmp_path / "run.npz"
    uninterrupted = _epochs(device, path)
    before = _epochs(device, path, stop_at=stop_at)
    assert before + _epochs(device, path, resume=True) == uninterrupted


def test_an_epoch_iterated_to_its_end_leaves_no_epoch_in_progress():
    loader = data.DataLoader(data.Dataset(np.arange(4.0).reshape(4, 1), np.zeros(4, int)), 2, shuffle=False)
    batches = iter(loader)
    next(batches), next(batches)
    assert int(loader.state_dict()["position"]) == 2  # in the last batch: the epoch is still in progress
    assert list(batches) == []
    state = loader.state_dict()
    assert state["order"].size == 0 and int(state["position"]) == 0
