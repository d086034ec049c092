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

    def get_queryset(self, request):
        """The rows the policy lets this user see (``placements.view_rows``): administrators
        who are not staff of a provider see targets here, not children's placements."""
        from thuisnet.accounts.policies import scope

        return scope(request.user, "placements.view_rows", super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        from thuisnet.core.audit import record_read

        response = super().changelist_view(request, extra_context)
        changelist = (
            getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        )
        if changelist is not None:
            # One audit row for the request, listing the placements on the page.
            record_read(
                request.user,
                "placement_list",
                [p.pk for p in changelist.result_list],
                request=request,
                via="django-admin",
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from thuisnet.core.audit import record_read

        response = super().change_view(request, object_id, form_url, extra_context)
        if getattr(response, "status_code", None) == 200 and str(object_id).isdigit():
            record_read(request.user, "placement", [object_id], request=request, via="django-admin")
        return response
