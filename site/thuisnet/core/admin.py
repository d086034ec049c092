from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditLog, OutboxEmail, PeriodicJob


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "attempts", "sent_at", "failed_at"]
    list_filter = ["sent_at", "failed_at"]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry"]

    @admin.action(description="Opnieuw proberen")
    def retry(self, request, queryset):
        from django.utils import timezone

        queryset.filter(sent_at__isnull=True).update(
            failed_at=None, attempts=0, next_attempt_at=timezone.now()
        )


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "next_run_at", "runs", "last_error"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Administrators may read the audit log; nobody may change or delete it."""

    list_display = ["when", "actor_label", "what", "object_type", "object_ref", "ip"]
    # Action codes stay stable in the database (exports, queries); people read them in words.
    ACTIONS = {
        "read": _("ingezien"),
        "update": _("gewijzigd"),
        "create": _("aangemaakt"),
        "delete": _("verwijderd"),
        "export": _("geëxporteerd"),
        "import": _("ingelezen"),
        "knowledge.verify": _("antwoord geverifieerd"),
        "knowledge.unverify": _("verificatie ingetrokken"),
        "knowledge.convert": _("antwoord omgezet in artikel"),
    }

    class ActionFilter(admin.SimpleListFilter):
        title = _("handeling")
        parameter_name = "action"

        def lookups(self, request, model_admin):
            codes = AuditLog.objects.order_by().values_list("action", flat=True).distinct()
            return [(c, model_admin.ACTIONS.get(c, c)) for c in sorted(codes)]

        def queryset(self, request, queryset):
            return queryset.filter(action=self.value()) if self.value() else queryset

    list_filter = [ActionFilter, "object_type"]

    @admin.display(description=_("tijdstip"), ordering="at")
    def when(self, obj):
        return obj.at

    @admin.display(description=_("handeling"), ordering="action")
    def what(self, obj):
        return self.ACTIONS.get(obj.action, obj.action)

    search_fields = ["actor_label", "object_ref"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        from thuisnet.accounts.policies import can

        return can(request.user, "audit.view")
