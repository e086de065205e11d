"""Static files in production: hashed names (cacheable forever) and compressed copies."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_collectstatic_writes_hashed_compressed_files_and_pages_use_them(client, tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        (hashed,) = [
            p.name
            for p in (tmp_path / "css").glob("site.*.css")
            if re.fullmatch(r"site\.[0-9a-f]{12}\.css", p.name)
        ]
        assert (tmp_path / "css" / f"{hashed}.gz").exists()
        assert list((tmp_path / "fonts").glob("noto-naskh-arabic-arabic-400-normal.*.woff2"))

        make_article()
        html = client.get("/").content.decode()
        assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', html)
