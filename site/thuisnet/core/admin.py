from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import ACTION_LABELS, action_label, object_type_label
from .models import AuditLog, OutboxEmail, PeriodicJob


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "attempts", "sent_at", "failed_at"]
    list_filter = ["sent_at", "failed_at"]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry"]

    @admin.action(description=_("Opnieuw proberen"))
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

    list_display = ["when", "who", "what", "kind", "object_ref", "ip_address"]
    # Action codes stay stable in the database (exports, queries); people read them in words.
    ACTIONS = ACTION_LABELS

    class ActionFilter(admin.SimpleListFilter):
        title = _("handeling")
        parameter_name = "action"

        def lookups(self, request, model_admin):
            codes = AuditLog.objects.order_by().values_list("action", flat=True).distinct()
            return [(c, action_label(c)) for c in sorted(codes)]

        def queryset(self, request, queryset):
            return queryset.filter(action=self.value()) if self.value() else queryset

    class KindFilter(admin.SimpleListFilter):
        title = _("soort gegeven")
        parameter_name = "object_type"

        def lookups(self, request, model_admin):
            codes = AuditLog.objects.order_by().values_list("object_type", flat=True).distinct()
            return [(c, object_type_label(c)) for c in sorted(codes)]

        def queryset(self, request, queryset):
            return queryset.filter(object_type=self.value()) if self.value() else queryset

    list_filter = [ActionFilter, KindFilter]

    @admin.display(description=_("tijdstip"), ordering="at")
    def when(self, obj):
        return obj.at

    @admin.display(description=_("wie"), ordering="actor_label")
    def who(self, obj):
        return _("systeem") if obj.actor_label == "system" else obj.actor_label

    @admin.display(description=_("handeling"), ordering="action")
    def what(self, obj):
        return action_label(obj.action)

    @admin.display(description=_("soort gegeven"), ordering="object_type")
    def kind(self, obj):
        return object_type_label(obj.object_type)

    @admin.display(description=_("IP-adres"), ordering="ip")
    def ip_address(self, obj):
        return obj.ip or "–"

    search_fields = ["actor_label", "object_ref"]
    # The detail page in words too (the model's "at" and "ip" have no Dutch names).
    fields = readonly_fields = ["when", "who", "actor", "what", "kind", "object_ref", "detail", "ip_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        from thuisnet.accounts.policies import can

        return can(request.user, "audit.view")
