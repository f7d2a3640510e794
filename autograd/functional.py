"""Derivatives of functions, as `torch.autograd.functional`: vector-Jacobian and Jacobian-vector products, the
Hessian-vector product, whole Jacobians and Hessians, all built on [grad][autograd.variable.grad].

Each takes `func`, a Python function of one or several Variables that returns a Variable or a tuple of them,
and `inputs`, a Variable (or an array or number) or a tuple of them. A single input gives a single result, a
tuple of inputs a tuple, as in PyTorch. The results are constants (no graph) unless `create_graph=True`, which
records them so they can be differentiated again, with respect to `inputs` too. An output that does not depend
on an input contributes zeros, or, with `strict=True`, raises a ValueError.

Examples:
    f(x) = x², elementwise: J = diag(2x), so vᵀJ = Jv = 2x v; for f(x) = Σ x³ the Hessian is diag(6x).

    >>> from autograd import Variable, to_host
    >>> from autograd.functional import hessian, jvp, vjp
    >>> x, v = Variable([1.0, 2.0]), Variable([1.0, 0.5])
    >>> to_host(vjp(lambda x: x * x, x, v)[1]).tolist(), to_host(jvp(lambda x: x * x, x, v)[1]).tolist()
    ([2.0, 2.0], [2.0, 2.0])
    >>> to_host(hessian(lambda x: (x ** 3).sum(), x)).tolist()
    [[6.0, 0.0], [0.0, 12.0]]
"""
from __future__ import annotations

from autograd import function as F
from autograd.config import enable_grad, no_grad
from autograd.variable import Variable, grad

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vjp"]


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """The vector-Jacobian product `vᵀ J` of `func` at `inputs`: `Σ_k v_k · ∂func_k/∂inputs_i` for each input.

    Args:
        func: a function of the inputs returning a Variable or a tuple of Variables.
        inputs (Variable | tuple): where to differentiate.
        v (Variable | array | tuple | None): one vector per output, shaped like it; None for a single
            one-element output (then ones).
        create_graph (bool): record the result, so it can be differentiated again.
        strict (bool): raise a ValueError for an input that an output does not depend on, instead of zeros.

    Returns:
        (outputs, vjp): `func(inputs)` and the products, shaped like `inputs` (a tuple for a tuple).

    Examples:
        >>> from autograd import Variable, to_host
        >>> from autograd.functional import vjp
        >>> out, g = vjp(lambda x: (x ** 2).sum(), Variable([1.0, 3.0]))
        >>> out.item(), to_host(g).tolist()
        (10.0, [2.0, 6.0])
    """
    xs, single = _inputs(inputs, create_graph)
    with enable_grad():
        outputs = func(*xs)
    ys, _ = _outputs(outputs, "vjp")
    vs = _vectors(v, ys, "vjp", "v", "outputs")
    gs = _grad(ys, xs, vs, create_graph, strict, "vjp")
    return _result(outputs, create_graph), gs[0] if single else gs


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """The Jacobian-vector product `J v` of `func` at `inputs`: `Σ_i ∂func_k/∂inputs_i · v_i` for each output.

    Computed by the double-vjp trick, with reverse mode only: `g(u) = uᵀ J` is linear in a dummy `u` shaped
    like the outputs, and the vjp of `g` with `v` is `(vᵀ Jᵀ)ᵀ = J v`. It costs two backward passes.

    Args:
        func: a function of the inputs returning a Variable or a tuple of Variables.
        inputs (Variable | tuple): where to differentiate.
        v (Variable | array | tuple | None): one vector per input, shaped like it; None for a single
            one-element input (then ones).
        create_graph (bool): record the result, so it can be differentiated again.
        strict (bool): raise a ValueError for an output that does not depend on an input, instead of zeros.

    Returns:
        (outputs, jvp): `func(inputs)` and the products, shaped like the outputs (a tuple for a tuple).

    Examples:
        >>> from autograd import Variable, to_host
        >>> from autograd.functional import jvp
        >>> out, t = jvp(lambda x: x ** 3, Variable([1.0, 2.0]), Variable([1.0, 1.0]))
        >>> to_host(t).tolist()  # 3x² v
        [3.0, 12.0]
    """
    xs, single = _inputs(inputs, create_graph)
    vs = _vectors(v, xs, "jvp", "v", "inputs")
    with enable_grad():
        outputs = func(*xs)
        ys, one = _outputs(outputs, "jvp")
        us = [Variable(y.xp.zeros_like(y.data)) for y in ys]  # the dummy cotangents
        gs = _grad(ys, xs, us, True, strict, "jvp")  # uᵀ J: recorded, linear in u
    ts = _grad(gs, us, vs, create_graph, strict, "jvp")
    return _result(outputs, create_graph), ts[0] if one else ts


def hvp(func, inputs, v, create_graph=False, strict=False):
    """The Hessian-vector product `H v` of a scalar `func` at `inputs`: `Σ_j ∂²func/∂inputs_i∂inputs_j · v_j`.

    Computed as the gradient of `∇func · v` (two backward passes, no Hessian built), which is `H v` because
    the Hessian of a twice continuously differentiable function is symmetric; PyHessian's and Pearlmutter's
    trick, for the curvature of a loss with respect to millions of parameters.

    Args:
        func: a function of the inputs returning a one-element Variable.
        inputs (Variable | tuple): where to differentiate.
        v (Variable | array | tuple): one vector per input, shaped like it.
        create_graph (bool): record the result, so it can be differentiated again.
        strict (bool): raise a ValueError where the output does not depend on an input, instead of zeros.

    Returns:
        (output, hvp): `func(inputs)` and the products, shaped like `inputs` (a tuple for a tuple).

    Examples:
        >>> from autograd import Variable, to_host
        >>> from autograd.functional import hvp
        >>> out, hv = hvp(lambda x: (x[0] * x[1]) ** 2, Variable([1.0, 2.0]), Variable([1.0, 0.0]))
        >>> to_host(hv).tolist()  # H = [[2 x1², 4 x0 x1], [4 x0 x1, 2 x0²]], its first column
        [8.0, 8.0]
    """
    xs, single = _inputs(inputs, create_graph)
    vs = _vectors(v, xs, "hvp", "v", "inputs", allow_none=False)
    with enable_grad():
        output = func(*xs)
        (y,) = _scalar(output, "hvp")
        gs = _grad([y], xs, [None], True, strict, "hvp")
        dot = None
        for g, v in zip(gs, vs):
            term = (g * v).sum()
            dot = term if dot is None else dot + term
    hs = _grad([dot], xs, [None], create_graph, strict, "hvp")
    return _result(output, create_graph), hs[0] if single else hs


def jacobian(func, inputs, create_graph=False, strict=False):
    """The Jacobian of `func` at `inputs`: `J[k][i]` of shape `outputs[k].shape + inputs[i].shape`, holding
    `∂outputs[k][a]/∂inputs[i][b]` at `[a, b]`; one backward pass per output element (reverse mode).

    Args:
        func: a function of the inputs returning a Variable or a tuple of Variables.
        inputs (Variable | tuple): where to differentiate.
        create_graph (bool): record the result, so it can be differentiated again.
        strict (bool): raise a ValueError for an output that does not depend on an input, instead of zeros.

    Returns:
        Variable | tuple: for one input and one output the Jacobian; a tuple over the inputs for a tuple of
            inputs, over the outputs for a tuple of outputs, a tuple (outputs) of tuples (inputs) for both.

    Examples:
        >>> from autograd import Variable, to_host
        >>> from autograd.functional import jacobian
        >>> to_host(jacobian(lambda x: x[0] * x, Variable([2.0, 3.0]))).tolist()  # [[2 x0, 0], [x1, x0]]
        [[4.0, 0.0], [3.0, 2.0]]
    """
    xs, single = _inputs(inputs, create_graph)
    with enable_grad():
        outputs = func(*xs)
        ys, one = _outputs(outputs, "jacobian")
    rows = []
    for y in ys:
        per_input = [[] for _ in xs]
        for k in range(y.size):
            seed = y.xp.zeros(y.size, dtype=y.dtype, device=y.device.where)
            seed[k] = 1
            seed = y.xp.reshape(seed, y.shape)
            for parts, g in zip(per_input, _grad([y], xs, [seed], create_graph, strict, "jacobian")):
                parts.append(g.reshape(1, -1))
        with enable_grad() if create_graph else no_grad():
            rows.append(tuple(_joined(parts, y, x) for parts, x in zip(per_input, xs)))
    rows = [row[0] if single else row for row in rows]
    return rows[0] if one else tuple(rows)


def hessian(func, inputs, create_graph=False, strict=False):
    """The Hessian of a scalar `func` at `inputs`: `H[i][j]` of shape `inputs[i].shape + inputs[j].shape`,
    holding `∂²func/∂inputs[i][a]∂inputs[j][b]` at `[a, b]` (the Jacobian of the gradient).

    Args:
        func: a function of the inputs returning a one-element Variable.
        inputs (Variable | tuple): where to differentiate.
        create_graph (bool): record the result, so it can be differentiated again.
        strict (bool): raise a ValueError where the output does not depend on an input, instead of zeros.

    Returns:
        Variable | tuple: for one input the Hessian, for a tuple of inputs a tuple of tuples.

    Examples:
        >>> from autograd import Variable, to_host
        >>> from autograd.functional import hessian
        >>> H = hessian(lambda x, y: (x * y * y).sum(), (Variable(2.0), Variable(3.0)))
        >>> [[h.item() for h in row] for row in H]  # [[0, 2y], [2y, 2x]]
        [[0.0, 6.0], [6.0, 4.0]]
    """
    xs, single = _inputs(inputs, create_graph)

    def gradient(*xs):
        return _grad(_scalar(func(*xs), "hessian"), xs, [None], True, strict, "hessian")

    H = jacobian(gradient, tuple(xs), create_graph, strict)
    return H[0][0] if single else H


def _inputs(inputs, create_graph):
    """`inputs` as a list of Variables to differentiate at, and whether it was a single one. Without
    create_graph they are new leaves on the same arrays (the results then have no graph back to them)."""
    single = not isinstance(inputs, (tuple, list))
    xs = [x if isinstance(x, Variable) else Variable(x) for x in ([inputs] if single else inputs)]
    xs = [x if create_graph and x.requires_grad else _leaf(x) for x in xs]
    return xs, single


def _leaf(x):
    v = x.detach()
    v.requires_grad = True
    return v


def _outputs(outputs, op):
    """`func`'s result as a list of Variables, and whether it was a single one."""
    one = not isinstance(outputs, (tuple, list))
    ys = [outputs] if one else list(outputs)
    for k, y in enumerate(ys):
        if not isinstance(y, Variable):
            raise TypeError(f"{op}: func must return a Variable or a tuple of Variables, got "
                            f"{type(y).__name__}" + ("" if one else f" at position {k}"))
    return ys, one


def _scalar(output, op):
    ys, one = _outputs(output, op)
    if not one or ys[0].size != 1:
        shape = ys[0].shape if one else f"a tuple of {len(ys)}"
        raise ValueError(f"{op}: func must return a single one-element Variable, got {shape}")
    return ys


def _vectors(v, like, op, name, what, allow_none=True):
    """`v` as one vector per Variable of `like` (the outputs or the inputs), each checked to have its shape;
    None (allowed for one one-element Variable) stands for ones."""
    if v is None:
        if allow_none and len(like) == 1 and like[0].size == 1:
            return [None]
        raise ValueError(f"{op}: {name} may be None only for a single one-element {what[:-1]}; got "
                         f"{len(like)} {what} of shapes {', '.join(str(x.shape) for x in like)}")
    vs = list(v) if isinstance(v, (tuple, list)) else [v]
    if len(vs) != len(like):
        raise ValueError(f"{op}: {name} has {len(vs)} entries for {len(like)} {what}")
    vs = [u if isinstance(u, Variable) else Variable(u, requires_grad=False) for u in vs]
    for k, (u, x) in enumerate(zip(vs, like)):
        if u.shape != x.shape:
            label = name if len(vs) == 1 else f"{name}[{k}]"
            raise ValueError(f"{op}: {label} has shape {u.shape}, the {what[:-1]} shape {x.shape}; they must be "
                             "the same")
    return vs


def _grad(ys, xs, seeds, create_graph, strict, op):
    """[grad][autograd.variable.grad] of `ys` (seeded with `seeds`) with respect to `xs`, zeros where an input
    is not used, and outputs that depend on no input (constants) left out; with `strict` both raise."""
    used = [(y, s) for y, s in zip(ys, seeds) if y.requires_grad]
    if strict and (len(used) < len(ys) or not used):
        raise ValueError(f"{op}: an output does not depend on the inputs (strict=True)")
    if not used:
        return tuple(Variable(x.xp.zeros_like(x.data), requires_grad=False) for x in xs)
    if strict:
        try:
            return grad([y for y, _ in used], xs, [s for _, s in used], create_graph=create_graph)
        except ValueError as e:
            raise ValueError(f"{op}: an output does not depend on an input (strict=True): {e}") from None
    return grad([y for y, _ in used], xs, [s for _, s in used], create_graph=create_graph, materialize_grads=True)


def _joined(parts, y, x):
    """The rows (1, x.size) of one output's Jacobian with respect to `x`, as `y.shape + x.shape`."""
    if not parts:  # an output without elements
        return Variable(x.xp.zeros(y.shape + x.shape, dtype=x.dtype, device=x.device.where), requires_grad=False)
    return F.reshape(F.concat(parts, axis=0), y.shape + x.shape)


def _result(outputs, create_graph):
    """`func`'s outputs as returned: themselves under create_graph, otherwise detached (no graph)."""
    if create_graph:
        return outputs
    if isinstance(outputs, (tuple, list)):
        return tuple(y.detach() for y in outputs)
    return outputs.detach()
