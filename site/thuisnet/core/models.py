from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An email waiting to be sent, written in the same transaction as its cause."""

    to = models.JSONField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=255)
    body_text = models.TextField(_("tekst"))
    body_html = models.TextField(_("HTML"), blank=True)
    from_email = models.CharField(_("van"), max_length=255, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename": ..., "content_b64": ..., "mimetype": ...}]
    attachments = models.JSONField(default=list, blank=True)
    # Emails that must go out once (a reminder) carry a key; a second queue is a no-op.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Gezet als het na het maximale aantal pogingen niet lukte.")
    )

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_idx",
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        return "pending"


class PeriodicJob(models.Model):
    """When each periodic job last ran and next runs; the row is its lock."""

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("periodieke taak")
        verbose_name_plural = _("periodieke taken")

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()
    last_job_at = models.DateTimeField(null=True, blank=True)


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log cannot be changed.")

    def delete(self):
        raise ValidationError("The audit log cannot be deleted.")


class AuditLog(models.Model):
    """Append-only: who read or changed protected data, what, and when."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wie"),
    )
    actor_label = models.CharField(_("wie (tekst)"), max_length=255, blank=True)
    action = models.CharField(_("handeling"), max_length=60)
    object_type = models.CharField(_("soort gegeven"), max_length=100)
    object_ref = models.CharField(_("welk gegeven"), max_length=255, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at"]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log cannot be deleted.")


class IdempotencyRecord(models.Model):
    """The first answer to a request with a given key; a replay gets it again."""

    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=255)
    # Whose key it is: "user:<pk>" for signed-in callers; "client:<hash>" for an anonymous
    # caller that sends an Idempotency-Client token; "anon:<fingerprint>" for an anonymous
    # caller without one; "" for one-time tokens of public forms (issued by the server).
    principal = models.CharField(max_length=64, default="", blank=True)
    # sha256 of method, path and canonical body: the same key with another request is refused.
    # Empty for form tokens and rows from before fingerprints (not compared).
    fingerprint = models.CharField(max_length=64, default="", blank=True)
    status_code = models.PositiveSmallIntegerField(default=200)
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "principal"], name="idempotency_unique"),
        ]


class RateLimitCounter(models.Model):
    """One rate-limit window's count, for when the cache cannot increment atomically."""

    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class PostcodeArea(models.Model):
    """A 4-digit postcode area with its centroid (for distance search) and municipality."""

    pc4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postcode_areas",
    )

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")

    def __str__(self) -> str:
        return self.pc4
