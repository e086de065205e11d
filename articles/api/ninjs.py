"""A live story as an IPTC ninjs 3.1 document.

Only properties the ninjs 3.1 schema defines are written (its root refuses any
other). Mapping:
- ``uri``: the story's permanent address by id (it survives headline changes and
  answers with a redirect to the current page);
- ``firstCreated``: when the story went public; ``versionCreated``: its last
  correction, or its publication;
- ``descriptions``: the standfirst (role ``summary``) and each public correction
  note (role ``correction``), oldest first;
- ``bodies``: the sanitised HTML and the same as plain text;
- ``subjects``: the section (rel ``section``) and the tags (rel ``tag``);
- ``people``: the bylines (rel ``author``); ``by``: the byline as one line;
- ``associations``: the lead picture (name ``featureimage``) with its renditions.
"""

from django.conf import settings
from django.utils import timezone

from articles.site.links import link
from articles.text.html_text import html_to_text, word_count

NINJS_VERSION = "3.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
ARABIC_COMMA = "، "


def _when(value) -> str:
    """ISO 8601 with the offset, on the newsroom's clock."""
    return timezone.localtime(value).isoformat()


def _body(html: str, content_type: str, value: str) -> dict:
    text = html_to_text(html)
    return {
        "role": "main",
        "contentType": content_type,
        "charCount": len(text),
        "wordCount": word_count(text),
        "value": value,
    }


def _picture(image, absolute) -> dict:
    picture = {
        "uri": absolute(image.file.url),
        "name": "featureimage",
        "type": "picture",
        "representationType": "full",
        "descriptions": [{"role": "alt", "value": image.alt_text}],
        "renditions": [
            {
                "name": f"{rendition.shape}-{rendition.width}-{rendition.format}",
                "href": absolute(rendition.url),
                "contentType": rendition.mime_type,
                "width": rendition.width,
                "height": rendition.height,
            }
            for rendition in image.renditions.all()
        ],
    }
    if image.caption:
        picture["descriptions"].append({"role": "caption", "value": image.caption})
    if image.credit:
        picture["by"] = image.credit
    return picture


def story(article, request) -> dict:
    """``article`` must come from ``api_stories()`` (it carries the byline, tags,
    correction notes and lead picture without further queries)."""
    absolute = request.build_absolute_uri
    document = {
        "uri": absolute(link("articles:article_by_id", pk=article.pk)),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationType": "full",
        "version": str(article.version),
        "firstCreated": _when(article.publish_at),
        "versionCreated": _when(article.corrected_at or article.publish_at),
        "pubStatus": "usable",
        "language": "ar",
        "copyrightHolder": settings.NEWSROOM_SITE_NAME,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            _body(article.body, "text/html", article.body),
            _body(article.body, "text/plain", html_to_text(article.body)),
        ],
        "subjects": [
            {
                "name": article.section.name,
                "rel": "section",
                "uri": absolute(article.section.get_absolute_url()),
                "literal": article.section.slug,
            },
            *(
                {
                    "name": tag.name,
                    "rel": "tag",
                    "uri": absolute(tag.get_absolute_url()),
                    "literal": tag.slug,
                }
                for tag in article.tag_list
            ),
        ],
        "altIds": [{"role": "slug", "value": article.slug}],
    }
    descriptions = [{"role": "summary", "value": article.standfirst}] if article.standfirst else []
    descriptions += [{"role": "correction", "value": note} for note in article.correction_notes]
    if descriptions:
        document["descriptions"] = descriptions
    if article.byline:
        document["by"] = ARABIC_COMMA.join(author.name for author in article.byline)
        document["people"] = [
            {"name": author.name, "rel": "author", "uri": absolute(author.get_absolute_url())}
            for author in article.byline
        ]
    if article.dateline_place:
        document["located"] = article.dateline_place
    if article.expire_at:
        document["expires"] = _when(article.expire_at)
    if article.lead_image is not None:
        document["associations"] = [_picture(article.lead_image, absolute)]
    return document
