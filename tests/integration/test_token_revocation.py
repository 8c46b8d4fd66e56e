"""A token deleted, or its user deactivated, in one process is refused by every web process at once."""
import httpx

_MAKE_USER = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.create_user("{name}", password="pw-{name}")
print(Token.objects.create(user=user).key)
"""


def _new_token(stack, name: str) -> str:
    return stack.manage("shell", "-c", _MAKE_USER.format(name=name)).splitlines()[-1]


def _statuses(stack, key: str) -> list[int]:
    """GET /api/jobs/ with the token on each of the stack's daphnes."""
    return [httpx.get(f"http://127.0.0.1:{port}/api/jobs/", headers={"Authorization": f"Token {key}"},
                      timeout=30).status_code for port in stack.daphne_ports]


def test_a_token_deleted_elsewhere_is_refused_by_every_daphne_on_the_next_request(stack):
    key = _new_token(stack, "revoked-token")
    assert _statuses(stack, key) == [200, 200]
    assert _statuses(stack, key) == [200, 200]  # each daphne has seen it twice (a cache would be warm)
    stack.manage("shell", "-c", f"from rest_framework.authtoken.models import Token; Token.objects.get(key={key!r}).delete()")
    assert _statuses(stack, key) == [401, 401]
    refused = httpx.get(f"{stack.base}/api/jobs/", headers={"Authorization": f"Token {key}"}, timeout=30)
    assert refused.json() == {"detail": "Invalid token."}


def test_a_user_deactivated_elsewhere_is_refused_by_every_daphne_on_the_next_request(stack):
    key = _new_token(stack, "deactivated-user")
    assert _statuses(stack, key) == [200, 200]
    # A queryset update sends no signal: nothing but reading the row each time can see it.
    stack.manage("shell", "-c", "from django.contrib.auth import get_user_model; "
                                "get_user_model().objects.filter(username='deactivated-user').update(is_active=False)")
    assert _statuses(stack, key) == [401, 401]
    refused = httpx.get(f"{stack.base}/api/jobs/", headers={"Authorization": f"Token {key}"}, timeout=30)
    assert refused.json() == {"detail": "User inactive or deleted."}
