"""Growing past one machine: replica routing and the load balancer's health check."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article

replica_db = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.NEWSROOM_READ_REPLICA = "replica"


def queries_by_alias(client, method, url, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as copy,
    ):
        response = getattr(client, method)(url, **kwargs)
    return response, len(primary), len(copy)


@replica_db
def test_anonymous_public_reads_go_to_the_replica(client, replica):
    story = make_article(headline="خبر من النسخة")
    response, primary, copy = queries_by_alias(client, "get", story.get_absolute_url())
    assert response.status_code == 200
    assert "خبر من النسخة" in response.content.decode()
    assert primary == 0
    assert copy > 0


@replica_db
def test_the_admin_reads_from_the_primary(client, replica):
    make_article()
    user = get_user_model().objects.create_superuser("chief", "c@example.com", "x")
    client.force_login(user)
    response, primary, copy = queries_by_alias(client, "get", "/admin/articles/article/")
    assert response.status_code == 200
    assert primary > 0
    assert copy == 0


@replica_db
def test_logged_in_reads_of_public_pages_use_the_primary(client, replica):
    story = make_article()
    client.force_login(get_user_model().objects.create_user("reporter", password="x"))
    _, primary, copy = queries_by_alias(client, "get", story.get_absolute_url())
    assert primary > 0
    assert copy == 0


@replica_db
def test_reads_right_after_a_write_use_the_primary(client, replica):
    story = make_article()
    # A write (here, a failed login POST that still writes nothing but is a write request)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.cookies["newsroom_primary"]["max-age"] == 10
    _, primary, copy = queries_by_alias(client, "get", story.get_absolute_url())
    assert primary > 0
    assert copy == 0


@replica_db
def test_no_replica_configured_means_everything_on_the_primary(client):
    story = make_article()
    _, primary, copy = queries_by_alias(client, "get", story.get_absolute_url())
    assert primary > 0
    assert copy == 0


@pytest.mark.django_db
def test_health_check_reports_database_and_cache(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
