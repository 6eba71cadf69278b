#!/usr/bin/env bash
# Headless Chromium for the report tests: installs Debian's chromium package on first use and
# renders a local HTML file with no network, no sync and a throw-away profile.
#
#   deploy/local/chromium.sh install            apt-get install chromium when /usr/bin/chromium is missing
#   deploy/local/chromium.sh dump-dom FILE      print the DOM after rendering FILE (installs first when needed)
#   deploy/local/chromium.sh screenshot FILE PNG [WIDTHxHEIGHT]
#                                               render FILE into a PNG (default 1280x2000; docs/report.png)
#
# dump-dom writes the browser's console and errors to stderr (--enable-logging=stderr), so a
# caller can check that a page logged no errors.
set -euo pipefail

bin=/usr/bin/chromium
say() { echo "chromium: $*" >&2; }
die() { echo "chromium: $*" >&2; exit 1; }

install_chromium() {
  [[ -x "$bin" ]] && return 0
  command -v apt-get >/dev/null || die "$bin is missing and apt-get is not available; install chromium"
  say "installing chromium (Debian package) ..."
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; }; } \
      || die "apt-get install chromium failed"
  [[ -x "$bin" ]] || die "apt-get installed chromium but $bin is missing"
}

dump_dom() {
  local file="$1"
  [[ -f "$file" ]] || die "no such file: $file"
  install_chromium
  # Global, not local: the EXIT trap runs after this function has returned.
  profile="$(mktemp -d)"
  trap 'rm -rf "$profile"' EXIT
  "$bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-default-apps --disable-extensions \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    --dump-dom "file://$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
}

screenshot() {
  local file="$1" png="$2" size="${3:-1280x2000}"
  [[ -f "$file" ]] || die "no such file: $file"
  [[ "$size" =~ ^[0-9]+x[0-9]+$ ]] || die "size must be WIDTHxHEIGHT, got $size"
  install_chromium
  profile="$(mktemp -d)"
  trap 'rm -rf "$profile"' EXIT
  local out
  out="$(cd "$(dirname "$png")" && pwd)/$(basename "$png")"
  "$bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-default-apps --disable-extensions --hide-scrollbars \
    --user-data-dir="$profile" --window-size="${size/x/,}" --screenshot="$out" \
    "file://$(cd "$(dirname "$file")" && pwd)/$(basename "$file")" >/dev/null 2>&1
  [[ -s "$out" ]] || die "no screenshot was written to $out"
  say "wrote $out"
}

case "${1:-}" in
  install) install_chromium; echo "$bin" ;;
  dump-dom) [[ $# == 2 ]] || die "usage: $0 dump-dom FILE"; dump_dom "$2" ;;
  screenshot) [[ $# == 3 || $# == 4 ]] || die "usage: $0 screenshot FILE PNG [WIDTHxHEIGHT]"; screenshot "$2" "$3" "${4:-}" ;;
  *) die "usage: $0 install | dump-dom FILE | screenshot FILE PNG [WIDTHxHEIGHT]" ;;
esac
