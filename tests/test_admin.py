"""The admin registers the newsroom's content, in Arabic, right to left."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "x")
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", ["article", "section", "author", "tag"])
def test_changelists_and_add_forms_are_arabic_rtl(client, chief, model):
    make_article(authors=[make_author()], tags=[make_tag()])
    for url in (f"/admin/articles/{model}/", f"/admin/articles/{model}/add/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'lang="ar"' in html
        assert 'dir="rtl"' in html


def test_article_changelist_search_and_filters(client, chief):
    economy = make_section(name="اقتصاد")
    make_article(headline="أسعار النفط ترتفع", section=economy)
    make_article(headline="فوز المنتخب", section=make_section(name="رياضة"))

    html = client.get("/admin/articles/article/", {"q": "النفط"}).content.decode()
    assert "أسعار النفط ترتفع" in html
    assert "فوز المنتخب" not in html

    html = client.get(
        "/admin/articles/article/", {"section__id__exact": economy.pk}
    ).content.decode()
    assert "أسعار النفط ترتفع" in html
    assert "فوز المنتخب" not in html
    assert "الحالة" in html  # the status filter, translated


def test_a_blank_headline_is_refused_in_arabic_and_nothing_is_saved(client, chief):
    section, author = make_section(), make_author()
    # Every field the add form has, as its page posts them; only the headline is wrong.
    response = client.post(
        "/admin/articles/article/add/",
        {
            "headline": "   ",
            "slug": "",
            "standfirst": "مقدمة محفوظة",
            "lead_image": "",
            "body": "<p>نص</p>",
            "opened_version": "",
            "section": str(section.pk),
            "authors": [str(author.pk)],
            "tags": [],
            "dateline_place": "",
            "expire_at_0": "",
            "expire_at_1": "",
            "_save": "1",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    # Every field posted is one the form has, and only the headline is refused.
    posted = {name.removesuffix("_0").removesuffix("_1") for name in form.data}  # split widgets
    assert set(form.fields) >= posted - {"_save"}
    assert set(form.errors) - {"__all__"} == {"headline"}, form.errors
    html = response.content.decode()
    assert "هذا الحقل مطلوب" in html  # Django's own Arabic message
    assert "مقدمة محفوظة" in html  # what was typed is still in the form
    assert not Article.objects.exists()


@pytest.mark.parametrize("query", ["\x00", "a\x00b"])
def test_changelist_search_with_a_nul_character_is_not_a_500(client, chief, query):
    make_article(headline="أسعار النفط")
    response = client.get("/admin/articles/article/", {"q": query})
    assert response.status_code == 200
