"""Images with known properties, made by the tests themselves (nothing on disk)."""
from __future__ import annotations

import base64
import io

import numpy as np
from PIL import ExifTags, Image, ImageFilter, TiffImagePlugin


def encode(image: Image.Image, fmt: str = "PNG", **save_args) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_args)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def textured(width: int = 480, height: int = 320, seed: int = 7) -> Image.Image:
    """A detailed, mid-toned, colourful scene: blocks of random colour with soft edges."""
    rng = np.random.default_rng(seed)
    blocks = rng.uniform(40, 215, (height // 8, width // 8, 3)).repeat(8, 0).repeat(8, 1)
    image = Image.fromarray(blocks.astype(np.uint8))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def with_exif(image: Image.Image, *, gps: bool = True, orientation: int = 1) -> bytes:
    """A JPEG whose EXIF says Canon EOS R5, RF 50mm, 1/250 s, f/2.8, ISO 400, 50 mm (+ GPS)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS R5"
    exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.ExposureTime] = TiffImagePlugin.IFDRational(1, 250)
    details[ExifTags.Base.FNumber] = TiffImagePlugin.IFDRational(28, 10)
    details[ExifTags.Base.ISOSpeedRatings] = 400
    details[ExifTags.Base.FocalLength] = TiffImagePlugin.IFDRational(50, 1)
    details[ExifTags.Base.DateTimeOriginal] = "2025:11:26 10:30:00"
    details[ExifTags.Base.LensModel] = "RF50mm F1.8 STM"
    if gps:
        location = exif.get_ifd(ExifTags.IFD.GPSInfo)
        location[ExifTags.GPS.GPSLatitudeRef] = "N"
        location[ExifTags.GPS.GPSLatitude] = (TiffImagePlugin.IFDRational(31, 1),
                                              TiffImagePlugin.IFDRational(14, 1),
                                              TiffImagePlugin.IFDRational(0, 1))
    return encode(image, "JPEG", exif=exif, quality=92)
