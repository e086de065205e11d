"""The admin login throttle (django-axes): lockout per account and per address.

A wrong password costs a PBKDF2 computation (~0.9 s in production); a locked-out
attempt must cost none, so the check happens before any password is hashed.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User

from tests.factories import log_in, make_staff

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "أُوقف تسجيل الدخول مؤقتاً"


class CountingHasher(MD5PasswordHasher):
    """MD5 for speed, counting every hash it computes (checks and dummy runs alike)."""

    algorithm = "md5"
    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.test_login_throttle.CountingHasher"]
    CountingHasher.computed = 0
    return CountingHasher


@pytest.fixture
def reporter():
    user = make_staff("reporter", username="huda")
    user.set_password("the-right-one-42")
    user.save()
    return user


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        assert not log_in(client, username, "wrong", address=address)


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, settings, reporter):
    _fail(client, "huda", settings.AXES_FAILURE_LIMIT)
    response = client.post(
        "/admin/login/",
        {"username": "huda", "password": "the-right-one-42"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_MESSAGE in page
    assert 'dir="rtl"' in page
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_whatever_the_address(client, settings, reporter):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "huda", 1, address=f"10.0.1.{n}")
    assert not log_in(client, "huda", "the-right-one-42", address="10.0.2.1")


def test_the_address_is_locked_whatever_the_account(client, settings, reporter):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"guess{n}", 1, address="10.0.3.1")
    assert not log_in(client, "huda", "the-right-one-42", address="10.0.3.1")
    # The same person from elsewhere still gets in.
    assert log_in(client, "huda", "the-right-one-42", address="10.0.4.1")


def test_a_locked_out_attempt_hashes_no_password(client, settings, reporter, counting_hasher):
    _fail(client, "huda", settings.AXES_FAILURE_LIMIT)
    assert counting_hasher.computed > 0  # the wrong passwords were checked
    counting_hasher.computed = 0
    for password in ["wrong", "the-right-one-42"]:
        response = client.post(
            "/admin/login/", {"username": "huda", "password": password}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 429
    assert counting_hasher.computed == 0


def test_a_superuser_unlocks_from_the_admin(client, settings, reporter):
    from axes.models import AccessAttempt

    _fail(client, "huda", settings.AXES_FAILURE_LIMIT)
    assert not log_in(client, "huda", "the-right-one-42", address="10.0.9.9")
    root = User.objects.create_superuser("root", password="x")
    client.force_login(root)
    attempts = client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200
    assert "huda" in attempts.content.decode()
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    client.logout()
    assert log_in(client, "huda", "the-right-one-42", address="10.0.0.1")


def test_a_successful_login_clears_earlier_failures(client, settings, reporter):
    _fail(client, "huda", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "huda", "the-right-one-42", address="10.0.0.1")
    client.logout()
    _fail(client, "huda", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "huda", "the-right-one-42", address="10.0.0.1")


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, settings, reporter):
    """Behind one proxy every peer address is the proxy's; the client's own is the last
    X-Forwarded-For entry, and whatever the client wrote before it is not believed."""
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",  # forged, then the real one
        )
    locked = client.post(
        "/admin/login/",
        {"username": "huda", "password": "the-right-one-42"},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert locked.status_code == 429
    # Another reader behind the same proxy is not locked out with them.
    assert (
        client.post(
            "/admin/login/",
            {"username": "huda", "password": "the-right-one-42"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        ).status_code
        == 302
    )
