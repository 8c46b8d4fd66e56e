"""Scripts: title, characters, and scenes with narration and a visual description.

Two generators: `builtin` (no network; varied but deterministic for a given prompt and seed)
and `openai` (any OpenAI-compatible chat-completions endpoint, configured in MEDIA_OPENAI_* settings). Both hand
their text to `write` as it is produced: the builtin one line by line (the readable script of
`script_text`), the provider its streamed answer chunk by chunk.
"""
from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from typing import Any

import httpx
from django.conf import settings

from apps.jobs.messages import event_message
from apps.media.progress import Report, silent

TONES = ("neutral", "cheerful", "dramatic", "mysterious", "educational", "humorous")
LENGTHS = {"short": 1, "medium": 2, "long": 4}  # narration sentences per scene
WORDS_PER_SECOND = 2.5  # a calm narration pace, used to estimate scene durations


Write = Callable[[str], None]  # receives the script's text as it is written


def unwritten(text: str) -> None:
    """The default `write`: nobody reads along."""


class ScriptProviderError(RuntimeError):
    """The configured script provider answered with something that is not a usable script."""


def script_generate(*, topic: str, tone: str = "neutral", length: str = "medium", scenes: int = 5,
                    characters: int = 2, seed: int | None = None, provider: str = "builtin",
                    report: Report = silent, write: Write = unwritten) -> dict[str, Any]:
    """Write a script for `topic`; `report` gets one call per scene written, `write` the text as it comes."""
    if provider == "openai":
        return _openai_script(topic=topic, tone=tone, length=length, scenes=scenes, characters=characters,
                              report=report, write=write)
    return _builtin_script(topic=topic, tone=tone, length=length, scenes=scenes, characters=characters,
                           seed=seed, report=report, write=write)


# --- builtin --------------------------------------------------------------------------------

_FIRST_NAMES = ("Ada", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
                "Kemi", "Luca", "Mira", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tove",
                "Uma", "Viktor", "Wen", "Yara", "Zeno")
_ROLES = ("the curious student", "the retired engineer", "the night-shift nurse", "the street musician",
          "the stubborn inventor", "the young cartographer", "the museum guard", "the baker",
          "the data analyst", "the lighthouse keeper", "the travelling reporter", "the beekeeper")
_LOOKS = ("wears a faded green raincoat", "has silver-rimmed glasses and ink-stained fingers",
          "carries a battered leather satchel", "has short red hair and a quick smile",
          "wears a striped scarf knitted by a grandmother", "has a calm voice and a weathered face",
          "always has a pencil behind one ear", "wears bright yellow boots",
          "has a notebook full of sketches", "wears a wide-brimmed hat against the weather",
          "wears a patched denim jacket", "has a long braid tied with a blue ribbon")
# The largest cast the builtin generator can name without repeating itself.
MAX_BUILTIN_CAST = min(len(_FIRST_NAMES), len(_ROLES), 12)
_SETTINGS = ("a crowded morning market", "a quiet library reading room", "a windswept harbour",
             "a rooftop garden above the city", "a workshop full of half-built machines",
             "a night train crossing the plains", "a small kitchen lit by one lamp",
             "a museum hall after closing time", "a forest path after rain", "a busy school courtyard",
             "a lighthouse stairwell", "a bus stop in the snow")
_TIMES = ("at dawn", "late in the afternoon", "just after midnight", "on a grey morning",
          "under a clear evening sky", "during a summer storm")
_BEATS = ("opening", "discovery", "complication", "turning point", "resolution")
_TONE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "neutral": {"adj": ("steady", "ordinary", "clear", "patient"), "verb": ("notices", "considers", "explains"),
                "mood": ("calm", "even")},
    "cheerful": {"adj": ("bright", "sunny", "playful", "warm"), "verb": ("beams at", "celebrates", "dances around"),
                 "mood": ("joyful", "light-hearted")},
    "dramatic": {"adj": ("fierce", "fragile", "urgent", "heavy"), "verb": ("confronts", "risks everything for",
                                                                          "fights for"),
                 "mood": ("tense", "high-stakes")},
    "mysterious": {"adj": ("hidden", "strange", "half-forgotten", "shadowed"),
                   "verb": ("follows the trail of", "whispers about", "uncovers"), "mood": ("eerie", "uncertain")},
    "educational": {"adj": ("surprising", "measurable", "fundamental", "practical"),
                    "verb": ("demonstrates", "tests", "measures"), "mood": ("clear", "inquisitive")},
    "humorous": {"adj": ("ridiculous", "wobbly", "overconfident", "suspiciously shiny"),
                 "verb": ("trips over", "argues with", "accidentally invents"), "mood": ("absurd", "playful")},
}
_BEAT_SENTENCES: dict[str, tuple[str, ...]] = {
    "opening": ("{a} arrives in {setting} {time}, thinking about {topic}.",
                "Everything about {topic} seems {adj} to {a} at first.",
                "{a} {verb} {topic} while {b} watches from a distance."),
    "discovery": ("{a} finds a {adj} clue about {topic} that nobody expected.",
                  "{b} shows {a} something {adj}: {topic} works differently than they thought.",
                  "A {adj} detail changes how {a} sees {topic}."),
    "complication": ("Then the plan falls apart, and {b} {verb} the problem.",
                     "{a} and {b} disagree about what {topic} really means.",
                     "The {adj} truth about {topic} makes things harder for {a}."),
    "turning point": ("{b} makes a choice that turns everything around.",
                      "{a} finally {verb} the heart of {topic}.",
                      "Together, {a} and {b} try something {adj}."),
    "resolution": ("In the end, {a} understands {topic} a little better.",
                   "{b} smiles: {topic} was {adj} after all.",
                   "{a} leaves {setting}, carrying a new idea about {topic}."),
}
_FILLERS = ("The {mood} air makes every sound feel closer.", "Nobody says a word for a long moment.",
            "Somewhere nearby, a clock keeps ticking.", "{b} writes it all down, just in case.",
            "It is the kind of moment {a} will remember.", "The light shifts, {adj} and slow.")


def _rng(*parts: Any) -> random.Random:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _builtin_script(*, topic: str, tone: str, length: str, scenes: int, characters: int, seed: int | None,
                    report: Report, write: Write = unwritten) -> dict[str, Any]:
    rng = _rng(topic, tone, length, scenes, characters, seed)
    words = _TONE_WORDS[tone]
    cast = [{"name": name, "role": role, "description": f"{name}, {role}, {look}."}
            for name, role, look in zip(rng.sample(_FIRST_NAMES, characters), rng.sample(_ROLES, characters),
                                        rng.sample(_LOOKS, characters), strict=True)]
    title = rng.choice(("The {adj} Side of {T}", "{T}, Told in {mood} Tones", "Notes on {T}",
                        "{a} and the {adj} {T}")).format(adj=rng.choice(words["adj"]).title(), T=topic.title(),
                                                         mood=rng.choice(words["mood"]).title(),
                                                         a=cast[0]["name"])
    logline = f"{cast[0]['name']} sets out to understand {topic}, and nothing goes as planned."
    for line in script_header_lines(title, logline, cast):
        write(line + "\n")
    out_scenes = []
    for i in range(scenes):
        beat = _BEATS[min(len(_BEATS) - 1, i * len(_BEATS) // scenes)]
        a, b = (cast[i % len(cast)], cast[(i + 1) % len(cast)])
        setting, time = rng.choice(_SETTINGS), rng.choice(_TIMES)
        fill = {"a": a["name"], "b": b["name"], "topic": topic, "setting": setting, "time": time,
                "adj": rng.choice(words["adj"]), "verb": rng.choice(words["verb"]), "mood": rng.choice(words["mood"])}
        sentences = [rng.choice(_BEAT_SENTENCES[beat]).format(**fill)]
        for _ in range(50):  # bounded: a tiny pool must not loop for ever
            if len(sentences) >= LENGTHS[length]:
                break
            fill["adj"] = rng.choice(words["adj"])
            pool = _FILLERS if rng.random() < 0.5 else _BEAT_SENTENCES[beat]
            candidate = rng.choice(pool).format(**fill)
            if candidate not in sentences:
                sentences.append(candidate)
        narration = " ".join(s[0].upper() + s[1:] for s in sentences)
        in_scene = [a["name"]] if len(cast) == 1 else [a["name"], b["name"]]
        out_scenes.append({
            "number": i + 1,
            "title": f"{beat.title()}: {setting.split(' ', 1)[1].title()}",
            "setting": f"{setting} {time}",
            "narration": narration,
            "visual": f"{' and '.join(in_scene)} in {setting} {time}; {rng.choice(words['mood'])} mood, "
                      f"{rng.choice(words['adj'])} light.",
            "characters": in_scene,
            "duration_s": estimate_duration(narration),
        })
        for line in scene_lines(out_scenes[-1]):
            write(line + "\n")
        report(i + 1, scenes, event_message("scene %(i)s of %(n)s", i=i + 1, n=scenes))
    return {"title": title, "topic": topic, "tone": tone, "length": length, "generator": "builtin",
            "logline": logline, "characters": cast, "scenes": out_scenes}


def script_header_lines(title: str, logline: str, cast: list[dict[str, Any]]) -> list[str]:
    """The readable script's opening: title, logline, characters."""
    return [title, "=" * len(title), "", logline, "", "Characters:",
            *(f"  - {c['name']}: {c['description']}" for c in cast)]


def scene_lines(scene: dict[str, Any]) -> list[str]:
    """One scene of the readable script, after a blank line."""
    return ["", f"Scene {scene['number']}: {scene['title']}", f"  Setting: {scene['setting']}",
            f"  Visual:  {scene['visual']}", f"  Narration: {scene['narration']}"]


def estimate_duration(text: str) -> float:
    return round(max(1.5, len(text.split()) / WORDS_PER_SECOND), 2)


# --- openai-compatible ----------------------------------------------------------------------

def openai_configured() -> bool:
    return bool(settings.MEDIA_OPENAI_BASE_URL)


def _openai_script(*, topic: str, tone: str, length: str, scenes: int, characters: int,
                   report: Report, write: Write = unwritten) -> dict[str, Any]:
    prompt = (
        f"Write a {tone} video script about: {topic}.\n"
        f"Exactly {scenes} scenes and {characters} characters; {LENGTHS[length]} narration sentence(s) per scene.\n"
        'Answer with JSON only: {"title": str, "logline": str, "characters": [{"name": str, "role": str, '
        '"description": str}], "scenes": [{"title": str, "setting": str, "narration": str, "visual": str, '
        '"characters": [names]}]}'
    )
    headers = {"Authorization": f"Bearer {settings.MEDIA_OPENAI_API_KEY}"} if settings.MEDIA_OPENAI_API_KEY else {}
    report(0, scenes, event_message("asking the script provider"))
    with httpx.stream(
        "POST", settings.MEDIA_OPENAI_BASE_URL.rstrip("/") + "/chat/completions",
        headers=headers, timeout=settings.MEDIA_OPENAI_TIMEOUT_S,
        json={"model": settings.MEDIA_OPENAI_MODEL, "response_format": {"type": "json_object"}, "stream": True,
              "messages": [{"role": "system", "content": "You write short structured video scripts."},
                           {"role": "user", "content": prompt}]},
    ) as response:
        if response.status_code != 200:
            response.read()
        if response.status_code >= 500:
            response.raise_for_status()  # HTTPStatusError: a server-side hiccup, worth a retry
        if response.status_code != 200:
            raise ScriptProviderError(f"script provider answered HTTP {response.status_code}: {response.text[:300]}")
        content = _provider_content(response, write)
    try:
        data = json.loads(content)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ScriptProviderError(f"script provider answered something that is not a JSON script: {exc}") from None
    script = script_normalize(data, topic=topic, tone=tone, length=length,
                              generator=f"openai:{settings.MEDIA_OPENAI_MODEL}")
    report(scenes, scenes, event_message("%(n)s scenes received", n=len(script["scenes"])))
    return script


def _provider_content(response: httpx.Response, write: Write) -> str:
    """The answer's text: streamed chunks (text/event-stream) as they arrive, or one JSON reply."""
    if not response.headers.get("content-type", "").startswith("text/event-stream"):
        try:
            content = json.loads(response.read())["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ScriptProviderError(f"script provider answered something that is not a JSON script: {exc}") from None
        write(str(content))
        return str(content)
    chunks: list[str] = []
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue
        payload = line.removeprefix("data:").strip()
        if payload == "[DONE]":
            break
        try:
            piece = json.loads(payload)["choices"][0].get("delta", {}).get("content") or ""
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise ScriptProviderError(f"script provider streamed a chunk that is not a completion: {exc}") from None
        if piece:
            chunks.append(piece)
            write(piece)
    return "".join(chunks)


def script_normalize(data: Any, *, topic: str, tone: str, length: str, generator: str) -> dict[str, Any]:
    """Check a provider's script against our shape and fill in numbers and durations."""
    if not isinstance(data, dict) or not isinstance(data.get("scenes"), list) or not data["scenes"]:
        raise ScriptProviderError("script provider's answer has no scenes")
    cast = []
    for c in data.get("characters") or []:
        if isinstance(c, dict) and str(c.get("name", "")).strip():
            cast.append({"name": str(c["name"]).strip()[:60], "role": str(c.get("role", ""))[:100],
                         "description": str(c.get("description", ""))[:500]})
    scenes = []
    for i, s in enumerate(data["scenes"]):
        if not isinstance(s, dict) or not str(s.get("narration", "")).strip():
            raise ScriptProviderError(f"scene {i + 1} of the provider's script has no narration")
        narration = str(s["narration"]).strip()
        scenes.append({"number": i + 1, "title": str(s.get("title") or f"Scene {i + 1}")[:200],
                       "setting": str(s.get("setting", ""))[:300], "narration": narration,
                       "visual": str(s.get("visual", ""))[:500],
                       "characters": [str(n) for n in s.get("characters") or [] if isinstance(n, str)],
                       "duration_s": estimate_duration(narration)})
    return {"title": str(data.get("title") or topic.title())[:200], "topic": topic, "tone": tone, "length": length,
            "generator": generator, "logline": str(data.get("logline", ""))[:500], "characters": cast,
            "scenes": scenes}
