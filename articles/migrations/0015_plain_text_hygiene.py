"""Plain-text hygiene (articles/text/hygiene.py) for every plain-text column.

The fields become PlainCharField / PlainTextField (no change in the database), the
check constraints get messages in Arabic, rows stored before the rule are cleaned,
and tags become unique by their search-folded name: tags that search already
treated as one word are merged into the oldest of them (its stories keep the tag).
"""

import articles.text.hygiene
from django.conf import settings
from django.db import migrations, models

from articles.text.hygiene import clean_line, clean_text, has_letter_or_digit, name_key

# Required one-line fields, with what a row gets when nothing readable is left after
# cleaning (the database refuses an empty one); the migration lists each such row.
UNTITLED, UNNAMED, UNDESCRIBED = "بلا عنوان", "بلا اسم", "صورة بلا وصف"
PLAIN_COLUMNS = {
    "article": {"headline": UNTITLED, "standfirst": None, "dateline_place": None},
    "section": {"name": UNNAMED, "description": None},
    "author": {"name": UNNAMED, "bio": None},
    "image": {"alt_text": UNDESCRIBED, "caption": None, "credit": None},
    "revision": {"note": None},
    "articleevent": {"note": None, "public_note": None},
    "previewvisit": {"user_agent": None},
    "apipartner": {"name": UNNAMED, "contact": None},
    "liveupdate": {"title": None},
}
MULTILINE = {"standfirst", "description", "bio", "caption", "note", "public_note"}


def clean_stored_text(apps, schema_editor):
    for model_name, columns in PLAIN_COLUMNS.items():
        model = apps.get_model("articles", model_name)
        for row in model.objects.values("pk", *columns).iterator(chunk_size=2000):
            changed = {}
            for column, placeholder in columns.items():
                value = row[column] or ""
                cleaned = (clean_text if column in MULTILINE else clean_line)(value)
                if placeholder and not has_letter_or_digit(cleaned):
                    if cleaned:
                        print(
                            f"  {model_name} {row['pk']}: {column} has no letter or digit; fix it"
                        )
                    else:
                        cleaned = f"{placeholder} {row['pk']}"
                        print(f"  {model_name} {row['pk']}: {column} was blank; now {cleaned!r}")
                if cleaned != value:
                    changed[column] = cleaned
            if changed:
                model.objects.filter(pk=row["pk"]).update(**changed)
    _merge_tags(apps)
    # Check the merged links' foreign keys now: the next step alters the tag table,
    # which PostgreSQL refuses while deferred checks are pending in the transaction.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _merge_tags(apps):
    """One tag per folded name: the oldest keeps its id and slug and gains the others' stories."""
    tag_model = apps.get_model("articles", "Tag")
    links = apps.get_model("articles", "Article").tags.through
    keepers = {}
    for tag in tag_model.objects.order_by("pk"):
        name = clean_line(tag.name) or f"{UNNAMED} {tag.pk}"
        key = name_key(name) or name
        keeper = keepers.get(key)
        if keeper is None:
            keepers[key] = tag
            tag.name, tag.folded_name = name, key
            continue
        print(f"  tag {tag.pk} «{tag.name}» merged into tag {keeper.pk} «{keeper.name}»")
        stories = links.objects.filter(tag_id=tag.pk).values_list("article_id", flat=True)
        links.objects.bulk_create(
            [links(article_id=story, tag_id=keeper.pk) for story in stories],
            ignore_conflicts=True,
        )
        links.objects.filter(tag_id=tag.pk).delete()
        tag.delete()
    # Only now the names: two spellings of one name would have collided on "unique".
    for tag in keepers.values():
        tag_model.objects.filter(pk=tag.pk).update(name=tag.name, folded_name=tag.folded_name)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_desk_drafts_presence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="dateline_place",
            field=articles.text.hygiene.PlainCharField(
                blank=True, max_length=100, verbose_name="dateline place"
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="headline",
            field=articles.text.hygiene.PlainCharField(
                max_length=300,
                validators=[articles.text.hygiene.validate_has_letter_or_digit],
                verbose_name="headline",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="standfirst",
            field=articles.text.hygiene.PlainTextField(blank=True, verbose_name="standfirst"),
        ),
        migrations.AlterField(
            model_name="articleevent",
            name="note",
            field=articles.text.hygiene.PlainTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="articleevent",
            name="public_note",
            field=articles.text.hygiene.PlainTextField(
                blank=True,
                help_text="Shown to readers under the story.",
                verbose_name="public correction note",
            ),
        ),
        migrations.AlterField(
            model_name="author",
            name="bio",
            field=articles.text.hygiene.PlainTextField(blank=True, verbose_name="short biography"),
        ),
        migrations.AlterField(
            model_name="author",
            name="name",
            field=articles.text.hygiene.PlainCharField(
                max_length=150,
                validators=[articles.text.hygiene.validate_has_letter_or_digit],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="alt_text",
            field=articles.text.hygiene.PlainCharField(
                help_text="Required. Describe the picture in Arabic for readers who cannot see it.",
                max_length=300,
                validators=[articles.text.hygiene.validate_has_letter_or_digit],
                verbose_name="alt text",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="caption",
            field=articles.text.hygiene.PlainTextField(blank=True, verbose_name="caption"),
        ),
        migrations.AlterField(
            model_name="image",
            name="credit",
            field=articles.text.hygiene.PlainCharField(
                blank=True, max_length=200, verbose_name="credit / source"
            ),
        ),
        migrations.AlterField(
            model_name="previewvisit",
            name="user_agent",
            field=articles.text.hygiene.PlainCharField(
                blank=True, max_length=300, verbose_name="browser"
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="note",
            field=articles.text.hygiene.PlainTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="section",
            name="description",
            field=articles.text.hygiene.PlainTextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="section",
            name="name",
            field=articles.text.hygiene.PlainCharField(
                max_length=100,
                validators=[articles.text.hygiene.validate_has_letter_or_digit],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="tag",
            name="name",
            field=articles.text.hygiene.PlainCharField(
                max_length=100,
                unique=True,
                validators=[articles.text.hygiene.validate_has_letter_or_digit],
                verbose_name="name",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_headline_not_blank",
            constraint=models.CheckConstraint(
                condition=models.Q(("headline__regex", "\\S")),
                name="article_headline_not_blank",
                violation_error_message="Write a headline.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_slug_not_empty",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="article_slug_not_empty",
                violation_error_message="Give the story a slug (its link).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_published_has_publish_at",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "published"), _negated=True),
                    ("publish_at__isnull", False),
                    _connector="OR",
                ),
                name="article_published_has_publish_at",
                violation_error_message="A published story needs a publication time.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="article",
            name="article_expires_after_publication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("expire_at__isnull", True),
                    ("publish_at__isnull", True),
                    ("expire_at__gt", models.F("publish_at")),
                    _connector="OR",
                ),
                name="article_expires_after_publication",
                violation_error_message="The expiry time must come after the publication time.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="author",
            name="author_name_not_blank",
            constraint=models.CheckConstraint(
                condition=models.Q(("name__regex", "\\S")),
                name="author_name_not_blank",
                violation_error_message="Give the author a name.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="author",
            name="author_slug_not_empty",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="author_slug_not_empty",
                violation_error_message="Give the author a slug (their page's link).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="image",
            name="image_alt_not_blank",
            constraint=models.CheckConstraint(
                condition=models.Q(("alt_text__regex", "\\S")),
                name="image_alt_not_blank",
                violation_error_message="Describe the picture (alt text).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="image",
            name="image_focal_point_inside",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("focal_x__isnull", True), ("focal_y__isnull", True)),
                    models.Q(
                        ("focal_x__gte", 0),
                        ("focal_x__lte", 1),
                        ("focal_y__gte", 0),
                        ("focal_y__lte", 1),
                    ),
                    _connector="OR",
                ),
                name="image_focal_point_inside",
                violation_error_message="The focal point must lie inside the picture.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="section",
            name="section_name_not_blank",
            constraint=models.CheckConstraint(
                condition=models.Q(("name__regex", "\\S")),
                name="section_name_not_blank",
                violation_error_message="Give the section a name.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="section",
            name="section_slug_not_empty",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="section_slug_not_empty",
                violation_error_message="Give the section a slug (its link).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="tag",
            name="tag_name_not_blank",
            constraint=models.CheckConstraint(
                condition=models.Q(("name__regex", "\\S")),
                name="tag_name_not_blank",
                violation_error_message="Give the tag a name.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="tag",
            name="tag_slug_not_empty",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True),
                name="tag_slug_not_empty",
                violation_error_message="Give the tag a slug (its link).",
            ),
        ),
        migrations.AlterField(
            model_name="apipartner",
            name="contact",
            field=articles.text.hygiene.PlainCharField(
                blank=True, max_length=200, verbose_name="contact"
            ),
        ),
        migrations.AlterField(
            model_name="apipartner",
            name="name",
            field=articles.text.hygiene.PlainCharField(max_length=150, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="liveupdate",
            name="title",
            field=articles.text.hygiene.PlainCharField(
                blank=True,
                help_text="Optional; a key event is listed by it in the summary at the top.",
                max_length=200,
                verbose_name="short title",
            ),
        ),
        migrations.AddField(
            model_name="tag",
            name="folded_name",
            field=models.CharField(editable=False, max_length=200, null=True),
        ),
        migrations.RunPython(clean_stored_text, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="tag",
            name="folded_name",
            field=models.CharField(
                editable=False,
                max_length=200,
                unique=True,
                verbose_name="name as search compares it",
            ),
        ),
    ]
