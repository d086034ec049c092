"""Forms of the payouts pages; every message is Dutch and shown at its field."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf
from .models import RateCard, Unit


class ConfirmStayForm(forms.Form):
    unit = forms.ChoiceField(
        label=_("Uitbetalen per"),
        error_messages={"required": _("Kies of je per nacht, dagdeel of uur uitbetaalt.")},
    )
    quantity = forms.DecimalField(
        label=_("Aantal"),
        min_value=Decimal("0.25"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Het aantal nachten, dagdelen of uren dat het gastgezin echt heeft opgevangen."),
        error_messages={
            "required": _("Vul het aantal nachten, dagdelen of uren in."),
            "invalid": _("Vul een getal in, bijvoorbeeld 2 of 3,5."),
            "min_value": _("Vul een aantal groter dan nul in."),
            "max_digits": _("Dit aantal is te groot."),
            "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
        },
    )

    def __init__(self, *args, units: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Unit.choices)
        self.fields["unit"].choices = [(u, labels[u]) for u in units]
        self.fields["quantity"].localize = True
        self.fields["quantity"].widget.is_localized = True


class RateCardForm(forms.ModelForm):
    amount = forms.DecimalField(
        label=_("Bedrag in euro"),
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        localize=True,
        error_messages={
            "required": _("Vul een bedrag in."),
            "invalid": _("Vul een bedrag in euro in, bijvoorbeeld 25,00."),
            "min_value": _("Het bedrag moet groter zijn dan nul."),
            "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
        },
    )

    class Meta:
        model = RateCard
        fields = ["unit", "valid_from"]
        error_messages = {
            "unit": {"required": _("Kies een eenheid.")},
            "valid_from": {
                "required": _("Vul de datum in vanaf wanneer het tarief geldt."),
                "invalid": _("Vul een datum in als 1-1-2026."),
            },
        }
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region = region

    def clean(self):
        data = super().clean()
        unit, valid_from = data.get("unit"), data.get("valid_from")
        if (
            unit
            and valid_from
            and RateCard.objects.filter(region=self.region, unit=unit, valid_from=valid_from).exists()
        ):
            self.add_error("valid_from", _("Voor deze eenheid staat op deze datum al een tarief."))
        amount = data.get("amount")
        cap = conf.cap_for(valid_from.year) if valid_from else None
        if unit == Unit.HOUR and amount is not None and cap is not None and amount * 100 > cap.hour:
            self.add_error(
                "amount",
                _("Dit is meer dan de vrijwilligersvergoeding van € %(cap)s per uur.")
                % {"cap": f"{cap.hour / 100:.2f}".replace(".", ",")},
            )
        return data


class ReconcileForm(forms.Form):
    month = forms.DateField(
        label=_("Maand"),
        input_formats=["%Y-%m"],
        help_text=_("Als jaar-maand, bijvoorbeeld 2026-11."),
        widget=forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"}, format="%Y-%m"),
        error_messages={
            "required": _("Kies de maand die je wilt afstemmen."),
            "invalid": _("Vul de maand in als jaar-maand, bijvoorbeeld 2026-11."),
        },
    )
