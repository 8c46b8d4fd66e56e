"""Request guards that run before any view: NUL characters never reach the database."""
import uuid

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_a_query_parameter_is_a_400_naming_it(client, alice):
    client.force_login(alice)
    r = client.get("/api/jobs/", {"kind": "\x00", "status": "success"})
    assert r.status_code == 400
    assert r.json() == {"detail": "query parameter 'kind' contains a NUL character"}
    assert client.get("/api/jobs/", {"kind": "jobs.ticker"}).status_code == 200


def test_nul_in_a_path_is_a_json_404(client, alice):
    client.force_login(alice)
    r = client.get(f"/api/media/files/{uuid.uuid4()}/%00")
    assert r.status_code == 404 and r.json() == {"detail": "not found"}
