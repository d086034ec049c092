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


def test_it_names_the_kind_of_record_and_the_system_in_words(admin_user, staff, login):
    record(staff, "read", "placement", "K-2025-0001")
    record(None, "export", "respite.booking.child", "3")
    client = login(admin_user)
    html = client.get("/django-admin/core/auditlog/").content.decode()
    assert '<td class="field-kind">plaatsing</td>' in html
    assert "kindgegevens bij respijtaanvraag" in html
    assert '<td class="field-who">systeem</td>' in html or ">systeem<" in html
    assert "IP-adres" in html
    assert ">placement<" not in html


def test_the_detail_page_has_translated_labels(admin_user, staff, login):
    from thuisnet.core.models import AuditLog

    row = record(staff, "read", "placement", "K-2025-0001")
    client = login(admin_user)
    client.cookies["thuisnet_language"] = "en"
    html = client.get(f"/django-admin/core/auditlog/{row.pk}/change/").content.decode()
    assert ">At:<" not in html and ">Ip:<" not in html
    assert "Time" in html and "IP address" in html
    assert AuditLog.objects.count() >= 1
