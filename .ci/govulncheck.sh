#!/usr/bin/env bash
# govulncheck on ./... against a Go vulnerability database built offline from
# the golang.org/x/vulndb module (the Go module proxy is the only source: no
# vuln.go.dev). Fails if govulncheck finds vulnerable code that is called
# (exit 3), or on any error. Imported-but-not-called and required-but-not-
# imported findings are listed (-show verbose) without failing.
# See docs/security-toolchain.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned inputs. The sum is the module's go.sum hash, checked below on top of
# the go command's own checksum-database check.
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018
VULNDB_SUM='h1:mfngRv0Yoh0VApsXKEN82CjD99kl7mtparN3bs3JnqI='
GOVULNCHECK_VERSION=v1.9.0

# The toolchain named in go.mod, unless the caller chose one (.ci/run exports
# GOTOOLCHAIN). govulncheck checks the standard library of the go command it
# finds, so this decides which Go release's vulnerabilities are reported.
toolchain=$(awk '$1 == "toolchain" { print $2 }' go.mod)
export GOTOOLCHAIN="${GOTOOLCHAIN:-$toolchain}"
echo "govulncheck.sh: $(go env GOVERSION) (GOTOOLCHAIN=${GOTOOLCHAIN:-default})"

cache="$PWD/.ci/vulndb-cache"
db="$cache/db-$VULNDB_VERSION"
mkdir -p "$cache/bin"

# 1. The database: x/vulndb ships every report as OSV JSON in data/osv;
#    .ci/vulndb indexes them into the v1 layout (index/db.json,
#    index/modules.json, index/vulns.json, ID/<ID>.json).
if [ ! -f "$db/index/modules.json" ]; then
  info=$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION")
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p' <<<"$info")
  sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",*$/\1/p' <<<"$info")
  if [ "$sum" != "$VULNDB_SUM" ] || [ ! -d "$dir/data/osv" ]; then
    echo "govulncheck.sh: golang.org/x/vulndb@$VULNDB_VERSION: got sum '$sum', dir '$dir'; want $VULNDB_SUM with data/osv" >&2
    exit 1
  fi
  # Database "modified" time: the x/vulndb commit time in the pseudo-version
  # (the OSV files in the module carry zero times; vuln.go.dev sets them from
  # git history).
  stamp=$(sed -n 's/^v0\.0\.0-\([0-9]\{4\}\)\([0-9]\{2\}\)\([0-9]\{2\}\)\([0-9]\{2\}\)\([0-9]\{2\}\)\([0-9]\{2\}\)-.*/\1-\2-\3T\4:\5:\6Z/p' <<<"$VULNDB_VERSION")
  (cd .ci/vulndb && go run . -osv "$dir/data/osv" -out "$db" -modified "$stamp")
fi

# 2. govulncheck itself, pinned (a no-op relink when already built).
GOBIN="$cache/bin" go install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"

# 3. The scan. Exit status 3 means vulnerable code is reachable.
status=0
"$cache/bin/govulncheck" -db "file://$db" -show verbose ./... || status=$?
if [ "$status" -ne 0 ]; then
  echo "govulncheck.sh: FAILED (govulncheck exit $status)" >&2
  exit "$status"
fi
echo "govulncheck.sh: no reachable vulnerabilities"
