from django.contrib import admin

from .models import MentorProfile, MentorRequest


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "is_available", "max_mentees", "created_at"]
    list_filter = ["is_available"]


@admin.register(MentorRequest)
class MentorRequestAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "status", "created_at", "decided_at"]
    list_filter = ["status"]


from .models import Buddy, Constellation, Mentee, MentorOffer, Pairing, RegionSettings, Round  # noqa: E402


@admin.register(RegionSettings)
class RegionSettingsAdmin(admin.ModelAdmin):
    """Where a coordinator (or administrator) sets the region's weights and rules."""

    list_display = ["region", "forbid_own_provider", "trial_weeks"]


@admin.register(MentorOffer)
class MentorOfferAdmin(admin.ModelAdmin):
    list_display = ["profile", "verified_at", "max_travel_km", "same_village_ok"]


@admin.register(Mentee)
class MenteeAdmin(admin.ModelAdmin):
    list_display = ["household", "status", "asked_at", "referred_by"]
    list_filter = ["status"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["region", "created_at", "status", "seconds"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "status", "trial_ends_on", "trial_passed", "ended_early"]
    list_filter = ["status"]


@admin.register(Buddy)
class BuddyAdmin(admin.ModelAdmin):
    list_display = ["prospect", "ambassador", "status", "created_at"]


@admin.register(Constellation)
class ConstellationAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "hub", "members_first_days"]
    filter_horizontal = ["satellites"]
