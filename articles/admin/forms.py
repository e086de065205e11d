"""The story form, and how two people saving the same story never lose words.

Each form carries the version it was opened at. On save the row is locked;
if someone saved since, each field is compared three ways (the revision the
form was opened at, what is stored now, what this person sent):
- changed only by the other person: their value is kept;
- changed only by this person: this person's value is kept;
- changed by both, differently: a conflict. Nothing is saved; the person sees
  a diff against what is stored and keeps their text in the form.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.autosave import restored_draft_initial
from articles.desk import workflow
from articles.desk.diffing import compare
from articles.desk.revisions import EDITABLE_FIELDS, snapshot
from articles.models import Article, Author, Revision
from articles.text.sanitize import clean_html


class OrderedAuthorsField(forms.ModelMultipleChoiceField):
    """Authors in the order they were chosen (the byline's order)."""

    def clean(self, value):
        chosen = {str(author.pk): author for author in super().clean(value)}
        return [chosen[str(pk)] for pk in dict.fromkeys(value or []) if str(pk) in chosen]


class ArticleForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    authors = OrderedAuthorsField(
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

    request = None  # set by ArticleAdmin.get_form

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = []  # FieldDiffs (stored → yours) when the save is refused
        self.conflict_revision = None  # the save that got in first
        self.merged_fields = None  # fields taken from a simultaneous save, when merged
        if "authors" in self.fields and self.admin_site is not None:
            field = self.fields["authors"]
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

    admin_site = None  # set by ArticleAdmin.get_form

    def clean_body(self):
        return _unix_newlines(self.cleaned_data.get("body", ""))

    def clean_standfirst(self):
        return _unix_newlines(self.cleaned_data.get("standfirst", ""))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            self._check_expiry(cleaned, stored=None)
        if self.instance.pk is None or self._errors:
            return cleaned
        # Inside the admin's transaction: nobody can save between this check and ours.
        stored = (
            Article.objects.select_for_update().select_related("section").get(pk=self.instance.pk)
        )
        user = self.request.user
        if not workflow.can_edit(user, stored):
            raise ValidationError(workflow.edit_refusal(user, stored))
        # State the form does not edit comes from the locked row, not the page load.
        for name in ("status", "publish_at", "version", "returned_at", "corrected_at"):
            setattr(self.instance, name, getattr(stored, name))
        self._check_expiry(cleaned, stored=stored)
        opened_at = cleaned.get("opened_version")
        if opened_at is not None and opened_at != stored.version:
            self._merge(stored, opened_at, cleaned)
        return cleaned

    def _check_expiry(self, cleaned: dict, stored: Article | None) -> None:
        """The same rules as workflow.article_set_expiry, as form errors."""
        expire_at = cleaned.get("expire_at")
        if expire_at is None or (stored is not None and expire_at == stored.expire_at):
            return
        publish_at = stored.publish_at if stored is not None else None
        if publish_at is not None and expire_at <= publish_at:
            self.add_error(
                "expire_at",
                _("The expiry time must come after the publication time (%(at)s).")
                % {"at": timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M")},
            )
        elif expire_at <= timezone.now():
            self.add_error("expire_at", _("The expiry time must be in the future."))

    def _merge(self, stored: Article, opened_at: int, cleaned: dict) -> None:
        base_revision = Revision.objects.filter(article=stored, version=opened_at).first()
        base = base_revision.snapshot if base_revision else None
        theirs = snapshot(stored)
        mine = self._as_snapshot(cleaned, theirs)
        conflicts, taken = [], []
        for name in EDITABLE_FIELDS:
            my_value, their_value = _comparable(name, mine), _comparable(name, theirs)
            if my_value == their_value:
                continue
            base_value = _comparable(name, base) if base else object()
            if my_value != base_value and their_value != base_value:
                conflicts.append(name)
            elif their_value != base_value:
                taken.append(name)
        if conflicts:
            self.conflicts = compare(theirs, mine, conflicts)
            self.conflict_revision = (
                Revision.objects.filter(article=stored).select_related("user").first()
            )
            # The next save is made against what is stored now, with this text.
            self.data = self.data.copy()
            self.data["opened_version"] = stored.version
            raise ValidationError(
                _(
                    "Someone else saved this story while you were editing it, and changed "
                    "the same parts: %(fields)s. Nothing has been saved; your text is still "
                    "in the form. Compare it with the stored version below, reconcile, "
                    "and save again."
                )
                % {"fields": "، ".join(str(EDITABLE_FIELDS[name]) for name in conflicts)},
                code="conflict",
            )
        for name in taken:
            cleaned[name] = _model_value(name, stored)
        self.merged_fields = taken

    def _as_snapshot(self, cleaned: dict, fallback: dict) -> dict:
        data = dict(fallback)
        for name in EDITABLE_FIELDS:
            if name not in cleaned:
                continue
            value = cleaned[name]
            if name == "section":
                data["section"] = value.pk
                data["section_name"] = value.name
            elif name == "authors":
                data["authors"] = [author.pk for author in value]
                data["author_names"] = [author.name for author in value]
            elif name == "tags":
                tags = sorted(value, key=lambda tag: tag.name)
                data["tags"] = [tag.pk for tag in tags]
                data["tag_names"] = [tag.name for tag in tags]
            elif name == "body":
                data["body"] = clean_html(value)
            elif name == "expire_at":
                data["expire_at"] = value.isoformat() if value else None
            elif name == "lead_image":
                data["lead_image"] = value.pk if value else None
                data["lead_image_alt"] = value.alt_text if value else ""
            else:
                data[name] = value
        return data


def _comparable(name, snap):
    value = snap.get(name)
    if name == "tags":
        return sorted(value or [])
    if name == "expire_at":
        return parse_datetime(value) if value else None
    if name == "headline" and value:
        return value.strip()
    return value


def _model_value(name, stored: Article):
    if name == "authors":
        return [credit.author for credit in stored.credits.select_related("author")]
    if name == "tags":
        return list(stored.tags.all())
    return getattr(stored, name)


def _unix_newlines(text: str) -> str:
    # Browsers send \r\n; stored text uses \n, so an untouched field compares equal.
    return (text or "").replace("\r\n", "\n")
