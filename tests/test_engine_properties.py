"""Property-based tests (hypothesis) of the backward engine's invariants on random graphs.

A drawn program builds a graph on two or three leaves of shape (2, 2): each step applies one op (add, sub, mul,
sin, tanh, a transpose view, a reversed basic-index view) to earlier nodes, so nodes are shared and gradients
accumulate along several paths; the loss is the sum of the last node and of one other. Properties:
  * backward, `cleargrad` on every leaf, backward again: the same gradients, bit for bit (retain_grad or not);
  * an op that raises on its first backward (a ValueError or a KeyboardInterrupt, at a drawn place): the failed
    pass leaves every leaf's earlier gradient as it was, and the retry equals one clean pass on the same graph;
  * the gradients agree with `numerical.gradcheck` (first and second order).
Derandomized, no database; 15 examples per property on cpu, 5 on other devices: a few seconds in all.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd.function as F
from autograd import Variable, to_host
from autograd.numerical import gradcheck
from test_variable import _FailsOnce  # the identity whose first backward raises

OPS = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "sin": (1, F.sin),
    "tanh": (1, F.tanh),
    "T": (1, lambda a: a.T),
    "reversed": (1, lambda a: a[::-1]),
}


def property_settings(device):
    return settings(max_examples=15 if device.name == "cpu" else 5, deadline=None, derandomize=True,
                    database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def programs(draw):
    """(number of leaves, steps, the other node summed into the loss, leaf values); a step is (op, operands)."""
    n_leaves = draw(st.integers(2, 3))
    steps = []
    for i in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(sorted(OPS)))
        arity = OPS[name][0]
        steps.append((name, [draw(st.integers(0, n_leaves + i - 1)) for _ in range(arity)]))
    other = draw(st.integers(0, n_leaves + len(steps) - 1))
    values = draw(st.lists(st.lists(st.floats(-1.5, 1.5), min_size=4, max_size=4), min_size=n_leaves,
                           max_size=n_leaves))
    return n_leaves, steps, other, values


def build(program, leaves, fail_at=None, error=None):
    """The loss of `program` on `leaves`; with `error`, node `fail_at` (an operand of the last step) goes through a
    _FailsOnce raising it there."""
    _, steps, other, _ = program
    nodes = list(leaves)
    for i, (name, operands) in enumerate(steps):
        args = [nodes[k] for k in operands]
        if error is not None and i == len(steps) - 1:  # the last step: on the loss's path
            failing = _FailsOnce(error)(nodes[fail_at])  # one failing op per graph
            args = [failing if k == fail_at else a for a, k in zip(args, operands)]
        nodes.append(OPS[name][1](*args))
    return F.sum(nodes[-1]) + F.sum(nodes[other] * 0.5)


def make_leaves(program, device):
    return [Variable(np.reshape(v, (2, 2)), device=device) for v in program[3]]


def grads(leaves):
    return [None if x.grad is None else to_host(x.grad).copy() for x in leaves]


def assert_same(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert (a is None) == (e is None)
        if a is not None:
            np.testing.assert_array_equal(a, e)


def test_backward_after_cleargrad_gives_the_same_gradients(device):
    @property_settings(device)
    @given(program=programs(), retain_grad=st.booleans())
    def check(program, retain_grad):
        leaves = make_leaves(program, device)
        loss = build(program, leaves)
        loss.backward(retain_grad=retain_grad)
        first = grads(leaves)
        for x in leaves:
            x.cleargrad()
        loss.backward(retain_grad=retain_grad)
        assert_same(grads(leaves), first)

    check()


def test_an_aborted_then_retried_backward_equals_a_clean_one(device):
    @property_settings(device)
    @given(program=programs(), data=st.data(), interrupt=st.booleans(), retain_grad=st.booleans(),
           create_graph=st.booleans())
    def check(program, data, interrupt, retain_grad, create_graph):
        fail_at = data.draw(st.sampled_from(program[1][-1][1]))  # an operand of the last step
        error = KeyboardInterrupt() if interrupt else ValueError("a formula failed")
        clean = make_leaves(program, device)
        build(program, clean).backward(retain_grad=retain_grad, create_graph=create_graph)
        leaves = make_leaves(program, device)
        earlier = [Variable(np.full((2, 2), 10.0 * (i + 1)), device=device) for i in range(len(leaves))]
        for x, g in zip(leaves, earlier):
            x.grad = g  # an earlier pass's gradients: kept through the failure, then added to
        loss = build(program, leaves, fail_at, error)
        with pytest.raises(type(error)):
            loss.backward(retain_grad=retain_grad, create_graph=create_graph)
        assert all(x.grad is g for x, g in zip(leaves, earlier))
        loss.backward(retain_grad=retain_grad, create_graph=create_graph)
        for x, g, c in zip(leaves, earlier, grads(clean)):
            expected = to_host(g) + (0.0 if c is None else c)
            np.testing.assert_allclose(to_host(x.grad), expected, rtol=1e-12, atol=1e-12)

    check()


def test_gradients_agree_with_gradcheck(device):
    @property_settings(device)
    @given(program=programs())
    def check(program):
        assert gradcheck(lambda *xs: build(program, xs), *make_leaves(program, device))

    check()
