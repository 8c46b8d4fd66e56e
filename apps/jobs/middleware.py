"""Refuse request bodies over JOBS_MAX_BODY_BYTES with a JSON 413, before anything reads them.

Both middlewares run before LocaleMiddleware (nothing may read the body first), so their answers
pick the language from the request themselves: the language cookie, then Accept-Language.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext


def _too_big(request, limit: int) -> JsonResponse:
    with translation.override(translation.get_language_from_request(request)):
        detail = gettext("request body is larger than the limit of %(limit)s bytes") % {"limit": limit}
    return JsonResponse({"detail": detail, "limit_bytes": limit}, status=413)


class BodySizeLimitMiddleware:
    """One limit for every endpoint (docs/api.md): JSON 413, nothing created."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.JOBS_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _too_big(request, limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Bodies without a Content-Length (chunked) are caught when Django reads them.
        if isinstance(exception, RequestDataTooBig):
            return _too_big(request, settings.JOBS_MAX_BODY_BYTES)
        return None


class NulCharacterMiddleware:
    """A NUL in the path or the query string is a 404 or a 400, not a 500.

    PostgreSQL text cannot hold NUL, so a lookup with one raises in the driver. No stored name
    contains NUL, so such a path names nothing (404); a query parameter with one is refused by
    name (400). DRF already refuses NUL in body fields.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            with translation.override(translation.get_language_from_request(request)):
                return JsonResponse({"detail": gettext("not found")}, status=404)
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                name = key.replace("\x00", "\\x00")
                with translation.override(translation.get_language_from_request(request)):
                    detail = gettext("query parameter %(name)s contains a NUL character") % {"name": repr(name)}
                return JsonResponse({"detail": detail}, status=400)
        return self.get_response(request)
