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
# Idempotent: a stamp file in the venv records the extras installed and a checksum of
# pyproject.toml; pip runs again only when that checksum changed or an extra is missing, and then
# installs the union of old and new extras (so `test` after `lab` never drops anything).
ensure_venv() {
    local wanted="$1" py stamp sum have="" extras t0 t1 e missing=0
    if [ ! -x "$VENV/bin/python" ]; then
        py="$(find_python)" || die "Python >= 3.11 not found (set PYTHON=/path/to/python3.11)"
        log "creating $VENV with $py ($("$py" --version 2>&1))"
        "$py" -m venv "$VENV"
    fi
    stamp="$VENV/.rockpool_nb-install"
    sum="$(cat "$REPO_ROOT/pyproject.toml" "$REPO_ROOT/rockpool_nb/_version.py" | cksum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$sum" ]; then
        have="$(sed -n 2p "$stamp")"
    fi
    for e in ${wanted//,/ }; do
        case ",$have," in *",$e,"*) ;; *) missing=1 ;; esac
    done
    if [ "${RNB_FORCE_INSTALL:-0}" != 1 ] && [ "$missing" = 0 ]; then
        log "reusing $VENV (rockpool_nb[$have] installed)"
        return 0
    fi
    extras="$( (printf '%s\n' ${wanted//,/ } && if [ -f "$stamp" ]; then sed -n 2p "$stamp" | tr ',' '\n'; fi) |
        grep -v '^$' | sort -u | paste -sd, -)"
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
    log "pip install of rockpool_nb[$extras] took $((t1 - t0)) s"
    # numba compiles each kernel on its first call (seconds each, cache=True keeps them on
    # disk): compile them all now, so that the first notebook cell loads them instead
    log "compiling the numba kernels into numba's cache (rockpool-nb compile)"
    "$VENV/bin/python" -m rockpool_nb compile >"$VENV/compile.log" 2>&1 || {
        tail -n 40 "$VENV/compile.log" >&2
        die "rockpool-nb compile failed (full log: $VENV/compile.log)"
    }
    log "$(tail -n 1 "$VENV/compile.log")"
    printf '%s\n%s\n' "$sum" "$extras" >"$stamp"
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
        apt-get -o DPkg::Lock::Timeout=300 update -qq
        apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium >/dev/null
        [ -x /usr/bin/chromium ] || die "apt-get installed chromium but /usr/bin/chromium is missing"
    else
        log "WARNING: /usr/bin/chromium missing and not root: browser tests will be skipped"
        log "         (install it with: sudo apt-get install chromium)"
    fi
}
