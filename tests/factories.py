"""Helpers that make what tests need: stories, sections, people, form data.

Imported by tests as ``from tests.factories import …``; conftest.py holds fixtures only.
"""

import datetime
import html
import itertools
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from articles.desk.roles import GROUP_NAMES, PERMISSIONS
from articles.models import Article, ArticleAuthor, Author, Section, Tag

SAMPLE = Path(settings.BASE_DIR) / "demo" / "wire" / "000_8a60910e0df4ed03.txt"
_counter = itertools.count(1)


def card_headlines(response) -> list[str]:
    """The headlines of the story cards a page lists, in the order a reader sees them."""
    found = re.findall(
        r'class="card__headline"><a href="[^"]*">(.*?)</a>', response.content.decode()
    )
    return [html.unescape(headline) for headline in found]


def next_page_link(response) -> str | None:
    """Where the page's "next" link (older stories, more results) takes the reader."""
    found = re.search(r'rel="next" href="([^"]+)"', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def make_section(name=None, **fields):
    n = next(_counter)
    return Section.objects.create(
        name=name or f"قسم {n}", slug=fields.pop("slug", f"قسم-{n}"), **fields
    )


def make_author(name=None, **fields):
    return Author.objects.create(name=name or f"كاتب {next(_counter)}", **fields)


def make_tag(name=None):
    return Tag.objects.create(name=name or f"وسم {next(_counter)}")


def make_article(
    *,
    headline=None,
    section=None,
    status=Article.Status.PUBLISHED,
    publish_at=None,
    authors=(),
    tags=(),
    **fields,
):
    if publish_at is None and status == Article.Status.PUBLISHED:
        publish_at = timezone.now() - datetime.timedelta(hours=next(_counter))
    article = Article.objects.create(
        headline=headline or f"خبر رقم {next(_counter)}",
        section=section or make_section(),
        status=status,
        publish_at=publish_at,
        standfirst=fields.pop("standfirst", "مقدمة الخبر"),
        body=fields.pop("body", "<p>نص الخبر.</p>"),
        **fields,
    )
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    article.tags.set(tags)
    return article


def make_live_story(headline: str, editor: User) -> Article:
    """A published story turned into live coverage by ``editor``."""
    from articles.desk import live

    story = make_article(headline=headline)
    live.coverage_start(article=story, user=editor)
    return story


def make_staff(role: str, username: str | None = None) -> User:
    """A staff account in one of the newsroom's roles."""
    user = User.objects.create_user(
        username=username or f"{role}{next(_counter)}",
        password="x",
        is_staff=True,
    )
    user.groups.add(role_group(role))
    return user


def role_group(role: str) -> Group:
    """The role's group. The data migration makes it, but a test that commits
    (``transaction=True``) flushes the database after it, groups included: then it is
    made again here, whole, from the same table."""
    group, created = Group.objects.get_or_create(name=GROUP_NAMES[role])
    if created:
        wanted = Q(pk__in=[])
        for dotted in PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


def change_form_data(article, **overrides):
    """What the admin's change form posts for ``article`` as it is stored now."""
    local_expiry = timezone.localtime(article.expire_at) if article.expire_at else None
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": str(article.section_id),
        "authors": [str(c.author_id) for c in article.credits.order_by("position")],
        "tags": [str(pk) for pk in article.tags.values_list("pk", flat=True)],
        "dateline_place": article.dateline_place,
        "expire_at_0": local_expiry.strftime("%Y-%m-%d") if local_expiry else "",
        "expire_at_1": local_expiry.strftime("%H:%M:%S") if local_expiry else "",
        "opened_version": str(article.version),
        "correction_note": "",
        "_save": "1",
    }
    data.update(overrides)
    return data


def log_in(client, username, password, address="127.0.0.1") -> bool:
    """Sign in through the admin's login form, as a person does (the login throttle
    counts these; Client.login() would bypass the request it needs)."""
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def clear_cache() -> None:
    """Empty this run's cache. A Redis may be shared with another run of the suite, so
    only this run's keys go (settings_test.py gives them a prefix of their own; Django
    names a key ``prefix:version:key``); ``cache.clear()`` would empty the other run's too."""
    options = settings.CACHES["default"]
    if not options["BACKEND"].endswith("RedisCache"):
        cache.clear()  # process-local: this run's alone
        return
    import redis

    location = options["LOCATION"]
    server = (location.split(",") if isinstance(location, str) else location)[0]
    with redis.Redis.from_url(server) as client:
        mine = list(client.scan_iter(match=f"{options['KEY_PREFIX']}:*", count=1000))
        if mine:
            client.delete(*mine)
