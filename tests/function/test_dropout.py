"""dropout: inverted dropout in training, the identity under test_mode()."""
import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, to_host
from autograd.backend import dtype_name


@pytest.mark.parametrize("ratio", [0.1, 0.3, 0.5, 0.8])
def test_dropout_zeros_about_ratio_and_scales_the_rest(device, ratio):
    x = Variable(np.ones((40, 50)), device=device)
    y = to_host(F.dropout(x, ratio))
    dropped = np.mean(y == 0.0)
    assert abs(dropped - ratio) < 0.04  # 2000 draws: the standard deviation is at most 0.011
    np.testing.assert_allclose(y[y != 0.0], 1.0 / (1.0 - ratio), rtol=1e-12)


def test_dropout_default_ratio_is_half(device):
    y = to_host(F.dropout(Variable(np.ones((40, 50)), device=device)))
    assert abs(np.mean(y == 0.0) - 0.5) < 0.04
    np.testing.assert_allclose(y[y != 0.0], 2.0, rtol=1e-12)


def test_dropout_gradient_is_mask_times_scale(device):
    a = np.random.default_rng(0).uniform(0.5, 2.0, (6, 5))  # no zeros: y == 0 exactly where dropped
    x = Variable(a, device=device)
    y = F.dropout(x, 0.4)
    out = to_host(y)
    mask = out != 0.0
    assert 0 < mask.sum() < mask.size
    np.testing.assert_allclose(out, np.where(mask, a / 0.6, 0.0), rtol=1e-12)
    w = np.arange(1.0, 31.0).reshape(6, 5)
    (y * device.put(w)).sum().backward()
    np.testing.assert_allclose(to_host(x.grad), mask * w / 0.6, rtol=1e-12)


def test_dropout_keeps_float32(device):
    x = Variable(np.ones((4, 5), dtype=np.float32), device=device)
    y = F.dropout(x, 0.5)
    y.backward()
    assert dtype_name(y.dtype) == "float32"
    assert dtype_name(x.grad.dtype) == "float32"
    np.testing.assert_array_equal(np.unique(to_host(y)), [0.0, 2.0])


def test_dropout_is_reproducible_under_seed(device):
    x = Variable(np.ones((5, 6)), device=device)
    autograd.seed(123)
    first = to_host(F.dropout(x, 0.5))
    autograd.seed(123)
    second = to_host(F.dropout(x, 0.5))
    np.testing.assert_array_equal(first, second)


def test_dropout_is_identity_in_test_mode(device):
    a = np.random.default_rng(1).normal(size=(3, 4))
    x = Variable(a, device=device)
    with autograd.test_mode():
        y = F.dropout(x, 0.5)
    np.testing.assert_array_equal(to_host(y), a)
    y.backward()
    np.testing.assert_array_equal(to_host(x.grad), np.ones((3, 4)))
    assert autograd.is_training()  # test_mode() restored training on exit


def test_dropout_ratio_zero_is_identity(device):
    a = np.random.default_rng(2).normal(size=(3, 4))
    x = Variable(a, device=device)
    y = F.dropout(x, 0.0)
    np.testing.assert_array_equal(to_host(y), a)


@pytest.mark.parametrize("ratio", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_ratio_outside_range_raises(device, ratio):
    with pytest.raises(ValueError, match="dropout"):
        F.dropout(Variable(np.ones(3), device=device), ratio)
    with autograd.test_mode(), pytest.raises(ValueError, match="dropout"):
        F.dropout(Variable(np.ones(3), device=device), ratio)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
def test_dropout_refuses_non_floating_data(device, dtype):
    # an integer mask product rounds 1 / (1 - ratio) away (or drops everything); PyTorch refuses it too
    x = Variable(np.ones((4, 5), dtype=dtype), device=device)
    for mode in (autograd.enable_grad, autograd.test_mode):
        with mode(), pytest.raises(TypeError, match=rf"^dropout: x must be a floating-point array, got dtype {dtype}"):
            F.dropout(x, 0.5)
