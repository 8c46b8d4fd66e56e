"""makemessages that also finds the project's own translation calls (issue 17).

The JS modules' `t("…")`, `tn("…", "…", n)` and `tp(context, "…")` (frontend/static/jobcast/js/i18n.js)
and the job bodies' `event_message("…")` (apps/jobs/messages.py).
"""
from typing import ClassVar

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options: ClassVar[list[str]] = [*makemessages.Command.xgettext_options,
                        "--keyword=t", "--keyword=tn:1,2", "--keyword=tp:1c,2", "--keyword=event_message"]
