"""The body editor in the admin: served by us, CSP kept strict elsewhere, library picker."""

import html

import pytest
from django.contrib.auth.models import Permission

from articles.media import images
from tests.images_helpers import photo_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_article_form_carries_the_editor_from_our_static_files(admin_client):
    response = admin_client.get("/admin/articles/article/add/")
    page = html.unescape(response.content.decode())
    assert "data-django-prose-editor-configurable" in page
    assert '"levels":[2,3]' in page
    assert "/admin/articles/image/picker/" in page
    assert "/static/django_prose_editor/editor.js" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page.split("<body")[0]
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in policy.split("style-src")[1].split(";")[0]  # Tiptap's styles


def test_public_pages_keep_the_strict_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "nonce" not in policy
    assert "unsafe-inline" not in policy


def test_picker_lists_library_pictures_and_searches_them(admin_client):
    images.create_image(upload(photo_bytes((800, 600))), alt_text="مبنى البلدية", credit="رويترز")
    images.create_image(upload(photo_bytes((800, 600))), alt_text="ملعب المدينة")
    page = admin_client.get("/admin/articles/image/picker/", {"CKEditorFuncNum": "-1"}).content
    assert "مبنى البلدية".encode() in page
    assert "ملعب المدينة".encode() in page
    found = admin_client.get("/admin/articles/image/picker/", {"q": "رويترز"}).content.decode()
    assert "مبنى البلدية" in found
    assert "ملعب المدينة" not in found
    assert 'data-url="/media/images/r/' in found


def test_picker_needs_permission_to_view_images(client, django_user_model):
    user = django_user_model.objects.create_user("reporter", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/articles/image/picker/").status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_image"))
    assert client.get("/admin/articles/image/picker/").status_code == 200
