"""Responsive pictures: WebP ``srcset`` with a JPEG fallback, width and height always set.

newsroom/jinja2.py installs ``picture`` and ``responsive_images`` as Jinja2 filters. Both
render templates/jinja2/articles/_picture.html.
"""

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.media.images import INLINE_IMAGE as _INLINE_IMG
from articles.models.images import Image, Rendition

# _INLINE_IMG matches bodies that have been through articles/text/sanitize.py, whose
# serialiser always quotes attribute values and escapes "<" and ">" inside them.

BODY_SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"
PICTURE_TEMPLATE = "articles/_picture.html"


def picture_context(image: Image, shape: str, sizes: str, renditions=None, **extra) -> dict | None:
    """What _picture.html needs; ``renditions`` (of ``shape``) when already fetched."""
    if renditions is None:
        renditions = image.renditions_of(shape)
    else:
        renditions = sorted(renditions, key=lambda r: r.width)
    webp = [r for r in renditions if r.format == "webp"]
    jpeg = [r for r in renditions if r.format == "jpeg"]
    fallback = (jpeg or webp or [None])[-1]
    if fallback is None:
        return None
    return {
        "image": image,
        "sizes": sizes,
        "webp_srcset": ", ".join(f"{r.url} {r.width}w" for r in webp),
        "jpeg_srcset": ", ".join(f"{r.url} {r.width}w" for r in jpeg),
        "fallback": fallback,
        **extra,
    }


def picture(image, shape=Rendition.Shape.ORIGINAL, sizes="100vw", css_class="", eager=False) -> str:
    """``{{ story.lead_image|picture("wide", "(min-width: 60rem) 40rem, 100vw") }}``."""
    context = image and picture_context(image, shape, sizes, css_class=css_class, eager=eager)
    return _render(context) if context else ""


def _render(context: dict) -> str:
    return mark_safe(render_to_string(PICTURE_TEMPLATE, context))  # noqa: S308 - autoescaped


def responsive_images(body: str) -> str:
    """Swap each library image in a (sanitised) body for its responsive ``<picture>``.

    One query for all of them; an image deleted since keeps its plain ``<img>``.
    """
    return responsive_bodies([body])[0]


def responsive_bodies(bodies: Sequence[str], images: dict[int, Image] | None = None) -> list[str]:
    """responsive_images() of several bodies (a live story's updates) in one query, or
    none when ``images`` (originals() of their inline images, and more) is given."""
    if images is None:
        ids = inline_image_ids(bodies)
        if not ids:
            return [mark_safe(body) for body in bodies]  # noqa: S308 - bodies are sanitised on save
        images = originals(ids)

    def swap(match):
        image = images.get(int(match.group(1)))
        context = image and picture_context(
            image, Rendition.Shape.ORIGINAL, BODY_SIZES, renditions=image.fetched_renditions
        )
        if not context:
            return match.group(0)
        return _render(context).strip()

    return [mark_safe(_INLINE_IMG.sub(swap, body)) for body in bodies]  # noqa: S308 - sanitised on save


def inline_image_ids(bodies: Sequence[str]) -> set[int]:
    return {int(found) for body in bodies for found in _INLINE_IMG.findall(body)}


def originals(ids: set[int]) -> dict[int, Image]:
    """The library images ``ids`` with their renditions of original proportions (the
    only ones their ``renditions_of()`` will know), in one query. An image without any
    is left out."""
    images: dict[int, Image] = {}
    for rendition in Rendition.objects.filter(
        image_id__in=ids, shape=Rendition.Shape.ORIGINAL
    ).select_related("image"):
        image = images.setdefault(rendition.image_id, rendition.image)
        if image.fetched_renditions is None:
            image.fetched_renditions = []
        image.fetched_renditions.append(rendition)
    return images
