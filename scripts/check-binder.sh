#!/usr/bin/env bash
# Check binder/ without Docker: build a fresh venv the way Binder (repo2docker) would, from
# binder/requirements.txt and binder/postBuild, then execute every notebook headless in it.
# Takes a few minutes (a second full install). Set KEEP=1 to keep the venv for inspection.
set -euo pipefail
RNB_STEP=binder
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"

# static checks of the files repo2docker reads
grep -qx 'python-3.11' binder/runtime.txt || die "binder/runtime.txt must read python-3.11"
for f in binder/postBuild binder/start; do
    [ -x "$f" ] || die "$f must be executable (chmod +x $f)"
    bash -n "$f" || die "$f has a syntax error"
done
[ "$(tail -n 1 binder/start)" = 'exec "$@"' ] || die 'binder/start must end with: exec "$@"'
[ ! -e .binder ] || die "both binder/ and .binder/ exist; repo2docker refuses that"

work="$(mktemp -d)"
if [ "${KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$work"' EXIT
fi
py="$(find_python)" || die "Python >= 3.11 not found"

# what repo2docker itself would generate (prints the Dockerfile; needs no Docker daemon)
log "repo2docker --no-build --no-run: checking the generated Dockerfile"
"$py" -m venv "$work/r2d"
"$work/r2d/bin/python" -m pip install --disable-pip-version-check -q jupyter-repo2docker \
    >"$work/r2d.log" 2>&1 || { tail -n 20 "$work/r2d.log"; die "could not install repo2docker"; }
"$work/r2d/bin/repo2docker" --no-build --no-run --debug . >"$work/dockerfile.txt" 2>&1 ||
    { tail -n 40 "$work/dockerfile.txt"; die "repo2docker failed to read binder/"; }
for want in 'python=3.11' 'pip install --no-cache-dir -r "binder/requirements.txt"' \
    'RUN ./binder/postBuild' 'R2D_ENTRYPOINT="${REPO_DIR}/binder/start"'; do
    grep -qF "$want" "$work/dockerfile.txt" || die "repo2docker's Dockerfile lacks: $want"
done
rm -rf "$work/r2d"
log "fresh venv in $work/venv"
"$py" -m venv "$work/venv"
export PATH="$work/venv/bin:$PATH"
t0=$(date +%s)
log "pip install -r binder/requirements.txt"
python -m pip install --disable-pip-version-check -q -r binder/requirements.txt \
    >"$work/pip.log" 2>&1 || { tail -n 40 "$work/pip.log"; die "requirements install failed"; }
log "binder/postBuild"
./binder/postBuild >"$work/postBuild.log" 2>&1 || { tail -n 40 "$work/postBuild.log"; die "postBuild failed"; }
tail -n 1 "$work/postBuild.log"
log "environment built in $(($(date +%s) - t0)) s"

# the installed package must be the one the notebooks use (not the source tree)
(cd "$work" && python -c 'import rockpool_nb, sys; p = rockpool_nb.__file__; print("[binder] rockpool_nb from", p); sys.exit("site-packages" not in p)') ||
    die "rockpool_nb was not installed into the Binder venv"
# every kernel compiled by postBuild loads under binder/start's environment (same code target)
log "binder/start rockpool-nb compile --check"
(cd "$work" && "$REPO_ROOT/binder/start" rockpool-nb compile --check) ||
    die "binder/start does not load the kernels postBuild compiled (numba target differs?)"
./binder/start rockpool-nb lab --headless --notebooks "$REPO_ROOT/notebooks"
