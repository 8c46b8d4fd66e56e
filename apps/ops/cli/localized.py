"""argparse in the terminal's language (issue 17): its own words too, not only ours.

argparse looks up "usage: ", its section titles and the `-h` help in the standard library's
gettext domain, which has no Chinese catalog on a server; this parser takes them from the
`apps/ops` catalog instead, like every other line the command line prints.
"""
from __future__ import annotations

import argparse

from project.terminal_language import terminal_translation


def _(message: str) -> str:
    return terminal_translation("apps/ops").gettext(message)


class LocalizedFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class LocalizedParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage prefix, section titles and `-h` help are translated;
    sub-parsers made with `add_subparsers()` are of the same class."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", LocalizedFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=_("show this help message and exit"))
