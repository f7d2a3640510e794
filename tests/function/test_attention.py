"""scaled_dot_product_attention beyond the op table: masked-out queries, masks of every kind against one
another, dropout in training and test mode, dtypes."""
import numpy as np

import autograd
import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import dtype_name

RNG = np.random.default_rng(3)


def sdpa_np(q, k, v, keep):
    """softmax over the kept keys, in float64 on the host; a query without keys gives zeros."""
    s = np.where(keep, q @ k.T / np.sqrt(q.shape[-1]), -np.inf)
    w = np.exp(s - np.max(np.where(keep, s, -1e300), axis=-1, keepdims=True))
    total = w.sum(axis=-1, keepdims=True)
    return w / np.where(total == 0, 1.0, total) @ v


def test_a_query_without_keys_gives_zeros_and_zero_gradients(device):
    # PyTorch's safe softmax (2.5+): a fully masked row is 0, not NaN, and nothing flows back through it
    q, k, v = (Variable(RNG.normal(size=shape), device=device) for shape in [(3, 2), (4, 2), (4, 3)])
    keep = np.array([[True, True, False, False], [False] * 4, [True] * 4])
    y = F.scaled_dot_product_attention(q, k, v, device.put(keep))
    np.testing.assert_allclose(to_host(y), sdpa_np(*(to_host(x) for x in (q, k, v)), keep), rtol=1e-12)
    assert np.all(to_host(y)[1] == 0.0)
    F.sum(y).backward()
    for x in (q, k, v):
        assert np.all(np.isfinite(to_host(x.grad)))
    assert np.all(to_host(q.grad)[1] == 0.0)


def test_a_masked_key_does_not_matter_however_large(device):
    q, v = Variable(RNG.normal(size=(2, 2)), device=device), Variable(RNG.normal(size=(3, 2)), device=device)
    k = RNG.normal(size=(3, 2))
    keep = device.put(np.array([True, True, False]))
    y = F.scaled_dot_product_attention(q, Variable(k, device=device), v, keep)
    k[2] = 1e300
    y_large = F.scaled_dot_product_attention(q, Variable(k, device=device), v, keep)
    np.testing.assert_array_equal(to_host(y), to_host(y_large))


def test_boolean_float_and_causal_masks_agree(device):
    q, k, v = (Variable(RNG.normal(size=(2, 4, 3)), device=device) for _ in range(3))
    causal = np.tril(np.ones((4, 4), dtype=bool))
    by_flag = to_host(F.scaled_dot_product_attention(q, k, v, is_causal=True))
    by_bool = to_host(F.scaled_dot_product_attention(q, k, v, device.put(causal)))
    by_float = to_host(F.scaled_dot_product_attention(q, k, v, device.put(np.where(causal, 0.0, -np.inf))))
    np.testing.assert_allclose(by_bool, by_flag, rtol=1e-12)
    np.testing.assert_allclose(by_float, by_flag, rtol=1e-12)
    expected = np.stack([sdpa_np(*(to_host(x)[b] for x in (q, k, v)), causal) for b in range(2)])
    np.testing.assert_allclose(by_flag, expected, rtol=1e-12)


def test_default_scale_is_one_over_root_e(device):
    q, k, v = (Variable(RNG.normal(size=(3, 4)), device=device) for _ in range(3))
    default = to_host(F.scaled_dot_product_attention(q, k, v))
    np.testing.assert_allclose(to_host(F.scaled_dot_product_attention(q, k, v, scale=0.5)), default, rtol=1e-12)
    assert not np.allclose(to_host(F.scaled_dot_product_attention(q, k, v, scale=1.0)), default)


def test_dropout_drops_attention_weights_in_training_only(device):
    # with v the identity the output is the weights themselves: each is dropped or scaled by 1 / (1 - p)
    q, k = Variable(RNG.normal(size=(40, 4)), device=device), Variable(RNG.normal(size=(50, 4)), device=device)
    v = Variable(np.eye(50), device=device)
    weights = to_host(F.scaled_dot_product_attention(q, k, v))
    y = to_host(F.scaled_dot_product_attention(q, k, v, dropout=0.25))
    kept = y != 0.0
    assert abs(1.0 - kept.mean() - 0.25) < 0.04  # 2000 draws
    np.testing.assert_allclose(y[kept], weights[kept] / 0.75, rtol=1e-12)
    with autograd.test_mode():
        np.testing.assert_array_equal(to_host(F.scaled_dot_product_attention(q, k, v, dropout=0.25)), weights)


def test_dropout_is_reproducible_from_the_seed(device):
    q, k, v = (Variable(RNG.normal(size=(4, 3)), device=device) for _ in range(3))
    autograd.seed(5)
    a = to_host(F.scaled_dot_product_attention(q, k, v, dropout=0.5))
    autograd.seed(5)
    np.testing.assert_array_equal(to_host(F.scaled_dot_product_attention(q, k, v, dropout=0.5)), a)


def test_float32_stays_float32_with_a_float64_mask(device):
    q, k, v = (Variable(RNG.normal(size=(3, 2)), dtype="float32", device=device) for _ in range(3))
    mask = device.put(np.array([[0.0, -1.0, -np.inf]] * 3))
    y = F.scaled_dot_product_attention(q, k, v, mask)
    assert dtype_name(y.dtype) == "float32"
    F.sum(y).backward()
    assert dtype_name(q.grad.dtype) == "float32"


def test_a_float_mask_gets_a_gradient(device):
    # a learned additive bias (relative positions, ALiBi): the gradient of Σ y w.r.t. the bias is the softmax's
    q, k = Variable(np.zeros((1, 2)), device=device), Variable(np.zeros((2, 2)), device=device)
    v = Variable(np.array([[1.0], [3.0]]), device=device)
    bias = Variable(np.array([[0.0, 0.0]]), device=device)
    y = F.scaled_dot_product_attention(q, k, v, bias)  # weights 1/2, 1/2: y = 2
    y.backward()
    assert y.item() == 2.0
    # ∂y/∂s_j = w_j (v_j - y): 1/2 (1 - 2), 1/2 (3 - 2)
    np.testing.assert_allclose(to_host(bias.grad), [[-0.5, 0.5]], rtol=1e-12)
