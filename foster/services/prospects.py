"""Prospects: the funnel a registration starts, its steps, vacancy interest, retention."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.core.geo import municipality_for, normalise_pc4
from thuisnet.core.mail import queue_templated

from ..models import (
    CLOSED,
    FUNNEL,
    EveningPage,
    Prospect,
    ProspectStep,
    Registration,
    Source,
    Stage,
    VacancyPage,
)
from .common import RegistrationData, RegistrationError, retention_months

_UNSET = object()


def owner_for(page: EveningPage, municipality):
    """The organising provider that follows a registrant up: the one in their municipality,
    else the first by name (None when the evening has no organisers)."""
    organisers = list(page.organisers.order_by("name"))
    if not organisers:
        return None
    for org in organisers:
        if municipality and org.municipality_id == municipality.pk:
            return org
    return organisers[0]


_owner_for = owner_for


def _ensure_prospects(reg: Registration, now, *, owner=_UNSET) -> None:
    """A prospect per family form of interest (kept if one exists), each with its first step."""
    page = reg.session.page
    if owner is _UNSET:
        owner = reg.vacancy.provider if reg.vacancy else owner_for(page, reg.municipality)
    if owner is None or not reg.interests:
        return
    today = timezone.localdate(now)
    if connection.vendor == "postgresql":
        _insert_prospects_pg(reg, page.region_id, owner.pk, now, today)
        return
    for form in reg.interests:
        p, created = Prospect.objects.get_or_create(
            region_id=page.region_id,
            email=reg.email,
            family_form=form,
            anonymised_at__isnull=True,
            defaults={
                "provider": owner,
                "name": reg.name,
                "phone": reg.phone,
                "postcode": reg.postcode,
                "municipality": reg.municipality,
                "source": reg.source,
                "vacancy": reg.vacancy,
                "stage_date": today,
                "created_at": now,
            },
        )
        if created:
            ProspectStep.objects.create(prospect=p, stage=Stage.REGISTERED, date=today)


def _insert_prospects_pg(reg: Registration, region_id: int, owner_id: int, now, today) -> None:
    """One statement: insert the missing prospects (an existing one for the address and form
    is kept: ON CONFLICT on the partial unique index) and the first step of each new one."""
    P, S = Prospect._meta, ProspectStep._meta
    pcols = [
        "region_id", "provider_id", "family_form", "name", "email", "phone", "postcode",
        "municipality_id", "source", "vacancy_id", "stage", "stage_date", "created_at",
    ]  # fmt: skip
    values, params = [], []
    for form in reg.interests:
        values.append("(" + ", ".join(["%s"] * len(pcols)) + ")")
        params += [
            region_id, owner_id, form, reg.name, reg.email, reg.phone, reg.postcode,
            reg.municipality_id, reg.source, reg.vacancy_id, Stage.REGISTERED.value, today, now,
        ]  # fmt: skip
    # Table and column names come from the models; every value is a bound parameter.
    insert = f"INSERT INTO {P.db_table} ({', '.join(pcols)}) VALUES {', '.join(values)}"  # noqa: S608
    step = f"INSERT INTO {S.db_table} (prospect_id, stage, date, by_id, created_at)"
    conflict = "ON CONFLICT (region_id, email, family_form) WHERE anonymised_at IS NULL DO NOTHING"
    made = f"WITH made AS ({insert} {conflict} RETURNING id)"
    sql = f"{made} {step} SELECT id, %s, %s, NULL, %s FROM made"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, [*params, Stage.REGISTERED.value, today, now])


def _prospects_of(reg: Registration):
    return Prospect.objects.filter(
        region_id=reg.session.page.region_id,
        email=reg.email,
        family_form__in=reg.interests,
        anonymised_at__isnull=True,
    )


def _step(p: Prospect, stage: str, when: date, user) -> None:
    ProspectStep.objects.update_or_create(prospect=p, stage=stage, defaults={"date": when, "by": user})
    p.stage, p.stage_date = stage, when
    p.save(update_fields=["stage", "stage_date"])


@transaction.atomic
def record_step(prospect: Prospect, stage: str, when: date, *, by=None) -> Prospect:
    p = Prospect.objects.select_for_update().get(pk=prospect.pk)
    if p.stage in CLOSED:
        raise RegistrationError("closed", _("Dit traject is afgesloten."))
    if stage not in Stage.values:
        raise RegistrationError("invalid_stage", _("Onbekende fase."))
    if stage not in CLOSED and FUNNEL.index(stage) <= FUNNEL.index(p.stage):
        raise RegistrationError("backwards", _("Kies een fase na de huidige fase."))
    if when > timezone.localdate():
        raise RegistrationError("future", _("De datum mag niet in de toekomst liggen."))
    if when < p.stage_date:
        raise RegistrationError(
            "before_previous",
            _("De datum ligt vóór de vorige stap (%(date)s).") % {"date": p.stage_date.strftime("%d-%m-%Y")},
        )
    _step(p, stage, when, by)
    return p


@transaction.atomic
def register_interest(vacancy: VacancyPage, data: RegistrationData, *, now=None) -> list[Prospect]:
    """ "I am interested" on a vacancy: a prospect with the vacancy as source."""
    now = now or timezone.now()
    pc4 = ""
    if data.postcode:
        pc4 = normalise_pc4(data.postcode) or ""
        if not pc4:
            raise RegistrationError(
                "invalid_postcode", _("Vul een postcode in van 4 cijfers, bijvoorbeeld 7411.")
            )
    municipality = municipality_for(pc4) if pc4 else None
    p, created = Prospect.objects.get_or_create(
        region_id=vacancy.region_id,
        email=data.email.strip().lower(),
        family_form=vacancy.family_form,
        anonymised_at__isnull=True,
        defaults={
            "provider": vacancy.provider,
            "name": data.name.strip(),
            "phone": data.phone.strip(),
            "postcode": pc4,
            "municipality": municipality,
            "source": Source.VACANCY,
            "vacancy": vacancy,
            "stage_date": timezone.localdate(now),
            "created_at": now,
        },
    )
    if created:
        ProspectStep.objects.create(prospect=p, stage=Stage.REGISTERED, date=timezone.localdate(now))
    queue_templated(
        p.email,
        "foster/email/interest",
        {"prospect": p, "vacancy": vacancy, "retention_months": retention_months()},
        dedupe_key=f"foster-interest-{p.pk}-{vacancy.pk}",
    )
    if vacancy.provider.email:
        queue_templated(
            vacancy.provider.email,
            "foster/email/interest_provider",
            {"prospect": p, "vacancy": vacancy},
            dedupe_key=f"foster-interest-provider-{p.pk}-{vacancy.pk}",
        )
    return [p]


def working_days_between(start: date, end: date) -> int:
    """Mon-Fri days after ``start`` up to and including ``end``."""
    days, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days += 1
    return days


def needs_first_conversation(p: Prospect, today: date | None = None) -> bool:
    """Attended, and no first conversation within 2 working days."""
    today = today or timezone.localdate()
    return p.stage == Stage.ATTENDED and working_days_between(p.stage_date, today) > 2


# --- retention ---------------------------------------------------------------------


def _anonymise_prospects(region_id: int, email: str, now, *, only_stalled: bool) -> int:
    qs = Prospect.objects.filter(region_id=region_id, email=email, anonymised_at__isnull=True)
    if only_stalled:
        qs = qs.filter(stage__in=[Stage.REGISTERED, Stage.ATTENDED, Stage.WITHDRAWN, Stage.NOT_SUITABLE])
    n = 0
    for p in qs:
        p.name, p.phone, p.email = "", "", f"verwijderd-{p.pk}@example.invalid"
        p.anonymised_at = now
        p.save(update_fields=["name", "phone", "email", "anonymised_at"])
        n += 1
    return n


def apply_retention(*, now=None) -> dict[str, int]:
    """Anonymise registrations of prospects who did not continue, ``retention_months`` after
    their evening. Kept: municipality, source, family forms, stage dates (for the report)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(retention_months() * 30.44))
    regs = Registration.objects.filter(
        anonymised_at__isnull=True, session__ends_at__lt=cutoff
    ).select_related("session__page")
    done = kept = 0
    for reg in regs:
        region_id = reg.session.page.region_id
        continuing = Prospect.objects.filter(
            region_id=region_id,
            email=reg.email,
            anonymised_at__isnull=True,
            stage__in=[Stage.CONVERSATION, Stage.COURSE, Stage.ASSESSMENT, Stage.APPROVED],
        ).exists()
        if continuing:
            kept += 1
            continue
        with transaction.atomic():
            # The lock order: the registration before the prospects made from it.
            Registration.objects.select_for_update(of=("self",)).filter(pk=reg.pk).first()
            _anonymise_prospects(region_id, reg.email, now, only_stalled=True)
            reg.name, reg.phone = "", ""
            reg.email = f"verwijderd-{reg.pk}@example.invalid"
            reg.anonymised_at = now
            reg.save(update_fields=["name", "phone", "email", "anonymised_at", "updated_at"])
            done += 1
    return {"anonymised": done, "kept": kept}
