"""makemessages that also finds the JS modules' `t("…")` and `tn("…", "…", n)` and `tp(context, "…")` calls (frontend/static/jobcast/js/i18n.js)."""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=t", "--keyword=tn:1,2", "--keyword=tp:1c,2"]
