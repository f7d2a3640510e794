"""Classify the points of a 3-arm spiral with a small MLP trained by SGD (DeZero's setting).

    python examples/spiral.py                         # 300 epochs on the CPU
    python examples/spiral.py --epochs 30 --plot spiral.png
    python examples/spiral.py --device sim            # the simulated accelerator; --device cuda on a GPU

One hidden layer of 10 sigmoid units, learning rate 1.0, batches of 30: no straight line separates the arms,
so the hidden layer has to bend the decision boundary around them.
"""
import argparse

from tqdm import tqdm

import autograd
import autograd.function as F
from autograd import Variable, data, model, optimizer


def main(device="cpu", epochs=300, hidden_size=10, batch_size=30, learning_rate=1.0, plot=None):
    """Per-epoch average losses and the final training accuracy."""
    autograd.seed(0)
    train = data.spiral()
    loader = data.DataLoader(train, batch_size=batch_size, device=device)
    mlp = model.MLP([hidden_size, 3], activation=F.sigmoid).to(device)
    opt = optimizer.SGD(learning_rate=learning_rate)

    losses = []
    for epoch in (bar := tqdm(range(epochs), desc="spiral")):
        total = 0.0
        for x, t in loader:
            loss = F.cross_entropy(mlp(x), t)
            mlp.cleargrads()
            loss.backward()
            opt.update(mlp)
            total = total + loss.data * len(t)  # summed on the device
        losses.append(float(total) / len(train))  # the epoch's only host synchronisation
        bar.set_postfix(loss=f"{losses[-1]:.4f}")

    x, t = Variable(train.x, device=device), Variable(train.t, device=device)
    with autograd.no_grad():
        accuracy = float(F.accuracy(mlp(x), t))
    print(f"final loss {losses[-1]:.4f}, training accuracy {accuracy:.3f}")
    if plot:
        save_plot(plot, mlp, train, device)
    return losses, accuracy


def save_plot(path, mlp, train, device):
    """The predicted class over the plane (the decision regions), with the training points on top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    xs, ys = np.meshgrid(np.linspace(-1.1, 1.1, 200), np.linspace(-1.1, 1.1, 200))
    grid = Variable(np.stack([xs.ravel(), ys.ravel()], axis=1), dtype="float32", device=device)
    with autograd.no_grad():
        classes = autograd.to_host(mlp(grid)).argmax(axis=1).reshape(xs.shape)
    colors = ["tab:blue", "tab:orange", "tab:green"]
    plt.contourf(xs, ys, classes, levels=[-0.5, 0.5, 1.5, 2.5], colors=colors, alpha=0.3)
    plt.scatter(train.x[:, 0], train.x[:, 1], c=[colors[k] for k in train.t], s=12)
    plt.gca().set_aspect("equal")
    plt.savefig(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, sim, cuda or cuda:N")
    parser.add_argument("--epochs", type=int, default=300, help="passes over the 300 points (default 300; 30 is quick)")
    parser.add_argument("--hidden-size", type=int, default=10)
    parser.add_argument("--plot", metavar="FILE", help="save the decision regions (e.g. spiral.png)")
    args = parser.parse_args()
    main(args.device, args.epochs, args.hidden_size, plot=args.plot)
