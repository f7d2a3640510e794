"""The seed example: an MLP trained with Adam, weight decay and gradient clipping, printing its loss.

    python examples/seed.py                # on the CPU
    python examples/seed.py --device sim   # the simulated accelerator; --device cuda on a GPU
"""
import argparse

import autograd
import autograd.function as F
from autograd import Variable, hook, model, optimizer


def main(device="cpu", steps=200, every=20):
    autograd.seed(0)
    mlp = model.MLP([64, 64, 1])
    opt = optimizer.Adam(alpha=0.001, beta1=0.9, beta2=0.999,
                         hooks=[hook.WeightDecay(1e-4), hook.ClipGrad(1.0)])
    x = Variable([1.0, 2.0, 3.0], dtype="float32", device=device)
    t = Variable([0.0, 1.0, 0.0], dtype="float32", device=device)
    losses = []
    for i in range(steps):
        loss = F.mean_squared_error(mlp(x), t)
        mlp.cleargrads()
        loss.backward()
        opt.update(mlp)
        losses.append(loss.data)  # the raw array: stays on the device and keeps no graph alive
        if i % every == 0 or i == steps - 1:
            print(f"step {i:4d}  loss {float(loss):.6f}")  # printing is the only host synchronisation
    return autograd.to_host(x.xp.stack(losses)).tolist() if losses else []  # every loss in one transfer


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, sim, cuda or cuda:N")
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    main(args.device, args.steps)
