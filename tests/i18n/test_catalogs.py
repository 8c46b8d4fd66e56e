"""The CI check of the catalogs (scripts/check_i18n.sh): passes on the tree, fails on a gap."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from frontend.management.commands.i18n_catalogs import CATALOGS, catalogs_problems

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")


def test_every_catalog_is_complete_and_compiled():
    assert catalogs_problems(Path(settings.BASE_DIR)) == []


def test_a_new_string_or_an_untranslated_entry_is_reported(tmp_path):
    root = tmp_path / "tree"
    for folder, _domains in CATALOGS:
        shutil.copytree(Path(settings.BASE_DIR) / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    js = root / "frontend/static/jobcast/js/dashboard.js"
    js.write_text(js.read_text() + '\nconsole.log(t("A string nobody translated"));\n')
    po = root / "apps/jobs/locale/zh_Hans/LC_MESSAGES/django.po"
    po.write_text(po.read_text().replace('msgstr "计步器"', 'msgstr ""'))
    problems = catalogs_problems(root)
    assert any("djangojs.po" in p and "A string nobody translated" in p for p in problems), problems
    assert any("apps/jobs/locale/zh_Hans/LC_MESSAGES/django.po" in p and "untranslated" in p for p in problems), problems
