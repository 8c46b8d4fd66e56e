#!/usr/bin/env bash
# CI (issue 17): every translation catalog is complete. makemessages, run on a temporary copy of
# the sources, finds no msgid missing from a catalog; msgfmt --check --statistics shows no
# untranslated or fuzzy entry; each committed .mo matches its .po.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/bootstrap.sh"
cd "$ROOT"
apt_install msgfmt gettext
DJANGO_DEBUG=true "$ROOT/.venv/bin/python" manage.py i18n_catalogs check
