"""Matrix products, einsum and norms."""
import math
import string

from autograd._checks import flag, is_integer, normalize_axes
from autograd.backend import device_of, dtype_name, is_array
from autograd.function.elementwise import abs as abs_, where
from autograd.function.reduction import (expand_reduced, max as max_, min as min_, sqrt_sum_squares, sum as sum_,
                                         sum_array)
from autograd.function.shape import matrix_transpose, reshape, sum_to
from autograd.variable import Function, Variable, array_of, as_variable

__all__ = ["einsum", "linear", "matmul", "norm"]


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



class Einsum(Function):
    """The Einstein sum of operands whose terms (tuples of labels) hold each label once, every label of a term
    in the output or in another term, each label of one size: `y[out] = Σ Π_k x_k[terms[k]]` over the labels
    not in `out`. Gradient of operand k: the Einstein sum of gy and the other operands into `terms[k]`, another
    Einsum, so that higher orders follow."""

    def __init__(self, terms, out):
        self.terms, self.out = terms, out

    def forward(self, *xs):
        return _contract(xs, self.terms, self.out)

    def backward(self, gy):
        gxs = []
        for k, x in enumerate(self.inputs):
            others = [v for j, v in enumerate(self.xs) if j != k]
            terms = (self.out,) + tuple(t for j, t in enumerate(self.terms) if j != k)
            gxs.append(Einsum(terms, self.terms[k])(gy, *others) if x.requires_grad else None)
        return tuple(gxs) if len(gxs) > 1 else gxs[0]


def _contract(xs, terms, out):
    """The Einstein sum of arrays, left to right, one matmul per pair: (batch, left, summed) @ (batch, summed,
    right), each group of labels flattened into one axis."""
    xp = device_of(xs[0]).xp
    a, ta = xs[0], terms[0]
    for k in range(1, len(xs)):
        b, tb = xs[k], terms[k]
        later = set(out).union(*terms[k + 1:])
        a, ta = _sum_out(a, ta, later | set(tb))
        b, tb = _sum_out(b, tb, later | set(ta))
        size = dict(zip(ta, a.shape)) | dict(zip(tb, b.shape))
        batch = [label for label in ta if label in tb and label in later]
        summed = [label for label in ta if label in tb and label not in later]
        left = [label for label in ta if label not in tb]
        right = [label for label in tb if label not in ta]

        def flat(x, t, groups):  # x with its labels in the order of the groups, each group one axis
            x = xp.permute_dims(x, tuple(t.index(label) for group in groups for label in group))
            return xp.reshape(x, tuple(math.prod(size[label] for label in group) for group in groups))

        y = xp.matmul(flat(a, ta, (batch, left, summed)), flat(b, tb, (batch, summed, right)))
        ta = tuple(batch + left + right)
        a = xp.reshape(y, tuple(size[label] for label in ta))
    a, ta = _sum_out(a, ta, set(out))
    return xp.permute_dims(a, tuple(ta.index(label) for label in out))


def _sum_out(x, term, keep):
    """The array x summed over the labels of its term not in `keep` (float16 in float32), and the term left."""
    axes = tuple(i for i, label in enumerate(term) if label not in keep)
    if not axes:
        return x, term
    return sum_array(x, axis=axes), tuple(label for label in term if label in keep)


_LETTERS = frozenset(string.ascii_letters)


def _parse(subscripts, shapes):
    """(input terms, output term) of an einsum, each a list of labels: letters, and the axes of the
    broadcast `...` as the ints 0, 1, ... (right-aligned: an operand whose `...` covers fewer axes takes the
    last ones)."""
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a string such as 'ij,jk->ik', got {type(subscripts).__name__}")
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    words = inputs.split(",")
    if len(words) != len(shapes):
        raise ValueError(f"einsum: {subscripts!r} has {len(words)} input terms for {len(shapes)} operands")
    for c in spec.replace("...", "").replace(",", "").replace("->", ""):
        if c not in _LETTERS:
            raise ValueError(f"einsum: {subscripts!r} holds {c!r}; indices are the letters a-z and A-Z, with '...' "
                             "for broadcast axes, terms separated by ',' and '->' before the output")
    spans = []
    for word, shape in zip(words, shapes):
        letters = len(word.replace("...", ""))
        if ("..." in word and letters > len(shape)) or ("..." not in word and letters != len(shape)):
            raise ValueError(f"einsum: term {word!r} of {subscripts!r} has {letters} indices for an operand of "
                             f"shape {tuple(shape)}")
        spans.append(len(shape) - letters if "..." in word else 0)
    width = max(spans, default=0)

    def labels(word, span):
        before, dots, after = word.partition("...")
        return list(before) + (list(range(width - span, width)) if dots else []) + list(after)

    terms = [labels(word, span) for word, span in zip(words, spans)]
    if not arrow:  # implicit: the broadcast axes, then the letters that occur once, in alphabetical order
        letters = [c for word in words for c in word.replace("...", "")]
        return terms, list(range(width)) + sorted(c for c in set(letters) if letters.count(c) == 1)
    if "..." not in output and width:
        raise ValueError(f"einsum: the operands of {subscripts!r} have axes under '...' but the output has no '...'")
    out = labels(output, width)
    for label in out:
        if out.count(label) > 1:
            raise ValueError(f"einsum: output index {label!r} of {subscripts!r} appears more than once")
        if not any(label in t for t in terms):
            raise ValueError(f"einsum: output index {label!r} of {subscripts!r} is in no input term")
    return terms, out


def _diagonal(x, term, subscripts):
    """x with each label repeated in its term taken once, along the diagonal: `x[..., i, ..., i, ...]`, as
    `Σ_j x[..., i, ..., j, ...] δ_ij`, a product with the identity and a sum (both differentiable)."""
    while len(set(term)) < len(term):
        i = next(k for k, label in enumerate(term) if term.index(label) < k)
        first = term.index(term[i])
        n = x.shape[first]
        if x.shape[i] != n:
            raise ValueError(f"einsum: index {term[i]!r} of {subscripts!r} is repeated in one term over axes of "
                             f"sizes {n} and {x.shape[i]} (shape {tuple(x.shape)})")
        data = array_of(x)
        device = device_of(data)
        eye = device.xp.eye(n, dtype=data.dtype, device=device.where)
        x = sum_(x * reshape(eye, tuple(n if k in (first, i) else 1 for k in range(x.ndim))), axis=i)
        term = term[:i] + term[i + 1:]
    return x, term


def einsum(subscripts, *operands):
    """The Einstein summation `y = Σ Π_k x_k` of NumPy's and PyTorch's `einsum`: each operand's axes are named
    by the letters of its term, the output keeps the letters after `->` and sums over the others.

    `"ij,jk->ik"` is a matrix product, `"bhqd,bhkd->bhqk"` attention scores, `"i,i->"` a dot product, `"ij->ji"` a
    transpose. Without `->` the output has the letters that occur once, in alphabetical order. A letter repeated in
    one term takes a diagonal (`"ii->i"`, the trace `"ii->"`); `...` stands for broadcast axes (`"...ij,...jk"`);
    an axis of size 1 broadcasts against the same letter's larger size. Computed as one matmul per pair of
    operands, left to right. Gradient of each operand: the einsum of gy with the other operands, back into its
    term (summed over its diagonal and broadcast axes), so every order of derivative works.

    Examples:
        >>> from autograd import Variable, to_host
        >>> a = Variable([[1.0, 2.0], [3.0, 4.0]])
        >>> b = Variable([[1.0], [1.0]])
        >>> to_host(F.einsum("ij,jk->ik", a, b)).tolist()
        [[3.0], [7.0]]
        >>> F.einsum("ii", a).item()   # the trace
        5.0
        >>> F.einsum("ij,jk", a, b).backward()
        >>> to_host(b.grad).tolist()   # Σ_i a_ij
        [[4.0], [6.0]]
    """
    if not operands:
        raise ValueError("einsum: needs at least one operand")
    like = next((array_of(x) for x in operands if isinstance(x, Variable) or is_array(x)), None)
    xs = [as_variable(x, like) for x in operands]
    terms, out = _parse(subscripts, [x.shape for x in xs])
    pairs = [_diagonal(x, term, subscripts) for x, term in zip(xs, terms)]
    sizes = {}
    for x, term in pairs:
        for label, n in zip(term, x.shape):
            if n != 1 and sizes.setdefault(label, n) != n:
                shapes = ", ".join(str(tuple(x.shape)) for x in xs)
                raise ValueError(f"einsum: index {label!r} of {subscripts!r} has sizes {sizes[label]} and {n} "
                                 f"(operand shapes {shapes})")
    xs, terms = [], []
    for x, term in pairs:  # an axis of size 1 broadcasts: dropped where its label has a larger size
        drop = [i for i, label in enumerate(term) if x.shape[i] == 1 and sizes.get(label, 1) != 1]
        xs.append(reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in drop)) if drop else x)
        terms.append([label for i, label in enumerate(term) if i not in drop])
    for k, term in enumerate(terms):  # a label in no other term and not in the output is summed away at once
        others = set(out).union(*(t for j, t in enumerate(terms) if j != k))
        lone = tuple(i for i, label in enumerate(term) if label not in others)
        if lone:
            xs[k] = sum_(xs[k], axis=lone)
        terms[k] = tuple(label for label in term if label in others)
    return Einsum(tuple(terms), tuple(out))(*xs)


class Norm2(Function):
    """`y = √(Σ x²)` over `axis`. Gradient: `gy · x / y`, and 0 where y = 0 (x = 0: PyTorch's subgradient)."""

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        return sqrt_sum_squares(x, self.axis, self.keepdims)

    def backward(self, gy):
        (x,), (y,) = self.xs, self.ys
        shape = self.inputs[0].shape
        y = expand_reduced(y, shape, self.axis)
        return expand_reduced(gy, shape, self.axis) * x / where(array_of(y) == 0, 1.0, y)  # x / 1 = 0 where y = 0


_VECTOR_ORDS = (None, 2, 1, math.inf, -math.inf)
_MATRIX_ORDS = (None, "fro", 1, -1, math.inf, -math.inf)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002  (NumPy's and PyTorch's name)
    """The vector or matrix norm of `numpy.linalg.norm` and `torch.linalg.norm`.

    `axis` None: with `ord` None the 2-norm of all elements (any shape: for a matrix, the Frobenius norm);
    with an `ord`, `x` must be 1-d (a vector norm) or 2-d (a matrix norm). An int `axis` takes vector norms
    along it, a pair of axes `(rows, columns)` matrix norms over them.

    | ord | vector: `y =` | matrix: `y =` |
    |---|---|---|
    | None | `√(Σ x²)` | `√(Σ x²)` (Frobenius) |
    | 2 | `√(Σ x²)` | (needs singular values: refused) |
    | `"fro"` | refused | `√(Σ x²)` |
    | 1 | `Σ abs(x)` | `max_j Σ_i abs(x_ij)` (columns) |
    | -1 | refused | `min_j Σ_i abs(x_ij)` |
    | `inf` | `max abs(x)` | `max_i Σ_j abs(x_ij)` (rows) |
    | `-inf` | `min abs(x)` | `min_i Σ_j abs(x_ij)` |

    Gradients: `gy · x / y` for the 2-norm, and 0 where y = 0 (PyTorch's subgradient, not 0 / 0); `gy · sign(x)`
    for sums of `abs(x)`, 0 at x = 0; a maximum or minimum shares `gy` among its ties, as
    [F.max][autograd.function.max].

    Examples:
        >>> from autograd import Variable, to_host
        >>> x = Variable([3.0, -4.0])
        >>> y = F.norm(x)
        >>> y.item()
        5.0
        >>> y.backward()
        >>> to_host(x.grad).tolist()   # x / |x|
        [0.6, -0.8]
        >>> F.norm(x, ord=1).item(), F.norm(x, ord=float("inf")).item()
        (7.0, 4.0)
    """
    x = as_variable(x)
    keepdims = flag(keepdims, "norm: keepdims")
    if not device_of(array_of(x)).xp.isdtype(x.dtype, "real floating"):  # (arrays in a backward formula)
        raise TypeError(f"norm: x must be a floating-point array, got dtype {dtype_name(x.dtype)}")
    if axis is None:
        if ord is None:
            return Norm2(tuple(range(x.ndim)), keepdims)(x)
        if x.ndim not in (1, 2):
            raise ValueError(f"norm: ord={ord!r} with axis=None needs a 1-d or 2-d input, got shape {tuple(x.shape)}")
        axis = tuple(range(x.ndim))
    axes = (axis,) if is_integer(axis) else tuple(axis)
    normalize_axes(axes, x.ndim, "norm")  # range and repeats
    axes = tuple(int(a) % x.ndim for a in axes)  # in the given order: (rows, columns)
    if len(axes) == 1:
        if ord not in _VECTOR_ORDS:
            raise ValueError(f"norm: ord={ord!r} is not a vector norm here; use one of None, 2, 1, inf, -inf")
        if ord in (None, 2):
            return Norm2(axes, keepdims)(x)
        if ord == 1:
            return sum_(abs_(x), axes, keepdims)
        return (max_ if ord > 0 else min_)(abs_(x), axes, keepdims)
    if len(axes) != 2:
        raise ValueError(f"norm: axis must be an int (vector norms) or a pair of axes (matrix norms), got {axis!r}")
    if ord not in _MATRIX_ORDS:
        raise ValueError(f"norm: ord={ord!r} is not a matrix norm here; use one of None, 'fro', 1, -1, inf, -inf "
                         "(2, -2 and 'nuc' need singular values)")
    if ord in (None, "fro"):
        return Norm2(tuple(sorted(axes)), keepdims)(x)
    rows, columns = axes
    summed, reduced = (rows, columns) if abs(ord) == 1 else (columns, rows)
    y = (max_ if ord > 0 else min_)(sum_(abs_(x), summed, keepdims=True), reduced, keepdims=True)
    return y if keepdims else reshape(y, tuple(n for i, n in enumerate(y.shape) if i not in axes))
