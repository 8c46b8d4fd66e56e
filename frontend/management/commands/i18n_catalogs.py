"""`manage.py i18n_catalogs update|check|compile`: the project's translation catalogs (issue 17).

Every app keeps its own locale/ (Python and templates in `django`, the JS modules in `djangojs`);
`check` is what CI runs: makemessages finds no msgid missing from a catalog, and no catalog has
an untranslated or fuzzy entry (msgfmt --check --statistics).
"""
from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

LANGUAGES = ("zh_Hans",)
# (source folder, domains): the apps with strings for people to read.
CATALOGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("apps/jobs", ("django",)),
    ("apps/media", ("django", "djangojs")),
    ("apps/notifications", ("django",)),
    ("apps/ocr", ("django", "djangojs")),
    ("apps/ops", ("django",)),
    ("apps/progress", ("django",)),
    ("apps/testing", ("django", "djangojs")),
    ("apps/vision", ("django", "djangojs")),
    ("frontend", ("django", "djangojs")),
    ("project", ("django",)),
)
IGNORE = ["tests", "node_modules", "migrations"]


@contextmanager
def _cwd(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def catalog_path(source: Path, domain: str, language: str) -> Path:
    return source / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


def catalogs_update(root: Path) -> None:
    """makemessages for every app and domain (new msgids appear untranslated, gone ones obsolete)."""
    for folder, domains in CATALOGS:
        source = root / folder
        (source / "locale").mkdir(exist_ok=True)
        with _cwd(source):
            for domain in domains:
                call_command("makemessages", locale=list(LANGUAGES), domain=domain, no_location=True,
                             ignore_patterns=IGNORE, verbosity=0)


def catalogs_compile(root: Path) -> None:
    """The .mo files next to the .po files (committed, so a fresh machine needs no gettext to run)."""
    for folder, _domains in CATALOGS:
        with _cwd(root / folder):
            call_command("compilemessages", locale=list(LANGUAGES), verbosity=0)


def catalogs_problems(root: Path) -> list[str]:
    """What CI refuses: msgids the sources have and a catalog lacks, untranslated or fuzzy entries,
    msgfmt errors, and .mo files older than their .po."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        for folder, _domains in CATALOGS:
            shutil.copytree(root / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        catalogs_update(copy)
        for folder, domains in CATALOGS:
            for domain in domains:
                for language in LANGUAGES:
                    committed, fresh = catalog_path(root / folder, domain, language), catalog_path(copy / folder, domain, language)
                    problems += _compare(committed, fresh, root)
    return problems


def _compare(committed: Path, fresh: Path, root: Path) -> list[str]:
    name = committed.relative_to(root)
    if not committed.exists():
        return [f"{name}: missing (run manage.py i18n_catalogs update)"]
    # Every msgid makemessages found must be in the catalog.
    missing = sorted(_msgids(fresh) - _msgids(committed), key=str)
    problems = [f"{name}: not in the catalog: {msgid!r}" + (f" (context {ctx!r})" if ctx else "")
                for ctx, msgid in missing]
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, str(committed)],
                            capture_output=True, text=True, check=False)
    stats = result.stderr.strip()
    if result.returncode != 0:
        problems.append(f"{name}: msgfmt failed: {stats}")
    elif "untranslated" in stats or "fuzzy" in stats:
        problems.append(f"{name}: {stats}")
    compiled = committed.with_suffix(".mo")
    if not compiled.exists() or _messages(compiled) != _compiled_messages(committed):
        problems.append(f"{compiled.relative_to(root)}: missing or not compiled from its .po (run i18n_catalogs compile)")
    return problems


def _msgids(po: Path) -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of the catalog's live entries (msgcat --no-wrap puts each on one line)."""
    text = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    found, context = set(), None
    for line in text.splitlines():
        if line.startswith("msgctxt "):
            context = ast.literal_eval(line[len("msgctxt "):])
        elif line.startswith("msgid "):
            msgid = ast.literal_eval(line[len("msgid "):])
            if msgid:
                found.add((context, msgid))
            context = None
    return found


def _compiled_messages(po: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.mo"
        subprocess.run(["msgfmt", "-o", str(out), str(po)], check=True, capture_output=True)
        return _messages(out)


def _messages(mo: Path) -> dict:
    with mo.open("rb") as fh:
        return {k: v for k, v in gettext.GNUTranslations(fh)._catalog.items() if k != ""}


class Command(BaseCommand):
    help = "Update, compile or check the project's translation catalogs."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "compile", "check"])

    def handle(self, *args, action: str, **options):
        root = Path(settings.BASE_DIR)
        if action == "update":
            catalogs_update(root)
        elif action == "compile":
            catalogs_compile(root)
        else:
            problems = catalogs_problems(root)
            for line in problems:
                self.stderr.write(line)
            if problems:
                raise CommandError(f"{len(problems)} translation catalog problem(s)")
            self.stdout.write("catalogs complete: every msgid translated, none fuzzy, none missing")
