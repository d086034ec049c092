"""People and the organisations they belong to.

Roles (see ``roles.py``): a *parent* has a household; *provider staff* have a
membership of a care provider; a *region coordinator* has a coordinator
membership of a region's own organisation; an *editor* is in the Wagtail group
"Editors" or "Moderators"; an *administrator* is a superuser.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FamilyForm(models.TextChoices):
    FOSTER = "foster", _("Pleeggezin")
    SUPPORT = "support", _("Steungezin")
    FAMILY_HOME = "family_home", _("Gezinshuis")


class Region(models.Model):
    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    # Off: every evening goes through "Controle door moderator". On: an editor who works for
    # one of an evening's organising providers may publish that evening directly.
    editors_publish_own_evenings = models.BooleanField(
        _("redacteuren van een aanbieder publiceren eigen avonden"),
        default=False,
        help_text=_(
            "Aan: een redacteur die bij een organiserende aanbieder werkt, publiceert de avonden "
            "van die aanbieder zelf. Uit: een moderator keurt elke avond goed."
        ),
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"))
    cbs_code = models.CharField(
        _("CBS-code"), max_length=6, blank=True, help_text=_("Bijvoorbeeld GM0200 voor Apeldoorn.")
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="municipality_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Zorgaanbieder")
        MUNICIPALITY = "municipality", _("Gemeente")
        REGION = "region", _("Regio")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("regio")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=160)
    slug = models.SlugField(_("slug"), unique=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("gemeente (vestiging)")
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    # A provider may work in more regions than the one it is registered in: its offers then
    # lie in those regions' municipalities. Each region sees only what lies inside it.
    served_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="served_by",
        verbose_name=_("werkt ook in regio's"),
        help_text=_("Andere regio's waar deze aanbieder opvang biedt, naast de eigen regio."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def region_ids(self) -> set[int]:
        """The regions this organisation works in: its own and any it also serves."""
        return {self.region_id, *self.served_regions.values_list("pk", flat=True)}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class Household(models.Model):
    """A foster family, support family or family home: the unit that cares for children."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="households", verbose_name=_("regio")
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("gemeente"))
    family_form = models.CharField(_("gezinsvorm"), max_length=20, choices=FamilyForm.choices)
    display_name = models.CharField(
        _("naam van het gezin"),
        max_length=120,
        help_text=_("Zoals het gezin zichzelf noemt, bijvoorbeeld 'Gezin De Boer'."),
    )
    postcode = models.CharField(_("postcode (4 cijfers)"), max_length=4, blank=True)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": "provider"},
        verbose_name=_("begeleidende aanbieder"),
    )
    parent_since = models.DateField(_("ouder sinds"), null=True, blank=True)
    verified_at = models.DateTimeField(
        _("bevestigd op"),
        null=True,
        blank=True,
        help_text=_("Door de aanbieder bevestigd als pleeg-, steun- of gezinshuisouder."),
    )

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("regio"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("huishouden"),
    )
    is_staff = models.BooleanField(
        _("toegang tot Django-beheer"),
        default=False,
        help_text=_("Alleen voor technisch beheer; redacteuren werken in de CMS."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("geregistreerd op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            # Email is the login: two accounts that differ only in case would be one person.
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A person working for an organisation: provider staff, or a region coordinator."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Medewerker")
        COORDINATOR = "coordinator", _("Regiocoördinator")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisatie")
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.STAFF)
    is_expert = models.BooleanField(
        _("deskundige"),
        default=False,
        help_text=_("Mag antwoorden in de vragenruimte als geverifieerd markeren."),
    )
    is_moderator = models.BooleanField(_("moderator"), default=False)
    is_organiser = models.BooleanField(
        _("organisator van avonden"),
        default=True,
        help_text=_("Mag aanmeldingen van avonden van deze aanbieder beheren."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            # Coordinators belong to the region's own organisation, staff to a provider;
            # the form enforces the organisation kind, this keeps the role values sane.
            models.CheckConstraint(
                condition=Q(role__in=["staff", "coordinator"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Notification(models.Model):
    """One entry in a person's inbox ("Mijn meldingen"); written by ``accounts.inbox.notify``."""

    class Kind(models.TextChoices):
        BOOKING = "booking", _("Respijtaanvraag")
        MESSAGE = "message", _("Bericht")
        QUESTION = "question", _("Vragenruimte")
        EVENT = "event", _("Informatieavond")
        MATCHING = "matching", _("Mentoren")
        STARTPATH = "startpath", _("Startpad")

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("ontvanger")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("gemaakt"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created", "-id"]
        indexes = [
            # The inbox page: newest first per person.
            models.Index(fields=["recipient", "-created", "-id"], name="notification_inbox_idx"),
            # The header badge: count of unread per person, from a small partial index.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
