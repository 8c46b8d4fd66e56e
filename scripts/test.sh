#!/usr/bin/env bash
# Run the whole test suite (unit, integration, browser, chaos). Extra arguments go to pytest,
# e.g. scripts/test.sh -m "not integration and not browser" for the fast unit tests only.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/bootstrap.sh"
cd "$ROOT"
apt_install redis-server redis-server
if [ ! -x /usr/bin/chromium ]; then apt_install chromium chromium || true; fi
# CJK fonts, so the browser tests' screenshots show Chinese text instead of empty boxes.
if ! ls /usr/share/fonts/opentype/noto/NotoSansCJK-* >/dev/null 2>&1; then
  apt_install no-such-command-fonts-noto-cjk fonts-noto-cjk || true
fi
if command -v node >/dev/null && [ -z "${JOBCAST_SKIP_NODE_TESTS:-}" ]; then
  node --test frontend/tests/    # the browser's pure state modules (seq/dedupe/reconnect)
else
  echo "test.sh: skipping node --test frontend/tests/ (no node, or JOBCAST_SKIP_NODE_TESTS set)" >&2
fi
exec "$ROOT/.venv/bin/python" -m pytest "$@"
