"""The command line speaks the terminal's language, with no Django set-up (issue 17)."""
from __future__ import annotations

import pytest

from project import terminal_language as tl


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    for name in ("JOBCAST_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    tl.terminal_translation.cache_clear()
    yield
    tl.terminal_translation.cache_clear()


@pytest.mark.parametrize(("env", "language"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh-hans"), ({"LC_ALL": "zh_SG.UTF-8"}, "zh-hans"), ({"LANGUAGE": "zh:en"}, "zh-hans"),
    ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"), ({"JOBCAST_LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),
])
def test_the_language_comes_from_the_environment(monkeypatch, env, language):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert tl.terminal_language() == language


def test_a_chinese_terminal_reads_the_outcome_in_chinese(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    _ = tl.terminal_translation("apps/ops").gettext
    assert _("✔ job %(id)s succeeded") % {"id": "abc"} == "✔ 任务 abc 成功"
    assert tl.terminal_translation("apps/ops").gettext("job %(id)s (%(kind)s) %(status)s on queue %(queue)s") \
        .startswith("任务 %(id)s")


def test_an_english_terminal_reads_the_source(monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert tl.terminal_translation("apps/ops").gettext("✔ job %(id)s succeeded") == "✔ job %(id)s succeeded"
