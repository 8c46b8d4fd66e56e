"""File downloads: the owner gets the bytes; anyone else gets a 404 (existence is not revealed)."""
import pytest
from rest_framework.test import APIClient

from apps.media.files import media_file_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(started):
    job, _ = started("media.script", {"topic": "x"})
    media_file_save(job_id=job.pk, name="notes.txt", content="hello")
    return job


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_owner_downloads_and_lists(stored, alice):
    r = _client(alice).get(f"/api/media/files/{stored.pk}/notes.txt")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"hello"
    assert "attachment" in r["Content-Disposition"]
    listing = _client(alice).get(f"/api/media/files/{stored.pk}/").json()
    assert [f["name"] for f in listing["files"]] == ["notes.txt"]


def test_others_get_404(stored, bob, staff):
    for user in (bob, staff):
        assert _client(user).get(f"/api/media/files/{stored.pk}/notes.txt").status_code == 404
        assert _client(user).get(f"/api/media/files/{stored.pk}/").status_code == 404
    assert _client().get(f"/api/media/files/{stored.pk}/notes.txt").status_code in (401, 403)


def test_unknown_names_and_ids_are_404(stored, alice):
    client = _client(alice)
    assert client.get(f"/api/media/files/{stored.pk}/other.txt").status_code == 404
    assert client.get("/api/media/files/not-a-uuid/notes.txt").status_code == 404
    assert client.get(f"/api/media/files/{stored.pk}/..%2F..%2Fsettings.py").status_code == 404
