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
