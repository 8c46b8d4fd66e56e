#!/usr/bin/env bash
# The Django 6 leg of CI: the Tasks backend's tests (tests/tasks_backend, unit and live) on Django 6's
# own django.tasks, with Python 3.12, in .venv-django6 built from requirements-django6.lock.
# The rest of the suite runs on Django 5.2 + django_tasks (scripts/test.sh); only these tests differ.
# Extra arguments go to pytest. Without a python3.12 the leg is skipped with a message, exit 0.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

find_python312() {  # $PYTHON312 when set (and only it), else the usual places
  local candidate candidates=("${PYTHON312:-}")
  [ -n "${PYTHON312:-}" ] || candidates=(python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12 \
                                         "$HOME"/.pyenv/versions/3.12*/bin/python /root/.pyenv/versions/3.12*/bin/python)
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if ! PY312="$(find_python312)"; then
  echo "test_django6.sh: SKIPPED the Django 6 leg: no Python 3.12 found${PYTHON312:+ at PYTHON312=$PYTHON312} (Django 6 needs >= 3.12)." >&2
  echo "test_django6.sh: install python3.12 or set PYTHON312=/path/to/python3.12 to run tests/tasks_backend on Django 6." >&2
  exit 0
fi
command -v redis-server >/dev/null || { echo "test_django6.sh: redis-server is missing (scripts/test.sh installs it)" >&2; exit 1; }

# Every pin but Django's must be requirements.lock's: the two legs differ in Django only.
"$PY312" - <<'PY'
import sys
def pins(path):
    lines = (l.strip() for l in open(path) if l.strip() and not l.startswith("#"))
    return dict(l.lower().replace("_", "-").split("==", 1) for l in lines)
main, six = pins("requirements.lock"), pins("requirements-django6.lock")
drift = [f"{name}: {version} here, {main.get(name)} in requirements.lock"
         for name, version in six.items() if name != "django" and main.get(name) != version]
if drift:
    sys.exit("requirements-django6.lock drifted from requirements.lock:\n  " + "\n  ".join(drift))
PY

VENV="$ROOT/.venv-django6"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY312" -m venv "$VENV"
fi
STAMP="$VENV/.lock-installed"
if [ ! -f "$STAMP" ] || ! cmp -s requirements-django6.lock "$STAMP"; then
  echo "test_django6.sh: installing requirements-django6.lock into .venv-django6" >&2
  "$VENV/bin/python" -m pip install -q -r requirements-django6.lock
  cp requirements-django6.lock "$STAMP"
fi
echo "--- tests/tasks_backend on Django $("$VENV/bin/python" -m django --version) (django.tasks), $("$VENV/bin/python" -V)"
exec "$VENV/bin/python" -m pytest tests/tasks_backend -p no:cacheprovider "$@"
