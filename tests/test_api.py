"""The read API: live stories as ninjs 3.1, checked against the specification."""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from articles.desk import workflow
from articles.media import images
from articles.models import ApiPartner, Article
from tests.factories import make_article, make_author, make_section, make_staff, make_tag
from tests.images_helpers import photo_bytes, upload
from tests.ninjs_spec import problems

pytestmark = pytest.mark.django_db

LIST = "/api/v1/stories/"


def detail(article) -> str:
    return f"/api/v1/stories/{article.pk}/"


def get_json(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production (the test suite runs with it off)."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_story_is_a_valid_ninjs_document_with_everything_a_partner_needs(client):
    section = make_section("اقتصاد", slug="eco")
    story = make_article(
        headline="النفط يرتفع",
        standfirst="خام برنت يقترب من 90 دولاراً.",
        body='<p>قال <a href="https://example.com/">المحللون</a> إن الأسعار سترتفع.</p><p>وأضافوا.</p>',
        section=section,
        authors=[make_author("ليلى حسن"), make_author("عمر")],
        tags=[make_tag("الطاقة")],
        dateline_place="دبي",
    )
    document = get_json(client, detail(story))

    assert problems(document) == []
    assert document["uri"] == f"http://testserver/article/{story.pk}/"
    assert document["type"] == "text"
    assert document["language"] == "ar"
    assert document["pubStatus"] == "usable"
    assert document["headlines"] == [{"role": "main", "value": "النفط يرتفع"}]
    assert document["descriptions"] == [
        {"role": "summary", "value": "خام برنت يقترب من 90 دولاراً."}
    ]
    html_body, text_body = document["bodies"]
    assert html_body["contentType"] == "text/html"
    assert html_body["value"] == story.body
    assert text_body["contentType"] == "text/plain"
    assert text_body["value"] == "قال المحللون إن الأسعار سترتفع.\n\nوأضافوا."
    assert text_body["wordCount"] == 6
    assert document["by"] == "ليلى حسن، عمر"
    assert [person["name"] for person in document["people"]] == ["ليلى حسن", "عمر"]
    assert {(s["rel"], s["name"]) for s in document["subjects"]} == {
        ("section", "اقتصاد"),
        ("tag", "الطاقة"),
    }
    assert document["located"] == "دبي"
    published = datetime.datetime.fromisoformat(document["firstCreated"])
    assert published == story.publish_at
    assert document["versionCreated"] == document["firstCreated"]
    # The address works for a reader too: it leads to the story's page.
    assert client.get(document["uri"]).status_code == 301


def test_the_lead_picture_travels_with_its_renditions(client, media_root):
    picture = images.create_image(
        upload(photo_bytes((1800, 1200))), alt_text="متظاهرون في الساحة", credit="وكالة الأنباء"
    )
    story = make_article(lead_image=picture)
    document = get_json(client, detail(story))

    assert problems(document) == []
    (association,) = document["associations"]
    assert association["name"] == "featureimage"
    assert association["type"] == "picture"
    assert association["by"] == "وكالة الأنباء"
    assert {"role": "alt", "value": "متظاهرون في الساحة"} in association["descriptions"]
    hrefs = {rendition["href"] for rendition in association["renditions"]}
    assert hrefs == {f"http://testserver{r.file.url}" for r in picture.renditions.all()}
    assert all(
        r["width"] > 0 and r["contentType"].startswith("image/") for r in association["renditions"]
    )


def test_a_correction_changes_the_version_and_carries_the_public_note(client):
    story = make_article(headline="الحصيلة 10 قتلى")
    editor = make_staff("editor")
    workflow.article_edit(
        article=story,
        user=editor,
        values={"headline": "الحصيلة 12 قتيلاً"},
        public_note="صُحّحت الحصيلة.",
    )
    document = get_json(client, detail(story))

    assert problems(document) == []
    assert {"role": "correction", "value": "صُحّحت الحصيلة."} in document["descriptions"]
    corrected = datetime.datetime.fromisoformat(document["versionCreated"])
    assert corrected > datetime.datetime.fromisoformat(document["firstCreated"])


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.WITHDRAWN},
        {"publish_at": "future"},
        {"expire_at": "past"},
    ],
    ids=["draft", "in review", "withdrawn", "scheduled", "expired"],
)
def test_only_live_stories_are_served(client, fields):
    now = timezone.now()
    fields = dict(fields)
    if fields.get("publish_at") == "future":
        fields["publish_at"] = now + datetime.timedelta(hours=1)
    if fields.get("expire_at") == "past":
        fields["publish_at"] = now - datetime.timedelta(days=2)
        fields["expire_at"] = now - datetime.timedelta(seconds=1)
    hidden = make_article(headline="سرّ لم يُنشر", **fields)
    visible = make_article(headline="خبر منشور")

    error = get_json(client, detail(hidden), status=404)
    assert error["error"]["code"] == "not_found"
    listing = get_json(client, LIST)
    assert [item["headlines"][0]["value"] for item in listing["items"]] == ["خبر منشور"]
    assert "سرّ" not in json.dumps(listing, ensure_ascii=False)
    assert visible.pk


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_story_appears_at_its_second_through_the_cache(page_cache, client):
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=5)
    story = make_article(publish_at=at)
    with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False):
        assert client.get(detail(story)).status_code == 404
        assert get_json(client, LIST)["items"] == []
        assert client.get(LIST)["X-Cache"] == "hit"
    with time_machine.travel(at, tick=False):
        assert client.get(detail(story)).status_code == 200
        assert len(get_json(client, LIST)["items"]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_story_leaves_the_cached_api_at_once(page_cache, client):
    story = make_article()
    editor = make_staff("editor")
    assert client.get(detail(story)).status_code == 200
    assert client.get(detail(story))["X-Cache"] == "hit"
    workflow.article_withdraw(article=story, user=editor, note="خطأ")
    assert client.get(detail(story)).status_code == 404


def test_listing_is_newest_first_with_keyset_pages_that_visit_every_story_once(client):
    now = timezone.now()
    stories = [make_article(publish_at=now - datetime.timedelta(minutes=m)) for m in range(5)]
    seen, url = [], f"{LIST}?limit=2"
    while url:
        page = get_json(client, url)
        assert all(problems(item) == [] for item in page["items"])
        seen += [item["uri"] for item in page["items"]]
        url = page["next"]
    assert seen == [f"http://testserver/article/{story.pk}/" for story in stories]


def test_filters_by_section_tag_author_and_changed_since(client):
    sport, politics = make_section(slug="sport"), make_section(slug="politics")
    goal_tag, writer = make_tag("كرة القدم"), make_author("سارة")
    old = timezone.now() - datetime.timedelta(days=3)
    match = make_article(
        headline="مباراة",
        section=sport,
        tags=[goal_tag],
        authors=[writer],
        publish_at=timezone.now() - datetime.timedelta(hours=1),  # not the counter's hours
    )
    make_article(headline="برلمان", section=politics, publish_at=old)

    def headlines(query):
        return [item["headlines"][0]["value"] for item in get_json(client, LIST + query)["items"]]

    assert headlines("?section=sport") == ["مباراة"]
    assert headlines(f"?tag={goal_tag.slug}") == ["مباراة"]
    assert headlines(f"?author={writer.slug}") == ["مباراة"]
    since = (old + datetime.timedelta(hours=1)).isoformat()
    assert headlines(f"?since={since.replace('+', '%2B')}") == ["مباراة"]
    assert headlines("?section=none") == []
    assert match.pk


@pytest.mark.parametrize(
    "query",
    [
        "limit=²",
        "limit=0",
        "limit=101",
        "limit=١٠",
        "since=9999-99-99",
        "since=²٠٢٤",
        "before=garbage",
        "before=99999999999999999999-1",
        "section=%00",
        "author=" + "ب" * 5000,
    ],
)
def test_hostile_parameters_get_a_clear_400_never_a_500(client, query):
    make_article()
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    error = json.loads(response.content)["error"]
    assert error["code"] == "bad_parameter"
    assert error["message"]


@pytest.mark.parametrize("query", ["tag=%ED%A0%80", "section=%FF%FE", "since=2024-04-25T10:00:00"])
def test_odd_but_harmless_parameters_answer_normally(client, query):
    # Bytes that are not UTF-8 reach the view as U+FFFD; a time without an offset is UTC.
    make_article()
    assert client.get(f"{LIST}?{query}").status_code == 200


def test_etag_and_conditional_get(client):
    story = make_article()
    first = client.get(detail(story))
    assert first["ETag"]
    again = client.get(detail(story), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_the_api_is_read_only(client):
    story = make_article()
    assert client.post(detail(story)).status_code == 405
    assert client.delete(LIST).status_code == 405


def test_partner_keys_are_checked_and_rate_limited(client):
    partner = ApiPartner(name="تطبيق الجوال", requests_per_minute=2)
    key = partner.issue_key()
    partner.save()
    make_article()
    bearer = {"Authorization": f"Bearer {key}"}

    assert client.get(LIST, headers=bearer).status_code == 200
    assert client.get(LIST, headers=bearer).status_code == 200
    refused = client.get(LIST, headers=bearer)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "دقيقة" in json.loads(refused.content)["error"]["message"]

    wrong = get_json(client, LIST, status=401, Authorization="Bearer not-a-key")
    assert wrong["error"]["code"] == "invalid_key"
    ApiPartner.objects.filter(pk=partner.pk).update(is_active=False)
    assert client.get(LIST, headers=bearer).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_when_keys_are_required_no_answer_comes_without_one(page_cache, client, settings):
    settings.NEWSROOM_API_KEY_REQUIRED = True
    settings.NEWSROOM_UNCACHED_PREFIXES = (*settings.NEWSROOM_UNCACHED_PREFIXES, "/api/")
    story = make_article()
    for _ in range(2):  # the second would be a cache hit if the cache answered
        error = get_json(client, detail(story), status=401)
        assert error["error"]["code"] == "key_required"
    partner = ApiPartner(name="شريك")
    key = partner.issue_key()
    partner.save()
    assert client.get(detail(story), headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_callers_without_a_key_are_limited_by_address(client, settings):
    # The page cache is off in tests: every call reaches the view.
    settings.NEWSROOM_API_REQUESTS_PER_MINUTE = 3
    make_article()
    statuses = [client.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = client.get(LIST, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_cors_only_for_the_origins_the_site_names(page_cache, client, settings):
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://app.example"]
    make_article()
    allowed = client.get(LIST, headers={"Origin": "https://app.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Origin" in allowed["Vary"]
    # The same cached answer, asked for by another origin, does not carry the first one's grant.
    other = client.get(LIST, headers={"Origin": "https://evil.example"})
    assert other["X-Cache"] == "hit"
    assert "Access-Control-Allow-Origin" not in other
    preflight = client.options(
        LIST,
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get(
        "/", headers={"Origin": "https://app.example"}
    )


def test_an_administrator_issues_a_key_shown_once_that_works(client):
    admin_user = User.objects.create_superuser("root", password="x")
    client.force_login(admin_user)
    response = client.post(
        "/admin/articles/apipartner/add/",
        {
            "name": "مجمّع الأخبار",
            "contact": "ops@example.com",
            "is_active": "on",
            "requests_per_minute": "60",
        },
        follow=True,
    )
    (message,) = [str(m) for m in response.context["messages"] if "انسخه" in str(m)]
    key = message.split(": ", 1)[1].split(" — ")[0]
    partner = ApiPartner.objects.get()
    assert partner.key_prefix == key[:8]
    assert key not in partner.key_digest
    client.logout()
    make_article()
    assert client.get(LIST, headers={"Authorization": f"Bearer {key}"}).status_code == 200

    client.force_login(admin_user)
    client.post(
        "/admin/articles/apipartner/",
        {"action": "rotate_keys", "_selected_action": [partner.pk]},
    )
    client.logout()
    assert client.get(LIST, headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_query_count_is_flat_whatever_the_page_holds(client, django_assert_max_num_queries):
    section = make_section()
    for _ in range(12):
        make_article(section=section, authors=[make_author()], tags=[make_tag(), make_tag()])
    with django_assert_max_num_queries(3):
        page = get_json(client, f"{LIST}?limit=12&section={section.slug}")
    assert len(page["items"]) == 12
    story = Article.objects.first()
    with django_assert_max_num_queries(2):
        get_json(client, detail(story))


def test_the_checker_itself_refuses_what_ninjs_does_not_define():
    assert problems({"headline": "x"}) == [
        "$: required property 'uri' missing",
        "$: property 'headline' is not defined by ninjs 3.1",
    ]
    assert problems({"uri": "not a uri", "versionCreated": "2024-04-25"}) != []
    assert problems({"uri": "http://x/1", "bodies": [{"value": "x", "html": True}]}) != []
    assert problems({"uri": "http://x/1", "associations": [{"uri": "http://x/2"}]}) == [
        "$.associations[0]: required property 'name' missing"
    ]
