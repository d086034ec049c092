from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thuisnet.accounts.models import Municipality
from thuisnet.core import geo
from thuisnet.core.pii import validate_child_reference, validate_no_identifiers

from .models import FLEX_MIN_DAYS, AvailabilityPattern, Kind, Need, Offer, Part, WorkingAgreement
from .services import AMS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=DATE, help_text=_("De eerste dag of aankomstdag."))
    end = forms.DateField(
        label=_("Tot"),
        widget=DATE,
        help_text=_("Bij nachten de vertrekdag; bij een steungezin de laatste dag."),
    )
    age = forms.IntegerField(label=_("Leeftijd van het kind"), min_value=0, max_value=17, required=False)
    kind = forms.ChoiceField(
        label=_("Soort opvang"), required=False, choices=[("", _("Alle soorten"))] + list(Kind.choices)
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Alle gemeenten"),
    )
    postcode = forms.CharField(
        label=_("Of: in de buurt van postcode"),
        max_length=7,
        required=False,
        help_text=_("4 cijfers, bijvoorbeeld 7411."),
    )
    radius = forms.IntegerField(
        label=_("Afstand (km)"), min_value=1, max_value=200, required=False, initial=25
    )
    needs = forms.MultipleChoiceField(
        label=_("Het kind heeft nodig"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emergency = forms.BooleanField(label=_("Het gaat om crisisopvang"), required=False)

    def __init__(self, *args, region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Municipality.objects.all()
        if region_id:
            qs = qs.filter(region_id=region_id)
        self.fields["municipality"].queryset = qs

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "").strip()
        if not value:
            return ""
        pc4 = geo.normalise_pc4(value)
        if not pc4:
            raise forms.ValidationError(_("Vul een postcode van 4 cijfers in, bijvoorbeeld 7411."))
        if geo.centroid(pc4) is None:
            raise forms.ValidationError(_("Deze postcode kennen we niet; kies een gemeente."))
        return pc4

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("De einddatum ligt voor de begindatum."))
            elif (end - start).days > 31:
                self.add_error("end", _("Zoek per periode van hoogstens een maand."))
            if start < timezone.localdate():
                self.add_error("start", _("Deze datum is al voorbij."))
        if data.get("postcode") and not data.get("radius"):
            data["radius"] = 25
        return data


class ChildFieldsMixin(forms.Form):
    child_ref = forms.CharField(
        label=_("Referentie van het kind"),
        max_length=40,
        help_text=_("Een eigen kenmerk, bijvoorbeeld 'K1' of 'oudste'. Nooit een naam."),
        validators=[validate_child_reference],
    )
    child_age = forms.IntegerField(label=_("Leeftijd"), min_value=0, max_value=17)
    needs = forms.MultipleChoiceField(
        label=_("Aandachtspunten"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Toelichting voor de aanbieder"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat de opvang moet weten. Geen namen, telefoonnummers of BSN."),
        validators=[validate_no_identifiers],
    )


class BookingForm(ChildFieldsMixin):
    start = forms.DateField(label=_("Van"), widget=DATE)
    end = forms.DateField(label=_("Tot"), widget=DATE)
    part = forms.ChoiceField(
        label=_("Dagdeel"),
        required=False,
        choices=[
            (Part.MORNING, Part.MORNING.label),
            (Part.AFTERNOON, Part.AFTERNOON.label),
            (Part.EVENING, Part.EVENING.label),
        ],
    )
    emergency = forms.BooleanField(
        label=_("Het gaat om crisisopvang"),
        required=False,
        help_text=_("Crisisopvang mag korter van tevoren en gebruikt de gereserveerde plekken."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    contact_phone = forms.CharField(
        label=_("Telefoon waarop de aanbieder je kan bereiken"),
        max_length=30,
        required=False,
        help_text=_("De aanbieder ziet dit pas als je aanvraag is geaccepteerd."),
    )
    field_order = [
        "start",
        "end",
        "part",
        "child_ref",
        "child_age",
        "needs",
        "notes",
        "contact_phone",
        "emergency",
    ]

    def __init__(self, *args, offer: Offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        if offer.per_night:
            del self.fields["part"]
            self.fields["start"].label = _("Aankomst")
            self.fields["end"].label = _("Vertrek")
        else:
            self.fields["part"].required = True
            self.fields["start"].label = _("Eerste dag")
            self.fields["end"].label = _("Laatste dag")
        self.fields["needs"].choices = [(k, v) for k, v in Need.choices]


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij annuleren; de ouder ziet deze reden."),
        validators=[validate_no_identifiers],
    )


class OfferForm(forms.ModelForm):
    handles = forms.MultipleChoiceField(
        label=_("Kan omgaan met"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(label=_("Kinderen tegelijk"), min_value=1, max_value=50)

    class Meta:
        model = Offer
        fields = [
            "title",
            "kind",
            "description",
            "municipality",
            "postcode",
            "age_min",
            "age_max",
            "handles",
            "capacity",
            "min_notice_hours",
            "max_stay",
            "min_stay",
            "host_user",
            "is_active",
            "address",
            "arrival_time",
            "departure_time",
            "what_to_bring",
            "contact_phone",
        ]
        widgets = {
            "arrival_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "departure_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "what_to_bring": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        from thuisnet.accounts.models import User

        regions = provider.region_ids()  # a provider may serve more than one region
        self.fields["municipality"].queryset = Municipality.objects.filter(region_id__in=regions)
        # Only the provider's own verified families can host its offers: never parents of
        # other providers or regions (their names are not this provider's to see).
        hosts = Q(household__provider=provider, household__verified_at__isnull=False, is_active=True)
        if self.instance.pk and self.instance.host_user_id:
            hosts |= Q(pk=self.instance.host_user_id)  # keep the current host selectable
        self.fields["host_user"].queryset = User.objects.filter(hosts).order_by("full_name", "email")
        self.fields["host_user"].required = False
        if self.instance.pk:
            self.fields["kind"].disabled = True
        self.fields["min_stay"].required = False  # only a flexible stay uses it

    def clean_min_stay(self):
        value = self.cleaned_data.get("min_stay")
        return value if value is not None else (self.instance.min_stay or FLEX_MIN_DAYS)

    def clean_postcode(self):
        pc4 = geo.normalise_pc4(self.cleaned_data["postcode"])
        if not pc4:
            raise forms.ValidationError(_("Vul een postcode van 4 cijfers in, bijvoorbeeld 7411."))
        return pc4

    def clean(self):
        data = super().clean()
        if (
            data.get("age_min") is not None
            and data.get("age_max") is not None
            and data["age_min"] > data["age_max"]
        ):
            self.add_error("age_max", _("'Tot en met' moet minstens zo hoog zijn als 'vanaf'."))
        kind = data.get("kind") or getattr(self.instance, "kind", "")
        if kind == Kind.FLEXIBLE:
            from .services.offers import flexible_length_errors

            for name, message in flexible_length_errors(data.get("min_stay"), data.get("max_stay")).items():
                if name not in self.errors:
                    self.add_error(name, message)
        return data


class PatternForm(forms.Form):
    start_date = forms.DateField(label=_("Eerste keer: datum"), widget=DATE)
    start_time = forms.TimeField(
        label=_("Vanaf (tijd)"),
        initial="17:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_date = forms.DateField(label=_("Eerste keer: einddatum"), widget=DATE)
    end_time = forms.TimeField(
        label=_("Tot (tijd)"), initial="17:00", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    repeat = forms.ChoiceField(label=_("Herhaling"), choices=AvailabilityPattern.Repeat.choices)
    until = forms.DateField(
        label=_("Herhalen tot en met"), widget=DATE, required=False, help_text=_("Leeg: zonder einddatum.")
    )

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in ("start_date", "start_time", "end_date", "end_time")):
            start = datetime.combine(data["start_date"], data["start_time"], tzinfo=AMS)
            end = datetime.combine(data["end_date"], data["end_time"], tzinfo=AMS)
            if end <= start:
                self.add_error("end_date", _("Het einde moet na het begin liggen."))
            elif end - start > timedelta(days=14):
                self.add_error(
                    "end_date", _("Eén keer beschikbaar duurt hoogstens 14 dagen; gebruik herhaling.")
                )
            data["start"], data["end"] = start, end
        return data


class BlockForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DATE)
    until = forms.DateField(label=_("Tot en met (optioneel)"), widget=DATE, required=False)
    reason = forms.CharField(
        label=_("Reden (alleen voor jezelf)"),
        max_length=140,
        required=False,
        validators=[validate_no_identifiers],
    )

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("until") and data["until"] < data["day"]:
            self.add_error("until", _("De einddatum ligt voor de begindatum."))
        if data.get("day") and data.get("until") and (data["until"] - data["day"]).days > 92:
            self.add_error("until", _("Blokkeer hoogstens drie maanden tegelijk."))
        return data


class AgreementForm(forms.ModelForm):
    class Meta:
        model = WorkingAgreement
        fields = [
            "max_nights_per_quarter",
            "lead_time_hours",
            "emergency_share",
            "decision_hours",
            "cancel_cutoff_hours",
        ]

    def clean_emergency_share(self):
        value = self.cleaned_data["emergency_share"]
        if value > 100:
            raise forms.ValidationError(_("Een percentage van 0 tot 100."))
        return value


class DemandFilterForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=DATE)
    end = forms.DateField(label=_("Tot en met"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("Soort opvang"), choices=[("", _("alle soorten")), *Kind.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                self.add_error("end", _("De einddatum ligt voor de begindatum."))
            elif (data["end"] - data["start"]).days > 400:
                self.add_error("end", _("Kies een periode van hoogstens 400 dagen."))
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Bericht"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kort en zonder e-mailadres. De ander krijgt een melding in Thuisnet."),
    )
