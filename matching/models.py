"""Mentor pairing: experienced parents offer to be a mentor; new parents ask one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    START = "start", _("De eerste maanden")
    MONEY = "money", _("Geld en vergoedingen")
    BEHAVIOUR = "behaviour", _("Gedrag en hechting")
    BIRTH_PARENTS = "birth_parents", _("Contact met ouders")
    SCHOOL = "school", _("School")
    OWN_CHILDREN = "own_children", _("Eigen kinderen in het gezin")
    TEENAGERS = "teenagers", _("Pubers en 18+")


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_profile",
        verbose_name=_("mentor"),
    )
    is_available = models.BooleanField(_("beschikbaar voor nieuwe koppelingen"), default=True)
    max_mentees = models.PositiveSmallIntegerField(_("hoeveel ouders tegelijk"), default=1)
    themes = models.JSONField(_("onderwerpen"), default=list, blank=True)
    about = models.TextField(_("over mij"), max_length=1000)
    is_ambassador = models.BooleanField(
        _("ook buddy voor mensen die overwegen pleegouder te worden"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mentorprofiel")
        verbose_name_plural = _("mentorprofielen")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_mentees__gte=1, max_mentees__lte=3), name="mentor_max_mentees_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class MentorRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Aangevraagd")
        ACCEPTED = "accepted", _("Gekoppeld")
        DECLINED = "declined", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Ingetrokken")
        ENDED = "ended", _("Beëindigd")

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_requests_sent",
        verbose_name=_("ouder"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_requests_received",
        verbose_name=_("mentor"),
    )
    message = models.TextField(_("bericht"), max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentorverzoek")
        verbose_name_plural = _("mentorverzoeken")
        ordering = ["-created_at"]
        constraints = [
            # One open request per pair, and one mentor at a time per new parent.
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status__in=["requested", "accepted"]),
                name="mentor_request_one_open_per_pair",
            ),
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(status="accepted"), name="mentor_request_one_mentor_per_mentee"
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="mentor_request_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.get_status_display()})"


# --- coordinator matching (issue 11) ---------------------------------------------------------


class AgeBand(models.TextChoices):
    BABY = "0-3", _("0 tot 4 jaar")
    YOUNG = "4-11", _("4 tot 12 jaar")
    TEEN = "12-17", _("12 tot 18 jaar")
    ADULT = "18+", _("18 jaar en ouder")


class Need(models.TextChoices):
    LVB = "lvb", _("licht verstandelijke beperking")
    MEDICAL = "medical", _("medische zorg")
    BEHAVIOUR = "behaviour", _("gedragsproblemen")
    AUTISM = "autism", _("autisme")
    TRAUMA = "trauma", _("trauma")
    PHYSICAL = "physical", _("lichamelijke beperking")


class Availability(models.TextChoices):
    DAYTIME = "daytime", _("overdag")
    EVENING = "evening", _("'s avonds")
    WEEKEND = "weekend", _("in het weekend")


class Language(models.TextChoices):
    NL = "nl", _("Nederlands")
    EN = "en", _("Engels")
    AR = "ar", _("Arabisch")
    TR = "tr", _("Turks")
    PL = "pl", _("Pools")
    TI = "ti", _("Tigrinya")


# Criteria a coordinator weighs; the keys of RegionSettings.weights.
DEFAULT_WEIGHTS = {
    "same_form": 3.0,
    "age_bands": 3.0,
    "needs": 2.0,
    "languages": 1.0,
    "availability": 1.0,
    "distance": 2.0,
}


class RegionSettings(models.Model):
    region = models.OneToOneField(
        "accounts.Region", on_delete=models.CASCADE, related_name="matching_settings", verbose_name=_("regio")
    )
    weights = models.JSONField(_("gewichten"), default=dict, blank=True)
    forbid_own_provider = models.BooleanField(_("geen mentor van de eigen aanbieder"), default=False)
    trial_weeks = models.PositiveSmallIntegerField(_("proefperiode in weken"), default=6)

    class Meta:
        verbose_name = _("matchinginstellingen")
        verbose_name_plural = _("matchinginstellingen")

    def weight(self, key: str) -> float:
        return float({**DEFAULT_WEIGHTS, **(self.weights or {})}.get(key, 0.0))


class Criteria(models.Model):
    """What both a mentor and a mentee say about themselves; matched against each other."""

    family_forms = models.JSONField(_("gezinsvormen"), default=list, blank=True)
    age_bands = models.JSONField(_("leeftijden"), default=list, blank=True)
    needs = models.JSONField(_("zorgbehoeften"), default=list, blank=True)
    languages = models.JSONField(_("talen"), default=list, blank=True)
    availability = models.JSONField(_("beschikbaarheid"), default=list, blank=True)
    max_travel_km = models.PositiveSmallIntegerField(_("maximale reisafstand (km)"), default=25)
    same_village_ok = models.BooleanField(_("mag in mijn eigen gemeente"), default=False)

    class Meta:
        abstract = True


class MentorOffer(Criteria):
    """An experienced parent's offer to mentor, verified by their provider."""

    profile = models.OneToOneField(
        MentorProfile, on_delete=models.CASCADE, related_name="offer", verbose_name=_("mentorprofiel")
    )
    verified_at = models.DateTimeField(_("bevestigd door aanbieder"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mentoraanbod")
        verbose_name_plural = _("mentoraanbod")


class Mentee(Criteria):
    """A starting parent waiting for a mentor: from their own account or referred by a provider."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Wacht op een mentor")
        PAIRED = "paired", _("Gekoppeld")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    household = models.ForeignKey(
        "accounts.Household",
        on_delete=models.CASCADE,
        related_name="mentee_requests",
        verbose_name=_("gezin"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_by = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_ref = models.CharField(_("kenmerk bij de aanbieder"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    asked_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    paired_at = models.DateTimeField(null=True, blank=True)
    last_reason = models.CharField(_("reden"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mentorvraag")
        verbose_name_plural = _("mentorvragen")
        ordering = ["asked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status__in=["waiting", "paired"]),
                name="mentee_one_open_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} ({self.get_status_display()})"


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Voorstel")
        CONFIRMED = "confirmed", _("Bevestigd")

    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matchingronde")
        verbose_name_plural = _("matchingrondes")


class Proposal(models.Model):
    """One line of a round: a proposed pair with its reasons, or an unmatched mentee and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    unmatched_reason = models.CharField(max_length=300, blank=True)
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["mentee__asked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "mentee"], name="proposal_one_per_mentee")]


class Pairing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Wacht op akkoord")
        TRIAL = "trial", _("Proefperiode")
        ACTIVE = "active", _("Loopt")
        DECLINED = "declined", _("Afgewezen")
        ENDED = "ended", _("Beëindigd")

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="pairings")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="pairings")
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairings"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    trial_ends_on = models.DateField(null=True, blank=True)
    trial_passed = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("reden"), max_length=300, blank=True)
    ended_early = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["proposed", "trial", "active"]),
                name="pairing_one_open_per_mentee",
            ),
        ]

    @property
    def both_accepted(self) -> bool:
        return bool(self.mentor_accepted_at and self.mentee_accepted_at)


class CheckIn(models.Model):
    class Answer(models.TextChoices):
        GOOD = "goed", _("Goed")
        BETTER = "kan-beter", _("Kan beter")
        CONTACT = "graag-contact", _("Graag contact")

    class Kind(models.TextChoices):
        TRIAL = "trial", _("Einde proefperiode")
        REGULAR = "regular", _("Tussentijds")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="checkins")
    side = models.CharField(max_length=10, choices=[("mentor", _("mentor")), ("mentee", _("ouder"))])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]


class NetworkContact(models.Model):
    """Someone a household can call on (netwerkstrategie). Only the household sees it, and its
    provider's workers if the household says so."""

    class Help(models.TextChoices):
        BABYSIT = "babysit", _("oppassen")
        TRANSPORT = "transport", _("vervoer")
        NIGHT = "night", _("een nachtje")
        LISTEN = "listen", _("een luisterend oor")

    household = models.ForeignKey("accounts.Household", on_delete=models.CASCADE, related_name="network")
    first_name = models.CharField(_("voornaam"), max_length=40)
    relation = models.CharField(_("relatie"), max_length=60)
    helps_with = models.JSONField(_("kan helpen met"), default=list)
    shared_with_provider = models.BooleanField(_("mijn aanbieder mag dit zien"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first_name"]
        verbose_name = _("netwerkpersoon")
        verbose_name_plural = _("netwerk")


class Buddy(models.Model):
    """A prospect (not yet a parent) and an ambassador who walks alongside (item 4)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Loopt")
        ENDED = "ended", _("Afgesloten")

    prospect = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddies")
    ambassador = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="buddies")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    prospect_shares_at = models.DateTimeField(null=True, blank=True)
    ambassador_shares_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["prospect"], condition=Q(status="active"), name="buddy_one_open_per_prospect"
            )
        ]


class BuddyMessage(models.Model):
    buddy = models.ForeignKey(Buddy, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class Constellation(models.Model):
    """A hub family with six to ten satellite families (Mockingbird), formed by a provider."""

    provider = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("naam"), max_length=80)
    hub = models.ForeignKey("accounts.Household", on_delete=models.CASCADE, related_name="hub_of")
    satellites = models.ManyToManyField("accounts.Household", related_name="constellations")
    # The hub's respite offer is open to its own constellation first for this many days.
    members_first_days = models.PositiveSmallIntegerField(
        _("eerst voor de eigen constellatie (dagen)"), default=14
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("constellatie")
        verbose_name_plural = _("constellaties")
        constraints = [models.UniqueConstraint(fields=["hub"], name="constellation_one_per_hub")]

    def __str__(self) -> str:
        return self.name


class Gathering(models.Model):
    """A get-together of a constellation (Mockingbird's monthly meeting): planned by the hub
    family or the provider, seen by the members, in their own calendar through a feed."""

    constellation = models.ForeignKey(Constellation, on_delete=models.CASCADE, related_name="gatherings")
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    place = models.CharField(_("waar"), max_length=200)
    note = models.TextField(_("toelichting"), max_length=1000, blank=True)
    cancelled = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="gathering_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.constellation} {self.starts_at:%Y-%m-%d}"
