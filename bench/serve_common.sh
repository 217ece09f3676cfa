# Sourced by bench/serve_load.sh and bench/serve_kinds.sh: the citeindex and
# wrk to run, waiting for a server, and one wrk run over a file of paths
# (bench/serve_load.lua), read back as "QPS P50 P99 ERRORS". Expects $seconds
# (the default run length).

# Sets $bin and $version: CITEINDEX_BIN when given (another build, for an
# A/B), else this tree's release build, made now. Installs wrk if missing.
serve_tools() {
  if [ -n "${CITEINDEX_BIN:-}" ]; then
    bin=$CITEINDEX_BIN
    version=$bin
  else
    cargo build --release --quiet --bin citeindex
    bin=target/release/citeindex
    version="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' with changes')"
  fi
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

wait_for() {
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.1; done
  echo "server on port $1 did not answer" >&2; exit 1
}
# "QPS P50 P99 ERRORS" of one wrk run.
load() {
  local port=$1 paths=$2 c=$3 threads=$(( $3 < 2 ? 1 : 2 )) duration=${4:-$seconds}
  wrk -t "$threads" -c "$c" -d "${duration}s" --timeout 10s -s bench/serve_load.lua \
    "http://127.0.0.1:$port" -- "$paths" | awk -F'[ =]' '/^RESULT/ {printf "%.0f %s %s %s\n", $3/$11, $7, $9, $5}'
}
