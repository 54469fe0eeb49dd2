# Sourced by the row scripts (rows_124m.sh, small_rows.sh) with their output file as $1: writes
# which card gives the figures at the head of that file, since rows from different cards cannot be compared.
# With GPU=<name part> (e.g. GPU=H200, what issue 21's rows are measured on) it stops with exit 3
# on any other card, before any timing: on a device pool that hands out either card, a call that
# lands on the wrong one then costs only its start.
card=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
echo "card: ${card:-unknown (no nvidia-smi)}" | tee -a "$1"
if [ -n "${GPU:-}" ] && [[ "$card" != *"$GPU"* ]]; then
  echo "$(basename "$0"): GPU=$GPU asked for, but this card is ${card:-unknown}; nothing timed" >&2
  exit 3
fi
