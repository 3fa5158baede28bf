# Shared helpers for scripts/*.sh (sourced, not run).
# Variables (all optional):
#   VENV     virtual environment to create or reuse          (default: <repo>/.venv)
#   PYTHON   interpreter used to create it, Python >= 3.11    (default: python3.11, then python3)
#   RNB_FORCE_INSTALL=1   re-run pip even when nothing changed since the last install

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"

log() { printf '[%s] %s\n' "${RNB_STEP:-setup}" "$*"; }
die() { printf '[%s] ERROR: %s\n' "${RNB_STEP:-setup}" "$*" >&2; exit 1; }

find_python() {
    local cand
    for cand in ${PYTHON:-} python3.11 python3 python; do
        if command -v "$cand" >/dev/null 2>&1 &&
            "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$cand"
            return 0
        fi
    done
    return 1
}

# ensure_venv EXTRAS: create $VENV if missing and pip install -e ".[EXTRAS]" into it.
# Idempotent: pip runs again only when pyproject.toml or the extras changed (a stamp file in the
# venv records what was installed), so a second call costs well under a second.
ensure_venv() {
    local extras="$1" py stamp want t0 t1
    if [ ! -x "$VENV/bin/python" ]; then
        py="$(find_python)" || die "Python >= 3.11 not found (set PYTHON=/path/to/python3.11)"
        log "creating $VENV with $py ($("$py" --version 2>&1))"
        "$py" -m venv "$VENV"
    fi
    stamp="$VENV/.rockpool_nb-install"
    want="$extras $(cat "$REPO_ROOT/pyproject.toml" "$REPO_ROOT/rockpool_nb/_version.py" | cksum)"
    if [ "${RNB_FORCE_INSTALL:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        log "reusing $VENV (rockpool_nb[$extras] already installed)"
        return 0
    fi
    log "pip install -e .[$extras] into $VENV"
    t0=$(date +%s)
    # pip's own output goes to a log (shown only on failure) to keep CI logs readable
    if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
        "$VENV/bin/python" -m pip install --disable-pip-version-check -e "$REPO_ROOT[$extras]"; } \
        >"$VENV/pip-install.log" 2>&1; then
        tail -n 40 "$VENV/pip-install.log" >&2
        die "pip install failed (full log: $VENV/pip-install.log)"
    fi
    t1=$(date +%s)
    printf '%s' "$want" >"$stamp"
    log "pip install of rockpool_nb[$extras] took $((t1 - t0)) s"
}

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; we never run
# `playwright install`, which would download a browser build of its own).
ensure_chromium() {
    if [ -x /usr/bin/chromium ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing Debian chromium (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq chromium >/dev/null
        [ -x /usr/bin/chromium ] || die "apt-get installed chromium but /usr/bin/chromium is missing"
    else
        log "WARNING: /usr/bin/chromium missing and not root: browser tests will be skipped"
        log "         (install it with: sudo apt-get install chromium)"
    fi
}
