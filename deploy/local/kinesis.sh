#!/usr/bin/env bash
# Local Kinesis for development and integration tests: kinesis-local (the kinesis-mock engine,
# npm), plain HTTP on 127.0.0.1 only, data in memory (gone on stop).
#
#   deploy/local/kinesis.sh install   npm install into .local-stack/npm (idempotent)
#   deploy/local/kinesis.sh start     install if needed, start, wait until ListStreams answers
#   deploy/local/kinesis.sh stop      stop the server this script started
#   deploy/local/kinesis.sh status    exit 0 when the endpoint answers, 1 otherwise
#
# Environment: SPIKEWATCH_KINESIS_PORT (plain HTTP, default 4568), SPIKEWATCH_KINESIS_TLS_PORT
# (default 4567; the engine always opens a TLS port, with the self-signed cert shipped in the
# package), SPIKEWATCH_KINESIS_START_TIMEOUT (seconds, default 60), SPIKEWATCH_LOCAL_STACK (state
# directory, default <repo>/.local-stack). Streams live in account 000000000000, region us-east-1:
# arn:aws:kinesis:us-east-1:000000000000:stream/NAME. Clients may sign with any credentials.
#
# The engine binds 0.0.0.0 and has no host option, so it runs with a `node -r` preload
# (loopback-listen.cjs) that rewrites the listen host to 127.0.0.1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${SPIKEWATCH_LOCAL_STACK:-$root/.local-stack}"
version="0.6.2"
prefix="$state/npm"
pkg="$prefix/node_modules/kinesis-local"
port="${SPIKEWATCH_KINESIS_PORT:-4568}"
tls_port="${SPIKEWATCH_KINESIS_TLS_PORT:-4567}"
timeout_s="${SPIKEWATCH_KINESIS_START_TIMEOUT:-60}"
pid_file="$state/kinesis.pid"
log_file="$state/kinesis.log"
url="http://127.0.0.1:$port"

die() { echo "kinesis: $*" >&2; exit 1; }

installed() {
  [[ -f "$pkg/main.js" && -f "$pkg/server.json" ]] \
    && grep -q "\"version\" *: *\"$version\"" "$pkg/package.json" 2>/dev/null
}

install() {
  if installed; then
    echo "kinesis: kinesis-local@$version already installed in $prefix"
    return
  fi
  command -v npm >/dev/null || die "npm (Node.js 18+) is required: apt-get install nodejs npm"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "kinesis-local@$version" >&2
  installed || die "npm install of kinesis-local@$version did not produce $pkg/main.js"
  echo "kinesis: installed kinesis-local@$version in $prefix"
}

# True when a Kinesis API answers on the port. Any signature is accepted by the engine; the
# Authorization header only selects the account (not a 12-digit key id: the default account),
# but it must be there, with an X-Amz-Date.
healthy() {
  curl -fsS -m 3 -o /dev/null -X POST "$url/" \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H 'X-Amz-Target: Kinesis_20131202.ListStreams' \
    -H "X-Amz-Date: $(date -u +%Y%m%dT%H%M%SZ)" \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00' \
    -d '{}' 2>/dev/null
}

our_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kinesis-local/main.js" \
    && echo "$pid"
}

start() {
  if pid="$(our_pid)"; then
    if healthy; then
      echo "kinesis: already running (pid $pid)"
      echo "kinesis: $url"
      return
    fi
  elif healthy; then
    # Something else (another checkout's server, a test run's) already serves Kinesis there: reuse it.
    echo "kinesis: an endpoint already answers on port $port (not started by this script); reusing it"
    echo "kinesis: $url"
    return
  fi
  install >/dev/null
  command -v node >/dev/null || die "node (Node.js 18+) is required"
  if [[ -z "${pid:-}" ]] && (ss -ltnH "sport = :$port" 2>/dev/null | grep -q .); then
    die "port $port is in use by another program (set SPIKEWATCH_KINESIS_PORT)"
  fi
  local started=$SECONDS
  if [[ -z "${pid:-}" ]]; then
    mkdir -p "$state"
    # setsid: the server outlives the shell (and a Ctrl-C) that started it. Not a process-group
    # leader here, so setsid execs in place and $! is node's pid.
    (cd "$state" && KINESIS_MOCK_PLAIN_PORT="$port" KINESIS_MOCK_TLS_PORT="$tls_port" \
      KINESIS_MOCK_CERT_PATH="$pkg/server.json" LOG_LEVEL="${SPIKEWATCH_KINESIS_LOG_LEVEL:-WARN}" \
      exec setsid node -r "$here/loopback-listen.cjs" "$pkg/main.js" >"$log_file" 2>&1 </dev/null) &
    pid=$!
    echo "$pid" >"$pid_file"
  fi
  until healthy; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      tail -n 20 "$log_file" >&2 || true
      die "server exited during start-up (log: $log_file)"
    fi
    if (( SECONDS - started > timeout_s )); then
      tail -n 20 "$log_file" >&2 || true
      die "no answer on $url after ${timeout_s}s (pid $pid, log: $log_file)"
    fi
    sleep 0.2
  done
  echo "kinesis: started (pid $pid, log $log_file)"
  echo "kinesis: $url"
}

stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$pid_file"
    echo "kinesis: not running (no server started by this script)"
    return
  fi
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  echo "kinesis: stopped (pid $pid)"
}

status() {
  local pid
  if healthy; then
    if pid="$(our_pid)"; then
      echo "kinesis: running (pid $pid), $url"
    else
      echo "kinesis: an endpoint answers on $url (not started by this script)"
    fi
    return 0
  fi
  if pid="$(our_pid)"; then
    echo "kinesis: process $pid is up but $url does not answer (log: $log_file)"
  else
    echo "kinesis: not running"
  fi
  return 1
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
