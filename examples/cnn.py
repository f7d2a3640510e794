"""A small convolutional network learns scikit-learn's 8x8 handwritten digits; optionally plots its first filters.

    python examples/cnn.py                        # 15 epochs on the CPU, about 98 % test accuracy
    python examples/cnn.py --epochs 2             # quick
    python examples/cnn.py --plot filters.png     # also save the 16 learned 3x3 filters of the first layer
    python examples/cnn.py --device sim           # the simulated accelerator; --device cuda on a GPU

The network: conv 3x3 (16) - batch norm - relu - max pool 2 - conv 3x3 (32) - relu - max pool 2 - flatten -
linear 64 - relu - dropout - linear 10, trained by Adam on the same fixed 80/20 split as examples/digits.py.
"""
import argparse
import pathlib
import sys
import time

from tqdm import tqdm

import autograd
import autograd.function as F
from autograd import Variable, data, layer, model, optimizer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from digits import positive  # noqa: E402  (the same checked argparse types as the MLP example)


class CNN(model.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = layer.Conv2d(16, 3, pad=1)
        self.bn1 = layer.BatchNorm(16)
        self.conv2 = layer.Conv2d(32, 3, pad=1)
        self.fc1 = layer.Linear(64)
        self.drop = layer.Dropout(0.25)
        self.fc2 = layer.Linear(10)

    def forward(self, x):
        x = F.reshape(x, (-1, 1, 8, 8))  # the data set's 64 pixels as one 8x8 channel
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)  # 16 x 4 x 4
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # 32 x 2 x 2
        return self.fc2(self.drop(F.relu(self.fc1(F.flatten(x)))))


def main(device="cpu", epochs=15, batch_size=32, alpha=0.003, plot=None):
    """Per-epoch average training losses, the final test accuracy and the mean seconds per epoch."""
    autograd.seed(0)
    train, test = data.digits(train=True), data.digits(train=False)
    loader = data.DataLoader(train, batch_size=batch_size, device=device)
    net = CNN().to(device)
    opt = optimizer.Adam(alpha=alpha)

    losses, start = [], time.perf_counter()
    for epoch in (bar := tqdm(range(epochs), desc="cnn")):
        total = 0.0
        for x, t in loader:
            loss = F.cross_entropy(net(x), t)
            net.cleargrads()
            loss.backward()
            opt.update(net)
            total = total + loss.data * len(t)  # summed on the device
        losses.append(float(total) / len(train))  # the epoch's only host synchronisation
        bar.set_postfix(loss=f"{losses[-1]:.4f}")
    per_epoch = (time.perf_counter() - start) / epochs

    x, t = Variable(test.x, device=device), Variable(test.t, device=device)
    with autograd.test_mode(), autograd.no_grad():
        accuracy = float(F.accuracy(net(x), t))
    print(f"final loss {losses[-1]:.4f}, test accuracy {accuracy:.3f}, {per_epoch:.2f} s per epoch")
    if plot:
        plot_filters(net.conv1.W, plot)
    return losses, accuracy, per_epoch


def plot_filters(W, path):
    """Save the first layer's filters (out, 1, kh, kw) as a grid of grey images."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    w = autograd.to_host(W)
    fig, axes = plt.subplots(2, (w.shape[0] + 1) // 2, figsize=(w.shape[0] / 2, 2.2))
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < w.shape[0]:
            ax.imshow(w[k, 0], cmap="gray")
    fig.suptitle("first-layer filters")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"filters saved to {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, sim, cuda or cuda:N")
    parser.add_argument("--epochs", type=positive(int), default=15,
                        help="passes over the training set (default 15; 2 is quick)")
    parser.add_argument("--batch-size", type=positive(int), default=32, help="images per step (default 32)")
    parser.add_argument("--alpha", type=positive(float), default=0.003, help="Adam's step size (default 0.003)")
    parser.add_argument("--plot", metavar="PATH", help="save the first layer's filters to this image file")
    args = parser.parse_args()
    main(args.device, args.epochs, args.batch_size, args.alpha, args.plot)
