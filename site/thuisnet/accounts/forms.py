from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FamilyForm, Municipality


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up form (email and password come from allauth)."""

    full_name = forms.CharField(
        label=_("Naam"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    family_form = forms.ChoiceField(
        label=_("Ik ben"),
        required=False,
        choices=[("", _("(nog) geen pleeg-, steun- of gezinshuisouder")), *FamilyForm.choices],
        help_text=_("Je aanbieder bevestigt dit daarna; tot dan kun je meelezen en vragen stellen."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Kies je gemeente"),
    )

    def clean(self):
        data = super().clean()
        if data.get("family_form") and not data.get("municipality"):
            self.add_error("municipality", _("Kies de gemeente waar je gezin woont."))
        return data

    def signup(self, request, user) -> None:
        from .services import complete_signup

        complete_signup(
            user,
            full_name=self.cleaned_data["full_name"],
            family_form=self.cleaned_data.get("family_form") or None,
            municipality=self.cleaned_data.get("municipality"),
        )
