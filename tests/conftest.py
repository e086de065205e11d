"""Fixtures for every test. Helpers that tests import live in tests/factories.py."""

import pytest

from articles.desk.roles import PERMISSIONS
from tests.factories import SAMPLE, clear_cache, role_group


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is slow too (``-m "not slow"`` skips them all)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _role_groups(request: pytest.FixtureRequest) -> None:
    """A test that commits (``transaction=True``) flushes the database after it, and with
    it the role groups the data migration made: make them again for the next such test,
    as production code (``roles.group_for``) expects them."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        for role in PERMISSIONS:
            role_group(role)


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def sample_path():
    return SAMPLE
