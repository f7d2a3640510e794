"""Hand-written NumPy implementations of the benchmark workloads: manual forward and backward passes, written
the way one would write them without a framework (in-place updates, fused LSTM gates, no graph).

They compute what autograd computes for the same model, so ``benchmarks/run.py`` can start both from the same
weights, feed both the same batches, and check that they end at the same loss:

- :class:`MLP`: Linear layers ``y = x W + b`` (W of shape (in, out)) with ReLU or sigmoid between them, and a
  softmax cross entropy (mean over the batch) or mean squared error (mean over every element) loss;
- :class:`LSTM`: autograd's ``model.LSTM`` (``layer.LSTM`` then ``layer.Linear``), run over a whole sequence with
  backpropagation through time; the loss is the mean over time steps of the mean squared error;
- :func:`sgd` and :class:`Adam`: the updates of ``autograd.optimizer.SGD`` and ``Adam`` (the seed's Adam: the
  bias correction folded into the step size before eps is added).

Everything stays float32 when the weights and data are float32: Python scalars do not promote (NEP 50).
"""
import math

import numpy as np


def sigmoid(x):
    """1 / (1 + e^-x) as 0.5 tanh(x / 2) + 0.5: the same function, without overflow in either tail."""
    y = np.tanh(x * 0.5)
    y *= 0.5
    y += 0.5
    return y


class MLP:
    """Linear layers with ``activation`` ("relu" or "sigmoid") after every one but the last.

    ``params`` is ``[W0, b0, W1, b1, ...]`` (copied); :meth:`loss_and_grads` returns the loss as a Python float
    and the gradients in the same order.
    """

    def __init__(self, params, activation="relu"):
        if activation not in ("relu", "sigmoid"):
            raise ValueError(f"MLP: activation must be 'relu' or 'sigmoid', got {activation!r}")
        self.params = [np.array(p, copy=True) for p in params]
        self.activation = activation
        self.layers = len(self.params) // 2

    def forward(self, x, keep=False):
        """The output (logits) for inputs x; with ``keep``, also the input of every layer."""
        inputs = []
        for k in range(self.layers):
            W, b = self.params[2 * k], self.params[2 * k + 1]
            inputs.append(x)
            a = x @ W
            a += b
            if k < self.layers - 1:
                if self.activation == "relu":
                    np.maximum(a, 0, out=a)
                else:
                    a = sigmoid(a)
            x = a
        return (x, inputs) if keep else x

    def loss_and_grads(self, x, t, loss="cross_entropy"):
        """(loss, [gW0, gb0, ...]) for inputs x and targets t: integer labels for "cross_entropy", values
        shaped like the output for "mse"."""
        y, inputs = self.forward(x, keep=True)
        if loss == "cross_entropy":
            value, g = softmax_cross_entropy(y, t)
        elif loss == "mse":
            value, g = mean_squared_error(y, t)
        else:
            raise ValueError(f"MLP: loss must be 'cross_entropy' or 'mse', got {loss!r}")
        grads = [None] * len(self.params)
        for k in reversed(range(self.layers)):
            h = inputs[k]
            grads[2 * k] = h.T @ g
            grads[2 * k + 1] = g.sum(axis=0)
            if k > 0:  # the data needs no gradient
                g = g @ self.params[2 * k].T
                if self.activation == "relu":
                    g *= h > 0
                else:
                    g *= h * (1 - h)
        return value, grads

    def accuracy(self, x, t):
        return float(np.mean(np.argmax(self.forward(x), axis=1) == t))


def softmax_cross_entropy(y, t):
    """(mean over rows of -log softmax(y)[t], its gradient with respect to y)."""
    n = y.shape[0]
    shifted = y - y.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = -float(np.sum(shifted[rows, t] - np.log(s[:, 0]))) / n
    e /= s
    e[rows, t] -= 1
    e *= 1.0 / n
    return loss, e


def mean_squared_error(y, t):
    """(sum((y - t)²) / N over all N elements, its gradient with respect to y)."""
    diff = y - t
    loss = float(np.sum(diff * diff)) / diff.size
    diff *= 2.0 / diff.size
    return loss, diff


def sgd(params, grads, learning_rate):
    """param <- param - learning_rate * grad, in place."""
    for p, g in zip(params, grads):
        p -= learning_rate * g


class Adam:
    """The seed's Adam, in place: m += (1 - b1)(g - m); v += (1 - b2)(g² - v);
    p -= lr_t m / (sqrt(v) + eps) with lr_t = alpha sqrt(1 - b2^t) / (1 - b1^t)."""

    def __init__(self, params, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = params
        self.alpha, self.beta1, self.beta2, self.eps = alpha, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def update(self, grads):
        self.t += 1
        lr = self.alpha * math.sqrt(1.0 - self.beta2 ** self.t) / (1.0 - self.beta1 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m += (1.0 - self.beta1) * (g - m)
            v += (1.0 - self.beta2) * (g * g - v)
            p -= lr * m / (np.sqrt(v) + self.eps)


class LSTM:
    """autograd's ``model.LSTM(hidden, out)`` with its four gates fused into one product per input.

    ``params`` maps autograd's parameter names (``lstm.x2f.W``, ``lstm.x2f.b``, ..., ``lstm.h2u.W``,
    ``linear.W``, ``linear.b``) to arrays. The gates, in the order f, i, o, u (as in autograd's docstring):

        a = x Wx + b (+ h_prev Wh from the second step on)
        f, i, o = sigmoid(a_f), sigmoid(a_i), sigmoid(a_o);  u = tanh(a_u)
        c = f * c_prev + i * u  (c = i * u on the first step);  h = o * tanh(c);  y = h Wy + by
    """

    GATES = "fiou"

    def __init__(self, params):
        self.Wx = np.concatenate([params[f"lstm.x2{g}.W"] for g in self.GATES], axis=1)
        self.b = np.concatenate([params[f"lstm.x2{g}.b"] for g in self.GATES])
        self.Wh = np.concatenate([params[f"lstm.h2{g}.W"] for g in self.GATES], axis=1)
        self.Wy = np.array(params["linear.W"], copy=True)
        self.by = np.array(params["linear.b"], copy=True)
        self.hidden = self.Wh.shape[0]

    @property
    def params(self):
        return [self.Wx, self.b, self.Wh, self.Wy, self.by]

    def loss_and_grads(self, xs, ts):
        """(mean over the T steps of mean_squared_error(y_s, t_s), gradients in the order of ``params``) for
        a sequence xs of shape (T, batch, in) and targets ts of shape (T, batch, out)."""
        H, T = self.hidden, xs.shape[0]
        gates, cs, tcs, hs, diffs = [], [], [], [], []
        h = c = None
        loss = 0.0
        for s in range(T):
            a = xs[s] @ self.Wx
            a += self.b
            if h is not None:
                a += h @ self.Wh
            g = np.empty_like(a)
            g[:, :3 * H] = sigmoid(a[:, :3 * H])
            np.tanh(a[:, 3 * H:], out=g[:, 3 * H:])
            f, i, o, u = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
            c = i * u if c is None else f * c + i * u
            tc = np.tanh(c)
            h = o * tc
            y = h @ self.Wy
            y += self.by
            diff = y - ts[s]
            loss += float(np.sum(diff * diff)) / diff.size
            gates.append(g), cs.append(c), tcs.append(tc), hs.append(h), diffs.append(diff)

        gWx, gb, gWh = np.zeros_like(self.Wx), np.zeros_like(self.b), np.zeros_like(self.Wh)
        gWy, gby = np.zeros_like(self.Wy), np.zeros_like(self.by)
        dh_next = dc_next = None
        scale = 2.0 / (diffs[0].size * T)
        for s in reversed(range(T)):
            g, tc = gates[s], tcs[s]
            f, i, o, u = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
            dy = diffs[s] * scale
            gWy += hs[s].T @ dy
            gby += dy.sum(axis=0)
            dh = dy @ self.Wy.T
            if dh_next is not None:
                dh += dh_next
            dc = dh * o * (1 - tc * tc)
            if dc_next is not None:
                dc += dc_next
            da = np.empty_like(g)
            da[:, 2 * H:3 * H] = dh * tc * o * (1 - o)              # output gate
            da[:, H:2 * H] = dc * u * i * (1 - i)                   # input gate
            da[:, 3 * H:] = dc * i * (1 - u * u)                    # candidate
            if s > 0:
                da[:, :H] = dc * cs[s - 1] * f * (1 - f)            # forget gate
                dc_next = dc * f
            else:
                da[:, :H] = 0                                       # no f * c_prev on the first step
            gWx += xs[s].T @ da
            gb += da.sum(axis=0)
            if s > 0:  # no h2* term on the first step
                gWh += hs[s - 1].T @ da
                dh_next = da @ self.Wh.T
        return loss / T, [gWx, gb, gWh, gWy, gby]
