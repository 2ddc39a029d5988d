#!/usr/bin/env bash
# The peers at the other end of their supported ranges: `pnpm test` runs the workspace's own versions (the newest:
# @anthropic-ai/sdk 1.17, prom-client 15.1.3); this runs the router's call tests against @anthropic-ai/sdk 1.14.0 and
# the metrics tests against prom-client 15.0.0, each installed once into .tmp/version-matrix from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="$PWD/.tmp/version-matrix"

# Installs `name@version` into its own directory (once) and prints the package's path.
installed() {
  local dir="$cache/${1//\//+}@$2"
  if [ ! -f "$dir/node_modules/$1/package.json" ]; then
    npm install --prefix "$dir" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --loglevel=error "$1@$2" >&2
  fi
  local got
  got=$(node -p "require('$dir/node_modules/$1/package.json').version")
  [ "$got" = "$2" ] || { echo "version-matrix: wanted $1@$2, installed $got" >&2; exit 1; }
  echo "$dir/node_modules/$1"
}

sdk=$(installed @anthropic-ai/sdk 1.14.0)
echo "router call path against @anthropic-ai/sdk 1.14.0"
MC_SDK_DIR="$sdk" MC_EXPECT_SDK_VERSION=1.14.0 pnpm exec vitest run --project unit packages/router/src/call packages/router/src/unit

prom=$(installed prom-client 15.0.0)
echo "metrics against prom-client 15.0.0"
MC_PROM_CLIENT_DIR="$prom" MC_EXPECT_PROM_CLIENT_VERSION=15.0.0 pnpm exec vitest run --project unit packages/metrics/src
