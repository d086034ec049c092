"""Forms: registration (public), personal-link actions, organiser screens, funnel steps."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thuisnet.core.geo import normalise_pc4

from .models import FamilyForm, Source, Stage
from .services import RegistrationData, retention_months

PHONE = re.compile(r"^\+?[0-9 ()-]{10,16}$")


def _clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and (not PHONE.match(value) or not 10 <= len(re.sub(r"\D", "", value)) <= 13):
        raise forms.ValidationError(_("Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678."))
    return value


class _ContactCleaning:
    """Phone and postcode as every prospect form takes them."""

    def clean_phone(self):
        return _clean_phone(self.cleaned_data.get("phone"))

    def clean_postcode(self):
        pc4 = normalise_pc4(self.cleaned_data.get("postcode", ""))
        if not pc4:
            raise forms.ValidationError(_("Vul een postcode in van 4 cijfers, bijvoorbeeld 7411."))
        return pc4


class RegistrationForm(_ContactCleaning, forms.Form):
    name = forms.CharField(
        label=_("Naam"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Telefoon (niet verplicht)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        help_text=_("De 4 cijfers zijn genoeg."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    attendees = forms.TypedChoiceField(
        label=_("Met hoeveel personen kom je?"),
        coerce=int,
        choices=[(1, _("1 persoon")), (2, _("2 personen"))],
        widget=forms.RadioSelect,
        initial=1,
    )
    interests = forms.MultipleChoiceField(
        label=_("Waar ben je in geïnteresseerd?"),
        choices=FamilyForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één gezinsvorm.")},
    )
    source = forms.ChoiceField(label=_("Hoe heb je van de avond gehoord?"), choices=Source.choices)
    consent = forms.BooleanField(label=_("Ik geef toestemming om mijn gegevens te bewaren"))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, page=None, vacancy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        if page is not None and page.family_forms:
            self.fields["interests"].choices = [c for c in FamilyForm.choices if c[0] in page.family_forms]
        self.fields["consent"].help_text = _(
            "We gebruiken je gegevens alleen voor deze avond en het contact daarna. Ga je "
            "niet verder, dan verwijderen we ze %(months)s maanden na de avond. Via de link "
            "in je bevestiging kun je ze op elk moment laten verwijderen."
        ) % {"months": retention_months()}
        self.fields["consent"].error_messages["required"] = _("Geef toestemming om je aan te melden.")
        if vacancy is not None:
            self.initial["source"] = Source.VACANCY

    def renew_token(self) -> None:
        """A fresh one-time token for the next submit of this (bound) form."""
        from thuisnet.core.idempotency import new_form_token

        self.data = self.data.copy()
        self.data["form_token"] = new_form_token()

    def data_object(self) -> RegistrationData:
        d = self.cleaned_data
        return RegistrationData(
            name=d["name"],
            email=d["email"],
            phone=d.get("phone", ""),
            postcode=d["postcode"],
            attendees=d["attendees"],
            interests=d["interests"],
            source=d["source"],
            vacancy=self.vacancy,
        )


class ParentRegistrationForm(forms.Form):
    """A parent registers for a theme evening with their account: name and email come from it."""

    attendees = forms.TypedChoiceField(
        label=_("Met hoeveel personen kom je?"),
        coerce=int,
        choices=[(1, _("1 persoon")), (2, _("2 personen"))],
        widget=forms.RadioSelect,
        initial=1,
    )
    childcare_children = forms.IntegerField(
        label=_("Hoeveel kinderen hebben opvang nodig?"),
        min_value=0,
        max_value=8,
        initial=0,
        required=False,
        help_text=_("Er is kinderopvang tijdens de avond. Vul 0 in als je geen opvang nodig hebt."),
        error_messages={
            "min_value": _("Geef een aantal kinderen van 0 tot en met 8."),
            "max_value": _("Geef een aantal kinderen van 0 tot en met 8."),
            "invalid": _("Geef een aantal kinderen van 0 tot en met 8."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        if page is None or not page.childcare:
            del self.fields["childcare_children"]

    renew_token = RegistrationForm.renew_token


class InterestForm(_ContactCleaning, forms.Form):
    name = forms.CharField(
        label=_("Naam"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,  # the model's column; longer would fail in the database, not at the field
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(label=_("Telefoon (niet verplicht)"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, help_text=_("De 4 cijfers zijn genoeg."))
    consent = forms.BooleanField(label=_("Ik geef toestemming om mijn gegevens te bewaren"))

    def __init__(self, *args, vacancy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        self.fields["consent"].help_text = _(
            "De aanbieder neemt contact met je op. Ga je niet verder, dan verwijderen we je "
            "gegevens na %(months)s maanden."
        ) % {"months": retention_months()}
        self.fields["consent"].error_messages["required"] = _(
            "Geef toestemming om je interesse door te geven."
        )

    def data_object(self) -> RegistrationData:
        d = self.cleaned_data
        return RegistrationData(
            name=d["name"],
            email=d["email"],
            phone=d.get("phone", ""),
            postcode=d["postcode"],
            attendees=1,
            interests=[self.vacancy.family_form],
            source=Source.VACANCY,
            vacancy=self.vacancy,
        )


class AttendeesForm(forms.Form):
    attendees = forms.TypedChoiceField(
        label=_("Aantal personen"),
        coerce=int,
        choices=[(1, _("1 persoon")), (2, _("2 personen"))],
        widget=forms.RadioSelect,
    )


class WalkInForm(RegistrationForm):
    """At the door: name and email are enough; consent asked aloud and ticked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].required = False
        self.fields["source"].initial = Source.OTHER
        self.fields["interests"].required = False

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        if not value:
            return ""
        return super().clean_postcode()


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=150)
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)


class CancelEveningForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (komt in de e-mail aan iedereen)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    confirm = forms.BooleanField(label=_("Ja, deze avond gaat niet door"))


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Volgende stap"), choices=Stage.choices)
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )

    def __init__(self, *args, prospect=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


class FilterForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=None, required=False, empty_label=_("Alle gemeenten")
    )
    family_form = forms.ChoiceField(
        label=_("Gezinsvorm"), required=False, choices=[("", _("Alle gezinsvormen")), *FamilyForm.choices]
    )
    mode = forms.ChoiceField(
        label=_("Vorm"),
        required=False,
        choices=[("", _("Op locatie en online")), ("in_person", _("Op locatie")), ("online", _("Online"))],
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        from thuisnet.accounts.models import Municipality

        qs = Municipality.objects.all()
        if region is not None:
            qs = qs.filter(region=region)
        self.fields["municipality"].queryset = qs.order_by("name")


class ReportForm(forms.Form):
    start = forms.DateField(label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=None, required=False, empty_label=_("Alle gemeenten")
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        from thuisnet.accounts.models import Municipality

        self.fields["municipality"].queryset = Municipality.objects.filter(region=region).order_by("name")

    def clean(self):
        d = super().clean()
        if d.get("start") and d.get("end") and d["end"] < d["start"]:
            # At the field, so the message is linked to it (aria-describedby).
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return d


class InvitationAnswerForm(forms.Form):
    """A household answers its invitation to a thank-you event (no account needed)."""

    coming = forms.TypedChoiceField(
        label=_("Kom je?"),
        coerce=lambda v: v == "ja",
        choices=[("ja", _("Ja, we komen")), ("nee", _("Nee, we kunnen niet"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of je komt.")},
    )
    guests = forms.IntegerField(
        label=_("Met hoeveel personen kom je?"),
        min_value=1,
        max_value=10,
        required=False,
        help_text=_("Jullie zelf en de kinderen die meekomen, samen 1 tot en met 10."),
        error_messages={
            "min_value": _("Geef een aantal gasten van 1 tot en met 10."),
            "max_value": _("Geef een aantal gasten van 1 tot en met 10."),
            "invalid": _("Geef een aantal gasten van 1 tot en met 10."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    dietary = forms.CharField(
        label=_("Dieetwensen"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: 2 keer vegetarisch, 1 keer glutenvrij. Zonder namen."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    email = forms.EmailField(
        label=_("E-mailadres voor de bevestiging"),
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
    )

    def clean_dietary(self):
        from thuisnet.core.pii import validate_no_identifiers

        value = (self.cleaned_data.get("dietary") or "").strip()
        validate_no_identifiers(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("coming"):
            if not data.get("guests") and "guests" not in self.errors:
                self.add_error("guests", _("Geef een aantal gasten van 1 tot en met 10."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Vul je e-mailadres in voor de bevestiging."))
        return data


class InviteForm(forms.Form):
    """The organiser picks which households of the region to invite."""

    groups = forms.MultipleChoiceField(
        label=_("Wie nodig je uit?"),
        choices=[
            ("foster", _("Pleeggezinnen")),
            ("support", _("Steungezinnen")),
            ("family_home", _("Gezinshuizen")),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Elk huishouden krijgt één uitnodiging; wie al is uitgenodigd, krijgt er geen tweede."),
        error_messages={"required": _("Kies minstens één soort gezin.")},
    )
