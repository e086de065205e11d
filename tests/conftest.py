"""Fixtures for every test. Helpers that tests import live in tests/factories.py."""

import pytest
from django.core.cache import cache

from tests.factories import SAMPLE


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is slow too (``-m "not slow"`` skips them all)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sample_path():
    return SAMPLE
