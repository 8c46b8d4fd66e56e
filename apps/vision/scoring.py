"""The overall quality score (0-100) and plain-language suggestions, from measured figures only."""
from __future__ import annotations

import math
from typing import Any

# How much each measured aspect weighs in the overall score.
WEIGHTS = {"exposure": 0.30, "sharpness": 0.35, "noise": 0.15, "contrast": 0.20}


def quality_score(measures: dict[str, Any]) -> dict[str, Any]:
    """A weighted mean of per-aspect scores, each 0-100 and derived from one measured number."""
    exposure, contrast = measures["exposure"], measures["contrast"]
    sharpness, noise = measures["sharpness"], measures["noise"]
    components: dict[str, float] = {}
    components["exposure"] = _clamp(
        100
        - 35 * max(0.0, abs(exposure["correction_stops"]) - 0.3)
        - 300 * max(0.0, exposure["clipped_highlights"] - 0.01)
        - 150 * max(0.0, exposure["clipped_shadows"] - 0.05))
    variance = sharpness["laplacian_variance"]
    # log scale: a variance of 10 is hopeless, 500 or more is crisp at screen size.
    if variance is None or sharpness["verdict"] == "no_detail":
        components["sharpness"] = 50.0  # nothing to judge: neither reward nor punish
    else:
        components["sharpness"] = _clamp(100 * math.log10(max(variance, 10) / 10) / math.log10(50))
    sigma = noise["sigma"]
    components["noise"] = _clamp(100 - 10 * max(0.0, sigma - 1.5)) if sigma is not None else 50.0
    rms = contrast["rms"]
    if rms < 0.15:
        components["contrast"] = _clamp(100 * rms / 0.15)
    elif rms > 0.30:
        components["contrast"] = _clamp(100 - 500 * (rms - 0.30))
    else:
        components["contrast"] = 100.0
    score = sum(WEIGHTS[name] * value for name, value in components.items())
    return {"score": int(round(score)), "components": {k: round(v, 1) for k, v in components.items()},
            "weights": WEIGHTS}


def suggestions(measures: dict[str, Any]) -> list[str]:
    """What a photographer would say, each line quoting the figure it rests on."""
    lines: list[str] = []
    exposure = measures["exposure"]
    correction = exposure["correction_stops"]
    if exposure["verdict"] in ("underexposed", "slightly_underexposed"):
        lines.append(f"Underexposed by about {stops_in_words(correction)} (median tone "
                     f"{exposure['median_luminance']:g}/255): brighten it or give it a longer exposure.")
    elif exposure["verdict"] in ("overexposed", "slightly_overexposed"):
        lines.append(f"Overexposed by about {stops_in_words(correction)} (median tone "
                     f"{exposure['median_luminance']:g}/255): darken it or shorten the exposure.")
    if exposure["clipped_highlights"] > 0.02:
        lines.append(f"{_pct(exposure['clipped_highlights'])} of the image is blown-out highlights with no "
                     "detail left: expose for the highlights.")
    if exposure["clipped_shadows"] > 0.10:
        lines.append(f"{_pct(exposure['clipped_shadows'])} of the image is crushed to black: lift the shadows "
                     "or expose brighter.")
    contrast = measures["contrast"]
    if contrast["verdict"] == "low":
        lines.append(f"Low contrast (RMS {contrast['rms']:g}): the image looks flat; add contrast with a curve.")
    elif contrast["verdict"] == "high":
        lines.append(f"Very high contrast (RMS {contrast['rms']:g}): consider recovering shadows and highlights.")
    cast = measures["colour_cast"]
    if cast["verdict"] == "strong":
        lines.append(f"A {cast['hue']} colour cast (strength {cast['strength']:g}) in what should be neutral "
                     "tones: correct the white balance.")
    sharpness = measures["sharpness"]
    exif = measures.get("exif") or {}
    if sharpness["motion_blur_likely"]:
        shutter = f" (shot at {exif['exposure_time']})" if exif.get("exposure_time") else ""
        lines.append(f"Motion blur likely: detail is smeared along {sharpness['motion_direction_deg']:g}° "
                     f"(gradient anisotropy {sharpness['gradient_anisotropy']:g}){shutter}; use a faster "
                     "shutter speed or steady the camera.")
    elif sharpness["verdict"] == "blurry":
        lines.append(f"Out of focus or blurred (Laplacian variance {sharpness['laplacian_variance']:g}): "
                     "check the focus point.")
    elif sharpness["verdict"] == "slightly_soft":
        lines.append(f"Slightly soft (Laplacian variance {sharpness['laplacian_variance']:g}): "
                     "a little sharpening may help.")
    noise = measures["noise"]
    if noise["verdict"] == "high":
        iso = f" ISO {exif['iso']} was used;" if exif.get("iso") else ""
        lines.append(f"Visible noise (sigma about {noise['sigma']:g} levels):{iso} use a lower ISO or denoise.")
    composition = measures["composition"]
    if composition["verdict"] == "centred":
        lines.append("The main detail sits in the centre (distance to centre "
                     f"{composition['distance_to_centre']:g}); placing it on a third often reads as more dynamic.")
    if exif.get("gps_present"):
        lines.append("The file carries GPS location data: remove it before sharing the image publicly.")
    if not lines:
        lines.append("No problems found: exposure, focus, noise and contrast are all within normal ranges.")
    return lines


def stops_in_words(stops: float) -> str:
    """0.9 → "one stop", 1.6 → "one and a half stops" (to the nearest half stop)."""
    halves = max(1, round(abs(stops) * 2))
    whole, half = divmod(halves, 2)
    words = {0: "", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    if whole > 6:
        return f"{halves / 2:g} stops"
    if whole == 0:
        return "half a stop"
    text = words[whole] + (" and a half" if half else "")
    return f"{text} stop" if (whole == 1 and not half) else f"{text} stops"


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))
