"""The numbers behind every verdict: exposure, colour, sharpness, noise and composition.

Plain numpy functions over float arrays on the 0-255 scale (`rgb` is H x W x 3, `luma` is
H x W). Each returns the figures it measured next to the verdict they support.
"""
from __future__ import annotations

import colorsys
import math
from typing import Any

import numpy as np
from PIL import Image

# Rec. 709 luma weights (sRGB primaries).
LUMA_WEIGHTS = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
MIDDLE_GREY_LINEAR = 0.18
SHADOW_CLIP, HIGHLIGHT_CLIP = 4.0, 251.0


def luma(rgb: np.ndarray) -> np.ndarray:
    """Per-pixel brightness as the eye weighs the channels."""
    return rgb @ LUMA_WEIGHTS


def srgb_to_linear(value: np.ndarray | float) -> np.ndarray | float:
    """Undo the sRGB curve (0-1 in, 0-1 out): stops are ratios of linear light."""
    v = np.asarray(value, dtype=np.float64)
    out = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
    return float(out) if out.ndim == 0 else out


# --- exposure and tone ----------------------------------------------------------------------

def histogram_stats(rgb: np.ndarray, y: np.ndarray, bins: int = 16) -> dict[str, Any]:
    """Luminance statistics, a coarse histogram (shares) and the mean of each channel."""
    p1, p5, p50, p95, p99 = np.percentile(y, [1, 5, 50, 95, 99])
    counts, _ = np.histogram(y, bins=bins, range=(0, 256))
    channels = rgb.reshape(-1, 3).mean(axis=0)
    return {
        "luminance": {"mean": _r(y.mean()), "median": _r(p50), "std": _r(y.std()),
                      "p1": _r(p1), "p5": _r(p5), "p95": _r(p95), "p99": _r(p99)},
        "bins": [_r(c / y.size, 4) for c in counts],
        "channel_means": {"r": _r(channels[0]), "g": _r(channels[1]), "b": _r(channels[2])},
    }


def measure_exposure(y: np.ndarray, rgb: np.ndarray) -> dict[str, Any]:
    """How far the median tone sits from middle grey, in stops, and how much is clipped.

    An image cannot be underexposed by more than its headroom (how far its brightest channel,
    at the 99th percentile, is from clipping): a pure red is dark by luma yet fully exposed.
    """
    median = float(np.median(y))
    linear = max(srgb_to_linear(max(median, 0.5) / 255.0), 1e-6)
    offset = math.log2(linear / MIDDLE_GREY_LINEAR)
    brightest = float(np.percentile(rgb.max(axis=-1), 99))
    headroom = math.log2(1.0 / max(srgb_to_linear(max(brightest, 0.5) / 255.0), 1e-6))
    effective = max(offset, -headroom) if offset < 0 else offset
    if effective <= -1.0:
        verdict = "underexposed"
    elif effective <= -0.5:
        verdict = "slightly_underexposed"
    elif effective >= 1.0:
        verdict = "overexposed"
    elif effective >= 0.5:
        verdict = "slightly_overexposed"
    else:
        verdict = "balanced"
    return {
        "verdict": verdict,
        "offset_stops": _r(offset),
        "headroom_stops": _r(headroom),
        "correction_stops": _r(-effective),
        "median_luminance": _r(median),
        "clipped_shadows": _r(float(np.mean(y <= SHADOW_CLIP)), 4),
        "clipped_highlights": _r(float(np.mean(y >= HIGHLIGHT_CLIP)), 4),
    }


def measure_contrast(y: np.ndarray) -> dict[str, Any]:
    """RMS contrast (standard deviation of luminance on a 0-1 scale) and the tonal range used."""
    rms = float(y.std() / 255.0)
    p1, p99 = np.percentile(y, [1, 99])
    verdict = "low" if rms < 0.10 else "high" if rms > 0.30 else "normal"
    return {"verdict": verdict, "rms": _r(rms, 4), "tonal_range": _r((p99 - p1) / 255.0, 4)}


# --- colour ---------------------------------------------------------------------------------

def _saturation_value(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    high = rgb.max(axis=-1)
    low = rgb.min(axis=-1)
    sat = np.where(high > 0, (high - low) / np.maximum(high, 1e-6), 0.0)
    return sat, high / 255.0


def measure_saturation(rgb: np.ndarray) -> dict[str, Any]:
    """Mean HSV saturation and the share of strongly saturated pixels."""
    sat, _ = _saturation_value(rgb)
    mean = float(sat.mean())
    if mean < 0.05:
        verdict = "monochrome"
    elif mean < 0.15:
        verdict = "muted"
    elif mean > 0.5:
        verdict = "very_saturated"
    else:
        verdict = "natural"
    return {"verdict": verdict, "mean": _r(mean, 4), "highly_saturated_share": _r(float(np.mean(sat > 0.8)), 4)}


def measure_colour_cast(rgb: np.ndarray) -> dict[str, Any]:
    """The tint of near-neutral pixels (what should be grey): a white-balance error shows there.

    A scene with too few near-neutral pixels (a red wall) gives no honest answer: `undetermined`.
    """
    sat, value = _saturation_value(rgb)
    neutral = (sat < 0.3) & (value > 0.1) & (value < 0.95)
    share = float(neutral.mean())
    if share < 0.05:
        return {"verdict": "undetermined", "hue": None, "strength": None, "neutral_share": _r(share, 4),
                "neutral_mean_rgb": None}
    mean_rgb = rgb[neutral].mean(axis=0)
    strength = float((mean_rgb.max() - mean_rgb.min()) / max(mean_rgb.mean(), 1e-6))
    hue, _, _ = colorsys.rgb_to_hsv(*(mean_rgb / 255.0))
    verdict = "neutral" if strength < 0.04 else "slight" if strength < 0.10 else "strong"
    return {
        "verdict": verdict,
        "hue": None if verdict == "neutral" else hue_name(hue * 360),
        "strength": _r(strength, 4),
        "neutral_share": _r(share, 4),
        "neutral_mean_rgb": [_r(c, 1) for c in mean_rgb],
    }


def dominant_colours(image: Image.Image, count: int = 6) -> list[dict[str, Any]]:
    """A palette of the main colours with the share of the image each covers (median cut)."""
    small = image.copy()
    small.thumbnail((128, 128))
    quantized = small.quantize(colors=count + 2, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    total = small.width * small.height
    merged: list[list[Any]] = []  # [rgb array, pixel count]
    for pixels, index in sorted(quantized.getcolors() or [], reverse=True):
        rgb = np.array(palette[index * 3:index * 3 + 3], dtype=np.float64)
        for entry in merged:
            if np.linalg.norm(entry[0] - rgb) < 24:  # near-identical shades count as one colour
                entry[0] = (entry[0] * entry[1] + rgb * pixels) / (entry[1] + pixels)
                entry[1] += pixels
                break
        else:
            merged.append([rgb, pixels])
    merged.sort(key=lambda entry: -entry[1])
    colours = []
    for rgb, pixels in merged[:count]:
        share = pixels / total
        if share < 0.01:
            continue
        r, g, b = (int(round(c)) for c in rgb)
        colours.append({"hex": f"#{r:02x}{g:02x}{b:02x}", "rgb": [r, g, b], "share": _r(share, 4),
                        "name": colour_name(r, g, b)})
    return colours


def hue_name(degrees: float) -> str:
    """The everyday name of a hue angle."""
    degrees %= 360
    for limit, name in ((15, "red"), (45, "orange"), (70, "yellow"), (160, "green"), (200, "cyan"),
                        (260, "blue"), (290, "purple"), (345, "magenta")):
        if degrees < limit:
            return name
    return "red"


def colour_name(r: int, g: int, b: int) -> str:
    """A plain name for a palette entry (greys by lightness, colours by hue)."""
    h, s, v = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    if v < 0.15:
        return "black"
    if s < 0.15:
        return "white" if v > 0.9 else "grey"
    name = hue_name(h * 360)
    if name in ("orange", "red") and v < 0.6 and s < 0.8:
        return "brown"
    return name


# --- sharpness and noise --------------------------------------------------------------------

def measure_sharpness(y: np.ndarray) -> dict[str, Any]:
    """Variance of the Laplacian (focus), plus the gradient structure that betrays motion blur.

    Motion blur smears detail along one direction, so gradients across it survive and
    gradients along it vanish: the structure tensor's eigenvalue ratio measures that.
    """
    if min(y.shape) < 3:
        return {"verdict": "undetermined", "laplacian_variance": None, "gradient_anisotropy": None,
                "motion_blur_likely": False, "motion_direction_deg": None}
    lap = (y[:-2, 1:-1] + y[2:, 1:-1] + y[1:-1, :-2] + y[1:-1, 2:] - 4 * y[1:-1, 1:-1])
    variance = float(lap.var())
    gx = (y[1:-1, 2:] - y[1:-1, :-2]) / 2
    gy = (y[2:, 1:-1] - y[:-2, 1:-1]) / 2
    mean_gradient = float(np.mean(np.abs(gx)) + np.mean(np.abs(gy)))
    if mean_gradient < 0.5:
        verdict = "no_detail"  # a flat field or a smooth gradient: nothing to be sharp or blurred
    else:
        verdict = "blurry" if variance < 60 else "slightly_soft" if variance < 150 else "sharp"
    jxx, jyy, jxy = float(np.mean(gx * gx)), float(np.mean(gy * gy)), float(np.mean(gx * gy))
    trace, det = jxx + jyy, jxx * jyy - jxy * jxy
    root = math.sqrt(max(trace * trace / 4 - det, 0.0))
    big, small = trace / 2 + root, trace / 2 - root
    anisotropy = big / small if small > 1e-9 else (float("inf") if big > 1e-9 else 1.0)
    # The strongest gradients point across the smear; the blur runs perpendicular to them.
    gradient_angle = 0.5 * math.degrees(math.atan2(2 * jxy, jxx - jyy))
    blur_angle = (gradient_angle + 180) % 180 - 90  # -90..90, 0 = horizontal
    motion = verdict in ("blurry", "slightly_soft") and anisotropy >= 2.5
    return {
        "verdict": verdict,
        "laplacian_variance": _r(variance),
        "mean_gradient": _r(mean_gradient, 3),
        "gradient_anisotropy": _r(min(anisotropy, 1e6)),
        "motion_blur_likely": motion,
        "motion_direction_deg": _r(blur_angle, 1) if motion else None,
    }


def estimate_noise(y: np.ndarray) -> dict[str, Any]:
    """Noise standard deviation, robust to edges (median of a second-difference filter).

    Immerkær's kernel cancels smooth gradients; the median absolute response over 0.6745 is
    the Gaussian sigma, and edges (a minority of pixels) barely move a median.
    """
    if min(y.shape) < 3:
        return {"verdict": "undetermined", "sigma": None}
    response = (y[:-2, :-2] - 2 * y[:-2, 1:-1] + y[:-2, 2:]
                - 2 * y[1:-1, :-2] + 4 * y[1:-1, 1:-1] - 2 * y[1:-1, 2:]
                + y[2:, :-2] - 2 * y[2:, 1:-1] + y[2:, 2:])
    sigma = float(np.median(np.abs(response)) / (0.6745 * 6.0))
    verdict = "low" if sigma < 2 else "moderate" if sigma < 5 else "high"
    return {"verdict": verdict, "sigma": _r(sigma)}


# --- composition ----------------------------------------------------------------------------

_NAMED_RATIOS = {"1:1": 1.0, "5:4": 1.25, "4:3": 4 / 3, "3:2": 1.5, "16:10": 1.6, "16:9": 16 / 9,
                 "2:1": 2.0, "21:9": 21 / 9}
_THIRDS = [(x, y) for x in (1 / 3, 2 / 3) for y in (1 / 3, 2 / 3)]


def aspect(width: int, height: int) -> dict[str, Any]:
    """Aspect ratio as a number and by its common name (3:2, 16:9, …) when it is one."""
    ratio = width / height
    long_ratio = max(ratio, 1 / ratio)
    name = None
    for label, value in _NAMED_RATIOS.items():
        if abs(long_ratio - value) / value < 0.02:
            a, b = label.split(":")
            name = label if ratio >= 1 else f"{b}:{a}"
            break
    if name is None:
        divisor = math.gcd(width, height)
        name = f"{width // divisor}:{height // divisor}"
    orientation = "square" if abs(ratio - 1) < 0.02 else "landscape" if ratio > 1 else "portrait"
    return {"aspect_ratio": _r(ratio, 4), "aspect_name": name, "orientation": orientation}


def assess_composition(y: np.ndarray) -> dict[str, Any]:
    """Where the detail sits: its centroid against the rule-of-thirds points and the centre.

    Detail is gradient energy, a stand-in for the subject that works for most photographs
    and says nothing about meaning; the figures are reported so the verdict can be checked.
    """
    h, w = y.shape
    if min(h, w) < 3:
        return {"verdict": "undetermined", "detail_centroid": None}
    gx = np.abs(y[1:-1, 2:] - y[1:-1, :-2])
    gy = np.abs(y[2:, 1:-1] - y[:-2, 1:-1])
    energy = gx + gy
    total = float(energy.sum())
    if total < 1e-6 * energy.size or float(energy.mean()) < 0.5:
        return {"verdict": "no_detail", "detail_centroid": None, "detail_spread": None,
                "distance_to_thirds": None, "distance_to_centre": None, "balance": None}
    ys = (np.arange(energy.shape[0]) + 1.5) / h
    xs = (np.arange(energy.shape[1]) + 1.5) / w
    col = energy.sum(axis=0) / total
    row = energy.sum(axis=1) / total
    cx, cy = float(col @ xs), float(row @ ys)
    spread = math.sqrt(float(col @ (xs - cx) ** 2) + float(row @ (ys - cy) ** 2))
    to_thirds = min(math.dist((cx, cy), point) for point in _THIRDS)
    to_centre = math.dist((cx, cy), (0.5, 0.5))
    left = float(col[xs < 0.5].sum())
    top = float(row[ys < 0.5].sum())
    if spread > 0.3:
        verdict = "evenly_spread"
    elif to_thirds < 0.08:
        verdict = "on_thirds"
    elif to_centre < 0.08:
        verdict = "centred"
    else:
        verdict = "off_centre"
    return {
        "verdict": verdict,
        "detail_centroid": {"x": _r(cx, 3), "y": _r(cy, 3)},
        "detail_spread": _r(spread, 3),
        "distance_to_thirds": _r(to_thirds, 3),
        "distance_to_centre": _r(to_centre, 3),
        "balance": {"left": _r(left, 3), "right": _r(1 - left, 3), "top": _r(top, 3), "bottom": _r(1 - top, 3)},
    }


def _r(value: float, digits: int = 2) -> float:
    return round(float(value), digits)
