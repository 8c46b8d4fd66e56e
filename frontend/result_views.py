"""Discovery of domain apps' richer result views for the job page.

A domain app that ships `static/<app_label>/jobcast/result-views.js` gets it loaded as a module
on the job page before the page's own code runs; the script registers renderers with
`window.Jobcast.resultViews["<kind>"] = (container, result, job) => {...}` (and live views and
dashboard card views, docs/frontend.md). The dashboard loads the same modules for its cards.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from django.apps import apps
from django.contrib.staticfiles import finders

RESULT_VIEWS_PATH = "{label}/jobcast/result-views.js"
JS_DIR = Path(__file__).resolve().parent / "static" / "jobcast" / "js"


@cache
def result_view_scripts() -> tuple[str, ...]:
    """Static paths of every installed app's result-views module (looked up once per process)."""
    found = []
    for config in apps.get_app_configs():
        path = RESULT_VIEWS_PATH.format(label=config.label)
        if finders.find(path):
            found.append(path)
    return tuple(found)


@cache
def frontend_modules() -> tuple[str, ...]:
    """Static paths of the UI's JS modules, for the import map (hashed names under the manifest storage):
    its own, the public client, and the modules of the domain apps' pages (`<app_label>/jobcast/*.js`)."""
    own = sorted(f"jobcast/js/{p.name}" for p in JS_DIR.glob("*.js"))
    domain = sorted(f"{config.label}/jobcast/{p.name}" for config in apps.get_app_configs()
                    for p in (Path(config.path) / "static" / config.label / "jobcast").glob("*.js"))
    return (*own, "jobcast/client.js", *domain)


@cache
def app_page_modules() -> tuple[str, ...]:
    """Static paths of domain apps' page modules (`static/<app_label>/js/*.js`), which import each other."""
    found = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "static" / config.label / "js"
        found += sorted(f"{config.label}/js/{p.name}" for p in folder.glob("*.js"))
    return tuple(found)
