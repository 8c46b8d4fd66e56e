#!/usr/bin/env bash
# Shared by run.sh and test.sh: a virtualenv in .venv with the locked dependencies.
# Sourced, not run: sets ROOT, PATH and the helper apt_install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {  # apt_install <command it provides> <package>
  command -v "$1" >/dev/null && return 0
  [ -x "/usr/bin/$1" ] && return 0
  echo "bootstrap: installing $2 with apt-get" >&2
  as_root apt-get update -qq >/dev/null 2>&1 || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null \
    || { echo "bootstrap: could not install $2; install it yourself (apt-get install $2)" >&2; return 1; }
}

if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PYTHON" -m venv "$ROOT/.venv"
fi
LOCK_STAMP="$ROOT/.venv/.lock-installed"
if [ ! -f "$LOCK_STAMP" ] || ! cmp -s "$ROOT/requirements.lock" "$LOCK_STAMP"; then
  echo "bootstrap: installing requirements.lock into .venv" >&2
  "$ROOT/.venv/bin/python" -m pip install -q --upgrade pip
  "$ROOT/.venv/bin/python" -m pip install -q -r "$ROOT/requirements.lock"
  "$ROOT/.venv/bin/python" -m pip install -q --no-deps -e "$ROOT"
  cp "$ROOT/requirements.lock" "$LOCK_STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
