"""Settings read from the environment: production refuses what it cannot run on."""

from __future__ import annotations

import runpy
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from thuisnet.settings.env import envbool, envchoice, envint, envlist, envstr

_ENV = [
    "DATABASE_URL",
    "TRUSTED_PROXY_COUNT",
    "DB_CONNECT_TIMEOUT",
    "DB_STATEMENT_TIMEOUT",
    "DB_CONN_MAX_AGE",
]


@pytest.fixture
def load(monkeypatch):
    """Evaluate a settings module afresh under the given environment (in this process)."""

    def _load(module: str, **env: str) -> dict:
        for name in _ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        # `from .base import *` must run base again, not reuse the copy the tests started with.
        for name in ("thuisnet.settings.base", "thuisnet.settings.dev", "thuisnet.settings.production"):
            monkeypatch.delitem(sys.modules, name, raising=False)
        return runpy.run_module(module)

    return _load


def _production(load, **env: str) -> dict:
    return load("thuisnet.settings.production", SECRET_KEY="x" * 50, **env)


def test_production_refuses_to_start_without_a_database_url(load):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must point at PostgreSQL"):
        _production(load)


def test_production_refuses_a_sqlite_database_url(load):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must point at PostgreSQL"):
        _production(load, DATABASE_URL="sqlite:////tmp/thuisnet.sqlite3")


def test_production_sets_timeouts_and_keeps_connections_alive(load):
    config = _production(load, DATABASE_URL="postgres://u:p@db.internal:5432/thuisnet")
    db = config["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["OPTIONS"]["connect_timeout"] == 5
    assert db["OPTIONS"]["options"] == "-c statement_timeout=30000"
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True
    assert config["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]
    assert config["HEALTHZ_REQUIRE_WORKER"] is True


def test_the_timeouts_follow_the_environment(load):
    config = _production(
        load,
        DATABASE_URL="postgres://u:p@db.internal:5432/thuisnet",
        DB_CONNECT_TIMEOUT="2",
        DB_STATEMENT_TIMEOUT="1500",
        DB_CONN_MAX_AGE="0",
    )
    db = config["DATABASES"]["default"]
    assert db["OPTIONS"]["connect_timeout"] == 2
    assert db["OPTIONS"]["options"] == "-c statement_timeout=1500"
    assert db["CONN_MAX_AGE"] == 0


def test_one_proxy_count_drives_drf_allauth_and_the_audit_log(load):
    config = load("thuisnet.settings.dev", TRUSTED_PROXY_COUNT="1")
    assert config["TRUSTED_PROXY_COUNT"] == 1
    assert config["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    assert config["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1


def test_no_proxy_is_trusted_by_default(load):
    config = load("thuisnet.settings.dev")
    assert (config["TRUSTED_PROXY_COUNT"], config["REST_FRAMEWORK"]["NUM_PROXIES"]) == (0, 0)
    assert config["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0


def test_a_nonsense_proxy_count_stops_the_start(load):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        load("thuisnet.settings.dev", TRUSTED_PROXY_COUNT="een")


def test_the_runtime_folder_is_created_when_missing(load, tmp_path):
    var = tmp_path / "fresh" / "var"
    config = load("thuisnet.settings.dev", THUISNET_VAR_DIR=str(var))
    assert var.is_dir()
    assert config["DATABASES"]["default"]["NAME"] == str(var / "thuisnet.sqlite3")


def test_it_reads_booleans(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "Off")
    assert envbool("X_FLAG", True) is False


def test_it_uses_the_default_when_unset_or_blank(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert envbool("X_FLAG", True) is True
    monkeypatch.setenv("X_FLAG", "  ")
    assert envbool("X_FLAG", False) is False


def test_it_rejects_a_misspelt_boolean_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PAYOUTS_ENABLED", "ture")
    with pytest.raises(ImproperlyConfigured, match="PAYOUTS_ENABLED='ture' is not a boolean"):
        envbool("PAYOUTS_ENABLED", False)


def test_it_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "25a")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='25a' is not a whole number"):
        envint("EMAIL_PORT", 25)


def test_it_rejects_numbers_out_of_range(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="above 65535"):
        envint("EMAIL_PORT", 25, minimum=1, maximum=65535)


def test_it_requires_what_is_required(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        envstr("SECRET_KEY", required=True)


def test_it_splits_lists_and_drops_empty_items(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "thuisnet.nl, www.thuisnet.nl,,")
    assert envlist("ALLOWED_HOSTS") == ["thuisnet.nl", "www.thuisnet.nl"]


def test_it_rejects_an_unknown_choice(monkeypatch):
    monkeypatch.setenv("TASKS_BACKEND", "celery")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        envchoice("TASKS_BACKEND", "database", {"database", "immediate"})


def test_production_settings_refuse_to_start_without_a_secret_key(monkeypatch):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "thuisnet.settings.production",
        "PYTHONPATH": "site",
        "DATABASE_URL": "postgres://u@localhost/db",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_default_database_is_sqlite_with_immediate_transactions(monkeypatch):
    from thuisnet.settings.base import _database

    config = _database("sqlite:////tmp/x.sqlite3")
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}
    assert (
        "OPTIONS" not in _database("postgres://u@localhost/db")
        or "transaction_mode" not in _database("postgres://u@localhost/db")["OPTIONS"]
    )
