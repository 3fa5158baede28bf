#!/usr/bin/env bash
# The main job: set up .venv with rockpool_nb[all] and start JupyterLab on notebooks/.
# Without a display (or with CI=true) `rockpool-nb lab` executes every notebook headless instead
# and exits non-zero if one fails. Extra arguments go to `rockpool-nb lab` (e.g. --headless).
set -euo pipefail
RNB_STEP=lab
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
ensure_venv all
cd "$REPO_ROOT"
exec "$VENV/bin/rockpool-nb" lab --notebooks "$REPO_ROOT/notebooks" "$@"
