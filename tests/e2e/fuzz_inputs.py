#!/usr/bin/env python3
"""Hostile input never crashes star: generated bad configurations go to `star check` (and some to
`star genome describe --config`), generated bad genome strings to `star genome describe`. Each
must exit with status 2 (never a signal, never another status), print exactly one line on stderr,
and write no file. Deterministic (seeded): a failure names the case and keeps its input.

usage: fuzz_inputs.py <star binary> <scratch dir>
"""
import os
import random
import shutil
import subprocess
import sys

STAR, WORK = sys.argv[1], sys.argv[2]
SRC = os.environ["STAR_SOURCE_DIR"]
rng = random.Random(23)

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
CASES = os.path.join(WORK, "cases")
RUN = os.path.join(WORK, "cwd")  # the commands' working directory: must stay empty
os.makedirs(CASES)
os.makedirs(RUN)

with open(os.path.join(SRC, "tests/data/tiny.toml")) as f:
    TINY = f.read()

# Keys of tiny.toml and others, by section, with their TOML type.
KEYS = {
    "run": {"name": "str", "seed": "int", "device": "str", "threads_per_rank": "int", "directory": "str"},
    "genome": {"depth": "int", "max_group": "int", "classes": "ints", "level": "str"},
    "model": {"width": "int", "heads": "int", "conv_taps": "int", "mlp_ratio": "float", "kernels": "str"},
    "task": {"seq_len": "int", "train_examples": "int", "test_examples": "int", "vocab_size": "int", "kind": "str"},
    "train": {"token_budget": "int", "batch_size": "int", "learning_rate": "float", "precision": "str"},
    "metrics": {"cache_seq_len": "int", "cache_bytes_per_value": "int"},
    "evolution": {"population": "int", "generations": "int", "mutation_rate": "float", "algorithm": "str",
                  "objectives": "strs"},
    "dist": {"ranks_per_group": "int"},
}
# Values no key of that type accepts.
WRONG_TYPE = {"int": ['"x"', "true", "[1]", "{}", "1.5"], "float": ['"x"', "true", "[1.0]", "{}"],
              "str": ["1", "true", "[\"a\"]", "{}", "1.5"], "ints": ['"x"', "1", "[\"a\"]", "[[1]]"],
              "strs": ['"x"', "1", "[1]", "[[\"a\"]]"]}
OUT_OF_RANGE = {"int": ["-1", "-9223372036854775808", "99999999999999999999", "0x7fffffffffffffff"],
                "float": ["nan", "inf", "-inf", "-1.0", "1e400"],
                "str": ['"' + "x" * 100000 + '"', '"\\u0000"', '"no such value"'],
                "ints": ["[-1]", "[99999999999999999999]", "[1, 1]", "[]"], "strs": ['["nope"]', '["quality", "quality"]']}
# Keys where a value above is still accepted: skipped for that value.
ALLOWED = {("run", "seed"): {"0x7fffffffffffffff"}, ("run", "directory"): set(OUT_OF_RANGE["str"])}


def with_value(section, key, value):
    """tiny.toml with `key` of `section` set to `value` (added when absent)."""
    lines, out, current, done = TINY.splitlines(), [], None, False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            if current == section and not done:
                out.append(f"{key} = {value}")
                done = True
            current = stripped[1:-1]
        elif current == section and stripped.split("=")[0].strip() == key:
            line, done = f"{key} = {value}", True
        out.append(line)
    if not done:
        if current != section:
            out.append(f"[{section}]")
        out.append(f"{key} = {value}")
    return "\n".join(out) + "\n"


def bad_configs():
    """A sample of 100 wrong types and out-of-range values, then every other kind (about 150)."""
    cases = []
    for section, keys in KEYS.items():
        for key, kind in keys.items():
            for v in WRONG_TYPE[kind]:
                cases.append(("type", with_value(section, key, v)))
            for v in OUT_OF_RANGE[kind]:
                if v not in ALLOWED.get((section, key), set()):
                    cases.append(("range", with_value(section, key, v)))
    cases = rng.sample(cases, 100)
    for i in range(10):
        section = rng.choice(list(KEYS))
        cases.append(("unknown key", with_value(section, f"bogus_{i}", "1")))
        cases.append(("unknown section", TINY + f"\n[section_{i}]\nx = 1\n"))
    lines = TINY.splitlines()
    for i in range(10):  # syntax: a stray character at the start of a line with a key
        at = rng.choice([n for n, l in enumerate(lines) if "=" in l])
        cases.append(("syntax", "\n".join(lines[:at] + [rng.choice("=[\"{]}'") + lines[at]] + lines[at + 1:]) + "\n"))
    cases.append(("duplicate key", TINY + "\n[run]\nseed = 1\n"))
    cases.append(("comments only", "# nothing\n# at all\n"))
    cases.append(("empty", ""))
    for i in range(8):  # binary garbage
        cases.append(("binary", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))))
    for name in ["..", ".", "a/b", "x" * 300, "with space", "tab\there"]:
        cases.append(("run name", with_value("run", "name", '"' + name.replace("\t", "\\t") + '"')))
    cases.append(("token budget", with_value("train", "token_budget", "9223372036854775807")))
    cases.append(("cache length", with_value("metrics", "cache_seq_len", "4611686018427387904")))
    return cases


def bad_genomes():
    valid = ["21211-31112-21221-32112", "11111-21111", "31111-11111-61111", "11111"]
    cases = ["", "-", "--", "11111-", "-11111", "11111--21111", "11111-21111;", "11111;", "11111;;",
             "11111;1=", "11111;=11111:1111", "11111;18446744073709551617=11111:1111", "1111", "111111",
             "1111#", "11111 ", " 11111", "11111\n", "\u00e911111", "1" * 100000, "11111-" * 20000 + "1111",
             "11111;1=11111", "11111;1=1111:1111", "11111;1=11111:111", "11111;1=11111:1111.", "11111;x#=11111:1111"]
    while len(cases) < 110:
        g = list(rng.choice(valid))
        op = rng.randrange(4)
        at = rng.randrange(len(g) + 1)
        if op == 0:
            g.insert(at, rng.choice("#$%^&*()_+=[]{}|\\:'\",<>/? \t!~`@"))
        elif op == 1:  # a LIV of 4 characters
            liv = rng.randrange((len(g) + 1) // 6)
            del g[liv * 6 + rng.randrange(5)]
        elif op == 2:  # a LIV of 6 characters: a block gene, which the default space has none of
            liv = rng.randrange((len(g) + 1) // 6)
            g.insert(liv * 6 + rng.randrange(5), rng.choice("0123456789abcdef"))
        else:
            g += rng.choice([";", "-", ";;", ";0", ";1=", "-1"])
        cases.append("".join(g))
    return cases


failures = []


def run(label, args, stdin_data=None):
    before = sorted(os.listdir(RUN))
    p = subprocess.run([STAR] + args, cwd=RUN, capture_output=True, timeout=120)
    err = p.stderr.decode(errors="replace")
    problems = []
    if p.returncode != 2:
        problems.append(f"exit status {p.returncode}" + (" (a signal)" if p.returncode < 0 or p.returncode > 128 else ""))
    if err.count("\n") != 1 or not err.endswith("\n"):
        problems.append(f"{err.count(chr(10))} lines on stderr")
    if len(err) > 1000:
        problems.append(f"{len(err)} characters on stderr")
    if sorted(os.listdir(RUN)) != before:
        problems.append("wrote files: " + ", ".join(sorted(set(os.listdir(RUN)) - set(before))))
        for name in os.listdir(RUN):
            path = os.path.join(RUN, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    if problems:
        failures.append(f"{label}: {'; '.join(problems)}: star {' '.join(a[:60] for a in args)}\n    {err[:300]!r}")


configs = bad_configs()
for i, (kind, text) in enumerate(configs):
    path = os.path.join(CASES, f"config_{i:03d}.toml")
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    run(f"config {i} ({kind})", ["check", path])
    if i % 5 == 0:
        run(f"config {i} ({kind}), genome describe", ["genome", "describe", "11111", "--config", path])
genomes = bad_genomes()
for i, g in enumerate(genomes):
    with open(os.path.join(CASES, f"genome_{i:03d}.txt"), "w") as f:
        f.write(g)
    run(f"genome {i}", ["genome", "describe", g])
    if i % 10 == 0:
        run(f"genome {i}, mutate", ["genome", "mutate", g, "--seed", "1"])
for args in (["genome", "describe", "11111", "--seq-len", "0"], ["genome", "describe", "11111", "--seq-len", "-5"],
             ["genome", "describe", "11111", "--seq-len", "18446744073709551616"],
             ["genome", "mutate", "11111", "--rate", "nan"], ["genome", "mutate", "11111", "--rate", "2"],
             ["check"], ["nosuchcommand"], ["check", "/dev/null"], ["check", RUN], ["genome", "describe", "11111", "--config", "/dev/null"]):
    run("arguments", args)

print(f"{len(configs)} bad configurations, {len(genomes)} bad genomes")
if failures:
    print(f"{len(failures)} failures:\n" + "\n".join(failures))
    sys.exit(1)
print("PASS")
