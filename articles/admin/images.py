"""The image library in the admin: upload, search by caption/credit/alt text, reuse."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.media import images
from articles.models.images import Image, Rendition

PICKER_SIZE = 60


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("picture file"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location and camera data are removed on upload."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Image
        fields = ["upload", "alt_text", "caption", "credit", "focal_x", "focal_y"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        if self.instance.pk:
            del self.fields["upload"]  # a library picture is replaced by uploading a new one
        else:
            self.fields["upload"].required = True

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if uploaded:
            self.checked = images.check_upload(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("focal_x") is None) != (cleaned.get("focal_y") is None):
            raise forms.ValidationError(
                _("Give both coordinates of the focal point, or neither."), code="focal_half"
            )
        return cleaned


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt_text", "caption", "credit", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["preview", "dimensions", "uploaded_by", "created_at"]
    show_full_result_count = False

    def get_urls(self):
        picker = path(
            "picker/", self.admin_site.admin_view(self.picker_view), name="articles_image_picker"
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The editor's "Browse…" window: search the library, click a picture to insert it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        found = Image.objects.prefetch_related("renditions")
        if query:
            found = found.filter(
                Q(alt_text__icontains=query)
                | Q(caption__icontains=query)
                | Q(credit__icontains=query)
            )
        choices = []
        for image in found[:PICKER_SIZE]:
            shown = [r for r in image.renditions_of(Rendition.Shape.ORIGINAL) if r.format == "jpeg"]
            thumbs = [r for r in image.renditions_of(Rendition.Shape.WIDE) if r.format == "webp"]
            if shown and thumbs:
                choices.append((image, shown[-1], thumbs[0]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose a picture"),
            "choices": choices,
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def get_fields(self, request, obj=None):
        fields = ["alt_text", "caption", "credit", "focal_x", "focal_y"]
        if obj is None:
            return ["upload", *fields]
        return ["preview", *fields, "dimensions", "uploaded_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
            images.store_image(obj, form.checked)
            return
        super().save_model(request, obj, form, change)
        if {"focal_x", "focal_y"} & set(form.changed_data):
            images.refresh_crops(obj)

    def delete_model(self, request, obj):
        images.delete_files(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for image in queryset.prefetch_related("renditions"):
            images.delete_files(image)
        super().delete_queryset(request, queryset)

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        small = [r for r in obj.renditions_of(Rendition.Shape.WIDE) if r.format == "webp"]
        if not small:
            return "—"
        return format_html(
            '<img src="{}" width="160" height="90" alt="" class="image-thumb">', small[0].url
        )

    @admin.display(description=_("preview"))
    def preview(self, obj):
        shown = [r for r in obj.renditions_of(Rendition.Shape.ORIGINAL) if r.format == "webp"]
        if not shown:
            return "—"
        r = shown[min(1, len(shown) - 1)]
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" class="image-preview">',
            r.url, r.width, r.height, obj.alt_text,
        )  # fmt: skip

    @admin.display(description=_("dimensions"))
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height} ({obj.format.upper()})" if obj.width else "—"
