import pytest
from django.core.exceptions import ImproperlyConfigured

from thuisnet.settings.env import envbool, envchoice, envint, envlist, envstr


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
