"""The story form, and how two people saving the same story never lose words.

Each form carries the version it was opened at. On save the row is locked and
the workflow's edit door (articles/desk/editing.py) compares each field three
ways (the revision the form was opened at, what is stored now, what this
person sent):
- changed only by the other person: their value is kept;
- changed only by this person: this person's value is kept;
- changed by both, differently: a conflict. Nothing is saved; the person sees
  a diff against what is stored and keeps their text in the form.

A workflow button on the form (submit, approve, publish, …) posts the whole
form: it is validated and checked here, saved through the door, and the
transition applied, in one transaction (ArticleAdmin.response_change). If
either would be refused, nothing is saved and the text stays in the form.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.sites import AdminSite
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.autosave import restored_draft_initial
from articles.desk import editing, scheduling, workflow
from articles.desk.diffing import FieldDiff
from articles.desk.revisions import EDITABLE_FIELDS
from articles.models import Article, Author, Revision

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    ArticleModelForm = forms.ModelForm[Article]
else:
    ArticleModelForm = forms.ModelForm


class ArticleForm(ArticleModelForm):
    opened_version = forms.IntegerField(
        label=gettext_lazy("opened version"), widget=forms.HiddenInput, required=False
    )
    authors = forms.ModelMultipleChoiceField(
        queryset=Author.objects.all(), required=False, label=gettext_lazy("authors")
    )
    correction_note = forms.CharField(
        label=gettext_lazy("Public correction note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "For a published story: what was corrected, shown to readers under the story."
        ),
    )

    request: HttpRequest | None = None  # set by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "section",
            "tags",
            "dateline_place",
            "expire_at",
            "lead_image",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflicts: list[FieldDiff] = []  # stored → yours, when the save is refused
        self.conflict_revision: Revision | None = None  # the save that got in first
        # Fields taken from a simultaneous save, when merged.
        self.merged_fields: list[str] | None = None
        field = self.fields.get("authors")
        if isinstance(field, forms.ModelMultipleChoiceField) and self.admin_site is not None:
            field.widget = AutocompleteSelectMultiple(
                Article._meta.get_field("authors"), self.admin_site
            )
            field.widget.choices = field.choices
        if self.instance.pk:
            self.initial.setdefault("opened_version", self.instance.version)
            self.initial.setdefault(
                "authors",
                list(self.instance.credits.order_by("position").values_list("author", flat=True)),
            )
        if not self.is_bound and self.request is not None:
            self.initial.update(restored_draft_initial(self.request, self.instance, self.fields))

    admin_site: AdminSite | None = None  # set by ArticleAdmin.get_form

    def clean_body(self) -> str:
        return _unix_newlines(self.cleaned_data.get("body", ""))

    def clean_standfirst(self) -> str:
        return _unix_newlines(self.cleaned_data.get("standfirst", ""))

    def clean_authors(self) -> list[Author]:
        """The authors in the order they were chosen (the byline's order): the field's
        QuerySet has the table's order, so it is put in the order of the ids sent."""
        bound = self["authors"]
        sent = bound.initial if bound.field.disabled else bound.data  # what the field cleaned
        chosen = {str(author.pk): author for author in self.cleaned_data.get("authors") or []}
        return [chosen[str(pk)] for pk in dict.fromkeys(sent or []) if str(pk) in chosen]

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm's: turns on the unique checks
        cleaned = self.cleaned_data
        if self.instance.pk is None:
            self._check_expiry_of_new(cleaned)
            return cleaned
        if self.errors:  # those of the fields, found before this clean()
            self._refuse_workflow_button()
            return cleaned
        user = self._user()
        try:
            # Inside the admin's transaction: the row stays locked until the save.
            stored, _values, taken = editing.prepare(
                article=self.instance,
                user=user,
                values=self.edit_values(cleaned),
                opened_version=cleaned.get("opened_version"),
            )
        except editing.EditConflict as exc:
            self.conflicts, self.conflict_revision = exc.conflicts, exc.revision
            # The next save is made against what is stored now, with this text.
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data["opened_version"] = exc.stored_version
            self.data = data
            raise ValidationError(exc.message, code="conflict") from None
        except workflow.WorkflowError as exc:
            on_field = "expire_at" if isinstance(exc, workflow.ExpiryError) else None
            self.add_error(on_field, exc.message)
            self._refuse_workflow_button()
            return cleaned
        self.merged_fields = taken
        # State the form does not edit comes from the locked row, not the page load
        # (the model's own validation checks the expiry against publish_at).
        for name in ("status", "publish_at", "version", "returned_at", "corrected_at"):
            setattr(self.instance, name, getattr(stored, name))
        self._check_workflow_button(stored)
        return cleaned

    # ------------------------------------------------------------ what the door gets

    def edit_values(self, cleaned: dict[str, Any] | None = None) -> dict[str, Any]:
        """The edited fields, as ``workflow.article_edit`` takes them."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return {name: cleaned[name] for name in EDITABLE_FIELDS if name in cleaned}

    # ------------------------------------------------------------ a workflow button pressed

    @property
    def workflow_button(self) -> str:
        """The transition pressed on the story form (saved first, then applied), or ""."""
        return pressed_button(self.data).name if self.is_bound else ""

    def _check_workflow_button(self, stored: Article) -> None:
        if not self.workflow_button:
            return
        pressed = pressed_button(self.data)
        try:
            workflow.check(
                pressed.name,
                article=stored,
                user=self._user(),
                note=pressed.note,
                at=pressed.time(),
            )
        except workflow.WorkflowError as exc:
            self.add_error(None, _refused(exc.message))

    def _refuse_workflow_button(self) -> None:
        if self.workflow_button:
            self.add_error(
                None,
                _refused(_("The story has errors; correct them and press the button again.")),
            )

    def _user(self) -> User | AnonymousUser:
        if self.request is None:
            raise ImproperlyConfigured(
                "ArticleForm needs the request: ArticleAdmin.get_form sets it."
            )
        return self.request.user

    def _check_expiry_of_new(self, cleaned: dict[str, Any]) -> None:
        expire_at = cleaned.get("expire_at")
        if expire_at is not None and expire_at <= timezone.now():
            self.add_error("expire_at", _("The expiry time must be in the future."))


@dataclass
class PressedButton:
    """A workflow button pressed on the story form: its name, note and time field."""

    name: str
    note: str = ""
    time_text: str = ""

    def time(self) -> datetime.datetime | None:
        """The time the button asks for, in the newsroom's zone (None when it asks none)."""
        if not workflow.TRANSITIONS[self.name].field:
            return None
        try:
            return scheduling.parse_newsroom_time(self.time_text)
        except scheduling.BadTime as exc:
            raise workflow.WorkflowError(exc.message) from None


def pressed_button(data: Mapping[str, Any]) -> PressedButton:
    """Which workflow button the form was posted with (the buttons carry
    ``_workflow=<name>``; each has its own ``note_<name>`` and ``at_<name>``)."""
    name = data.get("_workflow", "")
    row = workflow.TRANSITIONS.get(name)
    if row is None or not row.button:
        return PressedButton("")
    return PressedButton(name, data.get(f"note_{name}", ""), data.get(f"at_{name}", ""))


def _refused(reason: str) -> str:
    return _(
        "The action was not carried out and nothing was saved: %(reason)s "
        "Your text is still in the form."
    ) % {"reason": reason}


def _unix_newlines(text: str) -> str:
    # Browsers send \r\n; stored text uses \n, so an untouched field compares equal.
    return (text or "").replace("\r\n", "\n")
