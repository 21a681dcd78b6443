#!/usr/bin/env bash
# Runs every test. Installs what the tests need first (shellcheck, dynalite through npm ci), so a fresh clone
# with the .NET SDK and Node.js needs nothing else. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")" || exit 1

# Debian's shellcheck package, for the test that lints every shell script in the repository.
if ! command -v shellcheck >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  { apt-get install -y --no-install-recommends shellcheck || { apt-get update && apt-get install -y --no-install-recommends shellcheck; }; } >/dev/null 2>&1 \
    || echo "could not install shellcheck; the shell script test will fail"
fi

if [ -f tests/dynalite/package.json ]; then
  npm ci --prefix tests/dynalite --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# The status page's browser test drives Debian's chromium; without it that test fails (it never skips).
if [ ! -x /usr/bin/chromium ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get update && $sudo apt-get install -y chromium; } >/dev/null \
    || echo "WARNING: could not install chromium with apt-get: the status page browser test will fail" >&2
fi

results="TestResults"
rm -rf "$results"
dotnet test Reconciler.sln --configuration Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
