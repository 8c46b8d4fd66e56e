"""Procedural pictures drawn with Pillow: character portraits, scene backdrops, title cards.

Everything is derived from a hash of the text it illustrates, so the same character always
looks the same and two characters look different, with no model and no network.
"""
from __future__ import annotations

import colorsys
import hashlib
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

RGB = tuple[int, int, int]


def _rng(*parts: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big"))


def _hsv(h: float, s: float, v: float) -> RGB:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


@lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled scalable font: no system fonts needed."""
    return ImageFont.load_default(size=max(6, size))


def text_wrap(draw: ImageDraw.ImageDraw, text: str, fnt, max_width: int) -> list[str]:
    """Greedy word wrap to `max_width` pixels."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=fnt) <= max_width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _gradient(width: int, height: int, top: RGB, bottom: RGB) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel((0, y), tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3)))
    return column.resize((width, height))


def _figure(draw: ImageDraw.ImageDraw, rng: random.Random, cx: float, top: float, size: float,
            description: str) -> None:
    """A head-and-shoulders figure whose colours and features come from `rng`."""
    skin = _hsv(0.05 + rng.random() * 0.05, 0.25 + rng.random() * 0.45, 0.35 + rng.random() * 0.6)
    hair = _hsv(rng.random() * 0.12, 0.3 + rng.random() * 0.6, 0.1 + rng.random() * 0.7)
    shirt = _hsv(rng.random(), 0.4 + rng.random() * 0.5, 0.4 + rng.random() * 0.5)
    head_w, head_h = size * (0.36 + rng.random() * 0.08), size * (0.44 + rng.random() * 0.08)
    head_top = top + size * 0.12
    # shoulders
    draw.ellipse((cx - size * 0.48, top + size * 0.68, cx + size * 0.48, top + size * 1.4), fill=shirt)
    draw.rectangle((cx - size * 0.08, head_top + head_h * 0.85, cx + size * 0.08, top + size * 0.78), fill=skin)
    # hair behind the head, by style
    style = rng.randrange(4)
    if style == 1:  # long
        draw.rounded_rectangle((cx - head_w * 0.62, head_top - size * 0.03, cx + head_w * 0.62,
                                head_top + head_h * 1.15), radius=size * 0.15, fill=hair)
    draw.ellipse((cx - head_w / 2, head_top, cx + head_w / 2, head_top + head_h), fill=skin)
    if style in (0, 1):  # fringe
        draw.chord((cx - head_w * 0.55, head_top - size * 0.04, cx + head_w * 0.55, head_top + head_h * 0.6),
                   180, 360, fill=hair)
    elif style == 2:  # curls
        for i in range(7):
            x = cx - head_w * 0.5 + i * head_w / 6
            draw.ellipse((x - size * 0.06, head_top - size * 0.05, x + size * 0.06, head_top + size * 0.07),
                         fill=hair)
    # style 3: bald
    eye_y, eye_dx, eye_r = head_top + head_h * 0.45, head_w * 0.2, max(1.0, size * 0.025)
    for side in (-1, 1):
        draw.ellipse((cx + side * eye_dx - eye_r, eye_y - eye_r, cx + side * eye_dx + eye_r, eye_y + eye_r),
                     fill=(30, 30, 40))
    if "glasses" in description.lower():
        for side in (-1, 1):
            r = eye_r * 3
            draw.ellipse((cx + side * eye_dx - r, eye_y - r, cx + side * eye_dx + r, eye_y + r),
                         outline=(200, 200, 210), width=max(1, int(size * 0.01)))
    mouth_y = head_top + head_h * 0.72
    draw.arc((cx - head_w * 0.18, mouth_y - size * 0.04, cx + head_w * 0.18, mouth_y + size * 0.04),
             10, 170, fill=(120, 40, 50), width=max(1, int(size * 0.012)))
    if "hat" in description.lower():
        hat = _hsv(rng.random(), 0.5, 0.35)
        draw.ellipse((cx - head_w * 0.9, head_top + size * 0.02, cx + head_w * 0.9, head_top + size * 0.1), fill=hat)
        draw.rectangle((cx - head_w * 0.45, head_top - size * 0.12, cx + head_w * 0.45, head_top + size * 0.06),
                       fill=hat)
    if "scarf" in description.lower():
        draw.rectangle((cx - size * 0.2, top + size * 0.72, cx + size * 0.2, top + size * 0.8),
                       fill=_hsv(rng.random(), 0.7, 0.8))


def portrait_render(*, name: str, description: str, width: int, height: int) -> Image.Image:
    """A captioned portrait; distinct per name and description."""
    rng = _rng("portrait", name, description)
    hue = rng.random()
    image = _gradient(width, height, _hsv(hue, 0.35, 0.95), _hsv(hue + 0.1, 0.6, 0.45))
    draw = ImageDraw.Draw(image)
    for _ in range(6):  # soft background shapes
        r = rng.uniform(0.05, 0.2) * min(width, height)
        x, y = rng.uniform(0, width), rng.uniform(0, height * 0.7)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_hsv(hue + rng.uniform(-0.1, 0.1), 0.25, 0.98))
    caption_h = max(12, int(height * 0.16))
    size = min(width * 0.9, (height - caption_h) * 0.95)
    _figure(draw, _rng("figure", name, description), width / 2, (height - caption_h) - size * 0.98, size,
            description)
    draw.rectangle((0, height - caption_h, width, height), fill=(20, 20, 28))
    fnt = font(int(caption_h * 0.55))
    label = name if draw.textlength(name, font=fnt) <= width - 4 else name[: max(1, len(name) // 2)] + "…"
    draw.text((width / 2, height - caption_h / 2), label, font=fnt, fill=(250, 250, 250), anchor="mm")
    return image


_SKY = {"night": (0.65, 0.6, 0.25), "midnight": (0.65, 0.6, 0.2), "dawn": (0.05, 0.4, 0.95),
        "evening": (0.75, 0.4, 0.6), "storm": (0.6, 0.2, 0.4), "snow": (0.58, 0.1, 0.9), "grey": (0.6, 0.05, 0.7)}


def scene_render(*, setting: str, visual: str, characters: list[dict], width: int, height: int) -> Image.Image:
    """A backdrop for a scene with its characters standing in it (no text: subtitles come later)."""
    rng = _rng("scene", setting, visual)
    words = f"{setting} {visual}".lower()
    sky_h, sky_s, sky_v = next((v for k, v in _SKY.items() if k in words), (0.55 + rng.uniform(-0.05, 0.05), 0.45, 0.95))
    image = _gradient(width, height, _hsv(sky_h, sky_s, sky_v), _hsv(sky_h + 0.05, sky_s * 0.6, sky_v * 0.8))
    draw = ImageDraw.Draw(image)
    ground_y = height * rng.uniform(0.62, 0.72)
    if any(k in words for k in ("harbour", "sea", "lighthouse")):
        draw.rectangle((0, ground_y, width, height), fill=_hsv(0.58, 0.7, 0.55))
    elif any(k in words for k in ("city", "rooftop", "market", "bus", "courtyard", "train")):
        x = 0.0
        while x < width:  # a skyline
            w = rng.uniform(0.06, 0.14) * width
            h = rng.uniform(0.15, 0.45) * height
            draw.rectangle((x, ground_y - h, x + w, ground_y), fill=_hsv(sky_h, 0.15, rng.uniform(0.25, 0.5)))
            x += w + 1
        draw.rectangle((0, ground_y, width, height), fill=(70, 70, 78))
    else:
        for i in range(3):  # hills
            hill = _hsv(0.28 + rng.uniform(-0.05, 0.05), 0.5, 0.35 + 0.12 * i)
            cx, r = rng.uniform(0, width), rng.uniform(0.4, 0.8) * width
            draw.ellipse((cx - r, ground_y - height * 0.15 + i * 6, cx + r, ground_y + r), fill=hill)
        draw.rectangle((0, ground_y + height * 0.05, width, height), fill=_hsv(0.3, 0.45, 0.3))
    if any(k in words for k in ("night", "midnight", "lamp")):
        for _ in range(20):
            x, y = rng.uniform(0, width), rng.uniform(0, ground_y * 0.6)
            draw.point((x, y), fill=(255, 255, 230))
    n = len(characters)
    for i, character in enumerate(characters):
        size = min(height * 0.5, width / max(2, n + 1))
        cx = width * (i + 1) / (n + 1)
        _figure(draw, _rng("figure", character.get("name", ""), character.get("description", "")),
                cx, ground_y - size * 0.75, size, character.get("description", ""))
    return image


def title_card_render(*, title: str, subtitle: str, width: int, height: int) -> Image.Image:
    """The opening card of a video: the script's title and logline on a dark gradient."""
    rng = _rng("title", title)
    hue = rng.random()
    image = _gradient(width, height, _hsv(hue, 0.5, 0.25), _hsv(hue + 0.1, 0.6, 0.08))
    draw = ImageDraw.Draw(image)
    big, small = font(max(8, height // 9)), font(max(6, height // 18))
    lines = text_wrap(draw, title, big, int(width * 0.9))
    line_h = max(8, height // 8)
    y = height / 2 - line_h * len(lines) / 2 - line_h * 0.3
    for line in lines:
        draw.text((width / 2, y), line, font=big, fill=(255, 255, 255), anchor="mm")
        y += line_h
    for line in text_wrap(draw, subtitle, small, int(width * 0.85))[:3]:
        draw.text((width / 2, y + line_h * 0.2), line, font=small, fill=(210, 210, 220), anchor="mm")
        y += max(6, height // 14)
    return image
