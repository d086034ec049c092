"""The start path: a starting family-home parent marks steps done and adds documents; the
stalled-step reminder. Views authorise and call one of these."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thuisnet.accounts.inbox import notify
from thuisnet.accounts.policies import require
from thuisnet.core import audit
from thuisnet.core.mail import queue_templated
from thuisnet.core.pii import explain, find_identifiers

from ..models import Starter, StartPath, StartStep, StepProgress
from .common import KnowledgeError

ALLOWED_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "KNOWLEDGE_STARTPATH_MAX_UPLOAD_MB", 5)) * 1024 * 1024


def stall_days(path: StartPath) -> int:
    """Days on one step before a reminder: the path's own setting, else the site's."""
    return path.stall_days or int(getattr(settings, "KNOWLEDGE_STARTPATH_STALL_DAYS", 21))


def enrol(user, path: StartPath, *, provider, coach=None, started_on: date | None = None) -> Starter:
    """Put ``user`` on ``path`` (the editor's snippet does the same); the first step is reached."""
    started_on = started_on or timezone.localdate()
    with transaction.atomic():
        starter, _created = Starter.objects.get_or_create(
            user=user, defaults={"path": path, "provider": provider, "coach": coach, "started_on": started_on}
        )
        first = path.steps.order_by("position").first()
        if first is not None:
            StepProgress.objects.get_or_create(
                starter=starter, step=first, defaults={"reached_on": started_on}
            )
    return starter


def _step_of(starter: Starter, step_id: int) -> StartStep:
    step = StartStep.objects.filter(pk=step_id, path_id=starter.path_id).first()
    if step is None:
        raise KnowledgeError("unknown_step", _("Deze stap hoort niet bij jouw startpad."))
    return step


def _progress(starter: Starter, step: StartStep, *, lock: bool = False) -> StepProgress:
    progress, _created = StepProgress.objects.get_or_create(
        starter=starter, step=step, defaults={"reached_on": timezone.localdate()}
    )
    if lock:
        progress = StepProgress.objects.select_for_update().get(pk=progress.pk)
    return progress


def mark_step_done(user, step_id: int, *, done: bool = True) -> StepProgress:
    """Mark one of the starter's own steps done (or not done again). A step that asks for a
    document is done only once one is uploaded or linked; the next step is then reached."""
    starter = Starter.objects.select_related("path", "coach").filter(user=user).first()
    if starter is None:
        raise KnowledgeError("no_path", _("Je volgt nog geen startpad."))
    require(user, "startpath.update_progress", starter)
    step = _step_of(starter, step_id)
    today = timezone.localdate()
    with transaction.atomic():
        progress = _progress(starter, step, lock=True)
        if not done:
            progress.done_on = None
            progress.save(update_fields=["done_on"])
            Starter.objects.filter(pk=starter.pk).update(finished_on=None)
            return progress
        if progress.done_on:
            return progress
        if step.asks_document and not progress.has_document:
            raise KnowledgeError(
                "document_missing",
                _(
                    "Deze stap vraagt om een document (%(what)s). Upload het of geef een link, "
                    "en vink dan de stap af."
                )
                % {"what": step.document_hint or step.title},
                "document",
            )
        progress.done_on = today
        progress.save(update_fields=["done_on"])
        following = (
            StartStep.objects.filter(path_id=starter.path_id, position__gt=step.position)
            .order_by("position")
            .first()
        )
        if following is not None:
            StepProgress.objects.get_or_create(
                starter=starter, step=following, defaults={"reached_on": today}
            )
        elif (
            not StepProgress.objects.filter(starter=starter, done_on__isnull=True)
            .exclude(pk=progress.pk)
            .exists()
        ):
            Starter.objects.filter(pk=starter.pk).update(finished_on=today)
        if starter.coach_id:
            notify(
                starter.coach,
                kind="startpath",
                title=_("%(name)s heeft stap %(n)d afgerond: %(step)s")
                % {"name": user.get_short_name(), "n": step.position, "step": step.title},
                url=reverse("knowledge:startpath_starter", args=[starter.pk]),
            )
    return progress


def _check_upload(upload) -> None:
    import os

    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_TYPES:
        raise KnowledgeError(
            "file_type",
            _("Dit bestandstype kan niet. Upload een PDF, JPG, PNG, DOCX of ODT."),
            "upload",
        )
    if upload.size > max_upload_bytes():
        raise KnowledgeError(
            "file_size",
            _("Het bestand is %(size).1f MB; het maximum is %(max)d MB.")
            % {"size": upload.size / 1024 / 1024, "max": max_upload_bytes() // 1024 // 1024},
            "upload",
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_TYPES[ext]):
        raise KnowledgeError(
            "file_content",
            _("De inhoud van het bestand past niet bij %(ext)s. Kies het juiste bestand.") % {"ext": ext},
            "upload",
        )


def attach_document(user, step_id: int, *, upload=None, url: str = "", name: str = "") -> StepProgress:
    """Add (or replace) the starter's document for a step: an upload or a link, with a short
    name that never names a child."""
    starter = Starter.objects.filter(user=user).first()
    if starter is None:
        raise KnowledgeError("no_path", _("Je volgt nog geen startpad."))
    require(user, "startpath.update_progress", starter)
    step = _step_of(starter, step_id)
    name = (name or "").strip()
    url = (url or "").strip()
    if not upload and not url:
        raise KnowledgeError("invalid", _("Kies een bestand of vul een link in."), "upload")
    if upload and url:
        raise KnowledgeError("invalid", _("Kies een bestand óf een link, niet allebei."), "url")
    findings = find_identifiers(name) + find_identifiers(getattr(upload, "name", "") or "")
    if findings:
        raise KnowledgeError("pii", explain(findings), "name")
    if url and not url.startswith("https://"):
        raise KnowledgeError("invalid", _("Een link begint met https://."), "url")
    if upload:
        _check_upload(upload)
    with transaction.atomic():
        progress = _progress(starter, step, lock=True)
        if progress.document:
            progress.document.delete(save=False)
        if upload:
            import os

            ext = os.path.splitext(upload.name)[1].lower()
            progress.document.save(f"stap-{step.pk}-{starter.pk}{ext}", upload, save=False)
            progress.document_url = ""
        else:
            progress.document = ""
            progress.document_url = url
        progress.document_name = name[:120] or step.document_hint[:120] or step.title[:120]
        progress.save(update_fields=["document", "document_url", "document_name"])
        audit.record(user, "startpath.document", "knowledge.stepprogress", progress.pk)
    return progress


def send_stall_reminders(today: date | None = None) -> int:
    """Remind starter and coach of a step that has not moved for the path's ``stall_days``.
    One reminder per stall period: a conditional UPDATE of ``reminded_on`` claims it, so
    overlapping runs send it once."""
    from ..startpath.selectors import current_steps

    today = today or timezone.localdate()
    sent = 0
    starters = Starter.objects.filter(finished_on__isnull=True).select_related("path", "user", "coach")
    for starter, step, progress_row in current_steps(list(starters)):
        if step is None:
            continue
        limit = stall_days(starter.path)
        reached = progress_row.reached_on if progress_row else starter.started_on
        if (today - reached).days < limit:
            continue
        with transaction.atomic():
            progress = _progress(starter, step)
            last = progress.reminded_on
            if last is not None and (today - last).days < limit:
                continue
            claimed = StepProgress.objects.filter(pk=progress.pk, reminded_on=last).update(reminded_on=today)
            if not claimed:
                continue
            days = (today - reached).days
            title = _("Stap %(n)d van je startpad staat al %(days)d dagen open: %(step)s") % {
                "n": step.position,
                "days": days,
                "step": step.title,
            }
            url = reverse("knowledge:startpath")
            notify(starter.user, kind="startpath", title=title, url=url)
            queue_templated(
                starter.user.email,
                "knowledge/email/startpath_stalled",
                {"user": starter.user, "step": step, "days": days, "url": settings.BASE_URL + url},
                dedupe_key=f"startpath-stalled-{progress.pk}-{today.isoformat()}",
            )
            if starter.coach_id and starter.coach.is_active:
                coach_url = reverse("knowledge:startpath_starter", args=[starter.pk])
                coach_title = _("%(name)s staat al %(days)d dagen op stap %(n)d: %(step)s") % {
                    "name": starter.user.get_short_name(),
                    "days": days,
                    "n": step.position,
                    "step": step.title,
                }
                notify(starter.coach, kind="startpath", title=coach_title, url=coach_url)
                queue_templated(
                    starter.coach.email,
                    "knowledge/email/startpath_coach",
                    {"text": coach_title, "url": settings.BASE_URL + coach_url},
                    dedupe_key=f"startpath-coach-{progress.pk}-{today.isoformat()}",
                )
            sent += 1
    return sent
