"""One upload, wherever it comes from (the library's form, the story form's "+", the
body editor's picker): a new library picture by this person, or the copy it duplicates."""

from articles.media import images
from articles.models import Image


def store_from_form(form, user) -> tuple[Image, bool] | None:
    """Store a valid ``ImageForm``'s upload as ``user``'s picture: ``(image, reused)``, or
    None when the form is not valid (its errors say why)."""
    if not form.is_valid():
        return None
    if form.duplicate is not None:
        return form.duplicate, True
    image = form.save(commit=False)
    image.uploaded_by = user
    images.store_image(image, form.checked)
    return image, False
