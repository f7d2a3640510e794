"""Matrix products."""
from autograd.backend import device_of
from autograd.function.shape import matrix_transpose, reshape, sum_to
from autograd.variable import Function, array_of, as_variable

__all__ = ["linear", "matmul"]


class MatMul(Function):
    """x0 @ x1 for operands of at least 2 dimensions; batch dimensions broadcast."""

    def forward(self, x0, x1):
        if x0.shape[-1] != x1.shape[-2]:
            raise ValueError(f"matmul: shapes {tuple(x0.shape)} and {tuple(x1.shape)} do not match "
                             f"({x0.shape[-1]} != {x1.shape[-2]})")
        batch0, batch1 = tuple(x0.shape[:-2]), tuple(x1.shape[:-2])
        if not all(a == b or a == 1 or b == 1 for a, b in zip(batch0[::-1], batch1[::-1])):
            raise ValueError(f"matmul: the batch dimensions of shapes {tuple(x0.shape)} and {tuple(x1.shape)} "
                             f"do not broadcast ({batch0} and {batch1})")
        return device_of(x0).xp.matmul(x0, x1)

    def backward(self, gy):
        a, b = self.inputs
        x0, x1 = self.xs
        return (sum_to(matmul(gy, matrix_transpose(x1)), a.shape) if a.requires_grad else None,
                sum_to(matmul(matrix_transpose(x0), gy), b.shape) if b.requires_grad else None)


def matmul(x0, x1):
    """Matrix product `y = x0 @ x1` with NumPy's `matmul` rules (the `@` operator).

    `(..., M, K) @ (..., K, N) -> (..., M, N)`, the batch dimensions broadcast. A 1-D `x0` is a row vector and a
    1-D `x1` a column vector, their axis removed from the result (two vectors give their 0-d dot product); a
    0-d operand raises `ValueError`. Gradients: `∂L/∂x0 = gy @ x1ᵀ`, `∂L/∂x1 = x0ᵀ @ gy`.

    Examples:
        >>> a = autograd.Variable([[1.0, 2.0], [3.0, 4.0]])
        >>> b = autograd.Variable([[1.0], [1.0]])
        >>> y = F.matmul(a, b)
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(b.grad).tolist()   # b.grad = aᵀ @ ones
        ([[3.0], [7.0]], [[4.0], [6.0]])
    """
    x0 = as_variable(x0, array_of(x1))
    x1 = as_variable(x1, array_of(x0))
    if x0.ndim == 0 or x1.ndim == 0:
        raise ValueError(f"matmul: operands must have at least 1 dimension, got shapes {x0.shape} and {x1.shape}")
    if x0.ndim >= 2 and x1.ndim >= 2:
        return MatMul()(x0, x1)
    a = reshape(x0, (1,) + x0.shape) if x0.ndim == 1 else x0
    b = reshape(x1, x1.shape + (1,)) if x1.ndim == 1 else x1
    y = MatMul()(a, b)
    shape = y.shape
    if x1.ndim == 1:
        shape = shape[:-1]
    if x0.ndim == 1:
        shape = shape[:-2] + shape[-1:] if x1.ndim != 1 else shape[:-1]
    return reshape(y, shape)


class Linear(Function):
    """y = x @ W + b, fused: one node in the graph, and no gradient work for constant inputs."""

    def forward(self, x, W, b=None):
        if x.ndim == 0 or x.shape[-1] != W.shape[0]:
            raise ValueError(f"linear: input of shape {tuple(x.shape)} does not match weight of shape "
                             f"{tuple(W.shape)} (expected last dimension {W.shape[0]})")
        y = x @ W
        if b is None:
            return y
        if b.dtype == y.dtype:
            y += b  # y is new: add in place
            return y
        return y + b

    def backward(self, gy):
        inputs, xs = self.inputs, self.xs
        x, W, xv, Wv = inputs[0], inputs[1], xs[0], xs[1]
        gx = gy @ Wv.T if x.requires_grad else None  # operators and .T: cheaper than the namespace's calls
        gW = None
        if W.requires_grad:  # the batch axes of x and gy flattened into one
            x2 = xv if xv.ndim == 2 else reshape(xv, (-1, xv.shape[-1]))
            gW = x2.T @ (gy if gy.ndim == 2 else reshape(gy, (-1, gy.shape[-1])))
        if len(inputs) == 2:
            return gx, gW
        return gx, gW, (sum_to(gy, xs[2].shape) if inputs[2].requires_grad else None)


def linear(x, W, b=None):
    """Affine map `y = x @ W + b`, fused into one node of the graph (the op of [Linear][autograd.layer.Linear]).

    Shapes: x `(..., in)`, W `(in, out)` (the transpose of PyTorch's layout), b `(out,)` or None -> y
    `(..., out)`. Gradients: `∂L/∂x = gy @ Wᵀ`, `∂L/∂W = xᵀ @ gy` (leading axes of x flattened), `∂L/∂b = Σ gy`
    over all but the last axis; nothing is computed for inputs that need no gradient.

    Examples:
        >>> x = autograd.Variable([[1.0, 2.0]])
        >>> W = autograd.Variable([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
        >>> y = F.linear(x, W, autograd.Variable([0.5, 0.5, 0.5]))
        >>> F.sum(y).backward()
        >>> autograd.to_host(y).tolist(), autograd.to_host(W.grad).tolist()
        ([[1.5, 2.5, 3.5]], [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]])
    """
    if b is None:
        return Linear()(x, W)
    return Linear()(x, W, b)

