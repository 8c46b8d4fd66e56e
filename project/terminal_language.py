"""The command line's language (issue 17): Chinese for a Chinese terminal, else English.

The API commands run without Django (a client on any machine), so they read the compiled
catalogs with the standard library's gettext. The language comes from JOBCAST_LANGUAGE, then
the usual LANGUAGE / LC_ALL / LC_MESSAGES / LANG: zh_CN.UTF-8, zh_SG, zh-Hans and zh choose
Simplified Chinese.
"""
from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CHINESE = ("zh_cn", "zh_sg", "zh_hans", "zh-cn", "zh-sg", "zh-hans")


def terminal_language() -> str:
    """"zh-hans" or "en": the Django language code the terminal asks for."""
    for name in ("JOBCAST_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        first = value.split(":")[0].split(".")[0].strip().lower()
        if not first:
            continue
        if first.startswith(_CHINESE) or first == "zh":
            return "zh-hans"
        return "en"
    return "en"


@cache
def terminal_translation(app_dir: str) -> gettext.NullTranslations:
    """The `django` catalog of one app folder (e.g. "apps/ops") in the terminal's language."""
    if terminal_language() != "zh-hans":
        return gettext.NullTranslations()
    return gettext.translation("django", str(ROOT / app_dir / "locale"), ["zh_Hans"], fallback=True)
