"""no_grad, enable_grad and test_mode: graph recording switches that are context-local and always restore."""
import asyncio
import threading

import numpy as np
import pytest

import autograd
from autograd import Variable, config, enable_grad, is_training, no_grad, test_mode, to_host


class _Boom(Exception):
    pass


def _records_graph():
    x = Variable(np.array([1.0, 2.0]))
    return (x * 2.0).creator is not None


def test_defaults():
    assert config.backprop_enabled() is True
    assert is_training() is True
    assert _records_graph()


def test_no_grad_records_no_graph_and_restores(device):
    x = Variable(np.array([1.0, 2.0]), device=device)
    with no_grad():
        assert config.backprop_enabled() is False
        y = x * 2.0
        z = autograd.function.sin(y)
    assert y.creator is None and z.creator is None
    np.testing.assert_allclose(to_host(y), [2.0, 4.0])
    assert config.backprop_enabled() is True
    w = x * 2.0
    assert w.creator is not None
    w.backward()
    np.testing.assert_allclose(to_host(x.grad), [2.0, 2.0])


def test_no_grad_output_backward_does_not_reach_inputs():
    x = Variable(np.array([1.0, 2.0]))
    with no_grad():
        y = x * 3.0
    y.backward()
    assert x.grad is None
    np.testing.assert_allclose(to_host(y.grad), [1.0, 1.0])


def test_no_grad_restores_when_the_block_raises():
    with pytest.raises(_Boom):
        with no_grad():
            assert not config.backprop_enabled()
            raise _Boom
    assert config.backprop_enabled() is True
    assert _records_graph()


def test_nested_no_grad_and_enable_grad():
    with no_grad():
        assert not _records_graph()
        with enable_grad():
            assert config.backprop_enabled() is True
            assert _records_graph()
            with no_grad():
                assert not _records_graph()
            assert _records_graph()
        assert not _records_graph()
        with no_grad():
            assert not _records_graph()
        assert not _records_graph()  # the inner no_grad restores False, not the default
    assert _records_graph()
    with enable_grad():
        assert _records_graph()
    assert _records_graph()


def test_enable_grad_restores_when_the_block_raises():
    with no_grad():
        with pytest.raises(_Boom):
            with enable_grad():
                raise _Boom
        assert config.backprop_enabled() is False
    assert config.backprop_enabled() is True


def test_backward_inside_no_grad_works_and_restores():
    x = Variable(np.array(3.0))
    y = x ** 2
    with no_grad():
        y.backward(create_graph=True)
        assert config.backprop_enabled() is False  # backward restored the surrounding setting
    assert to_host(x.grad).item() == 6.0
    assert x.grad.creator is not None  # create_graph=True records even inside no_grad
    gx = x.grad
    x.cleargrad()
    gx.backward()
    assert to_host(x.grad).item() == 2.0


def test_backward_restores_the_setting_when_a_backward_raises():
    class Broken(autograd.Function):
        def forward(self, x):
            return x

        def backward(self, gy):
            raise _Boom

    x = Variable(np.array(1.0))
    y = Broken()(x)
    with pytest.raises(_Boom):
        y.backward(create_graph=False)
    assert config.backprop_enabled() is True


def test_test_mode_toggles_is_training_and_restores():
    assert is_training() is True
    with test_mode():
        assert is_training() is False
        with test_mode():
            assert is_training() is False
        assert is_training() is False
        assert config.backprop_enabled() is True  # test_mode does not switch off the graph
    assert is_training() is True
    with pytest.raises(_Boom):
        with test_mode():
            raise _Boom
    assert is_training() is True


def test_no_grad_and_test_mode_are_independent():
    with no_grad():
        assert is_training() is True
        with test_mode():
            assert is_training() is False and config.backprop_enabled() is False
        assert is_training() is True and config.backprop_enabled() is False
    assert is_training() is True and config.backprop_enabled() is True


def _run_threads(*targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as e:  # noqa: BLE001  (reported to the main thread)
                errors.append(e)
        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
        assert not t.is_alive(), "thread hung"
    if errors:
        raise errors[0]


def test_a_new_thread_sees_the_defaults_while_the_main_thread_is_in_no_grad():
    seen = {}

    def worker():
        seen["backprop"] = config.backprop_enabled()
        seen["training"] = is_training()
        seen["records"] = _records_graph()

    with no_grad(), test_mode():
        _run_threads(worker)
        assert config.backprop_enabled() is False  # the thread did not change ours either
        assert is_training() is False
    assert seen == {"backprop": True, "training": True, "records": True}


def test_a_thread_entering_no_grad_does_not_affect_the_main_thread():
    inside = threading.Event()
    checked = threading.Event()

    def worker():
        with no_grad():
            inside.set()
            assert checked.wait(10)
            assert config.backprop_enabled() is False
            assert not _records_graph()

    t = threading.Thread(target=worker)
    t.start()
    try:
        assert inside.wait(10)
        assert config.backprop_enabled() is True
        assert _records_graph()
    finally:
        checked.set()
        t.join(10)
    assert not t.is_alive()


def test_two_threads_toggling_no_grad_do_not_disturb_each_other():
    """Lockstep rounds: in each phase one thread is inside no_grad() and the other outside, and both check."""
    rounds = 50
    barrier = threading.Barrier(2, timeout=10)
    log = {"a": [], "b": []}

    def player(me, first):
        for r in range(rounds):
            # phase 1: `first` is inside no_grad, the other outside
            if first:
                with no_grad():
                    barrier.wait()
                    log[me].append((r, 1, config.backprop_enabled(), _records_graph()))
                    barrier.wait()
                barrier.wait()
                log[me].append((r, 2, config.backprop_enabled(), _records_graph()))
                barrier.wait()
            else:
                barrier.wait()
                log[me].append((r, 1, config.backprop_enabled(), _records_graph()))
                barrier.wait()
                with no_grad():
                    barrier.wait()
                    log[me].append((r, 2, config.backprop_enabled(), _records_graph()))
                    barrier.wait()

    _run_threads(lambda: player("a", True), lambda: player("b", False))
    assert log["a"] == [e for r in range(rounds) for e in [(r, 1, False, False), (r, 2, True, True)]]
    assert log["b"] == [e for r in range(rounds) for e in [(r, 1, True, True), (r, 2, False, False)]]
    assert config.backprop_enabled() is True


def test_two_threads_toggling_test_mode_do_not_disturb_each_other():
    rounds = 50
    barrier = threading.Barrier(2, timeout=10)
    log = {"a": [], "b": []}

    def player(me, inside):
        for _ in range(rounds):
            if inside:
                with test_mode():
                    barrier.wait()
                    log[me].append(is_training())
                    barrier.wait()
            else:
                barrier.wait()
                log[me].append(is_training())
                barrier.wait()
            inside = not inside

    _run_threads(lambda: player("a", True), lambda: player("b", False))
    assert log["a"] == [False, True] * (rounds // 2)
    assert log["b"] == [True, False] * (rounds // 2)


def test_asyncio_tasks_have_their_own_setting():
    async def inside():
        with no_grad():
            await asyncio.sleep(0.01)
            return config.backprop_enabled()

    async def outside():
        await asyncio.sleep(0.005)  # runs while `inside` is suspended in its no_grad block
        return config.backprop_enabled()

    async def main():
        return await asyncio.gather(inside(), outside())

    assert asyncio.run(main()) == [False, True]
    assert config.backprop_enabled() is True
