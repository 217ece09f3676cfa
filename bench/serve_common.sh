# Sourced by bench/serve_load.sh and bench/serve_kinds.sh: waiting for a
# server, and one wrk run over a file of paths (bench/serve_load.lua), read
# back as "QPS P50 P99 ERRORS". Expects $seconds (the default run length).

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
