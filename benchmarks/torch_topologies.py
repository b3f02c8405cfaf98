"""PyTorch CPU anchor: training throughput of the classifier, tagger and regressor topologies.

Usage: python3 torch_topologies.py KIND [threads]      KIND = classifier | tagger | regressor
Prints one line: JSON with the kind, its sizes, threads, train_tok_s (batch*steps per training step) and
train_seq_s (rows per second). Every row is full length (no padding, no packing).
One training step = zero_grad, forward, loss, backward, clip_grad_norm_(5.0), Adam step.
Debian's python3-torch (1.13) with OpenBLAS; run with the OpenBLAS tuning variables unset:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/torch_topologies.py tagger 2
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # bidirectional GRU, mean over time, one label per row
    "classifier": dict(cell="gru", V=64, E=32, H=64, L=1, bidirectional=True, classes=2, B=64, T=16),
    # bidirectional LSTM, one tag per step
    "tagger": dict(cell="lstm", V=2000, E=64, H=128, L=1, bidirectional=True, tags=12, B=32, T=32),
    # GRU on real-valued inputs, one output per step, MSE
    "regressor": dict(cell="gru", I=1, H=32, L=1, bidirectional=False, O=1, B=32, T=64),
}

kind = sys.argv[1]
if kind not in CONFIGS:
    sys.exit(f"KIND must be one of {', '.join(CONFIGS)}, not {kind!r}")
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
cfg = CONFIGS[kind]
torch.set_num_threads(threads)
torch.manual_seed(0)

B, T, H = cfg["B"], cfg["T"], cfg["H"]
dirs = 2 if cfg["bidirectional"] else 1
rnn_type = {"gru": nn.GRU, "lstm": nn.LSTM}[cfg["cell"]]
modules = []
if kind == "regressor":
    emb = None
    rnn = rnn_type(cfg["I"], H, num_layers=cfg["L"], batch_first=True)
    out = nn.Linear(H, cfg["O"])
    x = torch.randn(B, T, cfg["I"])
    y = torch.randn(B, T, cfg["O"])
else:
    emb = nn.Embedding(cfg["V"], cfg["E"])
    rnn = rnn_type(cfg["E"], H, num_layers=cfg["L"], batch_first=True, bidirectional=cfg["bidirectional"])
    modules.append(emb)
    x = torch.randint(0, cfg["V"], (B, T))
    if kind == "classifier":
        out = nn.Linear(dirs * H, cfg["classes"])
        y = torch.randint(0, cfg["classes"], (B,))
    else:
        out = nn.Linear(dirs * H, cfg["tags"])
        y = torch.randint(0, cfg["tags"], (B, T))
modules += [rnn, out]
params = [p for m in modules for p in m.parameters()]
opt = torch.optim.Adam(params, lr=1e-3)


def loss_fn():
    states, _ = rnn(x if emb is None else emb(x))           # [B, T, dirs*H]
    if kind == "classifier":
        return F.cross_entropy(out(states.mean(dim=1)), y)  # mean pooling over time
    if kind == "tagger":
        return F.cross_entropy(out(states).reshape(-1, cfg["tags"]), y.reshape(-1))
    return F.mse_loss(out(states), y)


def train_step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 5.0)
    opt.step()


def timed(fn, reps, inner):
    fn()  # warm-up
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t) / inner)
    return statistics.median(samples)


# aim for roughly 0.3 s per measurement, as the language-model anchor does
probe = timed(train_step, 1, 1)
inner = max(1, int(0.3 / max(probe, 1e-6)))
train_s = timed(train_step, 5, inner)

print(json.dumps({"kind": kind, **cfg, "threads": threads,
                  "train_tok_s": B * T / train_s, "train_seq_s": B / train_s,
                  "step_ms": train_s * 1e3, "torch": torch.__version__}))
