from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Household, Membership, Municipality, Organisation, Region, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "region", "household", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_superuser", "is_active", "region"]
    inlines = [MembershipInline]
    autocomplete_fields = ["household"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "region", "household"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "cbs_code"]
    list_filter = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["display_name", "family_form", "municipality", "provider", "verified_at"]
    list_filter = ["family_form", "region"]
    search_fields = ["display_name"]
