from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thuisnet.accounts.models import Household, Municipality, Organisation
from thuisnet.core.pii import validate_child_reference, validate_no_identifiers

from .models import Placement, PlacementType, Target
from .services import validate_placement


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = [
            "child_ref",
            "carer_ref",
            "placement_type",
            "schedule",
            "age_band",
            "municipality",
            "start_date",
            "end_date",
            "end_code",
            "end_reason",
            "matching_conversation",
            "met_before_start",
            "emergency",
            "perspective_in_time",
            "household",
            "carer_supported",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, provider: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.fields["municipality"].queryset = Municipality.objects.filter(region=provider.region)
        # Only the provider's own households (item 5); their support follows from Thuisnet.
        self.fields["household"].queryset = Household.objects.filter(provider=provider).order_by(
            "display_name"
        )
        # The number is what the import file's gezin_id column and the API's household take.
        self.fields["household"].label_from_instance = lambda h: (
            _("%(name)s (nummer %(pk)s)")
            % {
                "name": h.display_name,
                "pk": h.pk,
            }
        )
        # References are pseudonyms: no name, birth date or BSN (thuisnet.core.pii).
        for name in ("child_ref", "carer_ref"):
            self.fields[name].validators.append(validate_child_reference)
        if self.instance.pk:
            # The key (child, carer, start) identifies the placement; correct it by a new entry.
            for name in ("child_ref", "carer_ref", "start_date"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        for name, message in validate_placement(data).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        if (
            not self.instance.pk
            and data.get("child_ref")
            and data.get("carer_ref")
            and data.get("start_date")
        ):
            exists = Placement.objects.filter(
                provider=self.provider,
                child_ref=data["child_ref"],
                carer_ref=data["carer_ref"],
                start_date=data["start_date"],
            ).exists()
            if exists:
                self.add_error(
                    "start_date",
                    _("Deze plaatsing (kind, gezin en startdatum) staat al in het register; pas die aan."),
                )
        return data

    def validate_unique(self):
        # The provider is not a form field; uniqueness is checked in clean().
        pass


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (.csv of .xlsx)"),
        help_text=_("Volgens de kolomspecificatie hieronder, hoogstens 20 MB."),
    )
    provider = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Aanbieder"))

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()
            self.fields["provider"].widget = forms.HiddenInput()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        if not f.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload een .csv- of .xlsx-bestand."))
        return f


def default_cohort(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year - 3, 1, 1), date(today.year - 1, 12, 31)


class ReportFilterForm(forms.Form):
    cohort_start = forms.DateField(label=_("Gestart vanaf"), widget=DateInput(), required=False)
    cohort_end = forms.DateField(label=_("Gestart tot en met"), widget=DateInput(), required=False)
    as_of = forms.DateField(label=_("Peildatum"), widget=DateInput(), required=False)
    type = forms.ChoiceField(
        label=_("Soort plaatsing"),
        required=False,
        choices=[("", _("Alle soorten"))] + [c for c in PlacementType.choices if c[0] != "respite"],
    )

    def clean(self):
        data = super().clean()
        s, e = data.get("cohort_start"), data.get("cohort_end")
        if s and e and e < s:
            self.add_error("cohort_end", _("Het einde van de cohort ligt voor het begin."))
        return data


class TargetForm(forms.ModelForm):
    max_percentage = forms.DecimalField(
        label=_("Hoogstens percentage breakdown"),
        min_value=1,
        max_value=99,
        decimal_places=1,
        help_text=_("Bijvoorbeeld 20 voor 20%."),
    )

    class Meta:
        model = Target
        fields = ["cohort_start", "cohort_end", "horizon_months"]
        widgets = {"cohort_start": DateInput(), "cohort_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["max_percentage"].initial = self.instance.max_share * 100
        self.fields["horizon_months"].widget.attrs.update({"min": 1, "max": 60})

    def clean(self):
        data = super().clean()
        s, e = data.get("cohort_start"), data.get("cohort_end")
        if s and e and e < s:
            self.add_error("cohort_end", _("Het einde van de cohort ligt voor het begin."))
        h = data.get("horizon_months")
        if h is not None and not 1 <= h <= 60:
            self.add_error("horizon_months", _("Kies een termijn van 1 tot 60 maanden."))
        return data


class AdoptTargetForm(forms.Form):
    """A coordinator adopts one of the feasible-target page's candidates, with a note."""

    share = forms.TypedChoiceField(label=_("Ambitie"), coerce=float, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Toelichting bij het besluit"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Waarom deze ambitie, en wie heeft meebesloten. Geen namen of gegevens van kinderen."),
        validators=[validate_no_identifiers],
    )

    def __init__(self, *args, choices: list[tuple[str, str]], initial_share: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].choices = choices
        if initial_share is not None:
            self.fields["share"].initial = initial_share
