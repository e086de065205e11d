"""The same picture uploaded twice: found by the hash of its stored bytes and reused.

The admin's upload (and the picker's, and the story form's "+") asks ``already_stored``
after the upload was checked; when it answers, no second copy is written and the
person is told which library picture is used instead.
"""

from django.utils.translation import gettext as _

from articles.media.images import CheckedImage
from articles.models import Image


def already_stored(checked: CheckedImage) -> Image | None:
    """The library picture with the same content, the first uploaded when there are several."""
    return Image.objects.filter(content_hash=checked.content_hash).order_by("created_at").first()


def reused_message(image: Image) -> str:
    return _(
        "This picture is already in the library as «%(alt)s». The existing picture is used; "
        "no second copy was stored, and the alt text, caption and credit you typed were "
        "not applied. Edit the library picture to change them."
    ) % {"alt": image.alt_text}
