"""The one sanitiser: hostile input never survives, ordinary Arabic always does."""

import html
import re
from urllib.parse import urlsplit

import pytest
from bleach import html5lib_shim

from articles.models import Article
from articles.text.sanitize import ALLOWED_PROTOCOLS, ALLOWED_TAGS, clean_html
from articles.wire import plaintext
from tests.factories import make_article, make_section

# Each entry: (name, hostile HTML). Sources: OWASP XSS filter evasion cheat
# sheet, the html5sec.org vectors, DOMPurify's and bleach's mutation-XSS reports.
HOSTILE = [
    ("script tag", "<script>alert(1)</script>"),
    ("script upper case", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("script split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script unclosed", "<script>alert(1)"),
    ("script in paragraph", "<p>نص<script>document.cookie</script></p>"),
    ("script with type", '<script type="text/javascript">fetch("//x")</script>'),
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("img onerror no quotes", '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>'),
    ("body onload", "<body onload=alert(1)>"),
    ("p onclick", '<p onclick="alert(1)">انقر</p>'),
    ("a onmouseover", '<a href="https://example.com" onmouseover="alert(1)">x</a>'),
    ("event handler slash", "<p/onmouseover=alert(1)>x</p>"),
    ("details ontoggle", "<details open ontoggle=alert(1)>"),
    ("input autofocus", "<input autofocus onfocus=alert(1)>"),
    ("marquee onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("javascript href", '<a href="javascript:alert(1)">x</a>'),
    ("javascript href upper", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("javascript tab", '<a href="jav\tascript:alert(1)">x</a>'),
    ("javascript entity tab", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("javascript newline entity", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    (
        "javascript decimal entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    ),
    (
        "javascript hex no semicolon",
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A">x</a>',
    ),
    ("javascript leading space", '<a href=" javascript:alert(1)">x</a>'),
    ("javascript leading control", '<a href="&#14;javascript:alert(1)">x</a>'),
    ("javascript colon entity", '<a href="javascript&colon;alert(1)">x</a>'),
    ("vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    (
        "data html href",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    ),
    ("data svg img", '<img src="data:image/svg+xml,<svg onload=alert(1)>">'),
    ("img javascript src", '<img src="javascript:alert(1)">'),
    ("svg onload", "<svg onload=alert(1)>"),
    ("svg script", "<svg><script>alert(1)</script></svg>"),
    (
        "svg animate href",
        "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>x</text></a></svg>",
    ),
    (
        "svg foreignObject",
        "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    ),
    ("svg use", '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>'),
    ("mathml href", '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>'),
    ("mathml style mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    (
        "mathml maction",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    ),
    ("style element", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("style import", "<style>@import 'https://evil.example/x.css';</style>"),
    ("style attribute expression", '<p style="width: expression(alert(1))">x</p>'),
    ("style attribute url", '<p style="background-image:url(https://tracker.example/p.gif)">x</p>'),
    ("link stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base href", '<base href="https://evil.example/">'),
    ("iframe", '<iframe src="https://evil.example"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object", '<object data="https://evil.example/x.swf"></object>'),
    ("embed", '<embed src="https://evil.example/x.swf">'),
    ("applet", "<applet code=x>"),
    ("form action", '<form action="javascript:alert(1)"><button>x</button></form>'),
    ("button formaction", '<button formaction="javascript:alert(1)">x</button>'),
    ("tracking pixel", '<img src="https://tracker.example/p.gif" width="1" height="1">'),
    ("protocol relative pixel", '<img src="//tracker.example/p.gif">'),
    ("noscript mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("title mxss", "<title><img src=x onerror=alert(1)></title>"),
    ("textarea mxss", "<textarea><img src=x onerror=alert(1)></textarea>"),
    ("xmp mxss", "<xmp><img src=x onerror=alert(1)></xmp>"),
    ("noembed mxss", "<noembed><img src=x onerror=alert(1)></noembed>"),
    ("template", "<template><img src=x onerror=alert(1)></template>"),
    (
        "nested form mxss",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    ),
    ("comment break-out", "<!--><img src=x onerror=alert(1)>-->"),
    ("comment conditional", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    ("comment with attribute", '<p title="--><img src=x onerror=alert(1)>">x</p>'),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("cdata in svg", "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
    ("processing instruction", '<?xml-stylesheet href="javascript:alert(1)"?>'),
    (
        "attribute breakout",
        '<a href="https://x.example" title=\'"><script>alert(1)</script>\'>x</a>',
    ),
    ("unclosed attribute", '<a href="https://x.example/ onclick=alert(1)//">x'),
    ("null byte", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    ("dir attack", '<p dir="rtl" onfocus="alert(1)" tabindex="0" autofocus>x</p>'),
    ("srcset", '<img src="/media/a.webp" srcset="javascript:alert(1) 1x">'),
    ("video poster", '<video poster="javascript:alert(1)"></video>'),
    ("audio onerror", "<audio src=x onerror=alert(1)>"),
    ("isindex", '<isindex action="javascript:alert(1)" type="submit">'),
    ("frameset", "<frameset onload=alert(1)>"),
    ("class spoofing", '<p class="admin-panel">x</p>'),
    ("id clobbering", '<a id="location" name="cookie" href="https://x.example">x</a>'),
    ("target blank", '<a href="https://x.example" target="_blank">x</a>'),
]

_SAFE_ATTRIBUTES = {"dir", "lang", "href", "title", "src", "alt", "width", "height",
                    "data-image-id", "class", "rel"}  # fmt: skip
_parser = html5lib_shim.HTMLParser(namespaceHTMLElements=False)


def _assert_nothing_executable(output: str) -> None:
    root = _parser.parseFragment(output)
    for element in root.iter():
        if element is root:
            continue
        assert isinstance(element.tag, str), "a comment survived"
        assert element.tag in ALLOWED_TAGS, f"<{element.tag}> survived"
        for name, value in element.attrib.items():
            assert name in _SAFE_ATTRIBUTES, f"attribute {name} survived"
            if name in ("href", "src"):
                url = re.sub(r"[\x00-\x20]", "", html.unescape(value))
                scheme = urlsplit(url).scheme.lower()
                assert scheme in ALLOWED_PROTOCOLS | {""}, f"{scheme}: survived"
    # A second, cruder line of defence on the markup itself.
    lowered = output.lower()
    for tag in ("<script", "<style", "<svg", "<math", "<iframe", "<object", "<embed", "<!--"):
        assert tag not in lowered, tag
    unquoted = re.sub(r'"[^"]*"|\'[^\']*\'', '""', lowered)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", unquoted), "an event handler survived"


@pytest.mark.parametrize(("name", "hostile"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_hostile_input_leaves_nothing_executable(name, hostile):
    cleaned = clean_html(hostile)
    _assert_nothing_executable(cleaned)
    assert clean_html(cleaned) == cleaned  # idempotent


# Vectors the check above cannot see in the raw input: each is about what the sanitiser
# keeps of it, so each says what a reader gets.
INERT_ONCE_CLEANED = {
    "tracking pixel": "",
    "protocol relative pixel": "",
    "comment with attribute": "<p>x</p>",
    "unclosed attribute": '<a href="https://x.example/ onclick=alert(1)//" rel="noopener noreferrer">x</a>',
    "class spoofing": "<p>x</p>",
}


def _caught_unsanitised(hostile: str) -> bool:
    try:
        _assert_nothing_executable(hostile)
    except AssertionError:
        return True
    return False


def test_every_vector_would_fail_its_test_without_the_sanitiser():
    """No hostile-input test passes by itself: the check catches each raw vector, or the
    vector's cleaned form is stated exactly."""
    unnamed = [
        name
        for name, hostile in HOSTILE
        if name not in INERT_ONCE_CLEANED and not _caught_unsanitised(hostile)
    ]
    assert unnamed == []
    assert len({name for name, _ in HOSTILE}) == len(HOSTILE)  # each vector has its own id
    corpus = dict(HOSTILE)
    cleaned = {name: clean_html(corpus[name]) for name in INERT_ONCE_CLEANED}
    assert cleaned == INERT_ONCE_CLEANED
    assert all(corpus[name] != output for name, output in cleaned.items())


def test_script_and_style_contents_are_dropped_not_shown_as_text():
    assert clean_html("<p>قبل<script>alert('x')</script>بعد</p>") == "<p>قبلبعد</p>"
    assert clean_html("<style>p { color: red }</style><p>نص</p>") == "<p>نص</p>"
    assert clean_html("<svg><text>مخفي</text></svg><p>ظاهر</p>") == "<p>ظاهر</p>"


def test_allowed_structure_survives_unchanged():
    story = (
        '<h2>عنوان فرعي</h2><h3>عنوان أصغر</h3><p dir="rtl">نص <strong>عريض</strong> و'
        '<bdi dir="ltr">Reuters</bdi>.</p><ul><li>أ</li></ul><ol><li>ب</li></ol>'
        '<blockquote class="pull-quote"><p>اقتباس</p></blockquote>'
        '<p><a href="/section/x/">داخلي</a> <a href="mailto:desk@example.com">بريد</a></p>'
    )
    assert clean_html(story) == story


def test_external_links_get_noopener_and_internal_links_do_not():
    cleaned = clean_html('<a href="https://example.com/a" rel="opener">x</a><a href="/b">y</a>')
    assert cleaned == (
        '<a href="https://example.com/a" rel="noopener noreferrer">x</a><a href="/b">y</a>'
    )


def test_only_images_from_our_media_survive():
    ours = (
        '<figure class="inline-image"><img src="/media/images/r/abc.webp" alt="صورة" '
        'data-image-id="7"><figcaption>تعليق</figcaption></figure>'
    )
    assert clean_html(ours) == ours
    assert clean_html('<img src="https://tracker.example/p.gif" alt="">') == ""


def test_bad_dir_and_lang_values_are_dropped():
    assert clean_html('<p dir="rtl" lang="ar">x</p>') == '<p dir="rtl" lang="ar">x</p>'
    assert clean_html('<p dir="evil" lang="a b">x</p>') == "<p>x</p>"


WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal {margin:0cm;}</style></head>
<body lang=AR-SA><!--StartFragment-->
<h1 dir=RTL style='mso-margin-top-alt:auto'><span lang=AR-SA>عنوان المقال</span></h1>
<p class=MsoNormal dir=RTL style='text-align:right;direction:rtl'><b><span lang=AR-SA
style='font-family:"Arial",sans-serif'>نص عريض</span></b><span lang=AR-SA>
 ونص عادي</span><o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst dir=RTL><span style='mso-list:Ignore'></span>بند</p>
<!--[if !supportLists]--><span style='mso-list:Ignore'>·</span><!--[endif]-->
<!--EndFragment--></body></html>"""

GOOGLE_DOCS_PASTE = """<meta charset="utf-8"><b style="font-weight:normal;"
id="docs-internal-guid-9a1b">
<h2 dir="rtl" style="line-height:1.38;margin-top:18pt"><span
style="font-size:16pt;font-family:Arial;
color:#000000;font-weight:400;">عنوان فرعي</span></h2>
<p dir="rtl" style="line-height:1.38;"><span style="font-size:11pt;font-weight:700;">مهم</span><span
style="font-size:11pt;font-weight:400;"> ثم نص.</span></p><ul style="margin:0"><li dir="rtl"
style="list-style-type:disc;"><p dir="rtl"
role="presentation"><span style="font-size:11pt;">أول</span></p>
</li></ul><br></b>"""


def test_word_paste_keeps_structure_and_drops_styles_classes_comments_and_empty_spans():
    cleaned = clean_html(WORD_PASTE)
    assert '<h2 dir="rtl">' in cleaned.replace("RTL", "rtl") or '<h2 dir="RTL">' in cleaned
    assert '<b><span lang="AR-SA">نص عريض</span></b>' in cleaned
    assert "عنوان المقال" in cleaned
    assert "بند" in cleaned
    for junk in ("class=", "style=", "<!--", "mso-", "MsoNormal", "<o:p", "<span>", "Generator"):
        assert junk not in cleaned, junk
    assert clean_html(cleaned) == cleaned


def test_google_docs_paste_keeps_headings_bold_and_lists_without_the_wrapper():
    cleaned = clean_html(GOOGLE_DOCS_PASTE)
    assert not cleaned.lstrip().startswith("<b")  # the whole-paste wrapper is gone
    assert '<h2 dir="rtl">عنوان فرعي</h2>' in cleaned
    assert "<strong>مهم</strong> ثم نص." in cleaned
    assert '<ul><li dir="rtl"><p dir="rtl">أول</p>' in cleaned.replace("\n", "")
    for junk in ("style=", "docs-internal", "role=", "<span>", "font-"):
        assert junk not in cleaned, junk


@pytest.mark.django_db
def test_sample_wire_story_survives_sanitising_byte_for_byte(sample_path):
    story = plaintext.read_wire_file(sample_path)
    article, _ = plaintext.import_story(story, section=make_section())
    article.refresh_from_db()
    assert article.body == story.body_html
    assert clean_html(article.body) == article.body
    assert "<p>" in article.body
    assert len(article.body) > 500


@pytest.mark.django_db
def test_every_save_path_sanitises():
    article = make_article(body="<p>نص</p><script>alert(1)</script>")
    assert Article.objects.get(pk=article.pk).body == "<p>نص</p>"
    article.body = '<p onclick="x()">ب</p>'
    article.save()
    assert Article.objects.get(pk=article.pk).body == "<p>ب</p>"


def test_the_editors_library_figure_survives_and_stays_stable():
    figure = (
        '<figure class="figure"><img src="/media/images/r/0123456789abcdef0123456789abcdef.jpeg" '
        'alt="مبنى البلدية" data-file="12"><figcaption>مبنى البلدية صباحًا</figcaption></figure>'
    )
    assert clean_html(figure) == figure
    assert (
        clean_html('<img src="/media/x.jpeg" data-file="12 onerror">')
        == '<img src="/media/x.jpeg">'
    )
