"""benchmarks/conv.py --quick runs, and autograd's conv2d agrees with the hand-written NumPy reference there.
Timings are never asserted."""
import pathlib
import subprocess
import sys

BENCHMARK = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "conv.py"


def test_conv_benchmark_quick_exits_0():
    done = subprocess.run([sys.executable, str(BENCHMARK), "--quick"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ratio" in done.stdout and "MISMATCH" not in done.stdout
