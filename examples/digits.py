"""Classify scikit-learn's 8x8 handwritten digits with an MLP trained by Adam, and report the test accuracy.

    python examples/digits.py                     # 20 epochs on the CPU, about 96 % test accuracy
    python examples/digits.py --epochs 3          # quick
    python examples/digits.py --batch-size 64 --alpha 0.001
    python examples/digits.py --device sim        # the simulated accelerator; --device cuda on a GPU

The 1797 images (64 pixels in [0, 1]) come with scikit-learn (pip install scikit-learn); a fixed 80/20 split
gives 1438 training and 359 test images.
"""
import argparse

from tqdm import tqdm

import autograd
import autograd.function as F
from autograd import Variable, data, model, optimizer


def main(device="cpu", epochs=20, hidden_size=100, batch_size=32, alpha=0.003):
    """Per-epoch average training losses and the final test accuracy."""
    autograd.seed(0)
    train, test = data.digits(train=True), data.digits(train=False)
    loader = data.DataLoader(train, batch_size=batch_size, device=device)
    mlp = model.MLP([hidden_size, 10], activation=F.relu).to(device)
    opt = optimizer.Adam(alpha=alpha)

    losses = []
    for epoch in (bar := tqdm(range(epochs), desc="digits")):
        total = 0.0
        for x, t in loader:
            loss = F.cross_entropy(mlp(x), t)
            mlp.cleargrads()
            loss.backward()
            opt.update(mlp)
            total = total + loss.data * len(t)  # summed on the device
        losses.append(float(total) / len(train))  # the epoch's only host synchronisation
        bar.set_postfix(loss=f"{losses[-1]:.4f}")

    x, t = Variable(test.x, device=device), Variable(test.t, device=device)
    with autograd.test_mode(), autograd.no_grad():
        accuracy = float(F.accuracy(mlp(x), t))
    print(f"final loss {losses[-1]:.4f}, test accuracy {accuracy:.3f}")
    return losses, accuracy


def positive(kind):
    """An argparse type: ``kind`` (int or float) of the text, which must be above zero."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a{'n' if kind is int else ''} {kind.__name__}, "
                                             f"got {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value
    return parse


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, sim, cuda or cuda:N")
    parser.add_argument("--epochs", type=positive(int), default=20,
                        help="passes over the training set (default 20; 3 is quick)")
    parser.add_argument("--hidden-size", type=positive(int), default=100)
    parser.add_argument("--batch-size", type=positive(int), default=32, help="images per step (default 32)")
    parser.add_argument("--alpha", type=positive(float), default=0.003, help="Adam's step size (default 0.003)")
    args = parser.parse_args()
    main(args.device, args.epochs, args.hidden_size, args.batch_size, args.alpha)
