#!/usr/bin/env bash
# The whole test suite, set-up included: ./tools/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup.sh
.venv/bin/scons -Q -j"$(nproc)" board=host mode=asan >/dev/null
.venv/bin/ruff check python tests
exec .venv/bin/python -m pytest -q "$@"
