#!/usr/bin/env bash
# Local OpenSearch 2.19 node (real server, one JVM, loopback only) for development and the
# *ITCase tests. Data and logs live under <repo>/.local-stack/.
#
#   deploy/local/opensearch.sh install   build the launcher (deploy/local/opensearch/, Maven)
#   deploy/local/opensearch.sh start     start and wait for health; no-op when already up
#   deploy/local/opensearch.sh stop      stop the node this script started
#   deploy/local/opensearch.sh status    exit 0 when healthy, 3 when not running
#
# Environment: SPIKEWATCH_OPENSEARCH_PORT (HTTP, default 9200), SPIKEWATCH_OPENSEARCH_TRANSPORT_PORT
# (default HTTP + 100), SPIKEWATCH_OPENSEARCH_START_TIMEOUT (seconds, default 180),
# SPIKEWATCH_OPENSEARCH_HEAP (default 512m).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
module="$here/opensearch"
stack="$repo/.local-stack"
port="${SPIKEWATCH_OPENSEARCH_PORT:-9200}"
timeout_s="${SPIKEWATCH_OPENSEARCH_START_TIMEOUT:-180}"
heap="${SPIKEWATCH_OPENSEARCH_HEAP:-512m}"
pid_file="$stack/opensearch.pid"
log_file="$stack/opensearch.log"
url="http://127.0.0.1:$port"

say() { echo "opensearch: $*"; }
die() { echo "opensearch: $*" >&2; exit 1; }

# Health as OpenSearch reports it: yellow is normal for one node (replicas have nowhere to go).
healthy() {
  local body
  body="$(curl -s --max-time 3 "$url/_cluster/health" 2>/dev/null)" || return 1
  [[ "$body" == *'"status":"green"'* || "$body" == *'"status":"yellow"'* ]]
}

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

install() {
  command -v java >/dev/null || die "java (17+) is not installed"
  command -v curl >/dev/null || die "curl is not installed (apt-get install -y curl)"
  local cp="$module/target/runtime-classpath.txt"
  if [[ ! -f "$cp" || ! -d "$module/target/classes" ]] \
      || [[ -n "$(find "$module/src" "$module/pom.xml" -newer "$cp" -print -quit)" ]]; then
    command -v mvn >/dev/null || die "mvn is not installed"
    say "building the launcher (first time: Maven downloads OpenSearch 2.19, ~100 MB)..."
    (cd "$module" && mvn -B -q -Dstyle.color=never package) >&2 || die "building $module failed"
  fi
}

start() {
  if healthy; then
    say "already running"
    say "$url"
    return 0
  fi
  local pid=""
  if pid="$(running_pid)"; then
    say "process $pid is starting; waiting for health"
  else
    install
    mkdir -p "$stack/opensearch"
    local cp
    cp="$module/target/classes:$(cat "$module/target/runtime-classpath.txt")"
    # nohup + own session: the node outlives the shell (and the test JVM) that started it.
    SPIKEWATCH_OPENSEARCH_PORT="$port" nohup setsid java -Xms256m -Xmx"$heap" \
      -XX:+UseG1GC -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
      -Dlog4j2.disable.jmx=true -Dlog4j.shutdownHookEnabled=false \
      -Dopensearch.set.netty.runtime.available.processors=false \
      -cp "$cp" io.spikewatch.localstack.LocalOpenSearchNode "$stack/opensearch" \
      >"$log_file" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pid_file"
    say "started process $pid (log: $log_file)"
  fi
  local waited=0
  until healthy; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      tail -n 40 "$log_file" >&2 || true
      die "the node exited before it became healthy (see $log_file)"
    fi
    if (( waited >= timeout_s )); then
      tail -n 40 "$log_file" >&2 || true
      die "not healthy after ${timeout_s}s (process $pid left running; see $log_file)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "healthy after ~${waited}s"
  say "$url"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file"
    if healthy; then
      say "something else serves $url (no PID file of ours); not stopping it"
    else
      say "not running"
    fi
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "process $pid did not stop in 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  say "stopped"
}

status() {
  local pid=""
  pid="$(running_pid)" || pid=""
  if healthy; then
    say "running${pid:+ (process $pid)}, healthy"
    say "$url"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    say "process $pid running but not healthy (yet); log: $log_file"
    return 1
  fi
  say "not running"
  return 3
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
