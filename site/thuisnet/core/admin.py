from django.contrib import admin

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

    list_display = ["at", "actor_label", "action", "object_type", "object_ref"]
    list_filter = ["action", "object_type"]
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
