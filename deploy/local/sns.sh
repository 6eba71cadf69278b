#!/usr/bin/env bash
# Local SNS + SQS for development and the SNS sink's integration tests: the npm package fauxqs
# (1.9.x; 2.x needs Node 22), bound to 127.0.0.1 only, state in memory.
#   deploy/local/sns.sh install   npm-installs fauxqs into .local-stack/npm (idempotent)
#   deploy/local/sns.sh start     installs if needed, starts it, waits until healthy (idempotent)
#   deploy/local/sns.sh stop      stops the server this script started (PID file)
#   deploy/local/sns.sh status    says whether it answers; exit 0 when it does
# Env: SPIKEWATCH_SNS_PORT (4566), SPIKEWATCH_SNS_REGION (us-east-1),
#      SPIKEWATCH_SNS_LOG_REQUESTS=true to log every request to .local-stack/fauxqs.log.
# Clients use endpoint http://127.0.0.1:PORT with any static credentials (fauxqs checks none);
# topic ARNs are arn:aws:sns:REGION:000000000000:NAME.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
stack="$root/.local-stack"
prefix="$stack/npm"
pkg="$prefix/node_modules/fauxqs"
version="${FAUXQS_VERSION:-1.9.2}"
port="${SPIKEWATCH_SNS_PORT:-4566}"
region="${SPIKEWATCH_SNS_REGION:-us-east-1}"
pid_file="$stack/fauxqs-$port.pid"
log_file="$stack/fauxqs-$port.log"
url="http://127.0.0.1:$port"
preload="$root/deploy/local/loopback-listen.cjs"

installed_version() {
  [[ -f "$pkg/package.json" ]] && node -e 'process.stdout.write(require(process.argv[1]).version)' "$pkg/package.json" 2>/dev/null || true
}

install() {
  command -v node >/dev/null || { echo "sns: node (Node.js 20+) is required" >&2; exit 1; }
  command -v npm >/dev/null || { echo "sns: npm is required" >&2; exit 1; }
  if [[ "$(installed_version)" == "$version" ]]; then
    return 0
  fi
  mkdir -p "$prefix"
  echo "sns: installing fauxqs@$version into $prefix" >&2
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "fauxqs@$version" >&2
}

# Healthy = the health endpoint answers and both APIs list (SNS query protocol, SQS JSON protocol).
healthy() {
  curl -fsS -m 2 "$url/health" >/dev/null 2>&1 || return 1
  curl -fsS -m 2 -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'Action=ListTopics&Version=2010-03-31' "$url/" 2>/dev/null | grep -q 'ListTopicsResponse' || return 1
  curl -fsS -m 2 -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: AmazonSQS.ListQueues' \
    --data '{}' "$url/" >/dev/null 2>&1 || return 1
}

our_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if healthy; then
    # Ours or one that another checkout started on the same port: either serves the same API.
    echo "sns: $url"
    return 0
  fi
  if pid="$(our_pid)"; then
    echo "sns: process $pid is running but not answering on $url; see $log_file" >&2
    exit 1
  fi
  install
  mkdir -p "$stack"
  local started=$SECONDS
  FAUXQS_PORT="$port" FAUXQS_DEFAULT_REGION="$region" \
  FAUXQS_LOGGER="${SPIKEWATCH_SNS_LOG_REQUESTS:-false}" LOOPBACK_HOST=127.0.0.1 \
    setsid nohup node -r "$preload" "$pkg/dist/cli.js" >"$log_file" 2>&1 < /dev/null &
  echo $! >"$pid_file"
  for _ in $(seq 1 100); do
    if healthy; then
      echo "sns: $url (fauxqs $version, pid $(cat "$pid_file"), ready in $((SECONDS - started))s, log $log_file)" >&2
      echo "sns: $url"
      return 0
    fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "sns: fauxqs exited during start-up; last log lines:" >&2
      tail -n 20 "$log_file" >&2 || true
      rm -f "$pid_file"
      exit 1
    fi
    sleep 0.2
  done
  echo "sns: fauxqs did not become healthy on $url within 20s; see $log_file" >&2
  exit 1
}

stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$pid_file"
    echo "sns: not running (no live PID in $pid_file)"
    return 0
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
  echo "sns: stopped (pid $pid)"
}

status() {
  if healthy; then
    if pid="$(our_pid)"; then
      echo "sns: $url (running, pid $pid)"
    else
      echo "sns: $url (answering; not started by this checkout)"
    fi
    return 0
  fi
  echo "sns: not answering on $url"
  return 1
}

case "${1:-}" in
  install) install; echo "sns: fauxqs $(installed_version) in $prefix" ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
