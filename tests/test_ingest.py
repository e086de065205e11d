"""Wire copy in: NewsML-G2, ninjs 2.x/3.x and plain text, embargoes, versions and kills."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles.desk import workflow
from articles.desk.workflow import SYSTEM_USERNAME
from articles.models import Article, ArticleEvent, Revision
from articles.text.arabic import MONTHS
from articles.wire.formats import read_items
from articles.wire.item import WireError
from tests.factories import make_section, make_staff

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "fixtures" / "wire"
T = datetime.datetime(2031, 3, 10, 9, 0, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


def newsml(
    *,
    guid="urn:test:1",
    version=1,
    headline="زلزال يضرب المنطقة",
    body="<p>نص الخبر.</p>",
    status="stat:usable",
    embargo=None,
    note="",
    created="2024-04-25T08:00:00+00:00",
    language="ar",
):
    embargo_element = f"<embargoed>{embargo.isoformat()}</embargoed>" if embargo else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}"
          standard="NewsML-G2" standardversion="2.33">
  <itemMeta><itemClass qcode="ninat:text"/><versionCreated>{created}</versionCreated>
    <firstCreated>{created}</firstCreated>{embargo_element}<pubStatus qcode="{status}"/>
    <edNote>{note}</edNote></itemMeta>
  <contentMeta><language tag="{language}"/><headline>{headline}</headline>
    <description role="drol:summary">مقدمة</description></contentMeta>
  <contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>
  </inlineXML></contentSet>
</newsItem>"""


def ingest(tmp_path, name, text, *args):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def section():
    return make_section("محليات", slug="local")


def test_newsml_g2_sample_reads_every_field():
    (item,) = read_items(SAMPLES / "newsml_item_v1.xml")
    assert item.format == "NewsML-G2"
    assert item.guid == "urn:newsml:wire.example:20240425:gulf-rain"
    assert item.version == 1
    assert item.headline == "أمطار غزيرة تغمر شوارع دبي"
    assert item.standfirst == "هطلت أمطار لم تشهدها الإمارات منذ 75 عاماً."
    assert item.dateline_place == "دبي"
    assert item.subjects == ["بيئة"]
    assert item.byline == "سلمى الراشد"
    assert item.embargoed_until == datetime.datetime(2030, 1, 1, 8, 0, tzinfo=datetime.UTC)
    assert item.version_created.isoformat() == "2024-04-25T09:00:00+04:00"
    assert "<strong>شوارع</strong>" in item.body_html
    assert 'href="https://example.org/weather"' in item.body_html


def test_ninjs_3_and_2_samples_read_with_their_own_names():
    (three,) = read_items(SAMPLES / "ninjs3_item.json")
    assert three.format == "ninjs"
    assert three.guid == "http://wire.example/ninjs/2024/amman-schools"
    assert three.version == 4
    assert three.headline == "عودة الطلاب إلى المدارس في الأردن"
    assert three.standfirst == "أكثر من مليوني طالب يبدأون العام الدراسي."
    assert three.dateline_place == "عمّان"
    assert three.embargoed_until is None
    (two,) = read_items(SAMPLES / "ninjs2_item.json")
    assert two.headline == "افتتاح خط جديد لمترو القاهرة"
    assert two.language == "ar-EG"
    assert two.embargoed_until == datetime.datetime(2030, 6, 1, 8, 0, tzinfo=datetime.UTC)
    assert (
        two.body_html == "<p>افتتح الخط الرابع صباح اليوم.</p><p>ويربط الخط شرق المدينة بغربها.</p>"
    )


def test_ingest_takes_every_format_from_a_folder_as_drafts_through_the_sanitiser(tmp_path, section):
    folder = tmp_path / "wire"
    folder.mkdir()
    for name in ("newsml_item_v1.xml", "ninjs3_item.json", "ninjs2_item.json"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    (folder / "plain.txt").write_bytes(
        (Path(settings.BASE_DIR) / "demo/wire/000_8a60910e0df4ed03.txt").read_bytes()
    )
    out = io.StringIO()
    call_command("ingest", str(folder), "--section", "local", stdout=out, stderr=io.StringIO())

    paths = out.getvalue().split()
    assert len(paths) == 4
    stories = Article.objects.order_by("pk")
    assert all(
        story.status == Article.Status.DRAFT and story.section == section for story in stories
    )
    rain = stories.get(headline="أمطار غزيرة تغمر شوارع دبي")
    assert "<script" not in rain.body
    assert "alert" not in rain.body
    schools = stories.get(headline="عودة الطلاب إلى المدارس في الأردن")
    assert "onclick" not in schools.body
    assert "<em>المدارس</em>" in schools.body
    assert {story.get_absolute_url() for story in stories} == set(paths)
    wire = stories.first().created_by
    assert wire.username == SYSTEM_USERNAME
    assert not wire.has_usable_password()
    assert all(Revision.objects.filter(article=story).count() == 1 for story in stories)


@pytest.mark.django_db(transaction=True)
def test_embargo_holds_every_surface_to_the_second(tmp_path, section, client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    ingest(
        tmp_path,
        "quake.xml",
        newsml(headline="زلزال قوي", embargo=T),
        "--section",
        "local",
        "--status",
        "published",
    )
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED
    assert story.embargoed_until == T
    surfaces = [
        story.get_absolute_url(),
        "/",
        "/feeds/rss/",
        "/api/v1/stories/",
        "/search/?q=زلزال",
    ]
    with time_machine.travel(T - SECOND, tick=False):
        assert client.get(story.get_absolute_url()).status_code == 404
        for url in surfaces[1:]:
            assert "زلزال قوي" not in client.get(url).content.decode(), url
    with time_machine.travel(T, tick=False):
        assert client.get(story.get_absolute_url()).status_code == 200
        for url in surfaces[1:]:
            assert "زلزال قوي" in client.get(url).content.decode(), url


def test_an_editor_publishing_by_hand_cannot_beat_the_embargo(tmp_path, section, client):
    embargo = timezone.now() + datetime.timedelta(hours=2)
    ingest(tmp_path, "quake.xml", newsml(embargo=embargo), "--section", "local")
    story = Article.objects.get()
    editor = make_staff("editor")
    workflow.article_submit(article=story, user=editor)
    workflow.article_approve(article=story, user=editor)
    workflow.article_publish(article=story, user=editor)
    assert story.status == Article.Status.PUBLISHED
    assert client.get(story.get_absolute_url()).status_code == 404
    assert not Article.objects.live().exists()
    with time_machine.travel(embargo, tick=False):
        assert Article.objects.live().get() == story
    client.force_login(editor)
    desk = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    local = timezone.localtime(embargo)  # in Arabic order: «25 أبريل 2024، 09:00»
    assert "حظر" in desk
    assert f"{local.day} {MONTHS[local.month - 1]} {local.year}، {local:%H:%M}" in desk


def test_a_higher_version_corrects_a_published_story_and_keeps_its_place(tmp_path, section, client):
    ingest(
        tmp_path,
        "v1.xml",
        newsml(headline="حصيلة الزلزال 10"),
        "--section",
        "local",
        "--status",
        "published",
    )
    story = Article.objects.get()
    published_at, other = story.publish_at, make_section(slug="other")
    out, _err = ingest(
        tmp_path,
        "v2.xml",
        newsml(version=2, headline="حصيلة الزلزال 12", note="تحديث الحصيلة"),
        "--section",
        "other",
    )
    story.refresh_from_db()
    assert story.headline == "حصيلة الزلزال 12"
    assert story.section == section != other
    assert story.status == Article.Status.PUBLISHED
    assert story.publish_at == published_at
    assert story.corrected_at is not None
    assert story.wire_version == 2
    correction = story.events.get(action=ArticleEvent.Action.CORRECT)
    assert correction.public_note == "تحديث الحصيلة"
    assert correction.user.username == SYSTEM_USERNAME
    assert "تحديث الحصيلة" in client.get(story.get_absolute_url()).content.decode()
    assert out.strip() == story.get_absolute_url()


def test_an_equal_or_lower_version_is_ignored(tmp_path, section):
    ingest(tmp_path, "v2.xml", newsml(version=2, headline="النسخة الثانية"), "--section", "local")
    story = Article.objects.get()
    before = (story.updated_at, story.version)
    for version in (2, 1):
        _out, err = ingest(
            tmp_path, f"v{version}b.xml", newsml(version=version, headline="نسخة قديمة")
        )
        assert "تُجوهل" in err
    story.refresh_from_db()
    assert story.headline == "النسخة الثانية"
    assert (story.updated_at, story.version) == before


def test_identical_copy_again_changes_nothing_at_all(tmp_path, section):
    text = (SAMPLES / "ninjs3_item.json").read_text("utf-8")
    ingest(tmp_path, "a.json", text, "--section", "local")
    story = Article.objects.get()
    before = (story.updated_at, story.version, story.revisions.count(), story.events.count())
    ingest(
        tmp_path, "b.json", text.replace('"version": "4"', '"version": "5"'), "--section", "local"
    )
    story.refresh_from_db()
    assert (
        story.updated_at,
        story.version,
        story.revisions.count(),
        story.events.count(),
    ) == before


@pytest.mark.django_db(transaction=True)
def test_a_kill_withdraws_at_once_with_an_entry_naming_the_wire(
    tmp_path, section, client, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    ingest(
        tmp_path, "v1.xml", newsml(guid="urn:kill:1"), "--section", "local", "--status", "published"
    )
    story = Article.objects.get()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(story.get_absolute_url())["X-Cache"] == "hit"
    _out, _err = ingest(
        tmp_path,
        "v2.xml",
        newsml(guid="urn:kill:1", version=2, status="stat:canceled", note="خطأ في المصدر"),
    )
    story.refresh_from_db()
    assert story.status == Article.Status.WITHDRAWN
    assert client.get(story.get_absolute_url()).status_code == 404
    entry = story.events.get(action=ArticleEvent.Action.WITHDRAW)
    assert "urn:kill:1" in entry.note
    assert "خطأ في المصدر" in entry.note
    assert entry.user.username == SYSTEM_USERNAME


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bomb.xml", None, "entities"),
        ("external_entity.xml", None, "entities"),
        ("broken.xml", "<newsItem><contentMeta>", "XML"),
        ("other.xml", "<rss><channel/></rss>", "NewsML-G2"),
        ("list.json", '["not", "ninjs"]', "ninjs"),
        ("noheadline.json", '{"uri": "urn:x", "bodies": [{"value": "نص"}]}', "بلا عنوان"),
        ("english.xml", "ENGLISH", "(en)"),
        ("empty-body.xml", "EMPTY", "نصه فارغ"),
        (
            "bad-date.json",
            '{"uri": "urn:y", "headline": "عنوان", "body_html": "<p>نص</p>", "embargoed": "tomorrow"}',
            "embargoed",
        ),
    ],
)
def test_bad_input_is_named_writes_nothing_and_the_rest_go_on(
    tmp_path, section, name, content, reason
):
    folder = tmp_path / "in"
    folder.mkdir()
    if content is None:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    elif content == "ENGLISH":
        (folder / name).write_text(newsml(guid="urn:en", language="en"), "utf-8")
    elif content == "EMPTY":
        (folder / name).write_text(newsml(guid="urn:empty", body="<p> </p>"), "utf-8")
    else:
        (folder / name).write_text(content, "utf-8")
    (folder / "good.xml").write_text(newsml(guid="urn:good", headline="خبر سليم"), "utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 من أصل 2"):
        call_command("ingest", str(folder), stdout=io.StringIO(), stderr=err)
    assert f"{name}: " in err.getvalue()
    assert reason in err.getvalue()
    assert list(Article.objects.values_list("headline", flat=True)) == ["خبر سليم"]


def test_the_entity_bomb_is_refused_before_expansion():
    with pytest.raises(WireError, match="entities"):
        read_items(SAMPLES / "bomb.xml")
    with pytest.raises(WireError) as refused:
        read_items(SAMPLES / "external_entity.xml")
    assert "root:" not in str(refused.value)  # /etc/passwd was never read


def test_import_article_is_still_the_plain_text_door(sample_path, section):
    out = io.StringIO()
    call_command("import_article", str(sample_path), "--section", "local", stdout=out)
    assert Article.objects.get().get_absolute_url() == out.getvalue().strip()


def _watch(folder: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings_test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "ingest",
            "--watch",
            str(folder),
            "--once",
            "--section",
            "local",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _test_database_url() -> str:
    """The test database, for a subprocess; the host goes in the query, where a socket
    folder (the embedded server's) is understood too."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "127.0.0.1", safe="/")
    return f"postgres://{db['USER']}@:{db['PORT'] or 5432}/{db['NAME']}?host={host}"


@pytest.mark.django_db(transaction=True)
def test_two_watchers_on_one_folder_take_each_file_once(tmp_path, section):
    folder = tmp_path / "drop"
    folder.mkdir()
    for n in range(8):
        (folder / f"item-{n}.xml").write_text(
            newsml(guid=f"urn:drop:{n}", headline=f"خبر رقم {n}"), "utf-8"
        )
    (folder / "broken.xml").write_text("<newsItem", "utf-8")
    watchers = [_watch(folder), _watch(folder)]
    outputs = [w.communicate(timeout=120) for w in watchers]
    assert all(w.returncode == 0 for w in watchers), outputs

    printed = [line for out, _err in outputs for line in out.split()]
    assert len(printed) == 8
    assert len(set(printed)) == 8
    assert Article.objects.count() == 8
    assert sorted(p.name for p in (folder / "done").iterdir()) == sorted(
        f"item-{n}.xml" for n in range(8)
    )
    assert sorted(p.name for p in (folder / "failed").iterdir()) == [
        "broken.xml",
        "broken.xml.reason.txt",
    ]
    assert "XML" in (folder / "failed" / "broken.xml.reason.txt").read_text("utf-8")
    assert [p for p in folder.iterdir() if p.is_file()] == []
    assert list((folder / ".claimed").iterdir()) == []


def test_a_claim_left_by_a_dead_watcher_is_put_back_and_taken(tmp_path, section):
    import socket

    folder = tmp_path / "drop"
    (folder / ".claimed").mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    orphan = folder / ".claimed" / f"{socket.gethostname()}~{dead.stdout.strip()}~late.xml"
    orphan.write_text(newsml(guid="urn:late", headline="خبر متأخر"), "utf-8")
    err = io.StringIO()
    call_command(
        "ingest",
        "--watch",
        str(folder),
        "--once",
        "--section",
        "local",
        stdout=io.StringIO(),
        stderr=err,
    )
    assert Article.objects.get().headline == "خبر متأخر"
    assert (folder / "done" / "late.xml").exists()
    assert not orphan.exists()


def test_a_new_version_keeps_what_the_desk_changed_and_refuses_a_clash(tmp_path, section):
    ingest(
        tmp_path,
        "v1.xml",
        newsml(guid="urn:merge", headline="حريق في المصنع"),
        "--section",
        "local",
    )
    story = Article.objects.get()
    editor = make_staff("editor")
    workflow.article_edit(article=story, user=editor, values={"standfirst": "مقدمة المحرر"})

    ingest(tmp_path, "v2.xml", newsml(guid="urn:merge", version=2, headline="حريق كبير في المصنع"))
    story.refresh_from_db()
    assert story.headline == "حريق كبير في المصنع"
    assert story.standfirst == "مقدمة المحرر"

    workflow.article_edit(article=story, user=editor, values={"headline": "عنوان المحرر"})
    with pytest.raises(CommandError):
        ingest(tmp_path, "v3.xml", newsml(guid="urn:merge", version=3, headline="عنوان الوكالة"))
    story.refresh_from_db()
    assert story.headline == "عنوان المحرر"
    assert story.wire_version == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_ingesting_one_new_file_at_once_make_one_story(tmp_path, section):
    path = tmp_path / "same.xml"
    path.write_text(newsml(guid="urn:race", headline="خبر عاجل"), "utf-8")
    env = {**os.environ, "DATABASE_URL": _test_database_url()}
    command = [sys.executable, "manage.py", "ingest", str(path), "--section", "local"]
    runs = [
        subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    story = Article.objects.get()
    assert [out.strip() for out, _err in outputs] == [story.get_absolute_url()] * 2


def test_every_ingested_story_has_its_first_revision(tmp_path, section):
    """A story made by the wire is made through the door: its first revision is there,
    so the desk's form has a common ancestor to merge from without writing one."""
    ingest(tmp_path, "rain.xml", (SAMPLES / "newsml_item_v1.xml").read_text("utf-8"))
    story = Article.objects.get()
    first = story.revisions.get()
    assert (first.version, first.kind, first.user) == (1, "created", story.created_by)
    assert first.snapshot["headline"] == story.headline
