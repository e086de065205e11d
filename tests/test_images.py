"""The image library: what is accepted, what is refused (in Arabic), what is stored."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import PngImagePlugin

from articles.media import images
from articles.models.images import Image, Rendition
from tests.images_helpers import (
    GPS_IFD,
    exif_with_gps_and_orientation,
    photo_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def read_stored(name: str) -> PILImage.Image:
    with default_storage.open(name, "rb") as f:
        picture = PILImage.open(io.BytesIO(f.read()))
        picture.load()
    return picture


def test_gps_and_other_exif_are_gone_from_every_stored_file_and_orientation_applied():
    original = photo_bytes((2000, 1500), exif=exif_with_gps_and_orientation(orientation=6))
    assert PILImage.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test has GPS

    image = images.create_image(upload(original), alt_text="صورة من الميدان")

    stored = read_stored(image.file.name)
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(GPS_IFD) == {}
    assert b"Secret Source" not in default_storage.open(image.file.name).read()
    assert "exif" not in stored.info
    assert "xmp" not in stored.info
    # Orientation 6 means "turn 90° clockwise": the stored picture is upright and tall.
    assert stored.size == (1500, 2000) == (image.width, image.height)
    assert stored.getpixel((750, 100))[2] > 150  # the blue quarter is now at the top
    for rendition in image.renditions.all():
        assert dict(read_stored(rendition.file.name).getexif()) == {}


def test_png_text_chunks_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 25.2N 55.3E - source home")
    image = images.create_image(
        upload(photo_bytes((400, 300), "PNG", pnginfo=info), "a.png", "image/png"),
        alt_text="صورة",
    )
    assert b"source home" not in default_storage.open(image.file.name).read()
    assert read_stored(image.file.name).text == {}


def test_renditions_have_the_promised_sizes_and_formats():
    image = images.create_image(upload(photo_bytes((2000, 1500))), alt_text="صورة")
    made = {(r.shape, r.format, r.width, r.height) for r in image.renditions.all()}
    assert made == {
        ("original", "webp", 480, 360),
        ("original", "webp", 800, 600),
        ("original", "webp", 1200, 900),
        ("original", "webp", 1600, 1200),
        ("original", "jpeg", 800, 600),
        ("wide", "webp", 400, 225),
        ("wide", "webp", 800, 450),
        ("wide", "webp", 1200, 675),
        ("wide", "jpeg", 800, 450),
        ("social", "jpeg", 1200, 630),
    }
    for rendition in image.renditions.all():
        stored = read_stored(rendition.file.name)
        assert stored.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]
        assert stored.size == (rendition.width, rendition.height)


def test_a_small_picture_is_never_upscaled():
    image = images.create_image(upload(photo_bytes((600, 400))), alt_text="صورة")
    widths = sorted(
        r.width for r in image.renditions.all() if r.shape == "original" and r.format == "webp"
    )
    assert widths == [480, 600]


def test_crops_keep_the_focal_point_in_view():
    # Focal point inside the blue left quarter of a wide panorama: the 16:9 crop keeps it.
    image = images.create_image(
        upload(photo_bytes((4000, 1000))), alt_text="بانوراما", focal_x=0.05, focal_y=0.5
    )
    wide = read_stored(image.renditions.get(shape="wide", format="webp", width=400).file.name)
    assert wide.convert("RGB").getpixel((200, 112))[2] > 150  # centre is blue
    assert images.crop_box(4000, 1000, 16 / 9, (0.05, 0.5)) == (0, 0, 1778, 1000)
    assert images.crop_box(4000, 1000, 16 / 9, (0.95, 0.5)) == (2222, 0, 4000, 1000)


def test_moving_the_focal_point_remakes_only_the_crops():
    image = images.create_image(upload(photo_bytes((4000, 1000))), alt_text="بانوراما")
    kept = set(image.renditions.filter(shape="original").values_list("file", flat=True))
    old_wide = set(image.renditions.filter(shape="wide").values_list("file", flat=True))
    image.focal_x, image.focal_y = 0.05, 0.5
    image.save()
    images.refresh_crops(image)
    assert set(image.renditions.filter(shape="original").values_list("file", flat=True)) == kept
    new_wide = set(image.renditions.filter(shape="wide").values_list("file", flat=True))
    assert new_wide
    assert not new_wide & old_wide


def test_stored_names_are_unguessable():
    data = photo_bytes((400, 300))
    first = images.create_image(upload(data, "embargoed-minister-resigns.jpg"), alt_text="صورة")
    second = images.create_image(upload(data, "embargoed-minister-resigns.jpg"), alt_text="صورة")
    names = [first.file.name, second.file.name]
    names += [r.file.name for r in Rendition.objects.all()]
    assert len(set(names)) == len(names)
    for name in names:
        assert "minister" not in name
        assert "embargoed" not in name
        assert re.fullmatch(r"images/(r/)?[0-9a-f]{32}\.(jpg|png|webp|jpeg)", name), name


def test_webp_and_png_are_accepted_and_keep_their_format():
    webp = images.create_image(
        upload(photo_bytes((300, 200), "WEBP"), "a.webp", "image/webp"), alt_text="ويب"
    )
    assert (webp.format, read_stored(webp.file.name).format) == ("webp", "WEBP")
    # A PNG that says it is a JPEG is judged by its contents, not its name.
    png = images.create_image(upload(photo_bytes((300, 200), "PNG"), "lying.jpg"), alt_text="ب")
    assert png.format == "png"
    assert png.file.name.endswith(".png")


def _truncated_jpeg() -> bytes:
    data = photo_bytes((800, 600), quality=95)
    return data[: len(data) // 2]


def _pixel_bomb() -> bytes:
    # 10000 × 10000 one-bit pixels: a few kilobytes on disk, 100 megapixels decoded.
    out = io.BytesIO()
    PILImage.new("1", (10000, 10000)).save(out, "PNG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (100, 100)).save(out, "GIF")
    return out.getvalue()


NOT_A_PICTURE = "ليس صورة بصيغة مقبولة"
REFUSALS = [
    ("renamed html", b"<html><script>alert(1)</script></html>", "photo.jpg", NOT_A_PICTURE),
    ("plain text", "نص عادي".encode(), "notes.png", NOT_A_PICTURE),
    ("gif", _gif(), "anim.gif", NOT_A_PICTURE),
    ("truncated", _truncated_jpeg(), "cut.jpg", "تالفة أو ناقصة"),
    ("pixel bomb", _pixel_bomb(), "bomb.png", "عدد كبير جدًا من النقاط"),
    ("empty", b"", "empty.jpg", "فارغ"),
    ("too small", photo_bytes((8, 8), "PNG"), "dot.png", "صغيرة جدًا"),
]


@pytest.mark.parametrize(
    ("name", "data", "filename", "arabic"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_every_refused_upload_says_why_in_arabic_and_stores_nothing(
    admin_client, media_root, name, data, filename, arabic
):
    response = admin_client.post(
        "/admin/articles/image/add/",
        {"upload": upload(data, filename), "alt_text": "صورة", "caption": "", "credit": ""},
    )
    assert response.status_code == 200
    assert arabic in response.content.decode()
    assert Image.objects.count() == 0
    assert Rendition.objects.count() == 0
    assert stored_files(media_root) == []


def test_too_large_a_file_is_refused(admin_client, media_root, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10_000)
    response = admin_client.post(
        "/admin/articles/image/add/",
        {"upload": upload(photo_bytes((1000, 800), quality=100)), "alt_text": "صورة"},
    )
    assert "الملف كبير جدًا" in response.content.decode()
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_alt_text_is_required(admin_client, media_root):
    response = admin_client.post(
        "/admin/articles/image/add/", {"upload": upload(photo_bytes((400, 300))), "alt_text": " "}
    )
    assert response.status_code == 200
    assert "هذا الحقل مطلوب" in response.content.decode()
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_failure_midway_leaves_no_files(media_root, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(images, "_save_renditions", fail)
    with pytest.raises(RuntimeError):
        images.create_image(upload(photo_bytes((400, 300))), alt_text="صورة")
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_upload_through_the_admin_then_find_it_by_credit(admin_client, admin_user):
    response = admin_client.post(
        "/admin/articles/image/add/",
        {
            "upload": upload(photo_bytes((1200, 800))),
            "alt_text": "متظاهرون في الساحة",
            "caption": "الساحة صباح الخميس",
            "credit": "وكالة الأنباء",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == admin_user
    assert image.renditions.count() == 9
    found = admin_client.get("/admin/articles/image/", {"q": "وكالة"}).content.decode()
    assert "متظاهرون في الساحة" in found
    missing = admin_client.get("/admin/articles/image/", {"q": "رويترز"}).content.decode()
    assert "متظاهرون في الساحة" not in missing
