"""The same picture uploaded twice: found by the hash of its stored bytes and reused.

The admin's upload (and the picker's, and the story form's "+") asks ``already_stored``
after the upload was checked; when it answers, no second copy is written and the
person is told which library picture is used instead.
"""

from django.db import connection
from django.utils.translation import gettext as _

from articles.media.images import CheckedImage
from articles.models import Image

# The first of the two keys of PostgreSQL's advisory locks: pictures' own namespace.
_LOCK_NAMESPACE = 0x1A6E


def already_stored(checked: CheckedImage) -> Image | None:
    """The library picture with the same content, the first uploaded when there are several.

    Call it inside the transaction that stores the upload: it holds a lock on this content
    until that transaction ends, so two people uploading the same picture at the same
    moment get one copy (the second waits, then finds the first's).
    """
    if connection.in_atomic_block:
        key = int.from_bytes(bytes.fromhex(checked.content_hash[:8]), "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, key])
    return Image.objects.filter(content_hash=checked.content_hash).order_by("created_at").first()


def reused_message(image: Image) -> str:
    return _(
        "This picture is already in the library as «%(alt)s». The existing picture is used; "
        "no second copy was stored, and the alt text, caption and credit you typed were "
        "not applied. Edit the library picture to change them."
    ) % {"alt": image.alt_text}
