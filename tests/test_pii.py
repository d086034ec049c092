"""The identifying-data guard: every kind of identifier, the false-positive corpus, the two
validators and their wiring into forms and API serializers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from thuisnet.core.pii import (
    find_identifiers,
    validate_child_reference,
    validate_no_identifiers,
)

ZWSP = "\u200b"


def _kinds(text, **kw):
    return {f.kind for f in find_identifiers(text, **kw)}


@pytest.mark.parametrize(
    "text,kind",
    [
        # BSN: any separator, zero-width characters, full-width digits, the 8-digit form.
        ("bsn 111222333", "bsn"),
        ("111-222-333", "bsn"),
        ("111/222/333", "bsn"),
        ("111.222.333", "bsn"),
        ("111 222 333", "bsn"),
        ("1112 22 333", "bsn"),
        (ZWSP.join("111222333"), "bsn"),
        ("11\u20601222\ufeff333", "bsn"),
        ("\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13", "bsn"),
        ("Haar nummer is 12345672", "bsn"),  # 012345672 without its leading zero
        ("12-345-672", "bsn"),
        # Names next to dates, birth dates.
        ("Jantje de Vries 12-03-2017", "name_date"),
        ("Lisa de Boer, geboren 12-03-2019", "name_date"),
        ("Lisa de Boer, geboren 12-03-2019", "birthdate"),
        ("Sanne van der Berg (3 april 2016) zoekt een gezin", "name_date"),
        ("Tim ter Horst 2016-04-03", "name_date"),
        ("geboren op 12 maart 2017", "birthdate"),
        ("geb. 1-2-2018", "birthdate"),
        ("Lisa de Boer zoekt een gezin", "name"),
        ("Mijn pleegzoon Tim van der Berg slaapt slecht", "name"),
        # Addresses, postcodes, phones, emails.
        ("Ze woont aan de Kerkstraat 12 in Zutphen", "address"),
        ("Dorpsweg 3a", "address"),
        ("Van Goghlaan 140", "address"),
        ("Oude Singel 7-b", "address"),
        ("postcode 7411 AB", "postcode"),
        ("7411AB", "postcode"),
        ("7411ab", "postcode"),
        ("Bel 06-12345678", "phone"),
        ("+31 6 1234 5678", "phone"),
        ("0570-123456", "phone"),
        ("(0570) 123456", "phone"),
        ("0031 570 123 456", "phone"),
        ("mail naar moeder@example.nl", "email"),
    ],
)
def test_it_finds_each_kind_of_identifier(text, kind):
    assert kind in _kinds(text)


NORMAL_DUTCH = [
    "Hij is 9 jaar en houdt van voetbal",
    "Op 12 maart is de informatieavond",
    "Zutphen, omgeving Deventer",
    "Kan mijn kind in de herfstvakantie logeren?",
    "Een meisje van 10 dat van paarden houdt, regio Zutphen.",
    "Hij is 9 jaar en houdt van voetbal, we wonen bij 7415",
    "De vergoeding is 123456789 cent",
    "We hebben 3 kinderen van 4, 7 en 11 jaar.",
    "Op 12-03-2026 is de avond in Deventer.",
    "Vanaf 1 januari 2026 geldt een nieuwe regeling.",
    "Pleegzorg Achterhoek organiseert op 12-03-2026 een avond.",
    "De Kerkstraat is afgesloten, kom via de Dorpsweg.",
    "Ze slaapt slecht sinds de zomervakantie; 2 of 3 keer per nacht wakker.",
    "Het kost € 12.345.678 per jaar voor de hele regio.",
    "Wie heeft er ervaring met ADHD en een rugzakje op school?",
    "Mijn pleegdochter gaat in groep 7 naar de basisschool.",
    "Tussen 17.00 en 19.30 uur is er soep.",
    "We zoeken een weekendpleeggezin voor 1 weekend per maand.",
    "Hoe vraag ik een paspoort aan voor mijn pleegkind?",
    "Graag een gezin binnen 25 km van Apeldoorn.",
    "Zij zit al 2,5 jaar bij ons en gaat 3 dagen per week naar de opvang.",
    "De gezinsvoogd komt op dinsdag 4 november langs.",
    "Ik ben sinds 2019 pleegouder en help graag nieuwe ouders.",
    "Hij heeft een hekel aan lange autoritten, 30 minuten gaat nog.",
    "Van 24-12 tot 2-1 zijn we weg.",
    "Kamer 12 van het gezinshuis is vrij.",
    "Ze zit op De Regenboog in Deventer.",
    "We gaan in de zomer naar Hoek van Holland.",
    "Els Ervaren helpt graag nieuwe pleegouders.",
    "Het Kasteel de Haar was een leuk uitje.",
]


@pytest.mark.parametrize("text", NORMAL_DUTCH)
def test_ordinary_dutch_parenting_text_passes(text):
    assert find_identifiers(text) == []
    validate_no_identifiers(text)


@pytest.mark.parametrize("ref", ["K1", "oudste", "K-2025-012", "K-100", "G-1", "jongste-2", "K-API-1"])
def test_ordinary_child_references_pass(ref):
    validate_child_reference(ref)


@pytest.mark.parametrize(
    "ref", ["Jantje de Vries 12-03-2017", "Lisa de Boer", "12-03-2017", "K 12.03.2017", "111-222-333"]
)
def test_child_references_with_a_name_or_date_are_refused_in_dutch(ref):
    with pytest.raises(ValidationError) as exc:
        validate_child_reference(ref)
    message = exc.value.messages[0]
    assert "Noem geen naam of geboortedatum van het kind" in message and "K-2025-012" in message


def test_the_free_text_validator_explains_what_it_found():
    with pytest.raises(ValidationError) as exc:
        validate_no_identifiers("Lisa de Boer, geboren 12-03-2019, Kerkstraat 12")
    message = exc.value.messages[0]
    assert "geboortedatum" in message and "adres" in message and "Je tekst bevat" in message


# --- wiring ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_respite_booking_form_refuses_a_name_and_birth_date_as_child_reference(
    login, parent, offer, next_week
):
    from respite.models import Booking

    r = login(parent).post(
        f"/respijt/aanbod/{offer.pk}/aanvragen/",
        {
            "start": next_week,
            "end": next_week + timedelta(days=1),
            "child_ref": "Jantje de Vries 12-03-2017",
            "child_age": 8,
            "notes": "Hij woont aan de Kerkstraat 12.",
            "form_token": "abc",
        },
    )
    body = r.content.decode()
    assert r.status_code in (200, 422)
    assert "Noem geen naam of geboortedatum van het kind" in body
    assert "een adres met huisnummer" in body
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_the_respite_api_refuses_an_identifying_child_reference_and_notes(parent, offer, next_week):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=parent)[0].key}")
    body = {
        "offer": offer.pk,
        "start": next_week.isoformat(),
        "end": (next_week + timedelta(days=1)).isoformat(),
        "notes": "Bel 06 1234 5678",
        "child": {"ref": "111/222/333", "age": 8, "needs": []},
    }
    r = c.post("/api/v1/respite/bookings/", body, format="json")
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert "child" in errors and "notes" in errors


@pytest.mark.django_db
def test_a_vacancy_with_a_name_and_birth_date_or_an_address_is_refused(vacancy):
    vacancy.needs = "Lisa de Boer, geboren 12-03-2019"
    with pytest.raises(ValidationError) as exc:
        vacancy.full_clean()
    assert "needs" in exc.value.message_dict
    vacancy.needs = "Een gezin met geduld."
    vacancy.interests = "Ze woont nu aan de Dorpsweg 3a."
    with pytest.raises(ValidationError) as exc:
        vacancy.full_clean()
    assert "interests" in exc.value.message_dict


@pytest.mark.django_db
def test_the_placement_api_refuses_a_name_as_child_reference(login, staff, provider, municipalities):
    body = {
        "provider": provider.slug,
        "child_ref": "Jantje de Vries",
        "carer_ref": "G-1",
        "placement_type": "kinship",
        "age_band": "12-15",
        "municipality": "GM0150",
        "start_date": "2025-03-01",
    }
    r = login(staff).post("/api/v1/placements/", body, content_type="application/json")
    assert r.status_code == 422
    assert "child_ref" in r.json()["errors"]


def test_matching_and_moderation_forms_carry_the_guard():
    from knowledge.forms import ModerationEditForm
    from matching.forms import ProfileForm, RequestForm

    form = RequestForm({"message": "Mijn pleegzoon Jantje de Vries 12-03-2017 heeft hulp nodig"})
    assert not form.is_valid() and "message" in form.errors
    form = ProfileForm({"about": "Ik woon op de Kerkstraat 12", "max_mentees": "1"})
    assert not form.is_valid() and "about" in form.errors
    form = ModerationEditForm({"new_text": "Bel 0570-123456", "note": ""})
    assert not form.is_valid() and "new_text" in form.errors
