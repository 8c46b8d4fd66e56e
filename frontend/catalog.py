"""The browser's message catalog at /jsi18n/: Django's JavaScriptCatalog of the JS modules'
strings, plus the project's own Python messages the browser renders (kind and stage titles,
event messages kept language-neutral in `data.i18n`, issue 17)."""
from __future__ import annotations

import gettext
from pathlib import Path

from django.apps import apps
from django.utils.translation import get_language, to_locale
from django.views.i18n import JavaScriptCatalog


def project_locale_dirs() -> list[Path]:
    """The locale/ folders of the project's own apps (Django's and third-party catalogs stay out)."""
    dirs = [Path(config.path) / "locale" for config in apps.get_app_configs()
            if config.name.startswith("apps.") or config.name == "frontend"]
    return [path for path in dirs if path.is_dir()]


class JobcastCatalog(JavaScriptCatalog):
    """djangojs of every app, merged with the `django` domain of the project's apps."""

    def get_catalog(self) -> dict:
        catalog = super().get_catalog()
        locale = to_locale(get_language() or "en")
        for localedir in project_locale_dirs():
            translation = gettext.translation("django", str(localedir), [locale], fallback=True)
            for key, value in getattr(translation, "_catalog", {}).items():
                if isinstance(key, str) and key and key not in catalog:
                    catalog[key] = value
                elif isinstance(key, tuple) and key[0] not in catalog:
                    catalog[key[0]] = [translation._catalog.get((key[0], n), "") for n in range(self._num_plurals)]
        return catalog
