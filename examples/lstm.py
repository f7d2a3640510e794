"""Train an LSTM to predict the next value of a noisy sine (truncated backprop through time), then run it on a cosine.

    python examples/lstm.py                        # 100 epochs on the CPU
    python examples/lstm.py --epochs 5 --plot lstm.png
    python examples/lstm.py --device sim           # the simulated accelerator; --device cuda on a GPU

The sine is cut into 30 streams read side by side (data.SeqDataLoader), so each step feeds a batch of 30
consecutive-in-time values. The loss is summed over 30 steps, back-propagated, and the graph behind it cut
(loss.unchain_backward()), so memory stays bounded however long the sequence is. The script prints the last
epoch's average loss per step and the test MSE: the predictions for the clean cosine against its true next values.
"""
import argparse

from tqdm import tqdm

import autograd
import autograd.function as F
from autograd import Variable, data, model, optimizer


def main(device="cpu", epochs=100, hidden_size=100, batch_size=30, bptt_length=30, plot=None):
    """Per-epoch average training losses (per step), the test MSE of the predictions against the clean cosine's
    next values, and the predictions (floats)."""
    autograd.seed(0)
    train = data.sin_curve()
    loader = data.SeqDataLoader(train, batch_size=batch_size, device=device)
    lstm = model.LSTM(hidden_size=hidden_size, out_size=1).to(device)
    opt = optimizer.Adam()

    losses = []
    for epoch in (bar := tqdm(range(epochs), desc="lstm")):
        lstm.reset_state()
        loss, total = 0, 0.0  # loss: the current window's; total: the epoch's, summed on the device
        for count, (x, t) in enumerate(loader, start=1):
            loss = loss + F.mean_squared_error(lstm(x), t)
            if count % bptt_length == 0 or count == len(loader):
                lstm.cleargrads()
                loss.backward()
                loss.unchain_backward()  # truncate: the graph behind this window is dropped
                opt.update(lstm)
                total = total + loss.data
                loss = 0  # the next window starts afresh
        losses.append(float(total) / len(loader))  # the epoch's only host synchronisation
        bar.set_postfix(loss=f"{losses[-1]:.5f}")

    test = data.sin_curve(train=False)  # x: cos at step i, t: cos at step i + 1
    outputs = []
    with autograd.no_grad(), autograd.test_mode():
        lstm.reset_state()
        for x, _ in data.SeqDataLoader(test, batch_size=1, device=device):  # one stream, one step at a time
            outputs.append(lstm(x))
        y = F.concat(outputs)  # (999, 1), still on the device
        test_mse = float(F.mean_squared_error(y, Variable(test.t, device=device)))
        predictions = autograd.to_host(y)[:, 0].tolist()  # one transfer for all of them
    print(f"final loss {losses[-1]:.6f}, test MSE against the cosine {test_mse:.6f}")
    if plot:
        save_plot(plot, test, predictions, test_mse)
    return losses, test_mse, predictions


def save_plot(path, test, predictions, test_mse):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.plot(test.t[:, 0], label="truth: the next value of cos")
    plt.plot(predictions, "--", label="LSTM prediction")
    plt.xlabel("step")
    plt.title(f"predicting the clean cosine: test MSE {test_mse:.5f}")
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
