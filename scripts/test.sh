#!/usr/bin/env bash
# Install everything the tests need (first time only) and run the whole test suite.
# Arguments are passed to pytest (e.g. -k answers, -m "not browser").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
source scripts/env.sh
exec python -m pytest "$@"
