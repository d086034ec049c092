"""A pairing's life: both sides answer, a trial period, check-ins, and an end with a reason.

Contact details are shown only once both sides accepted (``contact_for``). A decline sends the
mentee back to the next round (the declined pair is never proposed again). Check-in answers
come in through signed one-click links; "graag contact" mails the region's coordinators.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.models import Membership, User
from thuisnet.accounts.policies import require
from thuisnet.core.db import retry_on_conflict
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from .models import CheckIn, Mentee, Pairing
from .rounds import OPEN_PAIRING, settings_for

SALT = "matching.checkin"
LINK_MAX_AGE = timedelta(days=60)


class PairingError(Exception):
    """Dutch message for the person acting."""


def _side(user: User, pairing: Pairing) -> str:
    if pairing.mentor.user_id == user.pk:
        return "mentor"
    if pairing.mentee.household_id and pairing.mentee.household_id == user.household_id:
        return "mentee"
    raise PairingError(_("Dit is niet jouw koppeling."))


def _reason(text: str) -> str:
    text = (text or "").strip()[:300]
    if not text:
        raise PairingError(_("Geef kort een reden; dat helpt bij de volgende ronde."))
    findings = find_identifiers(text)
    if findings:
        raise PairingError(explain(findings))
    return text


def _emails(pairing: Pairing) -> list[str]:
    people = [
        pairing.mentor.user.email,
        *User.objects.filter(household_id=pairing.mentee.household_id).values_list("email", flat=True),
    ]
    return [e for e in people if e]


@retry_on_conflict
def answer(user: User, pairing_id: int, *, accept: bool, reason: str = "") -> Pairing:
    """One side accepts or declines a proposed pairing."""
    pairing = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("mentee", "mentor__user")
        .get(pk=pairing_id)
    )
    require(user, "matching.answer_pairing", pairing)
    side = _side(user, pairing)
    if pairing.status != Pairing.Status.PROPOSED:
        raise PairingError(_("Over deze koppeling is al beslist."))
    now = timezone.now()
    if not accept:
        pairing.status, pairing.ended_at = Pairing.Status.DECLINED, now
        pairing.end_reason = _reason(reason)
        pairing.save()
        # Back to the next round, with the reason the coordinator sees.
        Mentee.objects.filter(pk=pairing.mentee_id).update(
            status=Mentee.Status.WAITING,
            last_reason=_("afgewezen door %(side)s: %(reason)s")
            % {"side": _("mentor") if side == "mentor" else _("ouder"), "reason": pairing.end_reason},
        )
        queue_templated(_emails(pairing), "matching/email/pairing_declined", {"pairing": pairing})
        return pairing
    setattr(pairing, f"{side}_accepted_at", now)
    if pairing.both_accepted:
        weeks = settings_for(pairing.mentee.household.region).trial_weeks
        pairing.status = Pairing.Status.TRIAL
        pairing.trial_ends_on = timezone.localdate() + timedelta(weeks=weeks)
        Mentee.objects.filter(pk=pairing.mentee_id).update(paired_at=now)
        queue_templated(_emails(pairing), "matching/email/pairing_started", {"pairing": pairing})
    pairing.save()
    return pairing


def contact_for(user: User, pairing: Pairing) -> dict | None:
    """The other side's name and email, only when both accepted."""
    if not pairing.both_accepted or pairing.status not in OPEN_PAIRING:
        return None
    if _side(user, pairing) == "mentee":
        other = pairing.mentor.user
        return {"name": other.full_name, "email": other.email}
    others = User.objects.filter(household_id=pairing.mentee.household_id)
    return {"name": ", ".join(o.full_name for o in others), "email": ", ".join(o.email for o in others)}


def _send_checkins(pairing: Pairing, kind: str, sent_by: User | None) -> list[CheckIn]:
    made = []
    for side in ("mentor", "mentee"):
        checkin = CheckIn.objects.create(pairing=pairing, side=side, kind=kind, sent_by=sent_by)
        made.append(checkin)
        if side == "mentor":
            to = [pairing.mentor.user.email]
        else:
            to = list(
                User.objects.filter(household_id=pairing.mentee.household_id).values_list("email", flat=True)
            )
        links = {
            "good": checkin_link(checkin, CheckIn.Answer.GOOD),
            "better": checkin_link(checkin, CheckIn.Answer.BETTER),
            "contact": checkin_link(checkin, CheckIn.Answer.CONTACT),
        }
        queue_templated(to, "matching/email/checkin", {"checkin": checkin, "links": links})
    return made


def send_checkin(worker: User, pairing_id: int) -> list[CheckIn]:
    """The mentee's provider worker asks both sides how it goes."""
    pairing = Pairing.objects.select_related("mentee__household", "mentor__user").get(pk=pairing_id)
    require(worker, "matching.send_checkin", pairing)
    if pairing.status not in (Pairing.Status.TRIAL, Pairing.Status.ACTIVE):
        raise PairingError(_("Deze koppeling loopt niet (meer)."))
    return _send_checkins(pairing, CheckIn.Kind.REGULAR, worker)


def end_trials(today: date | None = None) -> int:
    """Periodic: trial periods that ended get a check-in to both sides, once."""
    today = today or timezone.localdate()
    due = Pairing.objects.filter(status=Pairing.Status.TRIAL, trial_ends_on__lte=today).exclude(
        checkins__kind=CheckIn.Kind.TRIAL
    )
    n = 0
    for pairing in due.select_related("mentee__household", "mentor__user"):
        _send_checkins(pairing, CheckIn.Kind.TRIAL, None)
        n += 1
    return n


def checkin_link(checkin: CheckIn, answer: str) -> str:
    token = signing.dumps({"c": checkin.pk, "a": answer}, salt=SALT)
    return f"/mentoren/check-in/{token}/"


def read_link(token: str) -> tuple[CheckIn, str]:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise PairingError(_("Deze link klopt niet of is verlopen.")) from None
    checkin = (
        CheckIn.objects.select_related("pairing__mentee__household", "pairing__mentor__user")
        .filter(pk=data["c"])
        .first()
    )
    if checkin is None or data["a"] not in CheckIn.Answer.values:
        raise PairingError(_("Deze link klopt niet of is verlopen."))
    return checkin, data["a"]


@retry_on_conflict
def record_answer(token: str) -> CheckIn:
    """The answer of a one-click link (the signature is the authorisation; the last answer counts)."""
    checkin, answer_value = read_link(token)
    checkin = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("pairing__mentee__household__region", "pairing__mentor__user")
        .get(pk=checkin.pk)
    )
    first_contact = answer_value == CheckIn.Answer.CONTACT and checkin.answer != CheckIn.Answer.CONTACT
    checkin.answer, checkin.answered_at = answer_value, timezone.now()
    checkin.save(update_fields=["answer", "answered_at"])
    pairing = checkin.pairing
    if checkin.kind == CheckIn.Kind.TRIAL and pairing.status == Pairing.Status.TRIAL:
        answers = set(pairing.checkins.filter(kind=CheckIn.Kind.TRIAL).values_list("answer", flat=True))
        if answers == {CheckIn.Answer.GOOD}:
            pairing.status, pairing.trial_passed = Pairing.Status.ACTIVE, True
            pairing.save(update_fields=["status", "trial_passed"])
    if first_contact:
        region = pairing.mentee.household.region
        coordinators = Membership.objects.filter(
            role="coordinator", organisation__kind="region", organisation__region=region
        ).values_list("user__email", flat=True)
        queue_templated(
            list(coordinators), "matching/email/contact_wanted", {"checkin": checkin, "pairing": pairing}
        )
    return checkin


@retry_on_conflict
def end(user: User, pairing_id: int, reason: str, *, rematch: bool = False) -> Pairing:
    """Either side (or the coordinator) ends a pairing with a reason; ``rematch`` puts the
    mentee back in the next round (this mentor is never proposed to them again)."""
    pairing = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("mentee", "mentor__user")
        .get(pk=pairing_id)
    )
    require(user, "matching.end_pairing", pairing)
    if pairing.status not in OPEN_PAIRING:
        raise PairingError(_("Deze koppeling is al afgesloten."))
    pairing.ended_early = pairing.status in (Pairing.Status.PROPOSED, Pairing.Status.TRIAL)
    pairing.status, pairing.ended_at, pairing.end_reason = (
        Pairing.Status.ENDED,
        timezone.now(),
        _reason(reason),
    )
    pairing.save()
    Mentee.objects.filter(pk=pairing.mentee_id).update(
        status=Mentee.Status.WAITING if rematch else Mentee.Status.WITHDRAWN,
        last_reason=_("opnieuw koppelen: %(reason)s") % {"reason": pairing.end_reason} if rematch else "",
    )
    queue_templated(_emails(pairing), "matching/email/pairing_ended", {"pairing": pairing})
    return pairing


def mentor_user_ids_for(user: User) -> set[int]:
    """Public query for other apps (respite): the user ids of the household's accepted mentors."""
    if not getattr(user, "household_id", None):
        return set()
    return set(
        Pairing.objects.filter(
            mentee__household_id=user.household_id,
            status__in=(Pairing.Status.TRIAL, Pairing.Status.ACTIVE),
        ).values_list("mentor__user_id", flat=True)
    )
