from django import forms
from django.utils.translation import gettext_lazy as _

from thuisnet.core.pii import validate_no_identifiers

from .models import Theme


class ProfileForm(forms.Form):
    about = forms.CharField(
        label=_("Over mij"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Wie ben je, hoe lang ben je pleeg-, steun- of gezinshuisouder, wat wil je "
            "delen? Geen namen of gegevens van kinderen."
        ),
        validators=[validate_no_identifiers],
    )
    themes = forms.MultipleChoiceField(
        label=_("Waar kan ik bij helpen"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    max_mentees = forms.TypedChoiceField(
        label=_("Hoeveel ouders tegelijk"), coerce=int, choices=[(1, "1"), (2, "2"), (3, "3")], initial=1
    )
    is_available = forms.BooleanField(label=_("Ik sta open voor nieuwe ouders"), required=False, initial=True)
    is_ambassador = forms.BooleanField(
        label=_("Ik wil ook buddy zijn voor mensen die overwegen pleegouder te worden"), required=False
    )


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Je bericht aan de mentor"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Vertel kort waar je tegenaan loopt of waar je over wilt praten. "
            "Geen namen of gegevens van kinderen."
        ),
        validators=[validate_no_identifiers],
    )


class ThemeFilterForm(forms.Form):
    theme = forms.ChoiceField(
        label=_("Onderwerp"), required=False, choices=[("", _("Alle onderwerpen")), *Theme.choices]
    )


# --- coordinator matching (issue 11) ---------------------------------------------------------

from thuisnet.accounts.models import FamilyForm  # noqa: E402

from .models import AgeBand, Availability, Language, Need, NetworkContact  # noqa: E402


def _multi(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class CriteriaForm(forms.Form):
    """The criteria a mentor offers and a mentee asks for (same fields, other labels)."""

    family_forms = _multi(_("Gezinsvormen"), FamilyForm.choices)
    age_bands = _multi(_("Leeftijden van de kinderen"), AgeBand.choices)
    needs = _multi(_("Zorgbehoeften"), Need.choices)
    languages = _multi(_("Talen"), Language.choices)
    availability = _multi(_("Wanneer"), Availability.choices)
    max_travel_km = forms.IntegerField(
        label=_("Hoe ver wil je reizen (km)"), min_value=1, max_value=100, initial=25
    )
    same_village_ok = forms.BooleanField(
        label=_("Een mentor of ouder uit mijn eigen gemeente is goed"),
        required=False,
        help_text=_("Steungezinnen koppelen we nooit in hetzelfde dorp, tenzij jullie dat allebei willen."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom niet?"),
        max_length=300,
        validators=[validate_no_identifiers],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EndForm(DeclineForm):
    rematch = forms.BooleanField(label=_("Zet de ouder terug voor een nieuwe mentor"), required=False)


class EditProposalForm(forms.Form):
    mentor = forms.IntegerField(label=_("Mentor (nummer)"), required=False, min_value=1)


class NetworkForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=40)
    relation = forms.CharField(
        label=_("Relatie"), max_length=60, help_text=_("Bijvoorbeeld buurvrouw, oom, collega.")
    )
    helps_with = forms.MultipleChoiceField(
        label=_("Kan helpen met"),
        choices=NetworkContact.Help.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    shared_with_provider = forms.BooleanField(label=_("Mijn pleegzorgwerker mag dit zien"), required=False)


class ConstellationForm(forms.Form):
    """A provider forms a hub family with six to ten satellite families (issue 11, item 5)."""

    name = forms.CharField(label=_("Naam van de constellatie"), max_length=80)
    hub = forms.ModelChoiceField(
        label=_("Hubgezin"),
        queryset=None,
        empty_label=_("Kies het hubgezin"),
        help_text=_("Het ervaren gezin dat respijt en steun biedt aan de gezinnen eromheen."),
    )
    satellites = forms.ModelMultipleChoiceField(
        label=_("Satellietgezinnen"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies zes tot tien gezinnen van je eigen organisatie."),
    )
    members_first_days = forms.IntegerField(
        label=_("Dagen voorrang voor de eigen constellatie"),
        min_value=0,
        max_value=60,
        initial=14,
        help_text=_(
            "Zo lang staat een nieuwe respijtplek van het hubgezin alleen open voor de eigen "
            "constellatie, daarna voor de hele regio."
        ),
    )

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = households
        self.fields["satellites"].queryset = households
        self.fields["hub"].label_from_instance = lambda h: h.display_name
        self.fields["satellites"].label_from_instance = lambda h: h.display_name

    def clean(self):
        data = super().clean()
        hub, satellites = data.get("hub"), data.get("satellites")
        if hub and satellites and hub in satellites:
            self.add_error("satellites", _("Het hubgezin kan niet ook satellietgezin zijn."))
        return data


class GatheringForm(forms.Form):
    """The hub family plans a get-together of its constellation."""

    starts_at = forms.DateTimeField(
        label=_("Begint om"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Eindigt om"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
    )
    place = forms.CharField(
        label=_("Waar"), max_length=200, help_text=_("Bijvoorbeeld: bij het hubgezin thuis.")
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat gaan jullie doen, wat neem je mee? Geen namen of gegevens van kinderen."),
        validators=[validate_no_identifiers],
    )
