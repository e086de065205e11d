"""Photographs in: checked with Pillow, stripped of metadata, stored, rendered at sizes.

Everything is decided and encoded in memory first; only then are files written
through Django's storage API (so S3-compatible storage works by configuration)
and rows saved. A refusal leaves nothing behind, and so does a failure midway.
"""

import hashlib
import io
import re
import secrets
import warnings
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import partial
from typing import cast

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from articles.models.images import Image, Rendition

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # ~ an 8000×5000 photograph; stops decompression bombs
MIN_SIDE = 16
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
STORAGE_DIR = "images"
# A library picture placed in a body. data-file is what django-prose-editor's figure
# writes; data-image-id our older markup. Group 1 is the Image's id.
INLINE_IMAGE = re.compile(r'<img\b[^>]*\bdata-(?:image-id|file)="(\d+)"[^>]*>')

Shape = Rendition.Shape


@dataclass(frozen=True)
class ShapeSpec:
    ratio: float | None  # width / height; None keeps the photograph's own
    webp_widths: tuple[int, ...]
    jpeg_widths: tuple[int, ...]  # the fallback for browsers without WebP


SPECS = {
    Shape.ORIGINAL: ShapeSpec(None, (480, 800, 1200, 1600), (800,)),
    Shape.WIDE: ShapeSpec(16 / 9, (400, 800, 1200), (800,)),
    Shape.SOCIAL: ShapeSpec(1200 / 630, (), (1200,)),
}
_QUALITY = {"webp": 80, "jpeg": 82}


@dataclass
class CheckedImage:
    """An accepted upload: oriented, metadata-free pixels and the bytes to store."""

    pixels: PILImage.Image
    format: str  # JPEG / PNG / WEBP
    data: bytes = field(repr=False)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the bytes that will be stored: the same picture hashes the same,
        whatever metadata its upload carried (the metadata is gone by now)."""
        return hashlib.sha256(self.data).hexdigest()


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_upload(uploaded) -> CheckedImage:
    """Accept a real JPEG, PNG or WebP within the limits, or raise ValidationError (Arabic)."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file is too large (over %(mb)d MB). Upload a smaller picture.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            "too_large",
        )
    uploaded.seek(0)
    raw = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file is too large (over %(mb)d MB). Upload a smaller picture.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            "too_large",
        )
    if not raw:
        raise _refuse(_("The file is empty."), "empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            source = PILImage.open(io.BytesIO(raw), formats=list(ALLOWED_FORMATS))
    except UnidentifiedImageError:
        raise _refuse(
            _("This file is not a picture in an accepted format (JPEG, PNG or WebP)."),
            "wrong_type",
        ) from None
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise _too_many_pixels() from None
    if source.width * source.height > MAX_PIXELS:
        raise _too_many_pixels()
    if min(source.width, source.height) < MIN_SIDE:
        raise _refuse(
            _("The picture is too small (under %(px)d pixels on a side).") % {"px": MIN_SIDE},
            "too_small",
        )
    try:
        source.seek(0)  # an animation: its first frame
        source.load()
        pixels = ImageOps.exif_transpose(source)  # turn it the right way up, then forget EXIF
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(
            _("The picture is damaged or incomplete (truncated). Export it again and retry."),
            "truncated",
        ) from None
    fmt = cast(str, source.format)  # one of ALLOWED_FORMATS: open() was told so
    pixels = _without_metadata(pixels, fmt)
    return CheckedImage(pixels=pixels, format=fmt, data=_encode_original(pixels, fmt))


def _too_many_pixels() -> ValidationError:
    return _refuse(
        _("The picture has too many pixels (over %(mp)d megapixels). Reduce its dimensions.")
        % {"mp": MAX_PIXELS // 1_000_000},
        "too_many_pixels",
    )


def _without_metadata(pixels: PILImage.Image, fmt: str) -> PILImage.Image:
    """A copy holding pixels only: no EXIF (GPS, camera, owner), XMP, ICC or text chunks."""
    keep_alpha = fmt != "JPEG" and (
        pixels.mode in ("RGBA", "LA", "PA") or "transparency" in pixels.info
    )
    clean = pixels.convert("RGBA" if keep_alpha else "RGB")
    clean.info = {}
    return clean


def _encode_original(pixels: PILImage.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "PNG":
        pixels.save(out, "PNG", optimize=True)
    else:
        pixels.save(out, "WEBP", quality=90)
    return out.getvalue()


def crop_box(
    width: int, height: int, ratio: float, focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` inside the picture, centred on the focal point if it can be."""
    if width / height > ratio:
        box_w, box_h = round(height * ratio), height
    else:
        box_w, box_h = width, round(width / ratio)
    left = min(max(round(focal[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal[1] * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


@dataclass
class _Planned:
    shape: str
    format: str
    width: int
    height: int
    data: bytes = field(repr=False)


def _plan_renditions(
    pixels: PILImage.Image, focal: tuple[float, float], skip: AbstractSet[tuple] = frozenset()
) -> list[_Planned]:
    planned = []
    for shape, spec in SPECS.items():
        shaped = pixels
        if spec.ratio is not None:
            shaped = pixels.crop(crop_box(pixels.width, pixels.height, spec.ratio, focal))
        for fmt, widths in (("webp", spec.webp_widths), ("jpeg", spec.jpeg_widths)):
            # Never upscale: a narrow picture gets one rendition at its own width.
            for width in sorted({min(w, shaped.width) for w in widths}):
                if (shape, fmt, width) in skip:
                    continue
                height = max(1, round(shaped.height * width / shaped.width))
                resized = shaped.resize((width, height), PILImage.Resampling.LANCZOS)
                if fmt == "jpeg" and resized.mode != "RGB":
                    resized = _flatten(resized)
                out = io.BytesIO()
                resized.save(out, fmt.upper(), quality=_QUALITY[fmt])
                planned.append(_Planned(shape, fmt, width, height, out.getvalue()))
    return planned


def _flatten(pixels: PILImage.Image) -> PILImage.Image:
    """JPEG has no transparency: put the picture on white."""
    background = PILImage.new("RGB", pixels.size, (255, 255, 255))
    background.paste(pixels, mask=pixels.getchannel("A") if "A" in pixels.getbands() else None)
    return background


def _random_name(extension: str, folder: str = "") -> str:
    """Unguessable: 128 random bits, nothing derived from the story or the upload."""
    return "/".join(p for p in (STORAGE_DIR, folder, f"{secrets.token_hex(16)}.{extension}") if p)


class _StoredFiles:
    """Files written so far, so that a failure can remove them (nothing half-stored)."""

    def __init__(self):
        self.names: list[str] = []

    def save(self, name: str, data: bytes) -> str:
        stored = default_storage.save(name, ContentFile(data))
        self.names.append(stored)
        return stored

    def remove_all(self):
        for name in self.names:
            default_storage.delete(name)


def store_image(image: Image, checked: CheckedImage) -> Image:
    """Save a new ``image`` (alt text etc. already set) with its file and renditions."""
    renditions = _plan_renditions(checked.pixels, image.focal_point)
    files = _StoredFiles()
    try:
        with transaction.atomic():
            image.file.name = files.save(
                _random_name(ALLOWED_FORMATS[checked.format]), checked.data
            )
            image.format = checked.format.lower()
            image.width, image.height = checked.pixels.size
            image.file_size = len(checked.data)
            image.content_hash = checked.content_hash
            image.full_clean()
            image.save()
            _save_renditions(image, renditions, files)
    except BaseException:
        files.remove_all()
        raise
    return image


def create_image(uploaded, **fields) -> Image:
    """Check ``uploaded`` and store it as a new library image (for commands and tests)."""
    return store_image(Image(**fields), check_upload(uploaded))


def _save_renditions(image: Image, planned: list[_Planned], files: _StoredFiles) -> None:
    Rendition.objects.bulk_create(
        Rendition(
            image=image,
            shape=p.shape,
            format=p.format,
            width=p.width,
            height=p.height,
            file=files.save(_random_name(p.format, "r"), p.data),
        )
        for p in planned
    )


def refresh_crops(image: Image) -> None:
    """After the focal point moved: make the cropped renditions again (others are reused)."""
    cropped = [shape for shape, spec in SPECS.items() if spec.ratio is not None]
    old = list(image.renditions.filter(shape__in=cropped))
    keep = {(r.shape, r.format, r.width) for r in image.renditions.exclude(shape__in=cropped)}
    with default_storage.open(cast(str, image.file.name), "rb") as stored:
        pixels = PILImage.open(stored)
        pixels.load()
    planned = _plan_renditions(pixels, image.focal_point, skip=keep)
    files = _StoredFiles()
    try:
        with transaction.atomic():
            Rendition.objects.filter(pk__in=[r.pk for r in old]).delete()
            _save_renditions(image, planned, files)
    except BaseException:
        files.remove_all()
        raise
    transaction.on_commit(partial(_delete_stored, [r.file.name for r in old]))


def delete_files(image: Image) -> None:
    """Remove an image's files from storage (after its rows are gone)."""
    names = [image.file.name, *(r.file.name for r in image.renditions.all())]
    transaction.on_commit(partial(_delete_stored, names))


def _delete_stored(names: list[str | None]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
