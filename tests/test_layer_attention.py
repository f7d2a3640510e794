"""layer.MultiHeadAttention against a NumPy forward written from its definition, with the layer's own weights;
gradcheck of inputs and weights; masks, unbatched input, dropout, devices."""
import numpy as np

import autograd
from autograd import Variable, to_host
from autograd.layer import MultiHeadAttention
from autograd.numerical import gradcheck
from numpy_layers import np_linear

RNG = np.random.default_rng(11)
PROJECTIONS = ["q_proj", "k_proj", "v_proj", "out_proj"]


def np_mha(mha, query, key, value, keep=None, causal=False):
    """concat_i softmax(q_i k_iᵀ / √d) v_i, projected, on the host; q_i, k_i, v_i the heads' columns."""
    h, d = mha.num_heads, mha.embed_dim // mha.num_heads

    def heads(x, proj):  # (N, T, E) -> (N, h, T, d)
        y = np_linear(x, getattr(mha, proj))
        return y.reshape(y.shape[0], y.shape[1], h, d).transpose(0, 2, 1, 3)

    q, k, v = heads(query, "q_proj"), heads(key, "k_proj"), heads(value, "v_proj")
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)
    if causal:
        keep = np.tril(np.ones(s.shape[-2:], dtype=bool))
    if keep is not None:
        s = np.where(keep, s, -np.inf)
    w = np.exp(s - s.max(axis=-1, keepdims=True))
    y = (w / w.sum(axis=-1, keepdims=True)) @ v  # (N, h, L, d)
    n, _, length, _ = y.shape
    return np_linear(y.transpose(0, 2, 1, 3).reshape(n, length, h * d), mha.out_proj)


def var(a, device):
    return Variable(a, device=device)


def test_self_attention_against_numpy(device):
    mha = MultiHeadAttention(6, num_heads=3, dtype="float64").to(device)
    x = RNG.normal(size=(2, 4, 6))
    y = mha(var(x, device))
    assert y.shape == (2, 4, 6) and y.device == device
    np.testing.assert_allclose(to_host(y), np_mha(mha, x, x, x), rtol=1e-10, atol=1e-12)


def test_causal_self_attention_against_numpy(device):
    mha = MultiHeadAttention(4, num_heads=2, dtype="float64").to(device)
    x = RNG.normal(size=(3, 5, 4))
    np.testing.assert_allclose(to_host(mha(var(x, device), is_causal=True)), np_mha(mha, x, x, x, causal=True),
                               rtol=1e-10, atol=1e-12)


def test_cross_attention_with_other_sizes_and_a_padding_mask(device):
    mha = MultiHeadAttention(4, num_heads=2, kdim=3, vdim=5, dtype="float64").to(device)
    q, k, v = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 6, 3)), RNG.normal(size=(2, 6, 5))
    keep = np.ones((2, 1, 1, 6), dtype=bool)
    keep[1, ..., 4:] = False  # the second sequence has 4 keys, then padding
    y = mha(var(q, device), var(k, device), var(v, device), mask=device.put(keep))
    np.testing.assert_allclose(to_host(y), np_mha(mha, q, k, v, keep), rtol=1e-10, atol=1e-12)
    assert mha.k_proj.W.shape == (3, 4) and mha.v_proj.W.shape == (5, 4)


def test_value_defaults_to_key(device):
    mha = MultiHeadAttention(4, num_heads=1, dtype="float64").to(device)
    q, k = RNG.normal(size=(1, 2, 4)), RNG.normal(size=(1, 3, 4))
    np.testing.assert_allclose(to_host(mha(var(q, device), var(k, device))), np_mha(mha, q, k, k), rtol=1e-10,
                               atol=1e-12)


def test_unbatched_input_is_one_sequence(device):
    mha = MultiHeadAttention(4, num_heads=2, dtype="float64").to(device)
    x = RNG.normal(size=(5, 4))
    y = mha(var(x, device), is_causal=True)
    assert y.shape == (5, 4)
    np.testing.assert_allclose(to_host(y), np_mha(mha, x[None], x[None], x[None], causal=True)[0], rtol=1e-10,
                               atol=1e-12)


def test_no_bias(device):
    mha = MultiHeadAttention(4, num_heads=2, bias=False, dtype="float64").to(device)
    assert [name for name, _ in mha.named_params()] == [f"{p}.W" for p in PROJECTIONS]
    x = RNG.normal(size=(1, 3, 4))
    np.testing.assert_allclose(to_host(mha(var(x, device))), np_mha(mha, x, x, x), rtol=1e-10, atol=1e-12)


def test_dropout_in_training_only(device):
    mha = MultiHeadAttention(4, num_heads=2, dropout=0.5, dtype="float64").to(device)
    x = var(RNG.normal(size=(2, 6, 4)), device)
    with autograd.test_mode():
        np.testing.assert_allclose(to_host(mha(x)), np_mha(mha, *[to_host(x)] * 3), rtol=1e-10, atol=1e-12)
    assert not np.allclose(to_host(mha(x)), np_mha(mha, *[to_host(x)] * 3))


def test_gradcheck_inputs_and_weights(device):
    mha = MultiHeadAttention(4, num_heads=2, kdim=3, dtype="float64").to(device)
    places = [(getattr(mha, p), attr) for p in PROJECTIONS for attr in ("W", "b")]
    q, k = var(RNG.normal(size=(1, 2, 4)), device), var(RNG.normal(size=(1, 3, 3)), device)
    v = var(RNG.normal(size=(1, 3, 4)), device)
    keep = device.put(np.array([[True, True, False], [False, True, True]]))

    def f(q, k, v, *weights):
        for (owner, attr), w in zip(places, weights):
            setattr(owner, attr, w)
        return mha(q, k, v, mask=keep)

    assert gradcheck(f, q, k, v, *[getattr(owner, attr) for owner, attr in places])


def test_moves_with_to_and_trains_there(device):
    mha = MultiHeadAttention(4, num_heads=2)
    mha.to(device)
    assert all(p.device == device for p in mha.params())
    y = mha(Variable(RNG.normal(size=(2, 3, 4)), dtype="float32", device=device), is_causal=True)
    (y * y).sum().backward()
    assert all(p.grad is not None and p.grad.device == device for p in mha.params())


def test_a_3d_mask_is_pytorchs_batch_times_heads_layout(device):
    # PyTorch's nn.MultiheadAttention reads a 3-d attn_mask as (N·h, L, S), sample-major; broadcast as it stood,
    # a (N, L, S) mask with N == h put sample i's mask on head i of every sample, silently
    mha = MultiHeadAttention(4, num_heads=2, dtype="float64").to(device)
    x = RNG.normal(size=(2, 3, 4))
    keep = RNG.random((2, 2, 3, 3)) > 0.4  # (N, h, L, S)
    keep[..., 0] = True
    y = mha(var(x, device), mask=device.put(keep.reshape(4, 3, 3)))
    np.testing.assert_allclose(to_host(y), np_mha(mha, x, x, x, keep), rtol=1e-10, atol=1e-12)
    y = mha(var(x[0], device), mask=device.put(keep[0]))  # unbatched: (h, L, S)
    np.testing.assert_allclose(to_host(y), np_mha(mha, x[:1], x[:1], x[:1], keep[:1])[0], rtol=1e-10, atol=1e-12)
