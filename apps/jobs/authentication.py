"""Token authentication with the token and its user read by prepared SQL, on every request.

DRF's TokenAuthentication costs an ORM query per request, mostly its SQL compilation: about a
quarter of the CPU of GET /api/jobs/<id>/ (docs/benchmarks.md, "HTTP cost"). Here the same two
rows are read with SQL written once (apps/jobs/pk_lookup.py). Nothing is cached, so a deleted
token or a deactivated user is refused by every process on its very next request (an earlier
per-process cache let other processes accept them for up to five seconds). A refused key goes
through DRF's own lookup, so its errors are DRF's ("Invalid token.", "User inactive or deleted.").
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from apps.jobs.pk_lookup import PkLookup

_token_by_key = PkLookup(Token)
_user_by_pk = PkLookup(get_user_model())


class PreparedTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication (same header parsing) without the ORM's compilation."""

    def authenticate_credentials(self, key):
        token = _token_by_key.get(key)
        user = None if token is None else _user_by_pk.get(token.user_id)
        if user is None or not user.is_active:
            # Refused: DRF's own lookup raises its own error, in the request's language.
            return super().authenticate_credentials(key)
        token.user = user  # as DRF's select_related("user") leaves it
        return user, token
