"""media.script writes its text as it goes: builtin line by line, a provider chunk by chunk (loopback)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from apps.media.kinds import script_text
from apps.media.script import ScriptProviderError, script_generate

SCRIPT = {"title": "Bees", "logline": "About bees.", "characters": [{"name": "Ada"}],
          "scenes": [{"title": "Hive", "narration": "Bees hum.", "visual": "a hive"}]}


def test_builtin_writes_the_readable_script_line_by_line_as_scenes_are_written():
    written: list[str] = []
    reports: list[int] = []

    def write(text):
        written.append((text, len(reports)))

    script = script_generate(topic="paper boats", scenes=3, characters=2, seed=7,
                             report=lambda done, total, message="": reports.append(done),
                             write=write)
    assert "".join(t for t, _ in written) == script_text(script)
    assert all(t.endswith("\n") and t.count("\n") == 1 for t, _ in written), "one line per write"
    assert written[0][1] == 0 and written[-1][1] == 2, "scene lines are written before each scene's report"


class _StreamingOpenAI(BaseHTTPRequestHandler):
    chunks: ClassVar[list[str]] = []
    seen: ClassVar[list[dict]] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        type(self).seen.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in type(self).chunks:
            frame = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(frame)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture
def streaming_openai(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StreamingOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MEDIA_OPENAI_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}/v1"
    _StreamingOpenAI.seen = []
    yield _StreamingOpenAI
    server.shutdown()
    server.server_close()


def test_provider_answer_is_streamed_chunk_by_chunk_and_still_normalized(streaming_openai):
    text = json.dumps(SCRIPT)
    streaming_openai.chunks = [text[i:i + 9] for i in range(0, len(text), 9)]
    written: list[str] = []
    script = script_generate(topic="bees", scenes=1, characters=1, provider="openai", write=written.append)
    assert streaming_openai.seen[0]["stream"] is True
    assert written == streaming_openai.chunks and "".join(written) == text
    assert script["scenes"][0]["narration"] == "Bees hum."


def test_a_streamed_answer_that_is_not_json_is_a_clear_error(streaming_openai):
    streaming_openai.chunks = ["Sorry, ", "I cannot."]
    with pytest.raises(ScriptProviderError, match="not a JSON script"):
        script_generate(topic="bees", provider="openai")
