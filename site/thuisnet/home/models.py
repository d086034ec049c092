from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"))
    text = blocks.TextBlock(label=_("Tekst"))
    link_page = blocks.PageChooserBlock(label=_("Pagina"), required=False)
    link_url = blocks.CharBlock(label=_("Of adres"), required=False)
    link_text = blocks.CharBlock(label=_("Linktekst"))

    class Meta:
        template = "home/blocks/call_to_action.html"
        icon = "link"


class HomePage(Page):
    """The front door: who the network is for, and the four ways in."""

    intro_title = models.CharField(_("kop"), max_length=160)
    intro = RichTextField(_("introductie"), features=["bold", "italic", "link"])
    cards = StreamField([("card", CallToActionBlock())], blank=True, verbose_name=_("tegels"))
    body = RichTextField(_("tekst"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [
        FieldPanel("intro_title"),
        FieldPanel("intro"),
        FieldPanel("cards"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    max_count = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("startpagina")


@register_setting(icon="site")
class FooterSettings(BaseSiteSetting):
    organisation = models.CharField(
        _("organisatie"), max_length=160, default="Jeugdhulpregio Midden-IJssel/Oost-Veluwe"
    )
    contact_email = models.EmailField(_("e-mailadres"), blank=True)
    contact_phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    privacy_text = RichTextField(_("privacytekst"), blank=True, features=["bold", "italic", "link"])

    class Meta:
        verbose_name = _("voettekst")
