"""Demo data for mentor pairing: two experienced mentors and one request. Idempotent."""

from thuisnet.accounts.models import User

from .models import MentorProfile, MentorRequest


def load(region, stdout=None) -> None:
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
