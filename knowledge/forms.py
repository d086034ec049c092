from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thuisnet.core.pii import validate_no_identifiers

from .models import Theme


class QuestionForm(forms.Form):
    # Lengths are checked in the service (clear Dutch messages), not by the browser, so
    # a too-long text is kept and explained instead of silently cut off.
    title = forms.CharField(
        label=_("Je vraag"),
        required=False,
        help_text=_(
            "Kort en concreet, bijvoorbeeld: 'Krijg ik "
            "pleegvergoeding tijdens een vakantie?' "
            "Maximaal 160 tekens."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-suggest": "1"}),
    )
    text = forms.CharField(
        label=_("Toelichting"),
        required=False,
        help_text=_(
            "Noem geen namen, adressen, telefoonnummers of BSN van kinderen of ouders. Maximaal 4000 tekens."
        ),
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    theme = forms.ChoiceField(
        label=_("Thema"), required=False, choices=[("", _("Kies een thema"))] + list(Theme.choices)
    )
    tags = forms.CharField(
        label=_("Trefwoorden (optioneel)"),
        required=False,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: vakantie, paspoort."),
    )
    anonymous = forms.BooleanField(label=_("Plaats mijn vraag anoniem"), required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    start_step = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, anonymous_themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        if anonymous_themes:
            labels = ", ".join(str(Theme(t).label) for t in anonymous_themes)
            self.fields["anonymous"].help_text = _(
                "Kan bij: %(themes)s. Andere ouders zien je naam dan niet; moderatoren wel."
            ) % {"themes": labels}
        else:
            del self.fields["anonymous"]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Je antwoord"),
        required=False,
        help_text=_(
            "Deel wat je weet of meemaakte. Noem geen namen of contactgegevens. Maximaal 6000 tekens."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Geldt voor gemeente"),
        required=False,
        queryset=None,
        empty_label=_("alle gemeenten"),
        error_messages={"invalid_choice": _("Kies een gemeente uit de lijst, of 'alle gemeenten'.")},
        help_text=_(
            "Kies een gemeente als je antwoord alleen daar geldt, bijvoorbeeld een vergoeding, "
            "een regeling of een contactpersoon van die gemeente. Geldt het overal, laat dan "
            "'alle gemeenten' staan."
        ),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, municipalities=None, **kwargs):
        """``municipalities``: the choice for an expert or moderator; ``None`` hides the field."""
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom meld je dit?"),
        required=False,
        help_text=_("Bijvoorbeeld: er staat een naam van een kind in, of de toon is kwetsend."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ModerationEditForm(forms.Form):
    # A moderator's edit must leave the post clean: the same guard as every free-text field.
    new_text = forms.CharField(
        label=_("Tekst"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_no_identifiers],
    )
    note = forms.CharField(
        label=_("Notitie (zichtbaar bij het bericht)"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: 'Naam van een kind verwijderd.'"),
        validators=[validate_no_identifiers],
    )


class PreferencesForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label=_("Thema's die ik volg"),
        required=False,
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    email_answers = forms.BooleanField(label=_("E-mail bij een antwoord op mijn vraag"), required=False)
    email_status = forms.BooleanField(
        label=_("E-mail als mijn antwoord geaccepteerd of geverifieerd is"), required=False
    )
    email_theme = forms.BooleanField(
        label=_("E-mail bij een nieuwe vraag in een thema dat ik volg"), required=False
    )
    weekly_digest = forms.BooleanField(
        label=_("Wekelijks overzicht van onbeantwoorde vragen"),
        required=False,
        help_text=_("Voor deskundigen en ouders met minstens twee jaar ervaring."),
    )

    def __init__(self, *args, digest_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not digest_allowed:
            del self.fields["weekly_digest"]
