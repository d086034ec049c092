"""Wagtail admin: links from the CMS to the organiser screens."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from thuisnet.accounts.policies import can


class _PolicyMenuItem(MenuItem):
    def __init__(self, *args, capability: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.capability = capability

    def is_shown(self, request):
        return can(request.user, self.capability)


@hooks.register("register_admin_menu_item")
def organiser_menu_item():
    return _PolicyMenuItem(
        _("Aanmeldingen avonden"),
        reverse("foster:manage_list"),
        icon_name="date",
        order=250,
        capability="foster.list_organised",
    )
