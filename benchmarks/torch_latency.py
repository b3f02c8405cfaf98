#!/usr/bin/env python3
"""Batch-1 per-token latency of a PyTorch language model, for the RnnGen latency harness (-- latency).

Steps nn.Embedding -> nn.GRU / nn.LSTM -> nn.Linear one token at a time under torch.inference_mode(), the state
fed back, the next token the argmax of the logits (greedy generation, as the harness runs RnnGen and ONNX Runtime).

usage: torch_latency.py CELL VOCAB EMBEDDING HIDDEN LAYERS THREADS TOKENS RUNS
prints one JSON line: {"threads": T, "us_per_token": median, "runs": [...]}
Run it as /usr/bin/python3 with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (the harness does).
"""
import json
import statistics
import sys
import time

import torch


def main():
    cell, vocab, embedding, hidden, layers, threads, tokens, runs = sys.argv[1:9]
    vocab, embedding, hidden, layers, threads, tokens, runs = map(int, (vocab, embedding, hidden, layers, threads, tokens, runs))
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rnn_type = {"gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell]
    embed = torch.nn.Embedding(vocab, embedding).eval()
    rnn = rnn_type(embedding, hidden, num_layers=layers).eval()
    output = torch.nn.Linear(hidden, vocab).eval()

    def zero_state():
        h = torch.zeros(layers, 1, hidden)
        return (h, torch.zeros(layers, 1, hidden)) if cell == "lstm" else h

    def generate(count):
        """count greedy tokens from token 1 and a zero state; seconds per token."""
        state = zero_state()
        token = torch.ones(1, 1, dtype=torch.long)  # [steps, batch]
        start = time.perf_counter()
        for _ in range(count):
            y, state = rnn(embed(token), state)
            logits = output(y)  # [1, 1, vocab]
            token[0, 0] = int(logits.argmax())
        return (time.perf_counter() - start) / count

    with torch.inference_mode():
        warm_up = time.perf_counter()
        while time.perf_counter() - warm_up < 1.0:
            generate(200)
        samples = [generate(tokens) * 1e6 for _ in range(runs)]
    print(json.dumps({"threads": threads, "us_per_token": statistics.median(samples), "runs": samples}))


if __name__ == "__main__":
    main()
