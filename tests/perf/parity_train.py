"""Training parity: the Transformer++ of shared/perf/torch_reference.py trained in plain PyTorch on
the same byte shards, with the same schedule and optimizer as `star train`, scored on held-out
windows. Run beside `star train` of the same genome; the two held-out losses should agree
within 2% (the trainer learns as well as PyTorch, not only as fast).

    python3 tests/perf/parity_train.py --reference-dir PATH/TO/shared/perf --shards data/lm \
        --kinds AMAMAMAM --width 256 --heads 4 --batch 32 --seq 1024 --tokens 16777216 \
        --heldout "data/lm/test_*.bin" --heldout-windows 1024

On the CPU (fp32 without autocast unless --precision bf16; PyTorch's unfused AdamW), beside a
`star train` with [run] device = "cpu" and [train] precision = "fp32":

    python3 tests/perf/parity_train.py --device cpu --threads 1 --reference-dir PATH/TO/shared/perf \
        --shards data/small --kinds AMAM --width 64 --heads 2 --batch 16 --seq 128 --tokens 614400 \
        --lr 2e-3 --heldout "data/small/test_*.bin" --heldout-windows 512

What is the same as star: the model (RoPE, RMSNorm, SwiGLU of round(8/3 d), tied embedding, no
bias), PyTorch's default Linear init (LibTorch's too) and an N(0, 0.02) embedding
([model] embedding_init_std), the precision (--precision, star's [train] precision: bf16
autocast, the default on cuda, or fp32 without autocast, the default on cpu), AdamW over every
parameter (betas, weight decay), global-norm gradient clipping, linear warm-up then cosine decay
to min_lr_ratio (train/lr_schedule.cpp), batches drawn with replacement from a pool of windows
drawn uniformly from the training shards. What differs: the random draws themselves (other
generators: different windows, batches and initial weights, so the two losses agree
statistically, not bitwise), and star's fused kernels (rounding); on cuda the optimizer is
PyTorch's fused AdamW, on the CPU its plain one. Prints one JSON line."""
import argparse, glob, json, math, os, sys, time
import numpy as np
import torch


def read_shards(pattern):
    tokens = []
    for path in sorted(glob.glob(pattern)):
        header = np.fromfile(path, dtype=np.int32, count=256)
        assert header[0] == 20240520 and header[1] == 1, f"{path}: not a version-1 token shard"
        tokens.append(np.fromfile(path, dtype=np.uint16, offset=1024)[: header[2]])
    if not tokens:
        sys.exit(f"parity: no shards match {pattern}")
    return [torch.from_numpy(t.astype(np.int64)) for t in tokens]


def windows(shards, count, seq, gen):
    """count windows of seq + 1 tokens, each from a shard in proportion to its windows."""
    weights = torch.tensor([max(0, len(s) - seq) for s in shards], dtype=torch.float64)
    picks = torch.multinomial(weights, count, replacement=True, generator=gen)
    out = torch.empty(count, seq + 1, dtype=torch.int64)
    for i, k in enumerate(picks.tolist()):
        start = torch.randint(0, len(shards[k]) - seq, (1,), generator=gen).item()
        out[i] = shards[k][start:start + seq + 1]
    return out


def learning_rate(step, steps, peak, warmup_fraction, min_ratio):
    warmup = math.floor(warmup_fraction * steps)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, steps - warmup))
    return peak * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reference-dir", required=True, help="folder holding torch_reference.py")
    p.add_argument("--shards", required=True, help="folder of train_*.bin (star data encode-bytes)")
    p.add_argument("--heldout", required=True, help="glob of the held-out shards")
    p.add_argument("--heldout-windows", type=int, default=1024)
    p.add_argument("--kinds", default="AMAMAMAM")
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--vocab", type=int, default=256)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seq", type=int, default=1024)
    p.add_argument("--tokens", type=int, required=True)
    p.add_argument("--pool", type=int, default=0, help="training windows held (default: tokens / seq, at most 65536)")
    p.add_argument("--lr", type=float, default=8e-4)
    p.add_argument("--min-lr-ratio", type=float, default=0.1)
    p.add_argument("--warmup-fraction", type=float, default=0.1)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--betas", type=float, nargs=2, default=(0.9, 0.95))
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--compile", action="store_true")
    p.add_argument("--device", default="cuda", help="cuda (default) or cpu")
    p.add_argument("--precision", choices=("fp32", "bf16"), default=None,
                   help="bf16: autocast to bf16 (default on cuda); fp32: no autocast (default on cpu)")
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    a = p.parse_args()
    device = torch.device(a.device)
    precision = a.precision or ("bf16" if device.type == "cuda" else "fp32")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    sys.path.insert(0, a.reference_dir)
    import torch_reference as ref

    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
    gen = torch.Generator().manual_seed(a.seed)
    torch.manual_seed(a.seed)
    steps = max(1, a.tokens // (a.batch * a.seq))
    pool = windows(read_shards(os.path.join(a.shards, "train_*.bin")),
                   a.pool or min(65536, max(1, a.tokens // a.seq)), a.seq, gen)
    heldout = windows(read_shards(a.heldout), a.heldout_windows, a.seq, gen)
    model = ref.LM(a.kinds, d=a.width, h=a.heads, kvh=a.heads, vocab=a.vocab, ffn=round(a.width * 8 / 3)).to(device)
    torch.nn.init.normal_(model.emb.weight, 0.0, 0.02)
    params = sum(q.numel() for q in model.parameters())
    fused = dict(fused=True) if device.type == "cuda" else {}
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=tuple(a.betas), weight_decay=a.weight_decay, **fused)
    f = torch.compile(model) if a.compile else model
    start = time.perf_counter()
    print_every = max(1, steps // 20)  # as `star train` prints: one step's loss, every twentieth of the run
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = learning_rate(step, steps, a.lr, a.warmup_fraction, a.min_lr_ratio)
        rows = torch.randint(0, len(pool), (a.batch,), generator=gen)
        batch = pool[rows].to(device, non_blocking=True)
        with torch.autocast(device.type, torch.bfloat16, enabled=precision == "bf16"):
            loss = f(batch[:, :-1].contiguous(), batch[:, 1:].contiguous())
        loss.backward()
        if a.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.grad_clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        if (step + 1) % print_every == 0 or step + 1 == steps:
            print(f"step {step + 1}/{steps}  loss {loss.item():.4f}", flush=True)
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for chunk in heldout.split(64):
            chunk = chunk.to(device)
            with torch.autocast(device.type, torch.bfloat16, enabled=precision == "bf16"):
                total += model(chunk[:, :-1].contiguous(), chunk[:, 1:].contiguous()).item() * chunk[:, 1:].numel()
            count += chunk[:, 1:].numel()
    loss = total / count
    print(json.dumps(dict(model="torch_reference.LM", kinds=a.kinds, width=a.width, params=params, steps=steps,
                          device=device.type, precision=precision, seed=a.seed,
                          tokens=steps * a.batch * a.seq, heldout_loss=round(loss, 5),
                          bits_per_token=round(loss / math.log(2), 5), heldout_windows=a.heldout_windows,
                          train_seconds=round(seconds, 1), tok_s=round(steps * a.batch * a.seq / seconds))), flush=True)


if __name__ == "__main__":
    main()
