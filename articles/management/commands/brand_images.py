"""Draw the site's icons and its sharing card with Pillow, from the paper's name.

    manage.py brand_images        # writes static/img/{social-card.png, favicon.ico, ...}

The files for the default name are committed; run it again after changing
NEWSROOM_SITE_NAME. The mark is the logo's (static/img/logo.svg): a red tile with a
newspaper's columns. Arabic is shaped with the self-hosted Noto Kufi face (Pillow's
Raqm layout), so the name joins and reads right to left.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

ACCENT = (179, 18, 27)  # --accent in static/css/site.css
INK = (22, 24, 29)  # --ink
WASH = (246, 244, 239)  # --wash
WHITE = (255, 255, 255)
CARD_SIZE = (1200, 630)  # what Open Graph and Google Discover ask of a large image
FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
HEADING_FACE = FONTS / "noto-kufi-arabic-arabic-800-normal.woff2"
TAGLINE_FACE = FONTS / "noto-kufi-arabic-arabic-700-normal.woff2"


def mark(size: int, *, rounded: bool = True) -> Image.Image:
    """The logo's tile at ``size`` px: drawn at 512 and scaled down, for clean edges."""
    big = 512
    tile = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=72 if rounded else 0, fill=ACCENT)
    # The masthead bar and two columns of lines (logo.svg, on a 56-unit grid).
    unit = big / 56
    draw.rectangle((10 * unit, 10 * unit, 46 * unit, 18 * unit), fill=WHITE)
    for row in range(3):
        top = (24 + 8 * row) * unit
        draw.rectangle((10 * unit, top, 26 * unit, top + 4 * unit), fill=WHITE)
        draw.rectangle((30 * unit, top, 46 * unit, top + 4 * unit), fill=WHITE)
    return tile.resize((size, size), Image.Resampling.LANCZOS)


def _arabic(draw, xy, text, face, size, fill, anchor="mm"):
    font = ImageFont.truetype(str(face), size, layout_engine=ImageFont.Layout.RAQM)
    draw.text(xy, text, font=font, fill=fill, anchor=anchor, direction="rtl", language="ar")


def social_card(name: str, tagline: str) -> Image.Image:
    card = Image.new("RGB", CARD_SIZE, WASH)
    draw = ImageDraw.Draw(card)
    width, _height = CARD_SIZE
    draw.rectangle((0, 0, width, 18), fill=ACCENT)
    card.paste(mark(150), (width - 150 - 90, 110), mark(150))
    _arabic(draw, (width // 2, 300), name, HEADING_FACE, 170, INK)
    # The masthead's double rule.
    draw.rectangle((150, 430, width - 150, 434), fill=INK)
    draw.rectangle((150, 442, width - 150, 444), fill=INK)
    _arabic(draw, (width // 2, 520), tagline, TAGLINE_FACE, 56, ACCENT)
    return card


def write_all(directory: Path, name: str, tagline: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []

    def save(image, filename, **options):
        path = directory / filename
        image.save(path, optimize=True, **options)
        written.append(path)

    save(social_card(name, tagline), "social-card.png")
    save(mark(256), "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    # Apple fills transparency with black: the touch icon is an opaque square.
    touch = Image.new("RGB", (180, 180), ACCENT)
    touch.paste(mark(180, rounded=False), (0, 0), mark(180, rounded=False))
    save(touch, "apple-touch-icon.png")
    for size in (192, 512):
        save(mark(size), f"icon-{size}.png")
    return written


class Command(BaseCommand):
    requires_system_checks = []  # draws pictures: no database needed
    help = "Draw the favicon, app icons and the 1200×630 sharing card from the site's name."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=Path(settings.BASE_DIR) / "static" / "img"
        )

    def handle(self, *args, output, **options):
        with translation.override(settings.LANGUAGE_CODE):
            tagline = translation.gettext("News as it happens")  # the masthead's tagline
        for path in write_all(output, settings.NEWSROOM_SITE_NAME, tagline):
            self.stdout.write(str(path))
