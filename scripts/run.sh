#!/usr/bin/env bash
# Run the whole service: Redis if needed, migrations, a demo user, web, worker and beat.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/bootstrap.sh"
cd "$ROOT"
command -v redis-server >/dev/null || apt_install redis-server redis-server || true
exec "$ROOT/.venv/bin/python" -m project run "$@"
