"""Pictures for every newsroom role: the library, upload, the picker and the lead-image chooser.

Every request is made as a reporter, an editor or a chief (never a superuser), through the
admin's HTTP interface, and the answer is what that person would see.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.media import images
from articles.models import Image
from tests.factories import make_staff
from tests.images_helpers import photo_bytes, upload

pytestmark = pytest.mark.django_db
ROLES = ["reporter", "editor", "chief"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _as(client, role):
    user = make_staff(role)
    client.force_login(user)
    return user


def _library_image(alt="صورة المكتبة العامة", uploaded_by=None, color=(200, 30, 30)):
    return images.create_image(
        upload(photo_bytes((800, 600), color=color)), alt_text=alt, uploaded_by=uploaded_by
    )


def _upload_form(alt="مبنى البلدية القديم", color=(10, 120, 200), **extra):
    return {"upload": upload(photo_bytes((900, 600), color=color)), "alt_text": alt, **extra}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_library_and_the_picker(client, role):
    _library_image()
    _as(client, role)
    library = client.get("/admin/articles/image/")
    assert library.status_code == 200
    assert "صورة المكتبة العامة" in library.content.decode()
    picker = client.get("/admin/articles/image/picker/", {"CKEditorFuncNum": "1"})
    assert picker.status_code == 200
    assert "صورة المكتبة العامة" in picker.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_uploads_a_picture_and_is_its_uploader(client, role):
    user = _as(client, role)
    assert client.get("/admin/articles/image/add/").status_code == 200
    response = client.post("/admin/articles/image/add/", _upload_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert image.alt_text == "مبنى البلدية القديم"
    assert image.uploaded_by == user


@pytest.mark.parametrize("role", ROLES)
def test_the_lead_image_chooser_finds_library_pictures_for_every_role(client, role):
    image = _library_image(alt="ميناء المدينة")
    _as(client, role)
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
            "term": "ميناء",
        },
    )
    assert found.status_code == 200
    assert found.json()["results"] == [{"id": str(image.pk), "text": "ميناء المدينة"}]


@pytest.mark.parametrize("role", ROLES)
def test_the_story_form_offers_to_upload_a_lead_picture(client, role):
    _as(client, role)
    page = client.get("/admin/articles/article/add/").content.decode()
    add_url = reverse("admin:articles_image_add")
    assert 'id="add_id_lead_image"' in page
    assert f'href="{add_url}?_to_field=id&amp;_popup=1&amp;_source_model=articles.article"' in page


def test_a_reporter_changes_their_own_picture_but_only_views_others(client):
    reporter = _as(client, "reporter")
    own = _library_image(alt="صورتي", uploaded_by=reporter)
    other = _library_image(alt="صورة زميل", uploaded_by=make_staff("reporter"), color=(1, 2, 3))

    response = client.post(
        f"/admin/articles/image/{own.pk}/change/",
        {
            "alt_text": "صورتي بعد التصحيح",
            "caption": "",
            "credit": "",
            "focal_x": "",
            "focal_y": "",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.alt_text == "صورتي بعد التصحيح"

    # Another person's picture: shown read-only, and a crafted POST changes nothing.
    page = client.get(f"/admin/articles/image/{other.pk}/change/").content.decode()
    assert "صورة زميل" in page
    assert 'name="alt_text"' not in page
    response = client.post(
        f"/admin/articles/image/{other.pk}/change/",
        {"alt_text": "عبث", "caption": "", "credit": "", "focal_x": "", "focal_y": ""},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.alt_text == "صورة زميل"


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_editors_and_chiefs_change_anyones_picture(client, role):
    image = _library_image(alt="صورة مراسل", uploaded_by=make_staff("reporter"))
    _as(client, role)
    response = client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {"alt_text": "صورة مراسل مصححة", "caption": "", "credit": "", "focal_x": "", "focal_y": ""},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "صورة مراسل مصححة"


@pytest.mark.parametrize(
    ("role", "allowed"), [("reporter", False), ("editor", False), ("chief", True)]
)
def test_only_the_chief_deletes_a_picture(client, role, allowed):
    user = _as(client, role)
    image = _library_image(uploaded_by=user)
    response = client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists() is not allowed
    assert response.status_code == (302 if allowed else 403)


def test_a_staff_member_without_a_role_still_cannot_use_the_library(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/articles/image/").status_code == 403
    assert client.post("/admin/articles/image/add/", _upload_form()).status_code == 403
    assert client.get("/admin/articles/image/picker/").status_code == 403
    assert Image.objects.count() == 0


def test_the_migrated_groups_hold_exactly_what_roles_py_lists():
    from django.contrib.auth.models import Group

    from articles.desk.roles import GROUP_NAMES, PERMISSIONS

    for role, wanted in PERMISSIONS.items():
        group = Group.objects.get(name=GROUP_NAMES[role])
        held = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == set(wanted), role


def test_a_reporter_finds_the_pictures_they_uploaded(client):
    reporter = _as(client, "reporter")
    _library_image(alt="صورتي من المؤتمر", uploaded_by=reporter)
    _library_image(alt="صورة زميل", uploaded_by=make_staff("reporter"), color=(1, 2, 3))
    everyone = client.get("/admin/articles/image/").content.decode()
    assert "صورتي من المؤتمر" in everyone
    assert "صورة زميل" in everyone
    assert "رفعتُها أنا" in everyone  # the filter is offered
    mine = client.get("/admin/articles/image/", {"uploaded": "me"}).content.decode()
    assert "صورتي من المؤتمر" in mine
    assert "صورة زميل" not in mine


@pytest.mark.parametrize("url", ["/admin/articles/image/", "/admin/articles/image/picker/"])
def test_a_reporters_library_and_picker_cost_the_same_queries_however_many_pictures(
    client, url, django_assert_max_num_queries
):
    reporter = _as(client, "reporter")
    for n in range(2):
        _library_image(alt=f"صورة {n}", uploaded_by=reporter, color=(n, 50, 50))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(2, 10):
        _library_image(alt=f"صورة {n}", uploaded_by=reporter, color=(n, 50, 50))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "صورة 9" in page.content.decode()
