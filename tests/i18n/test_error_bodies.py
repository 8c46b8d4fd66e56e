"""Errors answered before LocaleMiddleware runs (413, NUL) and WebSocket error frames, in the caller's language."""
from __future__ import annotations

import pytest

from apps.jobs.consumers import scope_language

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


@pytest.fixture
def small_limit(settings):
    settings.JOBS_MAX_BODY_BYTES = 100
    return 100


def test_a_too_large_body_is_a_413_in_chinese_and_in_english(client, alice, small_limit):
    client.force_login(alice)
    body = b'{"kind": "jobs.ticker", "params": {"pad": "' + b"x" * 200 + b'"}}'
    chinese = client.post("/api/jobs/", body, content_type="application/json", **ZH)
    assert chinese.status_code == 413
    assert chinese.json() == {"detail": "请求体超过了 100 字节的上限", "limit_bytes": 100}
    english = client.post("/api/jobs/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "request body is larger than the limit of 100 bytes"


def test_the_language_cookie_chooses_the_413_language_too(client, small_limit):
    client.cookies["django_language"] = "zh-hans"
    response = client.post("/api/jobs/", b"x" * 500, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413 and response.json()["detail"].startswith("请求体超过了")


def test_nul_in_a_query_parameter_is_a_400_in_both_languages(client, alice):
    client.force_login(alice)
    chinese = client.get("/api/jobs/?kind=a%00b", **ZH)
    assert chinese.status_code == 400 and chinese.json() == {"detail": "查询参数 'kind' 含有 NUL 字符"}
    english = client.get("/api/jobs/?kind=a%00b")
    assert english.json() == {"detail": "query parameter 'kind' contains a NUL character"}


def test_nul_in_a_path_is_a_404_in_both_languages(client, alice):
    client.force_login(alice)
    assert client.get("/api/jobs/a%00b/", **ZH).json() == {"detail": "未找到"}
    assert client.get("/api/jobs/a%00b/").json() == {"detail": "not found"}


@pytest.mark.parametrize(("scope", "language"), [
    ({"headers": [(b"accept-language", b"zh-CN,zh;q=0.9")]}, "zh-hans"),
    ({"headers": [(b"accept-language", b"en-GB")], "cookies": {"django_language": "zh-hans"}}, "zh-hans"),
    ({"headers": [(b"accept-language", b"fr-FR, en;q=0.5")]}, "en"),
    ({"headers": []}, "en"),
])
def test_a_websockets_error_frames_follow_its_handshakes_language(settings, scope, language):
    assert scope_language(scope) == language


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize(("header", "expected"), [(b"zh-CN,zh;q=0.9", ("JSON 格式错误", "未知操作 'dance'")),
                                                  (b"en", ("malformed JSON", "unknown action 'dance'"))])
async def test_the_feeds_error_frames_speak_the_handshakes_language(alice, header, expected):
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from apps.jobs.routing import websocket_urlpatterns

    comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/jobs/",
                                 headers=[(b"accept-language", header)])
    comm.scope["user"] = alice
    connected, _ = await comm.connect()
    assert connected
    await comm.send_to(text_data="{broken")
    assert await comm.receive_json_from(5) == {"type": "error", "message": expected[0]}
    await comm.send_json_to({"action": "dance"})
    assert await comm.receive_json_from(5) == {"type": "error", "message": expected[1]}
    await comm.disconnect()
