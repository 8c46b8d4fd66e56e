"""Token authentication (prepared SQL, nothing cached): a deleted token or deactivated user is refused at once."""
import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def get_jobs(client, key):
    return client.get("/api/jobs/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_cached_token_still_authenticates(client, alice):
    key = Token.objects.create(user=alice).key
    assert get_jobs(client, key).status_code == 200
    assert get_jobs(client, key).status_code == 200


def test_a_deleted_token_is_refused_on_the_next_request(client, alice):
    token = Token.objects.create(user=alice)
    assert get_jobs(client, token.key).status_code == 200
    token.delete()
    r = get_jobs(client, token.key)
    assert r.status_code == 401
    assert r.json() == {"detail": "Invalid token."}
    assert r["WWW-Authenticate"] == "Token"


def test_a_deactivated_user_is_refused_on_the_next_request(client, alice):
    key = Token.objects.create(user=alice).key
    assert get_jobs(client, key).status_code == 200
    alice.is_active = False
    alice.save()
    r = get_jobs(client, key)
    assert r.status_code == 401
    assert r.json() == {"detail": "User inactive or deleted."}


def test_an_unknown_token_is_drfs_401(client):
    r = get_jobs(client, "0" * 40)
    assert r.status_code == 401
    assert r.json() == {"detail": "Invalid token."}
    assert r["WWW-Authenticate"] == "Token"
