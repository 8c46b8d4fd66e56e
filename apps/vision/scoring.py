"""The overall quality score (0-100) and plain-language suggestions, from measured figures only."""
from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext, gettext_noop

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
    """What a photographer would say, each line quoting the figure it rests on.

    In the active language: the worker stores them in English, the status endpoint renders
    them again from the stored figures in the viewer's language (issue 17).
    """
    lines: list[str] = []
    exposure = measures["exposure"]
    correction = exposure["correction_stops"]
    tone = {"stops": stops_in_words(correction), "median": f"{exposure['median_luminance']:g}"}
    if exposure["verdict"] in ("underexposed", "slightly_underexposed"):
        lines.append(gettext("Underexposed by about %(stops)s (median tone %(median)s/255): brighten it or give it "
                             "a longer exposure.") % tone)
    elif exposure["verdict"] in ("overexposed", "slightly_overexposed"):
        lines.append(gettext("Overexposed by about %(stops)s (median tone %(median)s/255): darken it or shorten "
                             "the exposure.") % tone)
    if exposure["clipped_highlights"] > 0.02:
        lines.append(gettext("%(share)s of the image is blown-out highlights with no detail left: expose for the "
                             "highlights.") % {"share": _pct(exposure["clipped_highlights"])})
    if exposure["clipped_shadows"] > 0.10:
        lines.append(gettext("%(share)s of the image is crushed to black: lift the shadows or expose "
                             "brighter.") % {"share": _pct(exposure["clipped_shadows"])})
    contrast = measures["contrast"]
    if contrast["verdict"] == "low":
        lines.append(gettext("Low contrast (RMS %(rms)s): the image looks flat; add contrast with a curve.")
                     % {"rms": f"{contrast['rms']:g}"})
    elif contrast["verdict"] == "high":
        lines.append(gettext("Very high contrast (RMS %(rms)s): consider recovering shadows and highlights.")
                     % {"rms": f"{contrast['rms']:g}"})
    cast = measures["colour_cast"]
    if cast["verdict"] == "strong":
        lines.append(gettext("A %(hue)s colour cast (strength %(strength)s) in what should be neutral tones: "
                             "correct the white balance.") % {"hue": _hue(cast["hue"]),
                                                              "strength": f"{cast['strength']:g}"})
    sharpness = measures["sharpness"]
    exif = measures.get("exif") or {}
    if sharpness["motion_blur_likely"]:
        blur = {"direction": f"{sharpness['motion_direction_deg']:g}",
                "anisotropy": f"{sharpness['gradient_anisotropy']:g}", "shutter": exif.get("exposure_time")}
        if exif.get("exposure_time"):
            lines.append(gettext("Motion blur likely: detail is smeared along %(direction)s° (gradient anisotropy "
                                 "%(anisotropy)s) (shot at %(shutter)s); use a faster shutter speed or steady the "
                                 "camera.") % blur)
        else:
            lines.append(gettext("Motion blur likely: detail is smeared along %(direction)s° (gradient anisotropy "
                                 "%(anisotropy)s); use a faster shutter speed or steady the camera.") % blur)
    elif sharpness["verdict"] == "blurry":
        lines.append(gettext("Out of focus or blurred (Laplacian variance %(variance)s): check the focus point.")
                     % {"variance": f"{sharpness['laplacian_variance']:g}"})
    elif sharpness["verdict"] == "slightly_soft":
        lines.append(gettext("Slightly soft (Laplacian variance %(variance)s): a little sharpening may help.")
                     % {"variance": f"{sharpness['laplacian_variance']:g}"})
    noise = measures["noise"]
    if noise["verdict"] == "high":
        figures = {"sigma": f"{noise['sigma']:g}", "iso": exif.get("iso")}
        if exif.get("iso"):
            lines.append(gettext("Visible noise (sigma about %(sigma)s levels): ISO %(iso)s was used; use a lower "
                                 "ISO or denoise.") % figures)
        else:
            lines.append(gettext("Visible noise (sigma about %(sigma)s levels): use a lower ISO or denoise.")
                         % figures)
    composition = measures["composition"]
    if composition["verdict"] == "centred":
        lines.append(gettext("The main detail sits in the centre (distance to centre %(distance)s); placing it on "
                             "a third often reads as more dynamic.")
                     % {"distance": f"{composition['distance_to_centre']:g}"})
    if exif.get("gps_present"):
        lines.append(gettext("The file carries GPS location data: remove it before sharing the image publicly."))
    if not lines:
        lines.append(gettext("No problems found: exposure, focus, noise and contrast are all within normal ranges."))
    return lines


def result_for_viewer(result: dict[str, Any]) -> dict[str, Any]:
    """The stored result with its suggestions said again, from its figures, in the viewer's language."""
    try:
        return {**result, "suggestions": suggestions(result)}
    except (KeyError, TypeError):  # a result stored before a figure existed keeps its own lines
        return result


# Stops to the nearest half, in words ("one and a half stops"); keyed by half stops.
_STOPS_IN_WORDS = {
    1: gettext_noop("half a stop"), 2: gettext_noop("one stop"), 3: gettext_noop("one and a half stops"),
    4: gettext_noop("two stops"), 5: gettext_noop("two and a half stops"), 6: gettext_noop("three stops"),
    7: gettext_noop("three and a half stops"), 8: gettext_noop("four stops"), 9: gettext_noop("four and a half stops"),
    10: gettext_noop("five stops"), 11: gettext_noop("five and a half stops"), 12: gettext_noop("six stops"),
    13: gettext_noop("six and a half stops"),
}
_HUES = {"red": gettext_noop("red"), "yellow": gettext_noop("yellow"), "green": gettext_noop("green"),
         "cyan": gettext_noop("cyan"), "blue": gettext_noop("blue"), "magenta": gettext_noop("magenta"),
         "orange": gettext_noop("orange"), "purple": gettext_noop("purple")}


def stops_in_words(stops: float) -> str:
    """0.9 → "one stop", 1.6 → "one and a half stops" (to the nearest half stop)."""
    halves = max(1, round(abs(stops) * 2))
    if halves in _STOPS_IN_WORDS:
        return gettext(_STOPS_IN_WORDS[halves])
    return gettext("%(n)s stops") % {"n": f"{halves / 2:g}"}


def _hue(name: str) -> str:
    return gettext(_HUES[name]) if name in _HUES else name


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))
