#!/usr/bin/env bash
# One entry point for a fresh machine (needs only Python >= 3.11):
#   ./run.sh lab   [args]   set up .venv and start JupyterLab on notebooks/ (headless run without a display)
#   ./run.sh test  [args]   set up .venv + browser deps and run the whole test suite (args go to pytest)
#   ./run.sh setup [extras] only create/refresh .venv (default extras: all)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
    lab) exec "$here/scripts/lab.sh" "$@" ;;
    test) exec "$here/scripts/test.sh" "$@" ;;
    setup) exec "$here/scripts/setup.sh" "$@" ;;
    *)
        sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
