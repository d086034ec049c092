"""An upload of thousands of rows shows live progress (issue 17, item 7): the server tells
how many rows it has checked, under a token only the uploading user can read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from foster.placements import services

pytestmark = pytest.mark.django_db

HEADER = ";".join(services.COLUMNS)
TOKEN = "0123456789abcdef0123456789abcdef"


def _csv(n: int) -> bytes:
    start = date(2024, 1, 1)
    lines = [
        f"K-{i};G-{i};regulier;voltijd;8-11;Deventer;{start + timedelta(days=i % 300):%Y-%m-%d};;;"
        for i in range(n)
    ]
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_the_check_reports_its_progress_row_by_row(provider, municipalities):
    seen = []
    result = services.import_file(provider, "p.csv", _csv(1000), progress=lambda *a: seen.append(a))
    assert result.ok and result.created == 1000
    checking = [done for stage, done, total in seen if stage == "checking"]
    assert checking[0] == 0 and checking == sorted(checking) and len(checking) >= 100
    assert all(total == 1000 for _s, _d, total in seen)
    assert [s for s, _d, _t in seen[-2:]] == ["saving", "done"]


def test_the_page_shows_the_progress_to_the_uploader_only(
    login, staff, other_staff, provider, municipalities
):
    url = f"/monitor/import/voortgang/{TOKEN}/"
    client = login(staff)
    assert client.get(url).json() == {"stage": "unknown", "done": 0, "total": 0}
    upload = SimpleUploadedFile("p.csv", _csv(250))
    response = client.post(
        "/monitor/import/", {"file": upload, "provider": provider.pk, "progress_token": TOKEN}
    )
    assert response.status_code == 200
    assert client.get(url).json() == {"stage": "done", "done": 250, "total": 250}
    # Another user asking for the same token learns nothing.
    assert login(other_staff).get(url).json()["stage"] == "unknown"


def test_a_malformed_token_is_not_found(login, staff):
    assert login(staff).get("/monitor/import/voortgang/abc/").status_code == 404


def test_the_page_carries_what_the_script_needs(login, staff):
    body = login(staff).get("/monitor/import/").content.decode()
    assert 'data-progress-url="/monitor/import/voortgang/TOKEN/"' in body
    assert "data-checking-progress=" in body
