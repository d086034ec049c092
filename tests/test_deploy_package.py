"""The wheel carries every file the site needs, and the API docs come from this host."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_ROOTS = [ROOT / "site" / "thuisnet", ROOT / "foster", ROOT / "respite", ROOT / "knowledge"]
PACKAGE_ROOTS += [ROOT / "matching", ROOT / "search"]


def _packages() -> list[Path]:
    return [p.parent for root in PACKAGE_ROOTS for p in root.rglob("__init__.py")]


def _data_files() -> set[Path]:
    ignored = {".py", ".pyc"}
    files = set()
    for root in PACKAGE_ROOTS:
        for path in root.rglob("*"):
            if path.is_file() and path.suffix not in ignored and "__pycache__" not in path.parts:
                files.add(path)
    return files


def test_package_data_covers_every_template_static_translation_and_data_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    covered = {f for pkg in _packages() for pattern in patterns for f in pkg.glob(pattern) if f.is_file()}
    missing = sorted(str(f.relative_to(ROOT)) for f in _data_files() - covered)
    assert missing == [], f"not in the wheel: {missing}"


def test_the_compiled_translations_are_there():
    for po in ROOT.rglob("locale/en/LC_MESSAGES/django.po"):
        if ".venv" in po.parts or "node_modules" in po.parts:
            continue
        assert po.with_suffix(".mo").exists(), f"{po} has no compiled .mo"


@pytest.mark.django_db
def test_the_api_docs_load_redoc_from_this_host(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in html
    assert "https://" not in html and "<style" not in html


@pytest.mark.django_db
def test_only_the_api_docs_get_relaxed_styles(client):
    docs = client.get("/api/v1/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs and "worker-src 'self' blob:" in docs
    assert "script-src 'self';" in docs + ";"
    home = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "unsafe-inline" not in home


def test_the_installed_command_runs_management_commands_in_production(monkeypatch):
    from django.core import management

    from thuisnet import cli

    seen = {}
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr("sys.argv", ["thuisnet", "migrate", "--noinput"])
    monkeypatch.setattr(
        management,
        "execute_from_command_line",
        lambda argv: seen.update(argv=argv, settings=os.environ["DJANGO_SETTINGS_MODULE"]),
    )
    cli.main()
    assert seen == {"argv": ["thuisnet", "migrate", "--noinput"], "settings": "thuisnet.settings.production"}


def test_the_console_script_is_declared():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["thuisnet"] == "thuisnet.cli:main"
