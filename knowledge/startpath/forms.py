from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentForm(forms.Form):
    # Type, size, content and names are checked in the service (clear Dutch messages).
    upload = forms.FileField(
        label=_("Bestand"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX of ODT, maximaal 5 MB. Geen gegevens of namen van kinderen."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt"}),
    )
    url = forms.CharField(
        label=_("Of een link naar het document"),
        required=False,
        help_text=_("Bijvoorbeeld een gedeelde map van je aanbieder; begint met https://."),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    name = forms.CharField(
        label=_("Korte omschrijving"),
        required=False,
        max_length=120,
        help_text=_("Bijvoorbeeld: uittreksel KvK. Nooit een naam van een kind."),
    )
