"""The same picture uploaded twice at the same moment is still stored once."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from articles.media import images
from articles.models import Image
from tests.factories import make_staff
from tests.images_helpers import photo_bytes, upload


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["library", "picker"])
def test_two_simultaneous_uploads_of_one_picture_store_it_once(
    settings, tmp_path, monkeypatch, where
):
    settings.MEDIA_ROOT = tmp_path / "media"
    store = images.store_image

    def slow_store(image, checked):
        time.sleep(0.5)  # widen the window between "is it in the library?" and the insert
        return store(image, checked)

    monkeypatch.setattr(images, "store_image", slow_store)
    data = photo_bytes((700, 500))
    people = [make_staff("reporter"), make_staff("editor")]
    answers = []

    def post(user):
        client = Client()
        client.force_login(user)
        if where == "library":
            form = {"upload": upload(data), "alt_text": f"صورة {user.username}"}
            answers.append(client.post("/admin/articles/image/add/", form).status_code)
        else:
            form = {"upload-upload": upload(data), "upload-alt_text": f"صورة {user.username}"}
            answers.append(client.post("/admin/articles/image/picker/", form).status_code)
        connection.close()

    threads = [threading.Thread(target=post, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302, 302]
    assert Image.objects.count() == 1
