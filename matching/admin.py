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
