"""Django admin for administrators: targets editable, placements read-only (pseudonymous)."""

from django.contrib import admin

from .models import Placement, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = (
        "region",
        "cohort_start",
        "cohort_end",
        "horizon_months",
        "max_share",
        "last_status",
        "last_checked_at",
    )
    readonly_fields = ("last_status", "last_checked_at")


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = (
        "child_ref",
        "carer_ref",
        "provider",
        "placement_type",
        "start_date",
        "end_date",
        "end_code",
    )
    list_filter = ("provider", "placement_type", "end_code")
    search_fields = ("child_ref", "carer_ref")
    date_hierarchy = "start_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from thuisnet.core.audit import record

        record(request.user, "read", "placement_list", "django-admin", request=request)
        return super().changelist_view(request, extra_context)
