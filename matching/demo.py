"""Demo data for mentor pairing: two experienced mentors and one request. Idempotent."""

from thuisnet.accounts.models import User

from .models import MentorProfile, MentorRequest


def load(region, stdout=None) -> None:
    _load_requests(region)
    load_round_demo(region, stdout=stdout)


def _load_requests(region) -> None:
    mentors = {
        "pleegouder@thuisnet.example": (
            "Wij zijn sinds 2016 pleeggezin in Deventer, eerst voor crisisplaatsingen en nu "
            "voor een meisje dat blijft tot haar achttiende. Ik weet hoe de eerste maanden "
            "voelen en praat graag over bezoekregelingen en school.",
            ["start", "birth_parents", "school"],
            2,
        ),
        "gezinshuisouder@thuisnet.example": (
            "Al ruim tien jaar gezinshuisouder in Zutphen, met vier geplaatste kinderen en "
            "twee eigen kinderen. Vraag me gerust over pubers, gedrag en hoe je als gezin "
            "overeind blijft.",
            ["behaviour", "own_children", "teenagers"],
            1,
        ),
    }
    for email, (about, themes, max_mentees) in mentors.items():
        user = User.objects.filter(email=email).first()
        if user:
            MentorProfile.objects.get_or_create(
                user=user, defaults={"about": about, "themes": themes, "max_mentees": max_mentees}
            )
    mentee = User.objects.filter(email="steunouder@thuisnet.example").first()
    mentor = User.objects.filter(email="pleegouder@thuisnet.example").first()
    if mentee and mentor and not MentorRequest.objects.filter(mentee=mentee).exists():
        MentorRequest.objects.create(
            mentee=mentee,
            mentor=mentor,
            message="We zijn net begonnen als steungezin en lopen aan tegen het contact met "
            "de ouders bij het ophalen en brengen. Zou je een keer willen bellen?",
        )


# --- coordinator matching (issue 11): generated mentors and waiting parents ------------------

from datetime import date, timedelta  # noqa: E402
from random import Random  # noqa: E402

from django.utils import timezone  # noqa: E402

from thuisnet.accounts.models import Household, Organisation  # noqa: E402
from thuisnet.core.models import PostcodeArea  # noqa: E402

from .models import AgeBand, Availability, Mentee, MentorOffer, Need  # noqa: E402

FIRST_NAMES = [
    "Anna", "Bas", "Chantal", "Dirk", "Esra", "Freek", "Gerda", "Hamid", "Ilse", "Joost", "Kim", "Lars",
    "Mila", "Noor", "Omar", "Petra", "Ruud", "Sanne", "Tom", "Ursula", "Vera", "Wouter", "Yara", "Zeynep",
    "Arjen", "Bianca", "Cor", "Daan", "Eline", "Fenna", "Gijs", "Hanna",
]  # fmt: skip


def _criteria(rng: Random) -> dict:
    return {
        "age_bands": rng.sample(list(AgeBand.values), rng.randint(1, 2)),
        "needs": rng.sample(list(Need.values), rng.randint(0, 2)),
        "languages": ["nl"] + (["ar"] if rng.random() < 0.15 else []),
        "availability": rng.sample(list(Availability.values), rng.randint(1, 3)),
        "max_travel_km": rng.choice([25, 40]),
        "same_village_ok": rng.random() < 0.3,
    }


def _family(region, rng: Random, email: str, name: str, form: str, since: date, providers, areas) -> User:
    from thuisnet.core.demo import _user

    user = _user(email, f"{name} Demo", region)
    if user.household_id is None:
        pc4, municipality_id = rng.choice(areas)
        user.household = Household.objects.create(
            region=region,
            municipality_id=municipality_id,
            family_form=form,
            display_name=f"Gezin {name}",
            postcode=pc4,
            provider=rng.choice(providers),
            parent_since=since,
            verified_at=timezone.now(),
        )
        user.save(update_fields=["household"])
    return user


def load_round_demo(region, stdout=None) -> None:
    """12 verified mentors and 20 waiting parents, ready for a coordinator's round. Idempotent:
    fixed seed, get-or-create by email, criteria only set when missing."""
    rng = Random(11)
    providers = list(Organisation.objects.filter(kind="provider", region=region).order_by("pk"))
    areas = list(
        PostcodeArea.objects.filter(municipality__region=region)
        .order_by("pc4")
        .values_list("pc4", "municipality_id")
    )
    if not providers or not areas:
        return
    forms = ["foster", "foster", "support", "family_home"]
    for n in range(12):
        user = _family(
            region, rng, f"mentor-{n + 1:02d}@thuisnet.example", FIRST_NAMES[n], rng.choice(forms),
            date(2010 + n % 8, 1, 1), providers, areas,
        )  # fmt: skip
        profile, _created = MentorProfile.objects.get_or_create(
            user=user,
            defaults={
                "about": "Ervaren ouder, graag tot steun.",
                "themes": ["start"],
                "max_mentees": rng.randint(1, 3),
            },
        )
        criteria = _criteria(rng)
        criteria["family_forms"] = sorted({user.household.family_form, rng.choice(forms)})
        MentorOffer.objects.get_or_create(
            profile=profile, defaults={**criteria, "verified_at": timezone.now()}
        )
    # The demo's experienced foster parent mentors too; the support parent asks for a mentor.
    for email, is_mentor in (("pleegouder@thuisnet.example", True), ("steunouder@thuisnet.example", False)):
        user = User.objects.filter(email=email, household__isnull=False).first()
        if user is None:
            continue
        if is_mentor:
            profile = MentorProfile.objects.filter(user=user).first()
            if profile:
                MentorOffer.objects.get_or_create(
                    profile=profile,
                    defaults={
                        "family_forms": ["foster", "support"],
                        "age_bands": ["4-11", "12-17"],
                        "availability": ["evening", "weekend"],
                        "max_travel_km": 40,
                        "verified_at": timezone.now(),
                    },
                )
        elif not Mentee.objects.filter(household_id=user.household_id).exists():
            Mentee.objects.create(
                household_id=user.household_id, user=user, age_bands=["4-11"], availability=["evening"],
                max_travel_km=40, asked_at=timezone.now() - timedelta(days=20),
            )  # fmt: skip
    for n in range(20):
        user = _family(
            region, rng, f"starter-{n + 1:02d}@thuisnet.example", FIRST_NAMES[12 + n % 20], rng.choice(forms),
            date.today() - timedelta(days=60 + n), providers, areas,
        )  # fmt: skip
        criteria = _criteria(rng)
        if not Mentee.objects.filter(household_id=user.household_id).exists():
            Mentee.objects.create(
                household_id=user.household_id,
                user=user,
                asked_at=timezone.now() - timedelta(days=n * 3),
                **criteria,
            )
    if stdout:
        stdout.write("matching: 12 mentoren en 20 wachtende ouders klaar voor een ronde\n")
