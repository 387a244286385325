"""The set-up promises: migrations in step with the models, settings from the environment."""

import json
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables of the developer's shell that would change what a settings test sees.
SETTINGS_VARIABLES = [
    "COMPTOIR_ENV",
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_PROXY",
]

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'ENGINE': db['ENGINE'], 'NAME': str(db['NAME']), "
    "'HOST': db.get('HOST', ''), 'PORT': db.get('PORT', ''), 'USER': db.get('USER', ''), "
    "'DEBUG': settings.DEBUG, 'PRODUCTION': settings.PRODUCTION}))"
)


def run_django(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run `python <args>` in the project with a clean environment plus `env`."""
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environ.update(
        DJANGO_SETTINGS_MODULE="comptoir.settings",
        COMPTOIR_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(BASE_DIR),
        **env,
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check found changes (exit {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        COMPTOIR_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shop.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_requires_a_secret_key(tmp_path):
    result = run_django(["-c", PRINT_SETTINGS], tmp_path, COMPTOIR_ENV="production")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when COMPTOIR_ENV=production" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_demo_defaults_generate_and_keep_a_secret_key(tmp_path):
    first = run_django(["-c", "import django; django.setup(); print('ok')"], tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    again = run_django(["-c", "import django; django.setup(); print('ok')"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert key_file.read_text() == key


def test_defaults_are_sqlite_under_var_and_debug_off(tmp_path):
    result = run_django(["-c", PRINT_SETTINGS], tmp_path)
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(tmp_path / "var" / "comptoir.sqlite3")
    assert settings["DEBUG"] is False
    assert settings["PRODUCTION"] is False


def test_database_url_names_a_sqlite_file(tmp_path):
    path = tmp_path / "x.sqlite3"
    result = run_django(["-c", PRINT_SETTINGS], tmp_path, DATABASE_URL=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(path)


def test_database_url_names_a_postgresql_database(tmp_path):
    result = run_django(
        ["-c", PRINT_SETTINGS],
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/comptoir",
    )
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["ENGINE"] == "comptoir.core.postgresql"  # Django's, health check aside
    assert (settings["NAME"], settings["HOST"], settings["PORT"], settings["USER"]) == (
        "comptoir",
        "127.0.0.1",
        5432,
        "postgres",
    )


def test_debug_is_on_only_when_asked(tmp_path):
    result = run_django(["-c", PRINT_SETTINGS], tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["DEBUG"] is True
