"""Scripts: the builtin generator's shape and variety, and the OpenAI-compatible provider on loopback."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from apps.media.script import ScriptProviderError, script_generate


def test_builtin_script_has_requested_scenes_and_characters():
    calls = []
    script = script_generate(topic="tide pools", tone="educational", length="medium", scenes=4, characters=3,
                             report=lambda done, total, message="": calls.append((done, total)))
    assert len(script["scenes"]) == 4 and len(script["characters"]) == 3
    assert [s["number"] for s in script["scenes"]] == [1, 2, 3, 4]
    names = {c["name"] for c in script["characters"]}
    assert "tide pools" in script["logline"] and "tide pools" in script["scenes"][0]["narration"]
    for scene in script["scenes"]:
        assert any(name in scene["narration"] for name in scene["characters"]), scene
        assert scene["visual"] and scene["duration_s"] > 0
        assert set(scene["characters"]) <= names
    assert calls[-1] == (4, 4)


def test_builtin_script_is_stable_per_seed_and_varies_otherwise():
    a = script_generate(topic="lighthouses", scenes=3, seed=1)
    assert a == script_generate(topic="lighthouses", scenes=3, seed=1)
    b = script_generate(topic="lighthouses", scenes=3, seed=2)
    assert a["scenes"] != b["scenes"]
    narrations = [s["narration"] for s in script_generate(topic="lighthouses", scenes=6, seed=3)["scenes"]]
    assert len(set(narrations)) == 6


class _FakeOpenAI(BaseHTTPRequestHandler):
    answer: dict = {}
    seen: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((self.path, self.headers.get("Authorization"), body))
        data = json.dumps({"choices": [{"message": {"content": json.dumps(type(self).answer)}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def fake_openai(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MEDIA_OPENAI_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}/v1"
    settings.MEDIA_OPENAI_API_KEY = "sk-test"
    _FakeOpenAI.seen = []
    yield _FakeOpenAI
    server.shutdown()
    server.server_close()


def test_openai_provider_returns_a_normalized_script(fake_openai):
    fake_openai.answer = {"title": "Bees", "logline": "About bees.",
                          "characters": [{"name": "Ada", "role": "keeper", "description": "calm"}],
                          "scenes": [{"title": "Hive", "setting": "garden", "narration": "Bees hum.",
                                      "visual": "a hive", "characters": ["Ada"]}]}
    script = script_generate(topic="bees", scenes=1, characters=1, provider="openai")
    path, auth, body = fake_openai.seen[0]
    assert path == "/v1/chat/completions" and auth == "Bearer sk-test" and body["model"] == settings.MEDIA_OPENAI_MODEL
    assert script["title"] == "Bees" and script["scenes"][0]["number"] == 1
    assert script["scenes"][0]["narration"] == "Bees hum." and script["generator"].startswith("openai:")


def test_openai_provider_without_scenes_is_a_clear_error(fake_openai):
    fake_openai.answer = {"title": "nothing"}
    with pytest.raises(ScriptProviderError, match="no scenes"):
        script_generate(topic="bees", provider="openai")
