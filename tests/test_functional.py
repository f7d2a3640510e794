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


# ---- autograd.functional ---------------------------------------------------------------------------------

from autograd.functional import hessian, hvp, jacobian, jvp, vjp  # noqa: E402


def _f(x, y):
    """Two outputs of two inputs: (x² y, Σ sin x · y₀)."""
    return x * x * y[0], F.sum(F.sin(x)) * y[0]


def _numeric_jacobian(func, arrays, i, k, h=1e-6):
    """∂func(*arrays)[k] / ∂arrays[i] by central differences, shape out.shape + in.shape, on the host."""
    base = [np.asarray(to_host(a), dtype=np.float64) for a in arrays]
    device = arrays[i].device
    out_shape = func(*[Variable(a, device=device) for a in base])[k].shape
    J = np.zeros(out_shape + base[i].shape)
    for b in np.ndindex(base[i].shape):
        values = []
        for sign in (1.0, -1.0):
            shifted = [a.copy() for a in base]
            shifted[i][b] += sign * h
            values.append(to_host(func(*[Variable(a, device=device) for a in shifted])[k]).astype(np.float64))
        J[(...,) + b] = (values[0] - values[1]) / (2 * h)
    return J


def _point(device):
    return var([0.3, -1.2, 2.0], device), var([1.5, 0.5], device)


def test_jacobian_matches_central_differences(device):
    x, y = _point(device)
    J = jacobian(_f, (x, y))  # a tuple (outputs) of tuples (inputs)
    assert len(J) == 2 and all(len(row) == 2 for row in J)
    for k in range(2):
        for i in range(2):
            expected = _numeric_jacobian(_f, [x, y], i, k)
            assert J[k][i].shape == expected.shape and J[k][i].device == device
            close(J[k][i], expected, rtol=1e-6, atol=1e-8)
    assert x.grad is None and y.grad is None


def test_jacobian_of_one_input_and_one_output_is_a_variable(device):
    x, _ = _point(device)
    J = jacobian(lambda x: F.exp(x) * x[0], x)
    assert isinstance(J, Variable) and J.creator is None
    expected = np.diag(np.exp(to_host(x))) * to_host(x)[0]
    expected[:, 0] += np.exp(to_host(x))
    close(J, expected, rtol=1e-12)
    J1 = jacobian(lambda x: (F.sum(x), x * 2.0), x)  # a tuple of outputs: a tuple of Jacobians
    close(J1[0], [1.0, 1.0, 1.0])
    close(J1[1], 2.0 * np.eye(3))


def test_vjp_and_jvp_are_the_products_with_the_jacobian(device):
    x, y = _point(device)
    J = [[to_host(j) for j in row] for row in jacobian(_f, (x, y))]
    u = (var([1.0, -2.0, 0.5], device), var(3.0, device))  # one per output
    w = (var([0.2, 0.4, -1.0], device), var([1.0, -1.0], device))  # one per input
    out, (gx, gy) = vjp(_f, (x, y), u)
    close(out[0], to_host(x) ** 2 * 1.5)
    assert out[0].creator is None  # detached without create_graph
    close(gx, to_host(u[0]) @ J[0][0] + to_host(u[1]) * J[1][0], rtol=1e-12)
    close(gy, to_host(u[0]) @ J[0][1] + to_host(u[1]) * J[1][1], rtol=1e-12)
    _, (t0, t1) = jvp(_f, (x, y), w)
    close(t0, J[0][0] @ to_host(w[0]) + J[0][1] @ to_host(w[1]), rtol=1e-12)
    close(t1, J[1][0] @ to_host(w[0]) + J[1][1] @ to_host(w[1]), rtol=1e-12)


def test_jvp_matches_numerical_diff_along_ones(device):
    x, _ = _point(device)
    f = lambda x: F.tanh(x) * x  # noqa: E731  (elementwise: diff along ones is the derivative)
    _, t = jvp(f, x, var(np.ones(3), device))
    close(t, to_host(numerical.diff(f, x, h=1e-5)), rtol=1e-8)


def test_vjp_with_create_graph_is_differentiable_and_gradchecks(device):
    x, _ = _point(device)
    u = var([1.0, 2.0, -1.0], device, requires_grad=False)
    f = lambda x: F.sin(x) * x  # noqa: E731
    assert numerical.gradcheck(lambda x: vjp(f, x, u, create_graph=True)[1], x)
    assert numerical.gradcheck(lambda x: jvp(f, x, u, create_graph=True)[1], x)


def test_one_element_output_or_input_needs_no_vector(device):
    x, _ = _point(device)
    _, g = vjp(lambda x: F.sum(x * x), x)
    close(g, 2 * to_host(x))
    s = var(2.0, device)
    _, t = jvp(lambda s: s * s * 3.0, s)
    close(t, 12.0)
    with pytest.raises(ValueError, match=r"^vjp: v may be None only for a single one-element output"):
        vjp(lambda x: x * 2.0, x)


def test_an_independent_output_gives_zeros_or_raises_under_strict(device):
    x, y = _point(device)
    _, (gx, gy) = vjp(lambda x, y: F.sum(x * x), (x, y))
    close(gx, 2 * to_host(x))
    close(gy, [0.0, 0.0])
    _, t = jvp(lambda x: var([1.0], device, requires_grad=False) * 1.0, x, var(np.ones(3), device))
    close(t, [0.0])
    with pytest.raises(ValueError, match=r"^vjp: an output does not depend on an input \(strict=True\)"):
        vjp(lambda x, y: F.sum(x * x), (x, y), strict=True)


def _mlp_loss(W1, b1, W2, b2, x, t):
    """A PyHessian-style loss: an MLP 3-4-1 with tanh, mean squared error."""
    return F.mean_squared_error(F.linear(F.tanh(F.linear(x, W1, b1)), W2, b2), t)


def _mlp_point(device):
    rng = np.random.default_rng(7)
    params = tuple(var(rng.standard_normal(s) * 0.7, device) for s in [(3, 4), (4,), (4, 1), (1,)])
    x, t = var(rng.standard_normal((5, 3)), device), var(rng.standard_normal((5, 1)), device)
    return params, x, t


def test_hessian_matches_central_differences_of_the_gradient(device):
    params, x, t = _mlp_point(device)
    H = hessian(lambda *p: _mlp_loss(*p, x, t), params)

    def gradients(*p):
        return grad(_mlp_loss(*p, x, t), list(p), create_graph=True)

    for i in range(4):
        for j in range(4):
            expected = _numeric_jacobian(gradients, list(params), j, i)
            assert H[i][j].shape == params[i].shape + params[j].shape
            close(H[i][j], expected, rtol=1e-5, atol=1e-7)
        block = to_host(H[i][i]).reshape(params[i].size, params[i].size)
        np.testing.assert_allclose(block, block.T, atol=1e-12)  # symmetric


def test_hessian_of_one_input_is_a_variable(device):
    x, _ = _point(device)
    H = hessian(lambda x: F.sum(x ** 3) + x[0] * x[1], x)
    expected = np.diag(6 * to_host(x))
    expected[0, 1] = expected[1, 0] = 1.0
    assert isinstance(H, Variable)
    close(H, expected, rtol=1e-12)
    with pytest.raises(ValueError, match=r"^hessian: func must return a single one-element Variable, got \(3,\)"):
        hessian(lambda x: x * x, x)


def test_hvp_of_an_mlp_loss_is_the_hessian_times_v(device):
    """PyHessian's product: H v of a loss with respect to the parameters, without building H; checked against
    the full Hessian, against central differences of the gradient along v, and written with autograd.grad on a
    model's Parameters."""
    params, x, t = _mlp_point(device)
    rng = np.random.default_rng(8)
    v = tuple(var(rng.standard_normal(p.shape), device) for p in params)
    loss, Hv = hvp(lambda *p: _mlp_loss(*p, x, t), params, v)
    close(loss, to_host(_mlp_loss(*params, x, t)))
    H = hessian(lambda *p: _mlp_loss(*p, x, t), params)
    flat_v = np.concatenate([to_host(u).ravel() for u in v])
    H_matrix = np.block([[to_host(H[i][j]).reshape(params[i].size, params[j].size) for j in range(4)]
                         for i in range(4)])
    expected = H_matrix @ flat_v
    got = np.concatenate([to_host(h).ravel() for h in Hv])
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    h = 1e-5  # (∇L(θ + h v) - ∇L(θ - h v)) / 2h
    plus = [to_host(g) for g in _gradient_at(params, v, h, x, t)]
    minus = [to_host(g) for g in _gradient_at(params, v, -h, x, t)]
    numeric = np.concatenate([((a - b) / (2 * h)).ravel() for a, b in zip(plus, minus)])
    np.testing.assert_allclose(got, numeric, rtol=1e-6, atol=1e-8)
    # the same with autograd.grad on Parameters of a model, as PyHessian writes it
    ps = [Parameter(to_host(p), device=device) for p in params]
    gs = grad(_mlp_loss(*ps, x, t), ps, create_graph=True)
    Hv2 = grad(gs, ps, grad_outputs=list(v))
    np.testing.assert_allclose(np.concatenate([to_host(g).ravel() for g in Hv2]), expected, rtol=1e-10,
                               atol=1e-12)
    assert all(p.grad is None for p in ps)


def _gradient_at(params, v, step, x, t):
    shifted = [Variable(to_host(p) + step * to_host(u), device=p.device) for p, u in zip(params, v)]
    return grad(_mlp_loss(*shifted, x, t), shifted)


def test_hvp_with_create_graph_gradchecks(device):
    x, _ = _point(device)
    v = var([1.0, -0.5, 2.0], device, requires_grad=False)
    f = lambda x: F.sum(F.sin(x) * x * x)  # noqa: E731
    assert numerical.gradcheck(lambda x: hvp(f, x, v, create_graph=True)[1], x)


def test_functional_leaves_the_inputs_grads_alone(device):
    x, y = _point(device)
    x.grad = var([9.0, 9.0, 9.0], device)
    vjp(_f, (x, y), (var(np.ones(3), device), var(1.0, device)))
    jvp(_f, (x, y), (var(np.ones(3), device), var(np.ones(2), device)))
    hessian(lambda x: F.sum(x ** 3), x)
    close(x.grad, [9.0, 9.0, 9.0])
    assert y.grad is None


def test_functional_takes_arrays_and_runs_under_no_grad(device):
    x, _ = _point(device)
    with autograd.no_grad():
        _, g = vjp(lambda x: F.sum(x * x), x.data)
    close(g, 2 * to_host(x))


def test_jacobian_and_hessian_with_create_graph_gradcheck(device):
    x, _ = _point(device)
    assert numerical.gradcheck(lambda x: jacobian(lambda x: F.sin(x) * x[0], x, create_graph=True), x)
    assert numerical.gradcheck(lambda x: hessian(lambda x: F.sum(x ** 3) * x[1], x, create_graph=True), x,
                               second_order=False)
