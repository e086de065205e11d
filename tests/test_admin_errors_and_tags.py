"""The desk's refusals speak Arabic, right to left; reporters and editors add tags inline."""

import html
import json
import re

import pytest

from articles.models import Image, Tag
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_the_admins_403_is_arabic_and_right_to_left(client):
    from articles.media import images
    from tests.images_helpers import photo_bytes, upload

    image = images.create_image(upload(photo_bytes((600, 400))), alt_text="صورة")
    client.force_login(make_staff("reporter"))
    response = client.get(f"/admin/articles/image/{image.pk}/delete/")
    assert response.status_code == 403
    page = _page(response)
    assert '<html lang="ar" dir="rtl">' in page
    assert "ليست لديك صلاحية" in page
    assert "Forbidden" not in page
    assert 'href="/admin/"' in page  # a way back to the desk
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_admins_404_is_arabic_and_right_to_left(client):
    client.force_login(make_staff("editor"))
    response = client.get("/admin/no-such-desk-page/")
    assert response.status_code == 404
    page = _page(response)
    assert '<html lang="ar" dir="rtl">' in page
    assert "الصفحة غير موجودة" in page
    assert 'href="/admin/"' in page
    assert "Not Found" not in page


def test_a_public_403_is_arabic_too(client, settings, rf):
    from django.core.exceptions import PermissionDenied

    from articles.site import errors

    response = errors.permission_denied(rf.get("/section/x/"), PermissionDenied())
    assert response.status_code == 403
    page = _page(response)
    assert '<html lang="ar" dir="rtl">' in page
    assert "ليست لديك صلاحية" in page


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_create_a_tag_from_the_story_form(client, role):
    client.force_login(make_staff(role))
    form = client.get("/admin/articles/article/add/").content.decode()
    assert 'id="add_id_tags"' in form
    popup = client.get("/admin/articles/tag/add/", {"_to_field": "id", "_popup": "1"})
    assert popup.status_code == 200
    response = client.post(
        "/admin/articles/tag/add/?_to_field=id&_popup=1",
        # The slug as the admin's script fills it from the name.
        {
            "name": "الانتخابات البلدية",
            "slug": "الانتخابات-البلدية",
            "_popup": "1",
            "_to_field": "id",
        },
    )
    tag = Tag.objects.get(name="الانتخابات البلدية")
    data = re.search(r'data-popup-response="([^"]+)"', response.content.decode())
    assert json.loads(html.unescape(data.group(1)))["value"] == str(tag.pk)


def test_a_staff_member_without_a_role_cannot_create_tags(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(user)
    response = client.post("/admin/articles/tag/add/", {"name": "وسم", "slug": "wasm"})
    assert response.status_code == 403
    assert not Tag.objects.exists()
