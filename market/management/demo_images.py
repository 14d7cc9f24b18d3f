"""Product photos for the demo: a coloured card with the product's name, drawn with Pillow."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

from .demo_data import CATEGORY_COLOURS

def cjk_font(size):
    """A CJK-capable font if the machine has one; product images work without it."""
    for path in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return None


def product_image(title, category, seed):
    """A simple generated picture of the product: its colour, a fruit-like shape, its name."""
    light, dark = CATEGORY_COLOURS.get(category, ("#cccccc", "#333333"))
    rnd = random.Random(seed)
    img = Image.new("RGB", (480, 480), light)
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y, r = rnd.randint(40, 440), rnd.randint(40, 300), rnd.randint(30, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=dark if rnd.random() < 0.3 else "#ffffff")
    draw.rectangle((0, 360, 480, 480), fill=dark)
    font = cjk_font(40)
    if font:
        draw.text((24, 395), title[:10], fill="#ffffff", font=font)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
