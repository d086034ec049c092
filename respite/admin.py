"""Django admin (technical administrators): read the respite tables, change working agreements.

Day-to-day work happens in the app's own screens (/respijt/beheer/, /respijt/regio/), which go
through the services and keep the capacity ledger consistent. Here the ledger is read-only.
"""

from django.contrib import admin

from .models import Booking, Offer, UnmetDemand, WorkingAgreement


@admin.register(WorkingAgreement)
class WorkingAgreementAdmin(admin.ModelAdmin):
    list_display = [
        "region",
        "max_nights_per_quarter",
        "lead_time_hours",
        "emergency_share",
        "decision_hours",
        "cancel_cutoff_hours",
    ]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(ReadOnly):
    list_display = ["title", "provider", "kind", "municipality", "capacity", "is_active"]
    list_filter = ["kind", "provider", "is_active"]
    search_fields = ["title"]


@admin.register(Booking)
class BookingAdmin(ReadOnly):
    list_display = ["pk", "offer", "start", "end", "part", "status", "age_band", "emergency"]
    list_filter = ["status", "emergency"]
    exclude = ["child_ref", "child_age", "needs", "notes"]  # children's details stay out of the admin


@admin.register(UnmetDemand)
class UnmetDemandAdmin(ReadOnly):
    list_display = ["created_at", "source", "start", "end", "kind", "municipality", "age_band", "units"]
    list_filter = ["source", "kind"]
