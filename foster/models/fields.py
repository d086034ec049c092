"""Model fields of the foster app."""

from __future__ import annotations

from django import forms
from django.db import models

from .choices import FamilyForm


class ChoiceListField(models.JSONField):
    """A list of FamilyForm values, edited as checkboxes (in Wagtail and Django forms)."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=FamilyForm.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
        )

    def deconstruct(self):
        # Migrations name the field by its public path (it lived in foster/models.py).
        name, _path, args, kwargs = super().deconstruct()
        return name, "foster.models.ChoiceListField", args, kwargs
