"""Administrators read the audit log in words, in Dutch and in English."""

from __future__ import annotations

import pytest

from thuisnet.core.audit import record

pytestmark = pytest.mark.django_db


def test_it_shows_audit_rows_in_dutch_words(admin_user, staff, login):
    record(staff, "read", "placement", "K-2025-0001")
    client = login(admin_user)
    html = client.get("/django-admin/core/auditlog/").content.decode()
    assert "Tijdstip" in html
    assert '<td class="field-what">ingezien</td>' in html
    assert ">read<" not in html  # nor in the filter


def test_it_shows_audit_rows_in_english_words(admin_user, staff, login):
    record(staff, "read", "placement", "K-2025-0001")
    client = login(admin_user)
    client.cookies["thuisnet_language"] = "en"
    html = client.get("/django-admin/core/auditlog/").content.decode()
    assert "Time" in html
    assert '<td class="field-what">read</td>' in html
