#!/bin/sh
# Regenerates content/regions.csv from the npm package idn-area-data.
#
# Usage: sh content/gen/regions.sh   (from anywhere; needs npm, tar, sha256sum, go)
#
# The package tarball is checked against a pinned SHA-256, so a rerun either
# reproduces the committed regions.csv or fails.
set -eu

VERSION=4.0.1
SHA256=8d47ffb2be39c08aacb0a2dd43193a1edb5754edb1022d57158341c702acc32d

gen=$(cd "$(dirname "$0")" && pwd)
content=$(dirname "$gen")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "idn-area-data@$VERSION" >/dev/null)
tgz="$tmp/idn-area-data-$VERSION.tgz"
echo "$SHA256  $tgz" | sha256sum -c --quiet -
tar -xzf "$tgz" -C "$tmp"

cd "$gen/regions"
go run . \
	-provinces "$tmp/package/data/provinces.csv" \
	-regencies "$tmp/package/data/regencies.csv" \
	-out "$content/regions.csv"
