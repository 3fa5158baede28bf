#!/usr/bin/env bash
# Set up everything the test suite needs, then run it. Arguments go to pytest.
#   python: rockpool_nb[all,dev,docs,browser,compare] in .venv (compare = the Rockpool oracle)
#   system: Debian chromium for the browser tier (apt-get, only if missing and we are root)
set -euo pipefail
RNB_STEP=test
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
ensure_venv all,dev,docs,browser,compare
ensure_chromium
cd "$REPO_ROOT"
exec "$VENV/bin/python" -m pytest "$@"
