#!/usr/bin/env bash
# Installs what the tests need, runs every test, and ends with one line:
#   tests: N passed, N failed[, N skipped]
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Browser tests drive Debian's Chromium (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { echo "could not install chromium"; exit 1; }
fi

# The TURN tests run a real coturn on 127.0.0.1.
if ! command -v turnserver >/dev/null 2>&1; then
  echo "Installing Debian's coturn for the TURN tests..."
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq coturn >/dev/null \
    || { echo "could not install coturn"; exit 1; }
fi

# Deploy tests check the alert rules with promtool (Debian's prometheus package).
if ! command -v promtool >/dev/null 2>&1; then
  echo "Installing Debian's prometheus for promtool (the alert rule tests)..."
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null \
    || { echo "could not install prometheus (promtool)"; exit 1; }
fi

# Deploy tests validate rendered manifests against the Kubernetes API schemas (pinned by the lockfile).
npm ci --prefix deploy/validate --no-audit --no-fund --silent || { echo "could not install deploy/validate"; exit 1; }
# The client package's tests type-check against its declarations with src/Client's pinned TypeScript.
npm ci --prefix src/Client --no-audit --no-fund --silent || { echo "could not install src/Client's dev tools"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One test project at a time (-m:1): several of them start multi-node clusters or node processes, and
# two of those at once on a 2-core machine starve the failure detector into downing healthy nodes.
dotnet test SocketPeer.sln --nologo -c Release -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test project, e.g. "Passed!  - Failed: 0, Passed: 11, Skipped: 0, Total: 11".
read -r passed failed skipped < <(
  grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+' "$log" |
  sed -E 's/.*Failed: +([0-9]+), +Passed: +([0-9]+), +Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
projects=$(grep -cE '(Passed|Failed)! +- +Failed:' "$log")
expected=$(grep -lE '<PackageReference Include="Microsoft.NET.Test.Sdk"' tests/*/*.csproj | wc -l)
if [ "$status" -eq 0 ] && [ "$projects" -ne "$expected" ]; then
  echo "only $projects of $expected test projects reported results"
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a crash or build failure counts as a failure

# The code's conventions (.editorconfig: layout, unused usings, naming) count as one more test.
if dotnet format SocketPeer.sln --verify-no-changes --severity warn >"$log" 2>&1; then
  passed=$((passed + 1))
else
  grep -E 'error' "$log" | head -20
  echo "the code does not follow .editorconfig: run  dotnet format SocketPeer.sln --severity warn"
  failed=$((failed + 1))
  status=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "tests: $passed passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
exit "$status"
