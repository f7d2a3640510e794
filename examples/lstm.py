"""Train an LSTM to predict the next value of a noisy sine (truncated backprop through time), then run it on a cosine.

    python examples/lstm.py                        # 100 epochs on the CPU
    python examples/lstm.py --epochs 5 --plot lstm.png
    python examples/lstm.py --device sim           # the simulated accelerator; --device cuda on a GPU

The sine is cut into 30 streams read side by side (data.SeqDataLoader), so each step feeds a batch of 30
consecutive-in-time values. The loss is summed over 30 steps, back-propagated, and the graph behind it cut
(loss.unchain_backward()), so memory stays bounded however long the sequence is.
"""
import argparse

from tqdm import tqdm

import autograd
import autograd.function as F
from autograd import data, model, optimizer


def main(device="cpu", epochs=100, hidden_size=100, batch_size=30, bptt_length=30, plot=None):
    """Per-epoch average losses and the predictions (floats) for the clean cosine."""
    autograd.seed(0)
    train = data.sin_curve()
    loader = data.SeqDataLoader(train, batch_size=batch_size, device=device)
    lstm = model.LSTM(hidden_size=hidden_size, out_size=1).to(device)
    opt = optimizer.Adam()

    losses = []
    for epoch in (bar := tqdm(range(epochs), desc="lstm")):
        lstm.reset_state()
        loss = 0  # summed over the epoch; each backward reaches back only to the last cut
        for count, (x, t) in enumerate(loader, start=1):
            loss = loss + F.mean_squared_error(lstm(x), t)
            if count % bptt_length == 0 or count == len(loader):
                lstm.cleargrads()
                loss.backward()
                loss.unchain_backward()  # truncate: the next backward stops here
                opt.update(lstm)
        losses.append(float(loss) / len(loader))  # the epoch's only host synchronisation
        bar.set_postfix(loss=f"{losses[-1]:.5f}")

    test = data.sin_curve(train=False)
    outputs = []
    with autograd.no_grad():
        lstm.reset_state()
        for x, _ in data.DataLoader(test, batch_size=1, shuffle=False, device=device):
            outputs.append(lstm(x))
        predictions = autograd.to_host(F.concat(outputs))[:, 0].tolist()  # one transfer for all of them
    print(f"final loss {losses[-1]:.6f}")
    if plot:
        save_plot(plot, test, predictions)
    return losses, predictions


def save_plot(path, test, predictions):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.plot(test.x[:, 0], label="cos (input)")
    plt.plot(predictions, label="predicted next value")
    plt.xlabel("step")
    plt.legend()
    plt.savefig(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, sim, cuda or cuda:N")
    parser.add_argument("--epochs", type=int, default=100, help="passes over the sine (default 100; 5 is quick)")
    parser.add_argument("--hidden-size", type=int, default=100)
    parser.add_argument("--plot", metavar="FILE", help="save a plot of the predictions (e.g. lstm.png)")
    args = parser.parse_args()
    main(args.device, args.epochs, args.hidden_size, plot=args.plot)
