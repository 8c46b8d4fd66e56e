"""The LLM extractor against a real OpenAI-compatible chat-completions server on loopback."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.ocr.extraction.basic_info import extract_basic_info
from apps.ocr.extraction.extractor import extractor_for
from apps.ocr.extraction.llm import LlmBadAnswer, LlmConfig, LlmExtractor, LlmUnavailable, chat_json
from apps.ocr.extraction.rules import RuleExtractor
from apps.ocr.extraction.schemas import BASIC_INFO_SCHEMA
from apps.ocr.extraction.table import extract_table

API_KEY = "sk-test-key"

LLM_BASIC_INFO = {"insured_name": "陳大文", "age": 35, "gender": "male", "product_name": "富饒千秋儲蓄計劃",
                  "currency": "USD", "sum_assured": 50000, "annual_premium": 10000, "payment_term_years": 5,
                  "coverage_term": "to age 100"}


def completion(content: str) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": "deepseek-chat",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]}


class ChatServer:
    """Answers POST /v1/chat/completions from a script of (status, body, headers); records requests."""

    def __init__(self) -> None:
        self.script: list[tuple[int, object, dict]] = []
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                        "body": json.loads(self.rfile.read(length))})
                status, body, headers = server.script.pop(0) if server.script else (500, {"error": "no script"}, {})
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def answer(self, content: str | dict, status: int = 200, headers: dict | None = None) -> None:
        body = completion(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False))
        self.script.append((status, body, headers or {}))

    def fail(self, status: int, headers: dict | None = None) -> None:
        self.script.append((status, {"error": {"message": "busy"}}, headers or {}))


@pytest.fixture
def server():
    chat = ChatServer()
    chat.thread.start()
    yield chat
    chat.httpd.shutdown()
    chat.httpd.server_close()


@pytest.fixture
def config(server):
    return LlmConfig(base_url=server.base_url, api_key=API_KEY, model="deepseek-chat", timeout_s=5,
                     max_retries=2, retry_backoff_s=0.01)


class LogRecorder:
    def __init__(self):
        self.lines: list[tuple[str, dict]] = []

    def __call__(self, message: str, **data) -> None:
        self.lines.append((message, data))


def test_a_valid_answer_is_used_and_the_request_is_openai_shaped(server, config, zh_hant):
    server.answer(LLM_BASIC_INFO)
    log = LogRecorder()
    info, source = LlmExtractor(config, log).basic_info(zh_hant)
    assert source == "llm" and log.lines == []
    assert info == {**LLM_BASIC_INFO, "language": "zh-Hant"}
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == f"Bearer {API_KEY}"
    assert request["body"]["model"] == "deepseek-chat"
    assert request["body"]["response_format"] == {"type": "json_object"}
    assert "陳大文" in request["body"]["messages"][-1]["content"]


def test_429_and_5xx_are_retried_then_the_answer_is_used(server, config, en):
    server.fail(429, {"Retry-After": "0"})
    server.fail(503)
    server.answer("```json\n" + json.dumps({"rows": [
        {"policy_year": 1, "age": 41, "total_premiums_paid": 25000, "guaranteed_cash_value": 0,
         "non_guaranteed_bonus": 0, "total_surrender_value": 0, "death_benefit": 250000}]}) + "\n```")
    table, source = LlmExtractor(config, LogRecorder()).table(en)
    assert source == "llm" and len(server.requests) == 3
    assert table["rows"] == [{"policy_year": 1, "age": 41, "total_premiums_paid": 25000, "guaranteed_cash_value": 0,
                              "non_guaranteed_bonus": 0, "total_surrender_value": 0, "death_benefit": 250000}]


def test_no_answer_after_the_retries_falls_back_to_the_rules_with_a_log(server, config, en):
    for _ in range(3):
        server.fail(500)
    log = LogRecorder()
    info, source = LlmExtractor(config, log).basic_info(en)
    assert source == "rules" and len(server.requests) == 3
    assert info == extract_basic_info(en)
    (message, data), = log.lines
    assert message == "LLM answer unusable for basic_info; used the rule-based extractor"
    assert data["error_type"] == "LlmUnavailable" and "HTTP 500" in data["reason"]


@pytest.mark.parametrize("content, reason", [
    ("Sure! The insured person is John Smith.", "not JSON"),
    (json.dumps({"rows": [{"policy_year": "one", "total_premiums_paid": 1, "total_surrender_value": 1}]}),
     "does not match the schema at rows/0/policy_year"),
    (json.dumps({"rows": []}), "does not match the schema at rows"),
])
def test_an_unusable_answer_falls_back_to_the_rules(server, config, zh_hans, content, reason):
    server.answer(content)
    log = LogRecorder()
    table, source = LlmExtractor(config, log).table(zh_hans)
    assert source == "rules" and len(server.requests) == 1  # a bad answer is not retried
    assert table == extract_table(zh_hans)
    assert reason in log.lines[0][1]["reason"]


def test_a_refusal_is_not_retried(server, config):
    server.script.append((401, {"error": {"message": "bad key"}}, {}))
    with pytest.raises(LlmUnavailable, match="HTTP 401"):
        chat_json(config, instruction="x", text="y", schema=BASIC_INFO_SCHEMA)
    assert len(server.requests) == 1


def test_an_unreachable_server_is_unavailable(config):
    dead = LlmConfig(base_url="http://127.0.0.1:9/v1", api_key="k", timeout_s=1, max_retries=1, retry_backoff_s=0)
    with pytest.raises(LlmUnavailable, match="ConnectError"):
        chat_json(dead, instruction="x", text="y", schema=BASIC_INFO_SCHEMA)


def test_schema_is_enforced_on_basic_info(server, config):
    server.answer({**LLM_BASIC_INFO, "gender": "M"})
    with pytest.raises(LlmBadAnswer, match="gender"):
        chat_json(config, instruction="x", text="y", schema=BASIC_INFO_SCHEMA)


def test_key_points_come_from_the_llm_and_figures_stay_computed(server, config, en):
    server.answer({"key_points": ["Guaranteed cash value from year 2", "Premiums for 10 years"]})
    points, source = LlmExtractor(config, LogRecorder()).key_points(en, {}, {"break_even_year": 5})
    assert (points, source) == (["Guaranteed cash value from year 2", "Premiums for 10 years"], "llm")
    assert '"break_even_year": 5' in server.requests[0]["body"]["messages"][-1]["content"]


def test_without_configuration_the_rules_run_alone(settings):
    assert isinstance(extractor_for(LogRecorder()), RuleExtractor)


def test_llm_rows_get_the_same_column_names_and_cross_checks(server, config, en):
    server.answer({"rows": [
        {"policy_year": 1, "age": 41, "total_premiums_paid": 25000, "guaranteed_cash_value": 0,
         "non_guaranteed_reversionary_bonus": 0, "non_guaranteed_terminal_bonus": 0, "total_surrender_value": 0,
         "death_benefit": 250000},
        {"policy_year": 2, "age": 42, "total_premiums_paid": 50000, "guaranteed_cash_value": 20000,
         "non_guaranteed_reversionary_bonus": 1000, "non_guaranteed_terminal_bonus": 500,
         "total_surrender_value": 25000, "death_benefit": 250000},          # 21,500 is not 25,000
    ]})
    table, source = LlmExtractor(config, LogRecorder()).table(en, {"annual_premium": 25000,
                                                                   "payment_term_years": 10})
    assert source == "llm"
    assert table["columns"] == ["policy_year", "age", "total_premiums_paid", "guaranteed_cash_value",
                                "non_guaranteed_reversionary_bonus", "non_guaranteed_terminal_bonus",
                                "total_surrender_value", "death_benefit"]
    assert table["rows"][1]["non_guaranteed_bonus"] == 1500  # the old field: the bonuses together
    assert [(w["policy_year"], w["check"]) for w in table["warnings"]] == [(2, "values_add_up")]
    assert table["verification"]["verified"] == 1 and table["verification"]["flagged"] == 1
    assert "never by its position" in server.requests[0]["body"]["messages"][-1]["content"]
