"""Staff diagnostics params of `ocr.extract`: fail a stage on purpose, or pause after each stage.

They exist so an operator (and the integration tests, on the shared live stack) can rehearse a
failing or slow pipeline per request, without a special build or environment. Only staff may
use them, and OCR_STAFF_DIAGNOSTICS=false turns them off for everyone.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers

from apps.ocr import stages

DIAGNOSTIC_FIELDS = ("fail_stage", "fail_times", "stage_pause_ms")


def diagnostic_fields() -> dict[str, serializers.Field]:
    """The three optional fields, for any serializer that starts the pipeline."""
    return {
        "fail_stage": serializers.ChoiceField(
            choices=stages.STEPS, required=False, style={"diagnostics": True},
            help_text=gettext_lazy("Staff only: this step raises a transient fault (retried like a real one).")),
        "fail_times": serializers.IntegerField(
            min_value=1, max_value=10, required=False, style={"diagnostics": True},
            help_text=gettext_lazy("Staff only: how many runs of fail_stage fail (default 3: the first run and its 2 retries).")),
        "stage_pause_ms": serializers.IntegerField(
            min_value=0, max_value=settings.OCR_MAX_STAGE_PAUSE_MS, required=False, style={"diagnostics": True},
            help_text=gettext_lazy("Staff only: pause after each stage so a page can watch it.")),
    }


def validate_diagnostics(attrs: dict[str, Any], user) -> dict[str, Any]:
    """The diagnostics asked for (refused by field name unless the user is staff and they are on)."""
    asked = {name: attrs[name] for name in DIAGNOSTIC_FIELDS if attrs.get(name) is not None}
    if not asked:
        return {}
    if not settings.OCR_STAFF_DIAGNOSTICS:
        raise serializers.ValidationError({name: [gettext("diagnostics are turned off (OCR_STAFF_DIAGNOSTICS)")]
                                           for name in asked})
    if user is None or not getattr(user, "is_staff", False):
        raise serializers.ValidationError({name: [gettext("only staff may use this diagnostics parameter")]
                                           for name in asked})
    if "fail_times" in asked and "fail_stage" not in asked:
        raise serializers.ValidationError({"fail_times": [gettext("needs fail_stage")]})
    return asked
