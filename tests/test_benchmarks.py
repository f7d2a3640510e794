"""The benchmark harness (benchmarks/run.py) with tiny settings: every workload runs, and autograd and the
hand-written NumPy reference (benchmarks/reference.py), started from the same weights on the same batches,
end at the same loss and the same weights. Timings are never asserted."""
import importlib.util
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"


def _load_harness():
    spec = importlib.util.spec_from_file_location("autograd_benchmarks_run", BENCHMARKS / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = _load_harness()


@pytest.mark.parametrize("name", list(harness.BUILDERS))
def test_autograd_and_reference_train_alike(name, device):
    workload = harness.BUILDERS[name](device, harness.QUICK, None)
    sides = {side.name: side for side in workload.sides}
    assert set(sides) == {"hand-written", "autograd"}
    sides["hand-written"].prepare()
    start = [w.copy() for w in sides["hand-written"].weights()]
    sides["autograd"].prepare()
    for a, b in zip(sides["autograd"].weights(), start, strict=True):  # the same start
        np.testing.assert_array_equal(a, b)

    result = harness.measure(workload, repeat=1, device=device)

    ref, ours = result.losses["hand-written"], result.losses["autograd"]
    assert math.isfinite(ref) and math.isfinite(ours)
    assert result.agree(), f"{name}: hand-written loss {ref}, autograd loss {ours}"
    trained_ref, trained_ours = sides["hand-written"].weights(), sides["autograd"].weights()
    for k, (a, b, w0) in enumerate(zip(trained_ours, trained_ref, start, strict=True)):
        assert not np.array_equal(b, w0), f"{name}: weight {k} did not train"
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6, err_msg=f"{name}: weight {k}")
    if name.startswith("digits"):
        assert abs(result.accuracies["autograd"] - result.accuracies["hand-written"]) <= 0.01
    for side in ("hand-written", "autograd"):
        assert len(result.times[side]) == 1
        assert result.peaks[side] is None or result.peaks[side] > 0


def test_select_workloads():
    assert harness.select(None) == list(harness.BUILDERS)
    assert harness.select(["digits"]) == ["digits-sgd", "digits-adam"]
    assert harness.select(["lstm", "mlp-small"]) == ["mlp-small", "lstm"]
    with pytest.raises(SystemExit, match="unknown workload"):
        harness.select(["conv"])


def test_run_quick_exits_0():
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--quick"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in harness.BUILDERS:
        assert name in done.stdout
    assert "numpy" in done.stdout and "MISMATCH" not in done.stdout
