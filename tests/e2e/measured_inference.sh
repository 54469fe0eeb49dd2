#!/usr/bin/env bash
# Measured inference objectives: a search minimising decode latency times every genome's prefill
# and decode on its rank's device (here the CPU, which the configuration allows) and carries the
# figures into results.h5 and the report; a run that would time them without a GPU, where the
# configuration requires one, is refused before anything is trained.
source "$(dirname "$0")/common.sh"

# with_keys <file> <section> <lines>: adds the lines at the top of the file's [section].
with_keys() {
  awk -v section="[$2]" -v lines="$3" '{ print } $0 == section { print lines }' "$1" > "$1.new" && mv "$1.new" "$1"
}

tiny_config timed '[metrics]
prefill_tokens = 24
decode_context = 40
inference_repeats = 3
inference_warmup = 1
inference_requires_gpu = false'
with_keys timed.toml evolution 'objectives = ["quality", "decode_latency"]
max_inference_bytes = 1000000000000'
"$STAR" check timed.toml > check.log 2>&1 || { cat check.log timed.toml; fail "a measured-objective configuration was rejected"; }
"$MPIEXEC" -np 2 "$STAR" evolve timed.toml > timed.log 2>&1 || { cat timed.log; fail "evolve with decode_latency"; }
grep -q "search complete: 3 generations" timed.log || { cat timed.log; fail "did not finish"; }
grep -q "prefill\[ms\] decode\[ms\]   memory\[B\]" timed.log || { cat timed.log; fail "the report shows no measured inference"; }
# Every genome of the first generation has positive timings and memory in results.h5.
for column in prefill_ms decode_ms inference_memory_bytes; do
  h5dump -d "/generations/g000000/evaluated/$column" -y -w 0 runs/timed/results.h5 | sed -n '/DATA {/,/}/p' |
    tr ',' '\n' | grep -oE '[0-9][0-9.e+-]*' |
    awk '{ n++; if ($1 + 0 <= 0) bad++ } END { exit !(n == 6 && bad == 0) }' || fail "$column not measured for every genome"
done

# Requiring a GPU on a CPU run: refused by star check and by star evolve, before any training.
tiny_config cpu_only '[metrics]
decode_context = 40'
with_keys cpu_only.toml run 'device = "cpu"'
with_keys cpu_only.toml evolution 'objectives = ["quality", "prefill_latency"]'
status=0
"$STAR" check cpu_only.toml > refused.log 2>&1 || status=$?
[ $status -eq 2 ] && grep -qF "timed on a GPU ([metrics] inference_requires_gpu = true), and this run has none" refused.log ||
  { cat refused.log; fail "star check: exit $status"; }
status=0
"$MPIEXEC" -np 1 "$STAR" evolve cpu_only.toml > refused.log 2>&1 || status=$?
[ $status -eq 2 ] || { cat refused.log; fail "star evolve: exit $status"; }
[ ! -e runs/cpu_only ] || fail "a refused run made its run directory"
echo "PASS"
