"""The article body editor: django-prose-editor (ProseMirror/Tiptap), assets served by us.

Only the structures the sanitiser keeps are offered, so what the journalist
sees is what the reader gets. Pictures come from the image library through a
picker (``ImageAdmin.picker_view``). A paste from Word or Google Docs first
goes through our ``WordPaste`` extension (static/js/editor-word-paste.js,
registered in settings.DJANGO_PROSE_EDITOR_EXTENSIONS): Word's fake lists become
real ``<ul>``/``<ol>`` and Office styles, classes and comments go before the
editor's schema drops whatever else it does not know. The sanitiser
(articles/text/sanitize.py) then runs on save whatever path the HTML took.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django_prose_editor.widgets import AdminProseEditorWidget

BODY_EXTENSIONS = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_picker")},
    "Caption": True,
    "Image": True,
    "History": True,
    "Typographic": True,
    "WordPaste": True,
}


def body_editor_widget() -> AdminProseEditorWidget:
    return AdminProseEditorWidget(config={"extensions": BODY_EXTENSIONS}, preset="configurable")


def editor_page_csp[**P](
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """``view`` (a page that holds the editor, and no other page) under the editor's policy,
    through Django's ``@csp_override``; usable as a decorator.

    Two relaxations, both needed by the editor and both kept off the public site:
    a per-request nonce for its ``<script type="importmap">`` (Django's admin
    templates put the nonce on the media tags), and inline *styles*, which
    Tiptap/ProseMirror set while editing. Inline scripts stay forbidden. The policy is
    built at each request from ``SECURE_CSP`` as it is then.
    """

    @wraps(view)
    def with_editor_policy(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        policy = dict(settings.SECURE_CSP)
        policy["script-src"] = [*policy.get("script-src", [CSP.SELF]), CSP.NONCE]
        policy["style-src"] = [*policy.get("style-src", [CSP.SELF]), CSP.UNSAFE_INLINE]
        return csp_override(policy)(view)(request, *args, **kwargs)

    return with_editor_policy
