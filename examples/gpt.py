"""Train a tiny GPT to sort sequences of digits (minGPT's demo), and report its exact-match on held-out sequences.

    python examples/gpt.py                         # 1500 steps on the CPU, over 99 % exact-match, about a minute
    python examples/gpt.py --steps 300             # quick
    python examples/gpt.py --length 6 --digits 3   # minGPT's own setting: learnt in a few hundred steps
    python examples/gpt.py --device sim            # the simulated accelerator; --device cuda on a GPU

A sequence of `length` digits in [0, digits) is followed by its sorted copy, `3 0 2 0 | 0 0 2 3`. The model
reads the concatenation (less its last token) and predicts each next token; the loss counts only the
predictions of the sorted half (the other targets are -100, which cross_entropy ignores). 1000 sequences are
held out, the same on every run, and never trained on; the model sorts them greedily, one token after
another, and a sequence counts only if all `length` output tokens are right.

The model is minGPT's: token and position embeddings, `layers` pre-LN blocks (layer norm, causal self-attention,
residual; layer norm, MLP with GPT-2's tanh gelu, residual), a final layer norm and a linear head to the digits.
AdamW has two parameter groups, weight decay for the weight matrices only (not biases, layer norms or
embeddings); a scheduler warms the learning rate up linearly, then decays it along a cosine; the gradients are
clipped to a global norm of 1.
"""
import argparse
import pathlib
import sys
import time

import numpy as np
from tqdm import tqdm

import autograd
import autograd.function as F
from autograd import Variable, hook, layer, model, optimizer, scheduler

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from digits import positive  # noqa: E402  (the same checked argparse types as the MLP example)


# ---- the task -----------------------------------------------------------------------------------------------

def sort_task(length=10, digits=10, n_test=1000):
    """Held-out test sequences: `n_test` distinct sequences of `length` digits in [0, digits) (a quarter of all
    of them if that is fewer), the same on every run; and `train_sequences(rng, n)`, which draws n sequences
    at random from all the others."""
    if digits ** length < 4:
        raise ValueError(f"sort_task: {digits} digits in sequences of {length} make {digits ** length} sequences, "
                         "too few to hold a quarter out for testing")
    weights = digits ** np.arange(length)  # a sequence's number in base `digits`: its identity
    count = digits ** length
    n_test = min(n_test, count // 4)
    test_codes = np.random.default_rng(1234).choice(count, size=n_test, replace=False)
    test = test_codes[:, None] // weights % digits
    held_out = set(test_codes.tolist())

    def train_sequences(rng, n):
        seqs = rng.integers(digits, size=(n, length))
        while held := [i for i, c in enumerate((seqs @ weights).tolist()) if c in held_out]:
            seqs[held] = rng.integers(digits, size=(len(held), length))  # drawn again: never a test sequence
        return seqs

    return train_sequences, test


def batch(sequences, length):
    """Inputs `x` (N, 2 length - 1) and targets `t` of the same shape for next-token prediction: `t` is -100
    (ignored) where the next token is still part of the unsorted input."""
    whole = np.concatenate([sequences, np.sort(sequences, axis=1)], axis=1)
    x, t = whole[:, :-1], whole[:, 1:].copy()
    t[:, :length - 1] = -100
    return x, t


# ---- the model ----------------------------------------------------------------------------------------------

class Block(model.Model):
    """A pre-LN transformer block: `x + attention(ln1(x))`, then `x + mlp(ln2(x))`, the MLP 4 embed_dim wide; the
    attention is causal multi-head self-attention: position i attends to positions 0 to i only."""

    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.ln1 = layer.LayerNorm(embed_dim)
        self.attn = layer.MultiHeadAttention(embed_dim, num_heads)
        self.ln2 = layer.LayerNorm(embed_dim)
        self.fc = layer.Linear(4 * embed_dim, in_size=embed_dim)
        self.out = layer.Linear(embed_dim, in_size=4 * embed_dim)

    def forward(self, x):
        x = x + self.attn(self.ln1(x), is_causal=True)
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))  # GPT-2's gelu


class GPT(model.Model):
    """Token ids (N, T), T <= block_size, to next-token logits (N, T, vocab_size)."""

    def __init__(self, vocab_size, block_size, embed_dim=48, num_heads=3, layers=3):
        super().__init__()
        self.tok = layer.Embedding(vocab_size, embed_dim)
        self.pos = layer.Embedding(block_size, embed_dim)
        self.blocks = [Block(embed_dim, num_heads) for _ in range(layers)]
        self.ln = layer.LayerNorm(embed_dim)
        self.head = layer.Linear(vocab_size, in_size=embed_dim, nobias=True)

    def forward(self, ids):
        T = ids.shape[1]
        positions = ids.xp.arange(T, device=ids.device.where)
        x = self.tok(ids) + self.pos(positions)  # (N, T, C) + (T, C)
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln(x))


def generate(gpt, ids, steps):
    """`ids` (N, T) followed by `steps` tokens chosen greedily, each the most likely next one; on the device."""
    with autograd.no_grad(), autograd.test_mode():
        for _ in range(steps):
            next_ids = F.argmax(gpt(ids)[:, -1], axis=-1)  # (N,)
            ids = F.concat([ids, F.unsqueeze(next_ids, 1)], axis=1)
    return ids


# ---- optimisation -------------------------------------------------------------------------------------------

def split_decay(gpt):
    """minGPT's rule: the weight matrices of Linear layers decay; biases, layer norms and embeddings do not."""
    linear = {id(m.W) for m in gpt.sublayers() if isinstance(m, layer.Linear)}
    decay = [p for p in gpt.params() if id(p) in linear]
    rest = [p for p in gpt.params() if id(p) not in linear]
    return decay, rest


def configure_optimizer(gpt, alpha, weight_decay, warmup, steps):
    """minGPT's AdamW (betas 0.9 and 0.95) in two parameter groups, weight decay on the matrices only, the
    gradients clipped to a global norm of 1 over both; and its schedule: the learning rate rises linearly from
    alpha / warmup to alpha over `warmup` steps, then falls along a half cosine to 0 at `steps`."""
    decay, rest = split_decay(gpt)
    opt = optimizer.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}],
                          alpha=alpha, beta1=0.9, beta2=0.95, hooks=[hook.ClipGrad(1.0)])
    sched = scheduler.SequentialLR(opt, [scheduler.LinearLR(opt, start_factor=1 / warmup, total_iters=warmup),
                                         scheduler.CosineAnnealingLR(opt, T_max=max(1, steps - warmup))],
                                   milestones=[warmup])
    return opt, sched


# ---- training -----------------------------------------------------------------------------------------------

def main(device="cpu", steps=1500, batch_size=64, alpha=5e-4, length=10, digits=10, embed_dim=48, num_heads=3,
         layers=3, weight_decay=0.1, warmup=100, seed=0):
    """Per-step training losses (floats), the exact-match accuracy on the held-out sequences, and the mean
    wall time of a training step in seconds. The warm-up lasts `warmup` steps, at most a tenth of `steps`."""
    autograd.seed(seed)
    rng = np.random.default_rng(seed)
    train_sequences, test = sort_task(length, digits)
    gpt = GPT(digits, 2 * length - 1, embed_dim, num_heads, layers).to(device)
    opt, sched = configure_optimizer(gpt, alpha, weight_decay, max(1, min(warmup, steps // 10)), steps)

    losses = []
    start = time.perf_counter()
    for step in (bar := tqdm(range(steps), desc="gpt")):
        x, t = batch(train_sequences(rng, batch_size), length)
        x, t = Variable(x, device=device), Variable(t.reshape(-1), device=device)
        loss = F.cross_entropy(F.reshape(gpt(x), (-1, digits)), t)  # logits (N T, digits) against (N T,) labels
        gpt.cleargrads()
        loss.backward()
        opt.update()
        sched.step()  # the next step's learning rate
        losses.append(loss.data)
        if step % 100 == 99:
            bar.set_postfix(loss=f"{float(loss.data):.4f}")  # a host synchronisation every 100 steps only
    seconds_per_step = (time.perf_counter() - start) / max(1, steps)
    losses = autograd.to_host(x.xp.stack(losses)).tolist()  # every loss in one transfer, once training is done

    ids = generate(gpt, Variable(test, device=device), length)
    predicted = autograd.to_host(ids)[:, length:]
    accuracy = float(np.mean(np.all(predicted == np.sort(test, axis=1), axis=1)))
    print(f"final loss {np.mean(losses[-50:]):.4f}, held-out exact-match {accuracy:.3f} "
          f"({len(test)} sequences), {1000 * seconds_per_step:.1f} ms per step")
    return losses, accuracy, seconds_per_step


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu, sim, cuda or cuda:N")
    parser.add_argument("--steps", type=positive(int), default=1500, help="training steps (default 1500; 300 is quick)")
    parser.add_argument("--batch-size", type=positive(int), default=64, help="sequences per step (default 64)")
    parser.add_argument("--alpha", type=positive(float), default=5e-4, help="AdamW's peak step size (default 5e-4)")
    parser.add_argument("--length", type=positive(int), default=10, help="digits per sequence (default 10)")
    parser.add_argument("--digits", type=positive(int), default=10,
                        help="distinct digits, the vocabulary (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="for the weights and the batches (default 0)")
    args = parser.parse_args()
    main(args.device, args.steps, args.batch_size, args.alpha, args.length, args.digits, seed=args.seed)
