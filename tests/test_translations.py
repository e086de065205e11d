"""Every UI string has an Arabic translation, and the compiled catalogue matches it."""

import ast
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

from newsroom.jinja2 import catalogue

PO = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def entries():
    """(flags, msgctxt, msgid, msgid_plural, msgstr) for each entry of the .po file."""
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        fields, flags, current = {}, "", None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif match := re.match(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line
            ):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            yield flags, fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), fields


def test_every_entry_is_translated_and_none_is_fuzzy():
    found = list(entries())
    assert len(found) > 100
    fuzzy = [msgid for flags, _, msgid, _, _ in found if "fuzzy" in flags]
    empty = [
        msgid
        for _, _, msgid, plural, fields in found
        if not (
            fields.get("msgstr") or (plural and all(fields.get(f"msgstr[{n}]") for n in range(6)))
        )
    ]
    assert fuzzy == []
    assert empty == []


def test_the_compiled_catalogue_matches_the_po_file():
    stale = []
    with translation.override("ar"):
        for _flags, context, msgid, plural, fields in entries():
            if context or plural:
                continue
            if translation.gettext(msgid) != fields["msgstr"]:
                stale.append(msgid)
    assert stale == [], "locale/ar/LC_MESSAGES/django.mo is out of date: run msgfmt"


@pytest.mark.django_db
def test_the_body_editor_speaks_arabic(client, django_user_model):
    """django-prose-editor labels its dialogs through the admin's JavaScript catalogue."""
    staff = django_user_model.objects.create_user("desk", password="x", is_staff=True)
    client.force_login(staff)
    catalogue = client.get("/admin/jsi18n/").content.decode("utf-8")
    for english, arabic in [
        ("Insert Figure", "إدراج صورة"),
        ("Alternative Text", "النص البديل"),
        ("Edit Link", "تعديل الرابط"),
        ("Open in new window", "فتح في نافذة جديدة"),
    ]:
        # The catalogue is JavaScript with JSON strings (non-ASCII escaped).
        assert f"{json.dumps(english)}: {json.dumps(arabic)}" in catalogue


def test_every_string_the_jinja2_templates_translate_is_in_the_catalogue():
    """makemessages reads Django templates only: the reading site's Jinja2 ones
    (templates/jinja2/) are checked here, so none of their strings falls out of the .po."""
    env = engines["jinja2"].env
    msgids = {msgid for _flags, _context, msgid, _plural, _fields in entries()}
    used, missing = set(), []
    for path in sorted((Path(settings.BASE_DIR) / "templates" / "jinja2").rglob("*.html")):
        for _line, _function, message in env.extract_translations(path.read_text("utf-8")):
            for msgid in filter(None, message if isinstance(message, tuple) else (message,)):
                used.add(msgid)
                if msgid not in msgids:
                    missing.append(f"{path.name}: {msgid}")
    assert len(used) > 40
    assert missing == []


def test_the_pages_translations_follow_the_language_of_each_page():
    """``_()`` on a public page remembers translations per language, never across them."""
    with translation.override("ar"):
        arabic = catalogue(None)["gettext"]
        assert arabic("Search") == "بحث"
        assert arabic("Search") == "بحث"  # remembered, the same
    with translation.override("en"):
        assert catalogue(None)["gettext"]("Search") == "Search"
    with translation.override("ar"):
        assert catalogue(None)["gettext"]("Latest news") == translation.gettext("Latest news")
        assert translation.gettext("Latest news") != "Latest news"
