"""The story form's autosave endpoints, and keeping a save that outlived its session.

Views only: the rules of the buffer are in articles/desk/autosave.py. Every
endpoint is a POST behind the admin's login and CSRF check, and keeps text
only for a person who may edit that story (or add one).

A session can expire while a form is open. Its save (or autosave) then
arrives without a user, and the admin answers with the login page. Before
that happens ``keep_expired_post`` looks for the form's ``_keep_token``: a
value signed by this server when it showed that person that form, naming the
person and the story. With a valid token the text goes into that person's
own buffer (one row per person and story, overwritten: nothing accumulates);
without one, nothing is kept. After logging in the login page sends them back
to the form, which offers the text back. Nobody else can read it: a buffer
is only ever shown to its own person.
"""

import contextlib
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.forms import Field
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import autosave, workflow
from articles.models import Article

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

TOKEN_FIELD = "_keep_token"
_SALT = "articles.admin.autosave.keep"
# A form left open over a weekend can still hand its text back on Monday.
TOKEN_MAX_AGE = 4 * 24 * 3600


def form_token(user: User | AnonymousUser, article: Article | None) -> str:
    """Signed "this form was shown to ``user`` for ``article``", carried in the form."""
    return signing.dumps({"u": user.pk, "a": article.pk if article else None}, salt=_SALT)


def may_keep(user: User | AnonymousUser, article: Article | None) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if article is None:
        return user.has_perm("articles.add_article")
    return workflow.can_edit(user, article)


def keep_expired_post[**P](
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Wrap the story form's views: a POST without a session keeps its text first."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if request.method == "POST" and not request.user.is_authenticated:
            _keep_for_token_owner(request, kwargs.get("object_id") or kwargs.get("pk"))
        return view(request, *args, **kwargs)

    return wrapper


def _keep_for_token_owner(request: HttpRequest, object_id: object) -> None:
    # The URL's id as its converter gave it (str or int): only ever compared as text.
    try:
        claim = signing.loads(request.POST.get(TOKEN_FIELD, ""), salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return  # no token, a forged one or a stale one: nothing is kept
    article = None
    if object_id is not None:
        if str(claim.get("a")) != str(object_id):
            return
        article = Article.objects.filter(pk=claim["a"]).first()
        if article is None:
            return
    elif claim.get("a") is not None:
        return
    user = get_user_model().objects.filter(pk=claim.get("u")).first()
    if user is None or not may_keep(user, article):
        return
    # Too large is not a person's typing: nothing is kept, the login page follows as usual.
    with contextlib.suppress(autosave.TooLarge):
        autosave.keep(user=user, article=article, data=request.POST)


def _article_for(request: HttpRequest, pk: int | None) -> Article | None:
    article = get_object_or_404(Article, pk=pk) if pk is not None else None
    if not may_keep(request.user, article):
        raise PermissionDenied
    return article


def autosave_view(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int | None = None
) -> HttpResponse:
    """POST: the open form's fields into this person's buffer. Answers JSON."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_for(request, pk)
    try:
        buffer = autosave.keep(user=request.user, article=article, data=request.POST)
    except autosave.TooLarge:
        return JsonResponse(
            {"error": _("The form is too large to keep automatically. Save the story.")},
            status=413,
        )
    return JsonResponse(
        {
            "saved_at": buffer.saved_at.isoformat(),
            "message": _("Your text was kept at %(time)s (not yet saved to the story).")
            % {"time": timezone.localtime(buffer.saved_at).strftime("%H:%M:%S")},
        }
    )


def discard_view(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int | None = None
) -> HttpResponse:
    """POST: throw this person's buffer away; back to the form."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_for(request, pk)
    autosave.clear(request.user, article)
    messages.info(request, _("The kept text was discarded."))
    if article is None:
        return redirect("admin:articles_article_add")
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def draft_offer(request: HttpRequest, article: Article | None) -> dict[str, Any]:
    """Context for the form: this person's buffer, offered back, or restored now."""
    if not may_keep(request.user, article):
        return {}
    buffer = autosave.buffer_for(request.user, article)
    context: dict[str, Any] = {
        "keep_token": form_token(request.user, article),
        "autosave_url": reverse(
            "admin:articles_article_autosave", args=[article.pk] if article else []
        ),
        "autosave_seconds": getattr(settings, "NEWSROOM_AUTOSAVE_SECONDS", 5),
    }
    if buffer is not None and autosave.differs_from_story(buffer, article):
        context["draft"] = buffer
        context["draft_restored"] = restoring(request)
        context["discard_url"] = reverse(
            "admin:articles_article_autosave_discard", args=[article.pk] if article else []
        )
    return context


def restoring(request: HttpRequest) -> bool:
    return request.method == "GET" and request.GET.get("draft") == "restore"


def restored_draft_initial(
    request: HttpRequest, instance: Article, form_fields: dict[str, Field]
) -> dict[str, Any]:
    """The story form's starting values when its person asked for their kept text back."""
    if not restoring(request):
        return {}
    article = instance if instance.pk else None
    if not may_keep(request.user, article):
        return {}
    buffer = autosave.buffer_for(request.user, article)
    return autosave.form_initial(buffer, form_fields) if buffer else {}
