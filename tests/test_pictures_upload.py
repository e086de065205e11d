"""Uploading from inside the story form and the picker, and the same picture uploaded twice."""

import html
import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps

from articles.media import images
from articles.models import Image
from tests.factories import make_staff
from tests.images_helpers import exif_with_gps_and_orientation, photo_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _as(client, role):
    user = make_staff(role)
    client.force_login(user)
    return user


def _popup_response(response) -> dict:
    found = re.search(r'data-popup-response="([^"]+)"', response.content.decode())
    assert found, response.content.decode()[:3000]
    return json.loads(html.unescape(found.group(1)))


POPUP = {"_popup": "1", "_to_field": "id", "_source_model": "articles.article"}


def test_a_reporter_uploads_the_lead_picture_from_the_story_forms_popup(client):
    reporter = _as(client, "reporter")
    response = client.post(
        "/admin/articles/image/add/?_to_field=id&_popup=1&_source_model=articles.article",
        {"upload": upload(photo_bytes((900, 600))), "alt_text": "جسر المدينة", **POPUP},
    )
    image = Image.objects.get()
    assert image.uploaded_by == reporter
    # The popup hands the new picture back to the story form's lead-image field.
    assert _popup_response(response)["value"] == str(image.pk)
    assert _popup_response(response)["obj"] == "جسر المدينة"


def test_the_same_picture_uploaded_again_reuses_the_library_copy(client, media_root):
    _as(client, "reporter")
    data = photo_bytes((900, 600))
    first = client.post(
        "/admin/articles/image/add/", {"upload": upload(data), "alt_text": "الميناء"}
    )
    assert first.status_code == 302
    original = Image.objects.get()
    files_before = sorted(stored_files(media_root))

    again = client.post(
        "/admin/articles/image/add/", {"upload": upload(data, "copy.jpg"), "alt_text": "نسخة"}
    )
    assert again.status_code == 302
    assert again["Location"] == f"/admin/articles/image/{original.pk}/change/"
    assert Image.objects.count() == 1
    assert sorted(stored_files(media_root)) == files_before
    page = client.get(again["Location"]).content.decode()
    assert "هذه الصورة موجودة في المكتبة باسم «الميناء»" in html.unescape(page)


def test_a_copy_carrying_other_metadata_is_still_the_same_picture(client):
    _as(client, "editor")
    client.post(
        "/admin/articles/image/add/", {"upload": upload(photo_bytes()), "alt_text": "الساحة"}
    )
    with_gps = photo_bytes(exif=exif_with_gps_and_orientation(orientation=1))
    response = client.post(
        "/admin/articles/image/add/?_popup=1",
        {"upload": upload(with_gps), "alt_text": "الساحة مرة أخرى", **POPUP},
    )
    original = Image.objects.get()
    assert _popup_response(response)["value"] == str(original.pk)


def test_a_different_picture_is_not_taken_for_a_copy(client):
    _as(client, "reporter")
    for color, alt in (((200, 30, 30), "أحمر"), ((30, 200, 30), "أخضر")):
        client.post(
            "/admin/articles/image/add/",
            {"upload": upload(photo_bytes((600, 400), color=color)), "alt_text": alt},
        )
    assert sorted(Image.objects.values_list("alt_text", flat=True)) == ["أحمر", "أخضر"]


def test_pictures_stored_before_the_hash_get_it_from_their_file():
    image = images.create_image(upload(photo_bytes((600, 400))), alt_text="قديمة")
    expected = image.content_hash
    Image.objects.filter(pk=image.pk).update(content_hash="")

    migration = importlib.import_module("articles.migrations.0012_picture_roles")
    migration.hash_stored_pictures(apps, None)

    image.refresh_from_db()
    assert image.content_hash == expected
    assert len(expected) == 64
    # …and the same picture uploaded now is recognised as it.
    assert images.check_upload(upload(photo_bytes((600, 400)))).content_hash == expected


@pytest.mark.parametrize("role", ["reporter", "editor", "chief"])
def test_every_role_uploads_from_the_body_editors_picker_and_finds_it_first(client, role):
    user = _as(client, role)
    images.create_image(upload(photo_bytes((600, 400), color=(1, 1, 1))), alt_text="صورة أقدم")
    picker = client.get("/admin/articles/image/picker/", {"CKEditorFuncNum": "3"})
    assert 'name="upload-upload"' in picker.content.decode()
    response = client.post(
        "/admin/articles/image/picker/",
        {
            "CKEditorFuncNum": "3",
            "upload-upload": upload(photo_bytes((900, 600))),
            "upload-alt_text": "سوق الخضار",
            "upload-caption": "السوق صباحًا",
            "upload-credit": "",
        },
    )
    image = Image.objects.get(alt_text="سوق الخضار")
    assert image.uploaded_by == user
    assert image.caption == "السوق صباحًا"
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-func-num="3"' in page
    first = re.search(r'class="picker-choice[^"]*" data-id="(\d+)"', page)
    assert first.group(1) == str(image.pk)


def test_a_refused_upload_in_the_picker_says_why_and_keeps_the_words(client):
    _as(client, "reporter")
    response = client.post(
        "/admin/articles/image/picker/",
        {
            "CKEditorFuncNum": "3",
            "upload-upload": upload(b"not a picture", "notes.jpg"),
            "upload-alt_text": "نص بديل كتبته",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ليس صورة" in page
    assert 'value="نص بديل كتبته"' in page
    assert Image.objects.count() == 0


def test_the_same_picture_uploaded_in_the_picker_is_the_library_copy(client):
    _as(client, "reporter")
    data = photo_bytes((700, 500))
    existing = images.create_image(upload(data), alt_text="المطار")
    response = client.post(
        "/admin/articles/image/picker/",
        {"CKEditorFuncNum": "3", "upload-upload": upload(data), "upload-alt_text": "نسخة"},
    )
    assert Image.objects.count() == 1
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "هذه الصورة موجودة في المكتبة باسم «المطار»" in page
    first = re.search(r'class="picker-choice[^"]*" data-id="(\d+)"', page)
    assert first.group(1) == str(existing.pk)


def test_the_picker_refuses_an_upload_to_someone_who_may_only_look(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_image"))
    client.force_login(user)
    assert (
        'name="upload-upload"' not in client.get("/admin/articles/image/picker/").content.decode()
    )
    response = client.post(
        "/admin/articles/image/picker/",
        {"upload-upload": upload(photo_bytes((600, 400))), "upload-alt_text": "صورة"},
    )
    assert response.status_code == 403
    assert Image.objects.count() == 0


@pytest.mark.parametrize("chosen", ["²", "①", "9" * 40])
def test_a_hostile_chosen_picture_in_the_picker_is_no_server_error(client, chosen):
    # "chosen" names the picture just uploaded; isdigit() accepts "²" and "①", which the id
    # lookup refuses, and forty nines are past PostgreSQL's integers.
    _as(client, "reporter")
    images.create_image(upload(photo_bytes((600, 400))), alt_text="صورة المكتبة")
    response = client.get("/admin/articles/image/picker/", {"chosen": chosen})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="picker-choice') == 1  # the library, nothing shown first
