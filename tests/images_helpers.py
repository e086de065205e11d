"""Small pictures made on the fly for the image tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_bytes(size=(2000, 1500), fmt="JPEG", exif=None, color=(200, 30, 30), **save) -> bytes:
    picture = PILImage.new("RGB", size, color)
    # A distinguishable left quarter, so crops and rotations can be seen in the pixels.
    picture.paste((20, 20, 220), (0, 0, size[0] // 4, size[1]))
    out = io.BytesIO()
    if exif is not None:
        save["exif"] = exif
    picture.save(out, fmt, **save)
    return out.getvalue()


def exif_with_gps_and_orientation(orientation=6) -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SourceCam"  # make
    exif[0x013B] = "Secret Source"  # artist
    exif[GPS_IFD] = {1: "N", 2: (25.0, 12.0, 30.0), 3: "E", 4: (55.0, 16.0, 10.0)}
    return exif


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
