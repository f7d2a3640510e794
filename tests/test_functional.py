"""autograd.grad (the engine's gradients of chosen inputs, touching no .grad) and autograd.functional (vjp, jvp,
hvp, jacobian, hessian), checked against analytic values and central differences on every device."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Function, Parameter, Variable, grad, model, numerical, to_host
from autograd.backend import dtype_name


def var(values, device, **kwargs):
    return Variable(np.asarray(values, dtype=np.float64), device=device, **kwargs)


def close(actual, expected, rtol=1e-7, atol=1e-12):
    np.testing.assert_allclose(to_host(actual), np.asarray(expected), rtol=rtol, atol=atol)


W0 = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]])
X0 = np.array([1.0, 2.0, 3.0])


def _quadratic(device):
    """y = Σ h², h = W x: dy/dh = 2h, dy/dx = 2 Wᵀ W x, dy/dW = 2 h xᵀ."""
    W, x = var(W0, device), var(X0, device)
    h = F.matmul(W, x)
    return W, x, h, F.sum(h * h)


# ---- autograd.grad ---------------------------------------------------------------------------------------


def test_grad_gives_the_gradients_of_the_inputs_only(device):
    W, x, h, y = _quadratic(device)
    gx, = grad(y, x)
    gW, gh = grad(y, [W, h])  # an intermediate input, as in PyTorch
    h0 = W0 @ X0
    close(gx, 2 * W0.T @ h0)
    close(gW, 2 * np.outer(h0, X0))
    close(gh, 2 * h0)
    assert gx.device == device and gx.requires_grad is False and gx.creator is None
    assert W.grad is x.grad is h.grad is y.grad is None  # nothing touched


def test_grad_leaves_every_existing_grad_as_it_was(device):
    W, x, h, y = _quadratic(device)
    y.backward(retain_grad=True)
    before = {v: to_host(v.grad).copy() for v in (W, x, h, y)}
    grad(y, [x, h])
    grad(y, W, create_graph=True)
    for v, g in before.items():
        close(v.grad, g)


def test_grad_is_a_single_result_per_input_in_a_tuple(device):
    _, x, _, y = _quadratic(device)
    result = grad(y, [x, x])
    assert isinstance(result, tuple) and len(result) == 2
    close(result[0], to_host(result[1]))


def test_grad_with_create_graph_can_be_differentiated_again(device):
    _, x, _, y = _quadratic(device)
    gx, = grad(y, x, create_graph=True)
    assert gx.creator is not None
    hx, = grad(F.sum(gx), x)  # the Hessian 2 WᵀW times ones
    close(hx, 2 * W0.T @ W0 @ np.ones(3))


def test_grad_of_several_outputs_with_grad_outputs(device):
    x = var([1.0, 2.0], device)
    y1, y2 = x * x, F.sum(x * 3.0)
    gx, = grad([y1, y2], x, grad_outputs=[var([1.0, -1.0], device), None])  # None: ones
    close(gx, [2.0 * 1.0 + 3.0, -2.0 * 2.0 + 3.0])


def test_an_output_that_is_an_input_gets_its_seed(device):
    x = var([1.0, 2.0], device)
    y = x * x
    gx, = grad([x, y], x, grad_outputs=[var([10.0, 20.0], device), None])  # a leaf among the outputs
    close(gx, [10.0 + 2.0, 20.0 + 4.0])
    gy, = grad(y, y, grad_outputs=var([5.0, 6.0], device))
    close(gy, [5.0, 6.0])


def test_grad_seed_number_and_dtype(device):
    x = Variable(np.array([1.0, 2.0], dtype=np.float32), device=device)
    gx, = grad(F.sum(x * x), x, grad_outputs=2)
    close(gx, [4.0, 8.0])
    assert dtype_name(gx.dtype) == "float32"


def test_an_unused_input_raises_or_gives_none_or_zeros(device):
    x, z = var([1.0, 2.0], device), var([3.0], device)
    y = F.sum(x * x)
    with pytest.raises(ValueError, match=r"^grad: inputs\[1\] \(shape \(1,\)\) is not used to compute the outputs"):
        grad(y, [x, z])
    gx, gz = grad(y, [x, z], allow_unused=True)
    close(gx, [2.0, 4.0])
    assert gz is None
    _, gz = grad(y, [x, z], materialize_grads=True)
    close(gz, [0.0])
    assert gz.device == device


def test_an_intermediate_not_on_the_path_is_unused(device):
    x = var([1.0, 2.0], device)
    side = x * 2.0  # made from x, but the output does not use it
    with pytest.raises(ValueError, match="is not used"):
        grad(F.sum(x * x), side)


class _Counting(Function):
    """The identity, counting its backward calls."""

    calls = 0

    def forward(self, x):
        return x * 1.0

    def backward(self, gy):
        type(self).calls += 1
        return gy


def test_grad_runs_only_the_functions_that_lead_to_an_input(device):
    x, w = var([1.0, 2.0], device), var([3.0, 4.0], device)
    _Counting.calls = 0
    y = F.sum(x * _Counting()(w))
    gx, = grad(y, x)
    close(gx, [3.0, 4.0])
    assert _Counting.calls == 0  # the branch to w is not walked
    grad(y, w)
    assert _Counting.calls == 1


def test_grad_with_respect_to_an_intermediate_stops_there(device):
    x = var([1.0, 2.0], device)
    _Counting.calls = 0
    h = _Counting()(x) * 2.0
    gh, = grad(F.sum(h * h), h)
    close(gh, [4.0, 8.0])
    assert _Counting.calls == 0


def test_grad_through_a_deep_chain(device):
    x = var([1.0], device)
    y = x
    for _ in range(20_000):  # iterative: neither the walk nor the pass recurses
        y = y * 1.0
    gx, = grad(y, x)
    close(gx, [1.0])


def test_grad_refuses_a_graph_updated_in_place(device):
    W = Parameter(np.array([1.0, 2.0]), device=device)
    y = F.sum(W * W)
    W.version += 1
    with pytest.raises(RuntimeError, match="updated in place"):
        grad(y, W)
    assert W.grad is None


def test_grad_under_no_grad_with_create_graph_records(device):
    x = var([2.0], device)
    y = x ** 3
    with autograd.no_grad():
        g, = grad(y, x, create_graph=True)
    close(grad(g, x)[0], [12.0])  # 6x


def _penalty(critic, xhat):
    """WGAN-GP's gradient penalty, mean_i (‖∂D/∂x̂_i‖ - 1)², written as PyTorch's programs write it."""
    x = Variable(xhat.data)
    g, = grad(F.sum(critic(x)), x, create_graph=True)
    norm = F.sum(g * g, axis=1) ** 0.5
    return F.mean((norm - 1.0) ** 2)


def test_wgan_gp_gradient_penalty_matches_central_differences(device):
    rng = np.random.default_rng(0)
    xhat = var(rng.standard_normal((3, 2)), device)
    weights = [var(rng.standard_normal(s), device) for s in [(2, 4), (4,), (4, 1), (1,)]]

    def penalty(W1, b1, W2, b2):
        return _penalty(lambda x: F.linear(F.tanh(F.linear(x, W1, b1)), W2, b2), xhat)

    assert numerical.gradcheck(penalty, *weights, second_order=False)


def test_wgan_gp_gradient_penalty_fills_the_critics_parameter_grads(device):
    D = model.MLP([4, 1], activation=F.tanh)
    xhat = var(np.random.default_rng(1).standard_normal((3, 2)), device)
    D(Variable(np.zeros((1, 2), dtype=np.float32)))  # creates the lazy weights
    D.to(device)
    for p in D.params():
        p.data = F.astype(p, "float64").data
    loss = _penalty(D, xhat)
    loss.backward()
    W1, b1, W2, b2 = (Variable(p.data) for p in (D.l0.W, D.l0.b, D.l1.W, D.l1.b))
    expected = grad(_penalty(lambda x: F.linear(F.tanh(F.linear(x, W1, b1)), W2, b2), xhat), [W1, b1, W2, b2],
                    allow_unused=True)
    for p, e in zip((D.l0.W, D.l0.b, D.l1.W), expected):
        close(p.grad, to_host(e), rtol=1e-10)
    assert expected[3] is None and D.l1.b.grad is None  # ∂D/∂x does not depend on the last bias
    assert xhat.grad is None
