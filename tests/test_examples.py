"""The README's commands and the seed example."""
import importlib.util
import pathlib
import re

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
