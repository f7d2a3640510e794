"""autograd.detect_anomaly(): the first NaN or Inf an op's forward or backward produces raises, naming the op and
the line of user code that made it; nothing is checked outside the context."""
import threading
import warnings

import numpy as np
import pytest

import autograd
import autograd.function as F
from autograd import Function, Variable, to_host

THIS_FILE = __file__


class NaNGrad(Function):
    """The identity, with a backward that returns NaN: a broken user-defined op."""

    def forward(self, x):
        return x

    def backward(self, gy):
        return gy * float("nan")


def quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy warns about the very values we provoke
        return fn()


@pytest.mark.parametrize("make, op, kind", [
    (lambda x: F.log(x - 2.0), "Log", "NaN"),
    (lambda x: 1.0 / (x - 1.0), "Div", "Inf"),
    (lambda x: F.exp(x * 1000.0), "Exp", "Inf"),
])
def test_forward_nan_or_inf_raises_naming_the_op_and_the_line(device, make, op, kind):
    x = Variable(np.array([1.0, 3.0]), device=device)
    with autograd.detect_anomaly():
        with pytest.raises(FloatingPointError, match=rf"{op}\.forward gave {kind} in its output 0 \(shape \(2,\)\)") as e:
            quiet(lambda: make(x))
    assert f"{THIS_FILE}:" in str(e.value)  # the user's line, not autograd's


def test_backward_nan_recorded_raises_naming_the_op_and_the_function_whose_backward_made_it(device):
    x = Variable(np.array([1.0, 2.0]), device=device)
    with autograd.detect_anomaly():
        y = F.sum(NaNGrad()(x * 2.0))  # the forward values are finite: no error yet
        with pytest.raises(FloatingPointError, match=r"Mul.forward gave NaN .* in the backward pass of NaNGrad "
                                                     r"made at .*in test_backward_nan") as e:
            y.backward(create_graph=True)  # the formula runs as ops of the graph: the product catches it
    assert f"{THIS_FILE}:" in str(e.value)


def test_backward_nan_on_arrays_is_caught_after_the_backward_naming_it(device):
    x = Variable(np.array([1.0, 2.0]), device=device)
    with autograd.detect_anomaly():
        y = F.sum(NaNGrad()(x))
        with pytest.raises(FloatingPointError, match=r"NaNGrad.backward gave NaN in its gradient 0 "
                                                     r"\(shape \(2,\)\); the op was made at .*test_anomaly"):
            y.backward()  # no graph of the backward: the formula ran on plain arrays


def test_an_infinite_gradient_inside_a_backward_formula_is_caught(device):
    x = Variable(np.array([0.0, 4.0]), device=device)
    with autograd.detect_anomaly():
        y = F.sum(x ** 0.5)  # finite forward; d/dx x^0.5 = 0.5 x^-0.5 is inf at 0
        with pytest.raises(FloatingPointError, match="Inf"):
            quiet(y.backward)


def test_nothing_is_checked_outside_the_context_or_when_disabled(device):
    x = Variable(np.array([-1.0]), device=device)
    y = quiet(lambda: F.log(x))
    assert np.isnan(to_host(y)).all()
    with autograd.detect_anomaly(), autograd.detect_anomaly(False):
        assert np.isnan(to_host(quiet(lambda: F.log(x)))).all()
    with autograd.detect_anomaly():
        y = F.sum(NaNGrad()(x))
    y.backward()  # the context ended before the backward pass: no check
    assert np.isnan(to_host(x.grad)).all()


def test_finite_values_integers_and_booleans_pass(device):
    x = Variable(np.array([1.0, 2.0]), device=device)
    with autograd.detect_anomaly():
        y = F.sum(F.sigmoid(x) * F.exp(x))
        y.backward()
        t = device.put(np.array([0, 1]))
        assert float(F.accuracy(F.reshape(x, (1, 2)), t[1:])) == 1.0
    a = np.array([1.0, 2.0])
    s = 1 / (1 + np.exp(-a))
    np.testing.assert_allclose(to_host(x.grad), (s * (1 - s) + s) * np.exp(a), rtol=1e-12)  # (s e^a)


def test_detect_anomaly_is_context_local():
    """A thread inside detect_anomaly() does not turn it on for another thread."""
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def checking():
        with autograd.detect_anomaly():
            inside.set()
            done.wait(5)

    def other():
        inside.wait(5)
        seen["value"] = quiet(lambda: F.log(Variable(np.array([-1.0]))))  # no raise here
        done.set()

    threads = [threading.Thread(target=checking), threading.Thread(target=other)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert np.isnan(to_host(seen["value"])).all()
