"""The analysis judges images whose properties the test made known."""
from __future__ import annotations

import base64
import io
import json

import numpy as np
from PIL import Image, ImageFilter

from apps.vision.analysis import STAGES, analyze_image
from apps.vision.scoring import stops_in_words
from tests.vision.factories import encode, textured, with_exif


def analyze(data: bytes, recorder) -> dict:
    return analyze_image(data, recorder)


def test_every_stage_is_reported_in_order_with_rising_progress(recorder):
    analyze(encode(textured()), recorder)
    assert [name for name, _ in recorder.stages] == [
        "decoding", "metadata", "exposure_colour", "sharpness_noise", "composition", "report"]
    assert [name for name, _, _ in STAGES] == [name for name, _ in recorder.stages]
    progress = [value for _, value in recorder.stages]
    assert progress == sorted(progress) and progress[-1] < 100


def test_result_describes_the_file_and_is_small_json(recorder):
    data = encode(textured(480, 320))
    result = analyze(data, recorder)
    expected = {"format": "PNG", "width": 480, "height": 320, "mode": "RGB", "bytes": len(data)}
    assert {key: result["image"][key] for key in expected} == expected
    assert result["composition"]["aspect_name"] == "3:2" and result["composition"]["orientation"] == "landscape"
    thumb = result["thumbnail"]
    assert max(thumb["width"], thumb["height"]) <= 256
    jpeg = base64.b64decode(thumb["data_url"].split(",", 1)[1])
    assert Image.open(io.BytesIO(jpeg)).format == "JPEG"
    assert len(json.dumps(result)) < 40_000
    assert 0 <= result["quality"]["score"] <= 100


def test_a_dark_image_is_judged_underexposed_with_the_stops_quoted(recorder):
    dark = Image.fromarray((np.asarray(textured(), dtype=np.float32) * 0.35).astype(np.uint8))
    result = analyze(encode(dark), recorder)
    exposure = result["exposure"]
    assert exposure["verdict"] == "underexposed"
    assert exposure["offset_stops"] < -1.5 and exposure["correction_stops"] > 1.5
    assert any(line.startswith("Underexposed by about") for line in result["suggestions"])
    normal = analyze(encode(textured()), recorder)
    assert normal["exposure"]["verdict"] == "balanced"
    assert normal["quality"]["components"]["exposure"] > result["quality"]["components"]["exposure"]


def test_a_bright_washed_out_image_is_overexposed_with_clipped_highlights(recorder):
    bright = Image.fromarray(np.clip(np.asarray(textured(), dtype=np.float32) * 1.9, 0, 255).astype(np.uint8))
    result = analyze(encode(bright), recorder)
    assert result["exposure"]["verdict"] == "overexposed"
    assert result["exposure"]["clipped_highlights"] > 0.05
    assert any("blown-out highlights" in line for line in result["suggestions"])


def test_a_blurred_copy_scores_lower_sharpness_than_the_original(recorder):
    original = textured()
    sharp = analyze(encode(original), recorder)
    blurred = analyze(encode(original.filter(ImageFilter.GaussianBlur(4))), recorder)
    assert blurred["sharpness"]["laplacian_variance"] < sharp["sharpness"]["laplacian_variance"] / 4
    assert blurred["sharpness"]["verdict"] == "blurry"
    assert not blurred["sharpness"]["motion_blur_likely"]
    assert blurred["quality"]["score"] < sharp["quality"]["score"]
    assert any("Out of focus" in line for line in blurred["suggestions"])


def test_a_horizontal_smear_is_recognised_as_motion_blur(recorder):
    pixels = np.asarray(textured(), dtype=np.float32)
    smeared = np.mean([np.roll(pixels, shift, axis=1) for shift in range(-10, 11)], axis=0)
    result = analyze(encode(Image.fromarray(smeared.astype(np.uint8))), recorder)
    sharpness = result["sharpness"]
    assert sharpness["motion_blur_likely"] and sharpness["gradient_anisotropy"] >= 2.5
    assert abs(sharpness["motion_direction_deg"]) < 5  # 0° is horizontal
    assert any(line.startswith("Motion blur likely") for line in result["suggestions"])


def test_added_noise_is_measured_near_its_true_sigma(recorder):
    ramp = np.tile(np.linspace(60, 190, 400, dtype=np.float32), (300, 1))
    clean = analyze(encode(Image.fromarray(ramp.astype(np.uint8))), recorder)
    noisy_pixels = ramp + np.random.default_rng(3).normal(0, 10, ramp.shape)
    noisy = analyze(encode(Image.fromarray(np.clip(noisy_pixels, 0, 255).astype(np.uint8))), recorder)
    assert clean["noise"]["verdict"] == "low" and clean["noise"]["sigma"] < 1
    assert noisy["noise"]["verdict"] == "high" and 8 < noisy["noise"]["sigma"] < 12
    assert clean["sharpness"]["verdict"] == "no_detail"  # a smooth ramp is neither sharp nor blurred


def test_a_solid_red_image_has_a_red_palette_and_no_invented_cast(recorder):
    result = analyze(encode(Image.new("RGB", (300, 200), (255, 0, 0))), recorder)
    assert result["palette"][0] == {"hex": "#ff0000", "rgb": [255, 0, 0], "share": 1.0, "name": "red"}
    assert result["colour_cast"]["verdict"] == "undetermined"  # no neutral pixels to judge by
    assert result["saturation"]["verdict"] == "very_saturated"
    assert result["exposure"]["verdict"] == "balanced"  # dark by luma, but the red channel is full


def test_palette_shares_follow_the_areas(recorder):
    image = Image.new("RGB", (400, 100), (20, 40, 200))
    image.paste((250, 250, 250), (0, 0, 100, 100))  # a quarter white
    palette = analyze(encode(image), recorder)["palette"]
    assert [(c["name"], round(c["share"], 2)) for c in palette] == [("blue", 0.75), ("white", 0.25)]


def test_a_blue_tint_on_grey_is_a_blue_colour_cast(recorder):
    grey = np.asarray(textured().convert("L"), dtype=np.float32)
    tinted = np.stack([grey * 0.85, grey * 0.9, np.clip(grey * 1.1, 0, 255)], axis=-1)
    cast = analyze(encode(Image.fromarray(tinted.astype(np.uint8))), recorder)["colour_cast"]
    assert cast["verdict"] == "strong" and cast["hue"] == "blue" and cast["strength"] > 0.1
    neutral = analyze(encode(textured().convert("L").convert("RGB")), recorder)["colour_cast"]
    assert neutral["verdict"] == "neutral"


def test_exif_written_by_the_test_is_read_back_and_gps_is_flagged(recorder):
    result = analyze(with_exif(textured()), recorder)
    exif = result["exif"]
    assert exif["camera"] == "Canon EOS R5"
    assert exif["lens"] == "RF50mm F1.8 STM"
    assert exif["exposure_time"] == "1/250" and exif["exposure_time_s"] == 0.004
    assert exif["aperture_f"] == 2.8 and exif["iso"] == 400 and exif["focal_length_mm"] == 50.0
    assert exif["captured_at"] == "2025:11:26 10:30:00" and exif["orientation"] == 1
    assert exif["gps_present"] is True
    assert result["privacy"] == {"gps_present": True, "concerns": ["gps_location"]}
    assert any("GPS" in line for line in result["suggestions"])
    plain = analyze(with_exif(textured(), gps=False), recorder)
    assert plain["exif"]["gps_present"] is False and plain["privacy"]["concerns"] == []


def test_exif_orientation_is_applied_before_composition(recorder):
    result = analyze(with_exif(textured(480, 320), gps=False, orientation=6), recorder)
    assert (result["image"]["width"], result["image"]["height"]) == (480, 320)
    assert (result["image"]["upright_width"], result["image"]["upright_height"]) == (320, 480)
    assert result["composition"]["orientation"] == "portrait" and result["composition"]["aspect_name"] == "2:3"


def test_a_subject_on_a_third_and_one_in_the_centre(recorder):
    rng = np.random.default_rng(5)
    on_third = np.full((300, 450), 120, np.uint8)
    on_third[75:125, 125:175] = rng.integers(0, 255, (50, 50))
    centred = np.full((300, 450), 120, np.uint8)
    centred[125:175, 200:250] = rng.integers(0, 255, (50, 50))
    third = analyze(encode(Image.fromarray(on_third)), recorder)["composition"]
    centre = analyze(encode(Image.fromarray(centred)), recorder)
    assert third["verdict"] == "on_thirds" and third["distance_to_thirds"] < 0.05
    assert third["balance"]["left"] > 0.9
    assert centre["composition"]["verdict"] == "centred"
    assert any("centre" in line for line in centre["suggestions"])


def test_transparent_and_sixteen_bit_images_are_measured(recorder):
    rgba = textured().convert("RGBA")
    rgba.putalpha(128)
    assert analyze(encode(rgba), recorder)["image"]["has_alpha"] is True
    deep = Image.fromarray(np.asarray(textured().convert("L"), dtype=np.uint16) * 257)
    assert deep.mode == "I;16"
    result = analyze(encode(deep), recorder)
    assert result["exposure"]["verdict"] == "balanced"  # rescaled from 16 bits, not clipped to white


def test_stops_in_words():
    assert stops_in_words(1.1) == "one stop"
    assert stops_in_words(0.3) == "half a stop"
    assert stops_in_words(1.6) == "one and a half stops"
    assert stops_in_words(2.0) == "two stops"
