"""NumPy forwards of autograd's layers, from the layers' own weights, as references for the tests."""
import numpy as np

from autograd import to_host


def host(v):
    return np.asarray(to_host(v))


def np_sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def np_linear(x, lin):
    """x @ W + b with the layer's own weights, on the host."""
    y = x @ host(lin.W)
    return y if lin.b is None else y + host(lin.b)


def np_rnn_step(rnn, x, h_prev):
    a = np_linear(x, rnn.x2h)
    if h_prev is not None:
        a = a + np_linear(h_prev, rnn.h2h)
    return np.tanh(a)


def np_lstm_step(lstm, x, h_prev, c_prev):
    def gate(x2, h2):
        a = np_linear(x, x2)
        return a if h_prev is None else a + np_linear(h_prev, h2)

    f = np_sigmoid(gate(lstm.x2f, lstm.h2f))
    i = np_sigmoid(gate(lstm.x2i, lstm.h2i))
    o = np_sigmoid(gate(lstm.x2o, lstm.h2o))
    u = np.tanh(gate(lstm.x2u, lstm.h2u))
    c = i * u if c_prev is None else f * c_prev + i * u
    return o * np.tanh(c), c


def np_gru_step(gru, x, h_prev):
    """PyTorch's GRU equations with the layer's own weights; h_prev None is h = 0."""
    h = np.zeros((x.shape[0], gru.x2r.out_size)) if h_prev is None else h_prev
    r = np_sigmoid(np_linear(x, gru.x2r) + np_linear(h, gru.h2r))
    z = np_sigmoid(np_linear(x, gru.x2z) + np_linear(h, gru.h2z))
    n = np.tanh(np_linear(x, gru.x2n) + r * np_linear(h, gru.h2n))
    return (1 - z) * n + z * h
