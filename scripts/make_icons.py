"""Draws the app icons (static/img/icon-*.png) from the brand mark: 共 in white on the brand red.
Run once after changing the mark: .venv/bin/python scripts/make_icons.py"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def icon(size, maskable=False):
    image = Image.new("RGB", (size, size), "#c8102e")
    draw = ImageDraw.Draw(image)
    if not maskable:  # a rounded square on white; the maskable one fills the whole square
        image.paste("#ffffff", (0, 0, size, size))
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill="#c8102e")
    font = ImageFont.truetype(FONT, int(size * (0.5 if maskable else 0.62)), index=2)  # SC
    draw.text((size / 2, size / 2), "共", font=font, fill="#ffffff", anchor="mm")
    return image


for size in (192, 512):
    icon(size).save(OUT / f"icon-{size}.png", optimize=True)
icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
icon(180).save(OUT / "apple-touch-icon.png", optimize=True)
