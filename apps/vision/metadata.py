"""What the file says about itself: format, size, mode and the camera's EXIF record."""
from __future__ import annotations

from typing import Any

from PIL import ExifTags, Image

_T = ExifTags.Base


def read_metadata(image: Image.Image, *, size_bytes: int) -> dict[str, Any]:
    """Format, dimensions, mode, bytes and frames of the decoded file."""
    width, height = image.size
    return {
        "format": image.format,
        "width": width,
        "height": height,
        "megapixels": round(width * height / 1_000_000, 2),
        "mode": image.mode,
        "bytes": size_bytes,
        "frames": getattr(image, "n_frames", 1),
        "has_alpha": image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info,
        "icc_profile": bool(image.info.get("icc_profile")),
    }


def read_exif(image: Image.Image) -> dict[str, Any]:
    """The EXIF fields a photographer reads first; GPS is reported as present, never copied."""
    exif = image.getexif()
    details = exif.get_ifd(ExifTags.IFD.Exif)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)

    def tag(number: int) -> Any:
        return details.get(number, exif.get(number))

    make, model = _text(tag(_T.Make)), _text(tag(_T.Model))
    camera = model if make and model and model.lower().startswith(make.lower()) else " ".join(
        part for part in (make, model) if part) or None
    lens = " ".join(part for part in (_text(tag(_T.LensMake)), _text(tag(_T.LensModel))) if part) or None
    exposure = _number(tag(_T.ExposureTime))
    orientation = _integer(tag(_T.Orientation))
    return {
        "present": bool(exif) or bool(details),
        "camera": camera,
        "make": make,
        "model": model,
        "lens": lens,
        "exposure_time_s": _rounded(exposure, 6),
        "exposure_time": _shutter_text(exposure),
        "aperture_f": _rounded(_number(tag(_T.FNumber)), 1),
        "iso": _integer(tag(_T.ISOSpeedRatings)),
        "focal_length_mm": _rounded(_number(tag(_T.FocalLength)), 1),
        "focal_length_35mm": _integer(tag(_T.FocalLengthIn35mmFilm)),
        "captured_at": _text(tag(_T.DateTimeOriginal)) or _text(tag(_T.DateTime)),
        "orientation": orientation,
        "gps_present": bool(gps) or _T.GPSInfo in exif,
    }


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value is None:
        return None
    text = str(value).strip("\x00 \t\r\n")
    return text or None


def _number(value: Any) -> float | None:
    if isinstance(value, tuple):  # some writers store one-element tuples
        value = value[0] if value else None
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _rounded(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def _shutter_text(seconds: float | None) -> str | None:
    """1/250 s rather than 0.004 s, as cameras show it."""
    if seconds is None or seconds <= 0:
        return None
    if seconds >= 1:
        return f"{seconds:g}s"
    return f"1/{round(1 / seconds)}"
