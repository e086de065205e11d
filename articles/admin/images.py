"""The image library in the admin: upload, search by caption/credit/alt text, reuse."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from articles.media import duplicates, images, uploads
from articles.media.images import CheckedImage
from articles.models.images import Image, Rendition

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    from collections.abc import Sequence

    from django.contrib.admin import ModelAdmin
    from django.contrib.admin.options import _FieldGroups
    from django_stubs_ext import StrOrPromise

    ImageModelAdmin = admin.ModelAdmin[Image]
    ImageModelForm = forms.ModelForm[Image]
else:
    ImageModelAdmin = admin.ModelAdmin
    ImageModelForm = forms.ModelForm

PICKER_SIZE = 60


def _just_uploaded(found: QuerySet[Image], chosen: str) -> list[Image]:
    """The picture just uploaded in the picker (or the library copy it matched), shown first."""
    # ASCII digits only: isdigit() alone accepts "²", which the id lookup refuses.
    return list(found.filter(pk=chosen)) if chosen.isascii() and chosen.isdigit() else []


class ImageForm(ImageModelForm):
    upload = forms.FileField(
        label=_("picture file"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location and camera data are removed on upload."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Image
        fields = ["upload", "alt_text", "caption", "credit", "focal_x", "focal_y"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked: CheckedImage | None = None
        self.duplicate: Image | None = None  # the library picture this upload already is
        if self.instance.pk:
            del self.fields["upload"]  # a library picture is replaced by uploading a new one
        else:
            self.fields["upload"].required = True

    def clean_upload(self) -> UploadedFile | None:
        uploaded = self.cleaned_data.get("upload")
        if uploaded:
            self.checked = images.check_upload(uploaded)
            self.duplicate = duplicates.already_stored(self.checked)
        return uploaded

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm's: turns on the unique checks
        cleaned = self.cleaned_data
        if (cleaned.get("focal_x") is None) != (cleaned.get("focal_y") is None):
            raise forms.ValidationError(
                _("Give both coordinates of the focal point, or neither."), code="focal_half"
            )
        return cleaned


class PickerUploadForm(ImageForm):
    """The picker's upload: the picture and its words (the focal point is set later)."""

    class Meta(ImageForm.Meta):
        fields = ["upload", "alt_text", "caption", "credit"]


class UploadedByMeFilter(admin.SimpleListFilter):
    """A reporter's own pictures (the ones they may change), one click away."""

    title = _("uploaded by")
    parameter_name = "uploaded"

    def lookups(
        self, request: HttpRequest, model_admin: "ModelAdmin[Any]"
    ) -> list[tuple[str, "StrOrPromise"]]:
        return [("me", _("Uploaded by me"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Image]) -> QuerySet[Image]:
        if self.value() == "me" and request.user.is_authenticated:
            return queryset.filter(uploaded_by=request.user)
        return queryset


@admin.register(Image)
class ImageAdmin(ImageModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt_text", "caption", "credit", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    list_filter = [UploadedByMeFilter]
    readonly_fields = ["preview", "dimensions", "uploaded_by", "created_at"]
    show_full_result_count = False

    class Media:
        css = {"all": ["css/admin-images.css"]}
        js = ["js/focal-point.js"]

    def get_urls(self) -> list[URLPattern]:
        picker = path(
            "picker/", self.admin_site.admin_view(self.picker_view), name="articles_image_picker"
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request: HttpRequest) -> HttpResponse:
        """The editor's "Browse…" window: search the library, upload, click a picture to insert it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        func_num = request.POST.get("CKEditorFuncNum") or request.GET.get("CKEditorFuncNum", "")
        can_upload = self.has_add_permission(request)
        upload_form = PickerUploadForm(prefix="upload") if can_upload else None
        if request.method == "POST":
            if not can_upload:
                raise PermissionDenied
            with transaction.atomic():  # the duplicate check and the insert, as one
                upload_form = PickerUploadForm(request.POST, request.FILES, prefix="upload")
                stored = uploads.store_from_form(upload_form, request.user)
            if stored is not None:
                image, reused = stored
                if reused:
                    messages.warning(request, duplicates.reused_message(image))
                else:
                    messages.success(
                        request, _("The picture is in the library: click it to insert it.")
                    )
                query = urlencode({"CKEditorFuncNum": func_num, "chosen": str(image.pk)})
                return HttpResponseRedirect(f"{reverse('admin:articles_image_picker')}?{query}")
        query = request.GET.get("q", "").strip()
        found = Image.objects.prefetch_related("renditions")
        if query:
            found = found.filter(
                Q(alt_text__icontains=query)
                | Q(caption__icontains=query)
                | Q(credit__icontains=query)
            )
        shown_first = _just_uploaded(found, request.GET.get("chosen", ""))
        choices = []
        for image in [
            *shown_first,
            *found.exclude(pk__in=[i.pk for i in shown_first])[:PICKER_SIZE],
        ]:
            shown = [r for r in image.renditions_of(Rendition.Shape.ORIGINAL) if r.format == "jpeg"]
            thumbs = [r for r in image.renditions_of(Rendition.Shape.WIDE) if r.format == "webp"]
            if shown and thumbs:
                choices.append((image, shown[-1], thumbs[0]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose a picture"),
            "choices": choices,
            "query": query,
            "func_num": func_num,
            "upload_form": upload_form,
            "chosen": [image.pk for image in shown_first],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Image]:
        return super().get_queryset(request).prefetch_related("renditions")

    def has_change_permission(self, request: HttpRequest, obj: Image | None = None) -> bool:
        # Checked again on every POST by the admin: a crafted request for another's
        # picture is refused on the server, not merely hidden.
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_be_changed_by(request.user)

    def get_fields(self, request: HttpRequest, obj: Image | None = None) -> "_FieldGroups":
        fields = ["alt_text", "caption", "credit", "focal_x", "focal_y"]
        if obj is None:
            return ["upload", *fields]
        return ["preview", *fields, "dimensions", "uploaded_by", "created_at"]

    # The same picture uploaded again: the library's copy stands in for the new one
    # from here on (the popup hands it to the story form), and nothing is stored.
    def save_form(self, request: HttpRequest, form: ImageForm, change: bool) -> Image:
        if not change and form.duplicate is not None:
            form.duplicate.reused = True  # see Image.reused
            return form.duplicate
        return super().save_form(request, form, change)

    def save_related(
        self,
        request: HttpRequest,
        form: ImageForm,
        formsets: "Sequence[BaseFormSet[Any]]",
        change: bool,
    ) -> None:
        if change or form.duplicate is None:
            super().save_related(request, form, formsets, change)

    # Django discards what log_addition returns (ModelAdmin.changeform_view): a picture that
    # was not added has no entry to log, hence None, which the stubs' LogEntry does not allow.
    def log_addition(  # type: ignore[override]
        self, request: HttpRequest, obj: Image, message: Any
    ) -> LogEntry | None:
        if obj.reused:
            return None
        return super().log_addition(request, obj, message)

    def response_add(
        self, request: HttpRequest, obj: Image, post_url_continue: str | None = None
    ) -> HttpResponse:
        if not obj.reused:
            return super().response_add(request, obj, post_url_continue)
        messages.warning(request, duplicates.reused_message(obj))
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return HttpResponseRedirect(reverse("admin:articles_image_change", args=[obj.pk]))

    def save_model(self, request: HttpRequest, obj: Image, form: ImageForm, change: bool) -> None:
        if not change:
            uploads.store_from_form(form, request.user)  # or nothing, for a reused copy
            return
        super().save_model(request, obj, form, change)
        if {"focal_x", "focal_y"} & set(form.changed_data):
            images.refresh_crops(obj)

    def delete_model(self, request: HttpRequest, obj: Image) -> None:
        images.delete_files(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Image]) -> None:
        for image in queryset.prefetch_related("renditions"):
            images.delete_files(image)
        super().delete_queryset(request, queryset)

    @admin.display(description=_("picture"))
    def thumbnail(self, obj: Image) -> str:
        small = [r for r in obj.renditions_of(Rendition.Shape.WIDE) if r.format == "webp"]
        if not small:
            return "—"
        return format_html(
            '<img src="{}" width="160" height="90" alt="" class="image-thumb">', small[0].url
        )

    @admin.display(description=_("preview"))
    def preview(self, obj: Image) -> str:
        shown = [r for r in obj.renditions_of(Rendition.Shape.ORIGINAL) if r.format == "webp"]
        if not shown:
            return "—"
        r = shown[min(1, len(shown) - 1)]
        # static/js/focal-point.js: a click on the picture sets the focal point fields.
        return format_html(
            '<span class="focal-picker" data-focal-picker>'
            '<img src="{}" width="{}" height="{}" alt="{}" class="image-preview"></span>'
            '<div class="help">{}</div>',
            r.url, r.width, r.height, obj.alt_text,
            _("Click the picture on the part that crops must keep in view (the focal point)."),
        )  # fmt: skip

    @admin.display(description=_("dimensions"))
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width}×{obj.height} ({obj.format.upper()})" if obj.width else "—"
