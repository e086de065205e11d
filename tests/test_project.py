"""The project starts safely: configuration, the embedded database, migrations."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def manage(*args, env=None, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def clean_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


@pytest.mark.parametrize(
    ("extra", "missing"),
    [
        ({}, "SECRET_KEY, ALLOWED_HOSTS"),
        ({"SECRET_KEY": "s3cret-" * 8}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "news.example.com"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_secrets(extra, missing):
    result = manage("check", env=clean_env(DEBUG="false", **extra))
    assert result.returncode != 0
    assert f"DEBUG off until these are set in the environment (or .env): {missing}" in result.stderr


@pytest.mark.django_db
def test_production_starts_with_secrets():
    env = clean_env(DEBUG="false", SECRET_KEY="s3cret-" * 8, ALLOWED_HOSTS="news.example.com")
    if "DATABASE_URL" in env:  # checks ask the server what it supports: use a database that exists
        env["DATABASE_URL"] = (
            env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
        )
    result = manage("check", "--deploy", "--fail-level", "ERROR", env=env)
    assert result.returncode == 0, result.stderr


def test_time_zone_is_configurable_and_aware():
    assert settings.USE_TZ is True
    env = clean_env(DEBUG="true", TIME_ZONE="Europe/Paris")
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.TIME_ZONE)",
        env=env,
    )
    assert result.stdout.strip() == "Europe/Paris"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.slow  # starts a private PostgreSQL in a subprocess
def test_embedded_postgres_is_shared_and_stopped_cleanly(tmp_path):
    """Without DATABASE_URL: a private server in PGDATA, shared by two processes, stopped after."""
    pgdata = tmp_path / "pgdata"
    env = clean_env(DEBUG="true", NEWSROOM_PGDATA=str(pgdata))
    env.pop("DATABASE_URL", None)
    probe = (
        "import time; from django.db import connection; "
        "print(connection.cursor().execute('select current_database()').fetchone()[0], flush=True); "
        "time.sleep({})"
    )
    first = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", probe.format(4)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert first.stdout.readline().strip() == "newsroom"
        second = manage("shell", "--no-imports", "-c", probe.format(0), env=env)
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == "newsroom"
        assert (pgdata / "postmaster.pid").exists()  # the first still holds it
    finally:
        first.wait(timeout=60)
    assert first.returncode == 0
    for _ in range(50):
        if not (pgdata / "postmaster.pid").exists():
            break
        time.sleep(0.1)
    assert not (pgdata / "postmaster.pid").exists()


@pytest.mark.slow  # starts a private PostgreSQL in a subprocess
def test_embedded_postgres_stops_after_killed_users(tmp_path):
    """A user killed outright (SIGKILL) or stopped (SIGTERM) does not keep the server running."""
    pgdata = tmp_path / "pgdata"
    env = clean_env(DEBUG="true", NEWSROOM_PGDATA=str(pgdata))
    env.pop("DATABASE_URL", None)
    probe = "from django.db import connection; connection.ensure_connection(); print('up', flush=True); import time; time.sleep(60)"

    def start():
        process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", probe],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert process.stdout.readline().strip() == "up"
        return process

    killed, stopped = start(), start()
    killed.kill()
    killed.wait(timeout=10)
    assert (pgdata / "postmaster.pid").exists()
    stopped.terminate()
    assert stopped.wait(timeout=30) == 143
    for _ in range(50):
        if not (pgdata / "postmaster.pid").exists():
            break
        time.sleep(0.1)
    assert not (pgdata / "postmaster.pid").exists()


def test_env_example_documents_every_variable_settings_read():
    source = (ROOT / "newsroom" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read, "no variables found: the pattern no longer matches settings.py"
    assert read - documented == set()


def readme_production_environment() -> dict[str, str]:
    """The README's "A production environment" block, as an operator would copy it."""
    import re

    readme = (ROOT / "README.md").read_text()
    block = readme.split("A production environment, for example:", 1)[1]
    block = re.search(r"```sh\n(.*?)```", block, re.S).group(1)
    values = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@pytest.mark.django_db
def test_check_deploy_is_clean_with_the_readme_production_environment():
    from django.db import connection

    production = readme_production_environment()
    assert production["DEBUG"] == "false"
    assert production["SECURE_HSTS_SECONDS"] == "31536000"
    # The placeholders: a real-looking key, and this machine's servers for the ones that
    # the checks contact (PostgreSQL is asked which features it supports).
    production["SECRET_KEY"] = "k" + "s3cret-Key-for-the-check-only_" * 3
    database = connection.settings_dict
    local = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    production["DATABASE_URL"] = production["DATABASE_REPLICA_URL"] = local
    # CACHE_URL stays the README's Redis: no check contacts it, and a process-local cache
    # would rightly fail the check (newsroom.E001: the page cache needs a shared one).
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=clean_env(**production))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        (
            {},
            {
                "SECURE_SSL_REDIRECT": False,
                "SECURE_HSTS_SECONDS": 0,
                "SECURE_PROXY_SSL_HEADER": None,
            },
        ),
        (
            {
                "SECURE_SSL_REDIRECT": "true",
                "SECURE_HSTS_SECONDS": "600",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
                "SECURE_HSTS_PRELOAD": "true",
                "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
            },
            {
                "SECURE_SSL_REDIRECT": True,
                "SECURE_HSTS_SECONDS": 600,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                "SECURE_HSTS_PRELOAD": True,
                "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
            },
        ),
    ],
)
def test_https_settings_come_from_the_environment(environment, expected):
    import json

    names = ", ".join(expected)
    code = f"from django.conf import settings; import json; print(json.dumps([getattr(settings, n) for n in '{names}'.split(', ')]))"
    env = clean_env(
        DEBUG="false", SECRET_KEY="s3cret-" * 8, ALLOWED_HOSTS="news.example.com", **environment
    )
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"):
        if name not in environment:
            env.pop(name, None)
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got == [list(v) if isinstance(v, tuple) else v for v in expected.values()]


def test_health_checks_are_not_redirected_to_https(client, settings):
    """A load balancer checks /health/ over plain HTTP behind the TLS terminator."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/health/").status_code in (200, 503)
