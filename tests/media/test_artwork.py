"""Procedural pictures: the requested size, and different characters look different."""
from PIL import ImageChops

from apps.media.artwork import portrait_render, scene_render, title_card_render


def test_portraits_have_the_requested_size_and_differ_per_character():
    ada = portrait_render(name="Ada", description="wears glasses", width=200, height=120)
    bruno = portrait_render(name="Bruno", description="wears a hat", width=200, height=120)
    assert ada.size == (200, 120) and bruno.size == (200, 120)
    assert ImageChops.difference(ada, bruno).getbbox() is not None
    again = portrait_render(name="Ada", description="wears glasses", width=200, height=120)
    assert ImageChops.difference(ada, again).getbbox() is None


def test_scene_and_title_card_render_at_video_size():
    scene = scene_render(setting="a windswept harbour at dawn", visual="two friends",
                         characters=[{"name": "Ada", "description": ""}], width=160, height=90)
    card = title_card_render(title="A title long enough to wrap over lines", subtitle="logline", width=160, height=90)
    assert scene.size == card.size == (160, 90)
