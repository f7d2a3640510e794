"""multinomial: the frequencies of its draws, with and without replacement, categories of weight 0, distinct
indices, reproducibility from autograd.seed on every device (its errors are rows of tests/test_errors.py; the op
table, tests/op_tables.py, has its row)."""
import itertools

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Variable, to_host


def chi_square_is_plausible(counts, expected):
    """Pearson's statistic of observed `counts` against `expected` (over the categories expected at all), below
    its mean plus 6 standard deviations (df + 6 √(2 df)): a fair draw fails it with probability below 1e-6."""
    counts, expected = np.asarray(counts, dtype=float), np.asarray(expected, dtype=float)
    keep = expected > 0
    statistic = np.sum((counts[keep] - expected[keep]) ** 2 / expected[keep])
    df = keep.sum() - 1
    return statistic < df + 6 * np.sqrt(2 * df)


WEIGHTS = np.array([[1.0, 2.0, 0.0, 5.0, 2.0],  # not normalised; a weight 0 in the middle
                    [0.0, 0.0, 3.0, 1.0, 0.0]])  # weights 0 first and last


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_draws_with_replacement_follow_the_weights(device, dtype):
    autograd.seed(0)
    n = 20000
    index = to_host(F.multinomial(Variable(WEIGHTS.astype(dtype), device=device), n, replacement=True))
    assert index.shape == (2, n) and index.dtype == np.int64
    for row, w in zip(index, WEIGHTS):
        counts = np.bincount(row, minlength=5)
        assert np.all(counts[w == 0] == 0)  # never drawn
        assert chi_square_is_plausible(counts, n * w / w.sum()), counts


def test_draws_without_replacement_are_successive_draws(device):
    # P(first i, then j) = w_i / W · w_j / (W - w_i): torch.multinomial's sampling without replacement
    w = np.array([1.0, 2.0, 3.0])
    autograd.seed(1)
    n = 12000
    index = to_host(F.multinomial(Variable(np.tile(w, (n, 1)), device=device), 2))
    assert index.shape == (n, 2)
    assert np.all(index[:, 0] != index[:, 1])
    pairs = list(itertools.permutations(range(3), 2))
    counts = [np.sum((index[:, 0] == i) & (index[:, 1] == j)) for i, j in pairs]
    expected = [n * w[i] / w.sum() * w[j] / (w.sum() - w[i]) for i, j in pairs]
    assert chi_square_is_plausible(counts, expected), (counts, expected)


def test_without_replacement_all_categories_give_a_permutation(device):
    autograd.seed(2)
    index = to_host(F.multinomial(Variable(np.ones((50, 6)) + np.arange(6), device=device), 6))
    assert np.all(np.sort(index, axis=1) == np.arange(6))


def test_categories_of_weight_zero_are_never_drawn(device):
    autograd.seed(3)
    w = np.array([0.0, 1e-3, 0.0, 1.0, 0.0])  # a tiny weight is drawn, a zero never, even as the last category
    with_replacement = to_host(F.multinomial(Variable(w, device=device), 5000, replacement=True))
    assert set(with_replacement.tolist()) == {1, 3}
    without = to_host(F.multinomial(Variable(np.tile(w, (2000, 1)), device=device), 2))
    assert np.all(np.sort(without, axis=1) == [1, 3])


def test_one_d_probs_give_one_d_indices(device):
    y = F.multinomial(Variable([0.2, 0.8], device=device))
    assert y.shape == (1,) and y.device == device
    assert F.multinomial(Variable([0.2, 0.8], device=device), 2).shape == (2,)


def test_draws_are_reproducible_from_the_seed_and_equal_on_every_device(device):
    p = np.random.default_rng(0).uniform(0.0, 1.0, (3, 7))

    def draw(on, replacement):
        autograd.seed(42)
        return to_host(F.multinomial(Variable(p, device=on), 4, replacement=replacement))

    for replacement in (False, True):
        first = draw(device, replacement)
        np.testing.assert_array_equal(draw(device, replacement), first)
        if device.name in ("cpu", "sim"):  # both draw from the host's stream
            np.testing.assert_array_equal(draw("cpu", replacement), first)
    autograd.seed(42)
    a = to_host(F.multinomial(Variable(p, device=device), 4))
    b = to_host(F.multinomial(Variable(p, device=device), 4))
    assert not np.array_equal(a, b)  # the stream moves on


def test_the_indices_are_a_constant_even_of_a_graph(device):
    logits = Variable(np.array([[0.5, 1.0, -1.0]]), device=device)
    y = F.multinomial(F.softmax(logits / 0.7), 2)
    assert y.creator is None and not y.requires_grad
    assert str(y.dtype).endswith("int64")


def test_float16_weights(device):
    if not hasattr(device.xp, "float16"):
        pytest.skip(f"{device.name} has no float16 (the array API standard has none)")
    autograd.seed(4)
    w = np.array([1e-3, 0.0, 1.0], dtype=np.float16)
    index = to_host(F.multinomial(Variable(w, device=device), 3000, replacement=True))
    assert set(index.tolist()) <= {0, 2} and 2 in index
