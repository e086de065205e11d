"""The desk page, the changelist at scale, roles from the command line."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAuthor
from tests.factories import log_in, make_article, make_author, make_section, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status


def _count(page, name):
    match = re.search(rf'id="desk-{name}".*?data-count="(\d+)"', page, re.S)
    return int(match.group(1))


def test_desk_counts_the_days_work(client):
    me, colleague = make_staff("reporter"), make_staff("reporter")
    now = timezone.now()
    make_article(status=S.DRAFT, created_by=me)
    make_article(status=S.DRAFT, created_by=me)
    make_article(status=S.DRAFT, created_by=colleague)
    make_article(status=S.DRAFT, created_by=me, returned_at=now)
    make_article(status=S.IN_REVIEW, created_by=colleague)
    make_article(status=S.APPROVED, created_by=colleague)
    make_article(status=S.PUBLISHED, publish_at=now + datetime.timedelta(hours=3), headline="موعد")
    make_article(status=S.PUBLISHED, publish_at=now - datetime.timedelta(hours=1))
    make_article(status=S.PUBLISHED, publish_at=now - datetime.timedelta(days=3))

    client.force_login(me)
    response = client.get(reverse("admin:articles_desk"))
    page = response.content.decode()
    counts = {
        name: _count(page, name)
        for name in ("mine", "returned", "review", "approved", "scheduled", "recent")
    }
    # A reporter's desk holds their own stories only (issue 13: no colleague's scoops).
    assert counts == {
        "mine": 2, "returned": 1, "review": 0, "approved": 0, "scheduled": 0, "recent": 0
    }  # fmt: skip
    assert "مسوداتي" in page
    assert "مجدولة" in page
    # Each bucket links to the same stories in the changelist.
    listing = client.get(reverse("admin:articles_article_changelist"), {"desk": "mine"})
    assert len(listing.context["cl"].result_list) == 2

    client.force_login(make_staff("editor"))
    page = client.get(reverse("admin:articles_desk")).content.decode()
    counts = {name: _count(page, name) for name in ("review", "approved", "scheduled", "recent")}
    assert counts == {"review": 1, "approved": 1, "scheduled": 1, "recent": 1}
    assert "موعد" in page  # scheduled stories are listed with their times


def test_changelist_queries_stay_flat_as_stories_grow(client, django_assert_max_num_queries):
    editor = make_staff("editor")
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")

    def add(n):
        section = make_section()
        authors = [make_author(), make_author()]
        for _ in range(n):
            article = make_article(section=section, status=S.DRAFT, created_by=editor)
            for position, author in enumerate(authors):
                ArticleAuthor.objects.create(article=article, author=author, position=position)

    add(3)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    add(40)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url, {"q": "خبر", "status__exact": "draft"})
        assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 43
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_changelist_filters_exist(client):
    for _ in range(2):
        make_article(authors=[make_author()])
    client.force_login(make_staff("chief"))
    response = client.get(reverse("admin:articles_article_changelist"))
    titles = {str(spec.title) for spec in response.context["cl"].filter_specs}
    assert titles == {"مكتب التحرير", "الحالة", "القسم", "الكتّاب", "موعد النشر", "حُدّث"}


def test_create_staff_assigns_a_role(client):
    call_command("create_staff", "huda", "--role", "editor", "--password", "long-passphrase-42")
    user = User.objects.get(username="huda")
    assert user.is_staff
    assert user.has_perm("articles.approve_article")
    assert not user.has_perm("articles.change_section")
    assert log_in(client, "huda", "long-passphrase-42")
    assert client.get(reverse("admin:articles_desk")).status_code == 200


def test_create_staff_refuses_duplicates_and_unknown_roles():
    call_command("create_staff", "ali", "--role", "reporter")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_staff", "ali", "--role", "editor")
    with pytest.raises(CommandError, match="Unknown role"):
        call_command("create_staff", "sami", "--role", "janitor")
    assert not User.objects.filter(username="sami").exists()
    assert User.objects.get(username="ali").groups.get().name == "صحفي"


def test_chief_manages_sections_and_staff_but_reporter_does_not(client):
    chief, reporter = make_staff("chief"), make_staff("reporter")
    client.force_login(chief)
    assert client.get(reverse("admin:articles_section_add")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    client.force_login(reporter)
    assert client.get(reverse("admin:articles_section_add")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_chief_assigns_roles_but_cannot_make_superusers(client):
    chief, reporter = make_staff("chief"), make_staff("reporter")
    root = User.objects.create_superuser("root", password="x")
    client.force_login(chief)
    url = reverse("admin:auth_user_change", args=[reporter.pk])
    editor_group = Group.objects.get(name="محرر")
    response = client.post(
        url,
        {
            "username": reporter.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [editor_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    reporter.refresh_from_db()
    assert reporter.has_perm("articles.approve_article")  # now an editor
    assert not reporter.is_superuser
    root_url = reverse("admin:auth_user_change", args=[root.pk])
    assert client.post(root_url, {"username": "hacked"}).status_code == 403


@pytest.mark.parametrize("role", ["reporter", "editor", "chief"])
def test_desk_pages_open_for_every_role(client, role):
    user = make_staff(role)
    article = make_article(status=S.DRAFT, created_by=user, authors=[make_author()])
    client.force_login(user)
    for name, args in [
        ("admin:index", []),
        ("admin:articles_desk", []),
        ("admin:articles_article_changelist", []),
        ("admin:articles_article_add", []),
        ("admin:articles_article_change", [article.pk]),
        ("admin:articles_article_history", [article.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("admin:index")).content.decode()
    assert "مكتب التحرير: عمل اليوم" in page


def _user_form(user, groups):
    return {
        "username": user.username,
        "is_active": "on",
        "is_staff": "on",
        "groups": [group.pk for group in groups],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
    }


def test_a_chief_cannot_manage_another_chief(client):
    """Only a superuser manages chief editors: their password, groups and account."""
    chief, other_chief = make_staff("chief"), make_staff("chief")
    client.force_login(chief)
    password_url = reverse("admin:auth_user_password_change", args=[other_chief.pk])
    response = client.post(
        password_url,
        {"password1": "a-new-secret-91", "password2": "a-new-secret-91", "usable_password": "true"},
    )
    assert response.status_code == 403
    other_chief.refresh_from_db()
    assert other_chief.check_password("x")
    change_url = reverse("admin:auth_user_change", args=[other_chief.pk])
    page = client.get(change_url)  # read-only: the account is shown, nothing can be saved
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, _user_form(other_chief, [])).status_code == 403
    assert other_chief.groups.get().name == "رئيس التحرير"


def test_a_chief_cannot_make_a_chief(client):
    from django.contrib.auth.models import Group

    chief, reporter = make_staff("chief"), make_staff("reporter")
    client.force_login(chief)
    url = reverse("admin:auth_user_change", args=[reporter.pk])
    response = client.post(url, _user_form(reporter, [Group.objects.get(name="رئيس التحرير")]))
    assert response.status_code == 200  # the form again, with the choice refused
    assert reporter.groups.get().name == "صحفي"


def test_a_superuser_manages_chiefs(client):
    root = User.objects.create_superuser("root", password="x")
    chief = make_staff("chief")
    client.force_login(root)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[chief.pk]),
        {"password1": "a-new-secret-91", "password2": "a-new-secret-91", "usable_password": "true"},
    )
    assert response.status_code == 302
    chief.refresh_from_db()
    assert chief.check_password("a-new-secret-91")
