#!/usr/bin/env bash
# The demo, set-up included: a keyword-spotting model converted, planned,
# run on the host C runtime and checked bit-exact against TFLM.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup.sh
exec .venv/bin/tinyrt demo "$@"
