"""The README's commands and the example scripts: each one's main() learns, and each runs from the command line."""
import importlib.util
import math
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second_verbatim():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block and readme.index(block.group(0)) < readme.index("autograd is a")
    install_and_run, install_and_test = block.group(1).strip().splitlines()
    assert "examples/seed.py" in install_and_run
    ci_lines = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci_lines[-1] == install_and_test


def test_seed_example_learns_on_every_device(device, capsys):
    losses = _load("seed").main(device=device.name, steps=60, every=30)
    assert "loss" in capsys.readouterr().out
    # The MLP predicts one number for targets [0, 1, 0]; the best possible loss is 2/9.
    assert losses[0] > 0.25
    assert abs(losses[-1] - 2 / 9) < 1e-3


@pytest.mark.parametrize("func, order, x, expected", [
    ("tanh", 2, 1.0, -2 * math.tanh(1.0) * (1 - math.tanh(1.0) ** 2)),
    ("tanh", 3, 0.5, -2 * (1 - math.tanh(0.5) ** 2) * (1 - 3 * math.tanh(0.5) ** 2)),
    ("sin", 4, 0.7, math.sin(0.7)),
    ("cos", 2, 0.7, -math.cos(0.7)),
    ("exp", 3, 0.3, math.exp(0.3)),
    ("log", 3, 2.0, 2 / 2.0 ** 3),
    ("pow", 2, 1.5, 6 * 1.5),  # x**3
    ("square", 1, 1.5, 3.0),
    ("square", 3, 1.5, 0.0),  # square'' = 2 is a constant: every later derivative is zero
    ("neg", 2, 1.5, 0.0),
])
def test_dot_example_differentiates_n_times_and_writes_the_graph(tmp_path, capsys, func, order, x, expected):
    out = tmp_path / "graph.dot"
    value, text = _load("dot").main(device="cpu", func=func, order=order, x=x, out=str(out), format=None)
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert text.startswith("digraph")
    assert out.read_text() == text
    assert f'label="gx{order}"' in text
    assert f"{value:.6f}" in capsys.readouterr().out


def test_lstm_example_loss_falls_and_predicts_the_whole_cosine():
    losses, predictions = _load("lstm").main(device="cpu", epochs=3)
    assert len(losses) == 3 and losses[-1] < 0.6 * losses[0]
    assert len(predictions) == 999 and all(math.isfinite(p) for p in predictions)


def test_spiral_example_learns_on_every_device(device):
    losses, accuracy = _load("spiral").main(device=device.name, epochs=100)
    assert len(losses) == 100 and losses[-1] < 0.5 * losses[0]
    assert accuracy > 0.8  # 0.86 after 100 epochs (0.98 after the default 300); chance is 1/3


def test_digits_example_reaches_95_percent_test_accuracy_at_its_defaults():
    losses, accuracy = _load("digits").main(device="cpu")
    assert losses[-1] < 0.1 * losses[0]
    assert accuracy >= 0.95  # 0.967 with autograd.seed(0)


@pytest.mark.parametrize("name, args", [
    ("dot", ["--order", "3", "--func", "sin"]),
    ("lstm", ["--epochs", "1", "--hidden-size", "10"]),
    ("spiral", ["--epochs", "2"]),
    ("digits", ["--epochs", "1"]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_example_runs_from_the_command_line(tmp_path, name, args):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py"), "--device", "cpu", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    if name == "dot":
        assert (tmp_path / "graph.dot").read_text().startswith("digraph")
