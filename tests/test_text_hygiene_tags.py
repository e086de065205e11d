"""One tag per word as search sees it, and rows stored before the hygiene rule cleaned."""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, Tag
from tests.factories import make_article

NFC_NEWS = "أخبار"
NFD_NEWS = unicodedata.normalize("NFD", NFC_NEWS)
BEFORE = ("articles", "0013_live_coverage")  # the migration before the hygiene


@pytest.fixture
def chief(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "x")
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (NFC_NEWS, NFD_NEWS),
        ("ﻻجئ", "لاجئ"),  # presentation-form lam-alef, pasted from a PDF
        ("لاجئ", "ﻻجئ"),
        ("الأخبار", "اخبار"),
        ("COVID", "covid"),
    ],
)
def test_spellings_search_treats_as_one_word_are_one_tag(first, second):
    tag = Tag.objects.for_name(first)
    assert Tag.objects.for_name(second) == tag
    assert Tag.objects.count() == 1
    assert tag.name == unicodedata.normalize("NFC", Tag.objects.get().name)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name=second, slug="other")  # the database holds the rule too


@pytest.mark.django_db
def test_the_tag_admin_refuses_a_second_spelling_and_names_the_tag_to_use(client, chief):
    existing = Tag.objects.create(name=NFC_NEWS)
    response = client.post("/admin/articles/tag/add/", {"name": NFD_NEWS, "slug": "akhbar-2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"الوسم «{NFC_NEWS}» موجود بالفعل" in html
    assert list(Tag.objects.all()) == [existing]

    response = client.post("/admin/articles/tag/add/", {"name": "ﻻجئ", "slug": "laji"})
    assert response.status_code == 302
    assert Tag.objects.get(slug="laji").name == "لاجئ"  # stored as the letters it shows


@pytest.mark.django_db
def test_the_tag_picker_finds_the_tag_without_its_hamza(client, chief):
    Tag.objects.create(name=NFC_NEWS)
    Tag.objects.create(name="رياضة")
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "اخبار",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "tags",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [NFC_NEWS]


@pytest.mark.django_db(transaction=True)
def test_the_migration_cleans_rows_stored_before_the_rule_and_merges_tags(capsys):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    section = old.get_model("articles", "Section").objects.create(
        name="اقتصاد\x0b\u202e", slug="eco"
    )
    stories = old.get_model("articles", "Article").objects
    broken = stories.create(
        headline="النفط\x0bيرتفع\uffff\u2066", standfirst="سطر\x01", section=section, slug="a"
    )
    blank = stories.create(headline="\u202e\x0b", section=section, slug="b")
    tags = old.get_model("articles", "Tag").objects
    keeper = tags.create(name=NFC_NEWS, slug="akhbar")
    twin = tags.create(name=NFD_NEWS, slug="akhbar-2")
    laji = tags.create(name="ﻻجئ", slug="laji")
    broken.tags.set([keeper, twin, laji])
    blank.tags.set([twin])

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    assert Article.objects.get(pk=broken.pk).headline == "النفط يرتفع"
    assert Article.objects.get(pk=broken.pk).standfirst == "سطر"
    assert Article.objects.get(pk=blank.pk).headline == f"بلا عنوان {blank.pk}"
    assert Article.objects.get(pk=broken.pk).section.name == "اقتصاد"
    assert sorted(Tag.objects.values_list("pk", "name")) == [
        (keeper.pk, NFC_NEWS),
        (laji.pk, "لاجئ"),
    ]
    # The merged tag's stories kept it, under the oldest spelling.
    assert sorted(Tag.objects.get(pk=keeper.pk).articles.values_list("pk", flat=True)) == [
        broken.pk,
        blank.pk,
    ]
    printed = capsys.readouterr().out
    assert f"tag {twin.pk}" in printed
    assert f"article {blank.pk}" in printed
    # The new rule holds from now on.
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name=NFD_NEWS, slug="again")
    make_article(tags=[Tag.objects.for_name("اخبار")])
    assert Tag.objects.count() == 2


@pytest.mark.django_db
def test_a_tag_of_long_ligatures_is_stored_not_a_500(client, chief):
    response = client.post("/admin/articles/tag/add/", {"name": "ﷺ" * 100, "slug": "salla"})
    assert response.status_code == 302
    assert Tag.objects.get(slug="salla").name == "ﷺ" * 100
