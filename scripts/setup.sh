#!/usr/bin/env bash
# Create (or reuse) the virtual environment and install rockpool_nb with the given extras.
# Usage: scripts/setup.sh [EXTRAS]      e.g. scripts/setup.sh all,dev,docs
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
ensure_venv "${1:-all}"
