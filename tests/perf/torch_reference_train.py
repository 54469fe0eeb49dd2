#!/usr/bin/env python3
"""REFERENCE ONLY: plain PyTorch training of the issue-10 models, to compare `star bench train`
against on the same GPU in the same run. Not part of STAR; nothing imports it.

How it differs from the team's anchor, ../shared/perf/torch_reference.py: torch.compile wraps
the model but not the loss, so the 50k-wide logits are copied to fp32 and the cross-entropy runs
eagerly. That makes it slower than the anchor (293k and 390k tokens/s for the two 124M models on
an H200, against the anchor's 408.5k and 491.6k); speed claims compare with the anchor
(tests/perf/rows_124m.sh), this script only shows the cost of leaving the loss uncompiled.

  python3 tests/perf/torch_reference_train.py --model transformerpp --mode eager|compile

Models (each LIV pre-normed with RMSNorm, residual, tied embeddings, bf16 autocast, fused AdamW),
the same layers as the star genomes in tests/perf/gpu_check.sh:
  transformerpp: 12 x (attention with RoPE, 12 heads of 64) + 12 x SwiGLU (hidden 8/3 d)
  lfm2: 24 LIVs, mixers C C A repeated (C: gated short conv, K=3; A: grouped-query attention,
        3 KV heads), a SwiGLU after each
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return F.rms_norm(x, (x.size(-1),), self.weight, 1e-6)


def rotary(x, base=10000.0):
    # x: [B, H, T, D]; rotate pairs (first half, second half)
    T, D = x.size(2), x.size(3)
    inv = 1.0 / (base ** (torch.arange(0, D // 2, device=x.device, dtype=torch.float32) / (D // 2)))
    ang = torch.outer(torch.arange(T, device=x.device, dtype=torch.float32), inv)
    cos, sin = ang.cos().to(x.dtype), ang.sin().to(x.dtype)
    x1, x2 = x[..., : D // 2], x[..., D // 2:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Attention(nn.Module):
    def __init__(self, d, heads, kv_heads):
        super().__init__()
        self.h, self.kv, self.hd = heads, kv_heads, d // heads
        self.qkv = nn.Linear(d, (heads + 2 * kv_heads) * self.hd, bias=False)
        self.out = nn.Linear(d, d, bias=False)

    def forward(self, x):
        B, T, _ = x.shape
        q, k, v = self.qkv(x).split([self.h * self.hd, self.kv * self.hd, self.kv * self.hd], -1)
        q = rotary(q.view(B, T, self.h, self.hd).transpose(1, 2))
        k = rotary(k.view(B, T, self.kv, self.hd).transpose(1, 2))
        v = v.view(B, T, self.kv, self.hd).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=self.kv != self.h)
        return self.out(y.transpose(1, 2).reshape(B, T, -1))


class GatedShortConv(nn.Module):
    def __init__(self, d, taps=3):
        super().__init__()
        self.in_proj = nn.Linear(d, 3 * d, bias=False)
        self.conv = nn.Conv1d(d, d, taps, groups=d, padding=taps - 1, bias=False)
        self.out = nn.Linear(d, d, bias=False)

    def forward(self, x):
        b, c, h = self.in_proj(x).chunk(3, -1)
        y = self.conv((b * h).transpose(1, 2))[..., : x.size(1)].transpose(1, 2)
        return self.out(c * y)


class SwiGLU(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.up = nn.Linear(d, 2 * hidden, bias=False)
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        g, v = self.up(x).chunk(2, -1)
        return self.down(F.silu(g) * v)


class Model(nn.Module):
    def __init__(self, mixers, vocab, d, heads, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        layers = []
        for m in mixers:
            layers.append(Attention(d, heads, heads) if m == "A1" else
                          Attention(d, heads, max(1, heads // 4)) if m == "A3" else GatedShortConv(d))
            layers.append(SwiGLU(d, hidden))
        self.layers = nn.ModuleList(layers)
        self.norms = nn.ModuleList(RMSNorm(d) for _ in layers)
        self.final = RMSNorm(d)

    def forward(self, idx):
        x = self.embed(idx)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x))
        return F.linear(self.final(x), self.embed.weight)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["transformerpp", "lfm2"], default="transformerpp")
    p.add_argument("--mode", choices=["eager", "compile"], default="eager")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--micro-batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=4096)
    p.add_argument("--width", type=int, default=768)
    p.add_argument("--heads", type=int, default=12)
    p.add_argument("--vocab", type=int, default=50304)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--peak-tflops", type=float, default=989.4)
    p.add_argument("--profile", type=int, default=0, help="after the timed steps, profile this many and print top kernels")
    a = p.parse_args()
    torch.manual_seed(0)
    mixers = ["A1"] * 12 if a.model == "transformerpp" else ["C", "C", "A3"] * 4
    hidden = round(a.width * 8 / 3)
    model = Model(mixers, a.vocab, a.width, a.heads, hidden).cuda()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=8e-4, betas=(0.9, 0.95), weight_decay=0.1, fused=True)
    fwd = torch.compile(model) if a.mode == "compile" else model
    data = torch.randint(a.vocab, (a.batch, a.seq + 1), device="cuda")

    def step():
        opt.zero_grad(set_to_none=True)
        for r in range(0, a.batch, a.micro_batch):
            x, y = data[r:r + a.micro_batch, :-1], data[r:r + a.micro_batch, 1:]
            with torch.autocast("cuda", dtype=torch.bfloat16):
                logits = fwd(x)
            loss = F.cross_entropy(logits.float().view(-1, logits.size(-1)), y.reshape(-1)) * x.size(0) / a.batch
            loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    t0 = time.time()
    for _ in range(a.warmup):
        step()
    torch.cuda.synchronize()
    warm = time.time() - t0
    torch.cuda.reset_peak_memory_stats()
    t0 = time.time()
    for _ in range(a.steps):
        step()
    torch.cuda.synchronize()
    secs = time.time() - t0
    tps = a.steps * a.batch * a.seq / secs
    # 6 x multiply-adds per token of the matrices (embedding as the tied head) + attention scores
    attn = sum(1 for m in mixers if m.startswith("A"))
    flops = 6 * params + 6 * attn * a.width * a.seq  # causal QK^T and AV: T/2 x d multiply-adds each
    print(f"reference {a.model} {a.mode}: {params} parameters, {tps:.0f} tokens/s, "
          f"{secs / a.steps * 1e3:.1f} ms/step, {tps * flops / 1e12:.1f} TFLOP/s, "
          f"MFU {100 * tps * flops / 1e12 / a.peak_tflops:.1f}%, peak {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB, "
          f"warm-up {warm:.0f} s")

    if a.profile > 0:
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as prof:
            for _ in range(a.profile):
                step()
            torch.cuda.synchronize()
        key = "self_device_time_total" if hasattr(prof.key_averages()[0], "self_device_time_total") else "self_cuda_time_total"
        print(prof.key_averages().table(sort_by=key, row_limit=30, max_name_column_width=100))

if __name__ == "__main__":
    main()
