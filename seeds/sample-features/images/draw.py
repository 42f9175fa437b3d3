"""Draws this issue's pictures (our own work, free to use): `python images/draw.py` in the issue."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).parent


def photo(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like scene: a sky gradient, hills, a sun and film grain."""
    rng = random.Random(seed)
    sky = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge("RGB", (sky.point(lambda v: 90 + v // 3), sky.point(lambda v: 140 + v // 4),
                                  sky.point(lambda v: 220 - v // 5)))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((width * 0.7, height * 0.12, width * 0.82, height * 0.12 + width * 0.12),
                 fill=(255, 214, 120))
    for layer in range(4):
        base = height * (0.55 + 0.1 * layer)
        points = [(x, base + math.sin(x / width * 6 + layer * 2) * height * 0.06)
                  for x in range(0, width + 40, 40)]
        shade = 60 + 30 * layer
        draw.polygon([(0, height), *points, (width, height)], fill=(shade // 2, shade, shade // 3))
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(picture.filter(ImageFilter.GaussianBlur(1)), grain, 0.08)


def portrait(width: int, height: int) -> Image.Image:
    """A head-and-shoulders silhouette against a studio backdrop."""
    picture = photo(width, height, 7).filter(ImageFilter.GaussianBlur(12))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((width * 0.3, height * 0.18, width * 0.7, height * 0.55), fill=(222, 190, 160))
    draw.ellipse((width * 0.1, height * 0.58, width * 0.9, height * 1.3), fill=(40, 52, 80))
    return picture


def chart(width: int, height: int) -> Image.Image:
    """A bar chart on a transparent ground (a PNG with an alpha channel)."""
    picture = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    values = (38, 52, 61, 74, 90)
    bar = width // (len(values) * 2)
    for n, value in enumerate(values):
        left = bar // 2 + n * bar * 2
        top = height - 40 - value / 100 * (height - 80)
        draw.rectangle((left, top, left + bar, height - 40), fill=(163, 21, 27, 230))
    draw.line((0, height - 40, width, height - 40), fill=(30, 30, 30, 255), width=4)
    return picture


def main() -> None:
    photo(2400, 1350, 1).save(HERE / "riverside.jpg", quality=88)
    portrait(900, 1100).save(HERE / "portrait.jpg", quality=90)
    chart(1200, 800).save(HERE / "chart.png", optimize=True)


if __name__ == "__main__":
    main()
