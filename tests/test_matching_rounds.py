"""Issue 11, items 1 and 2: criteria, scores with Dutch reasons, and the optimal round."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from matching import assignment, services
from matching.models import Mentee, Pairing, Proposal, RegionSettings, Round

pytestmark = pytest.mark.django_db


def _proposals(rnd):
    return {p.mentee_id: p for p in Proposal.objects.filter(round=rnd)}


def test_it_never_pairs_a_support_family_in_the_same_village_unless_both_allow(
    coordinator, make_mentor, make_mentee, region
):
    make_mentor("mentor@example.org", town="deventer", form="support")
    mentee = make_mentee("nieuw@example.org", town="deventer", form="support")
    p = _proposals(services.run_round(coordinator, region))[mentee.pk]
    assert p.mentor_id is None
    assert "zelfde gemeente" in p.unmatched_reason


def test_both_allowing_the_same_village_makes_the_pair(coordinator, make_mentor, make_mentee, region):
    mentor = make_mentor("mentor@example.org", town="deventer", form="support", same_village_ok=True)
    mentee = make_mentee("nieuw@example.org", town="deventer", form="support", same_village_ok=True)
    p = _proposals(services.run_round(coordinator, region))[mentee.pk]
    assert p.mentor_id == mentor.pk
    assert any("zelfde gemeente" in r for r in p.reasons)


def test_the_score_is_explained_in_dutch_reasons(coordinator, make_mentor, make_mentee, region):
    make_mentor("mentor@example.org", age_bands=["4-11"], needs=["autism"], languages=["nl", "ar"])
    mentee = make_mentee("nieuw@example.org", age_bands=["4-11"], needs=["autism"], languages=["ar"])
    p = _proposals(services.run_round(coordinator, region))[mentee.pk]
    text = " ".join(p.reasons)
    assert "zelfde gezinsvorm (+3,0)" in text
    assert "ervaring met 4 tot 12 jaar (+3,0)" in text
    assert "ervaring met autisme" in text and "spreekt Arabisch" in text
    assert p.score >= 9


def test_the_region_weights_change_the_choice(coordinator, make_mentor, make_mentee, region):
    by_age = make_mentor("leeftijd@example.org", age_bands=["12-17"])
    by_need = make_mentor("zorg@example.org", needs=["trauma"])
    mentee = make_mentee("nieuw@example.org", age_bands=["12-17"], needs=["trauma"])
    RegionSettings.objects.update_or_create(region=region, defaults={"weights": {"age_bands": 1, "needs": 5}})
    assert _proposals(services.run_round(coordinator, region))[mentee.pk].mentor_id == by_need.pk
    RegionSettings.objects.filter(region=region).update(weights={"age_bands": 5, "needs": 1})
    assert _proposals(services.run_round(coordinator, region))[mentee.pk].mentor_id == by_age.pk


def test_a_mentor_is_not_given_more_mentees_than_their_capacity(
    coordinator, make_mentor, make_mentee, region
):
    make_mentor("mentor@example.org", capacity=2)
    mentees = [make_mentee(f"n{i}@example.org") for i in range(3)]
    props = _proposals(services.run_round(coordinator, region))
    assert sum(1 for m in mentees if props[m.pk].mentor_id) == 2


def test_the_longest_waiting_parent_wins_a_tie(coordinator, make_mentor, make_mentee, region):
    make_mentor("mentor@example.org")
    early, late = make_mentee("vroeg@example.org"), make_mentee("laat@example.org")
    Mentee.objects.filter(pk=early.pk).update(asked_at=timezone.now() - timedelta(days=40))
    props = _proposals(services.run_round(coordinator, region))
    assert props[early.pk].mentor_id and not props[late.pk].mentor_id
    assert props[late.pk].unmatched_reason == "alle passende mentoren zijn al vergeven"


def test_the_round_is_optimal_for_everyone_not_first_come(coordinator, make_mentor, make_mentee, region):
    """Greedy would give the first parent the universal mentor and leave the second without."""
    everyone = make_mentor("allround@example.org", age_bands=["0-3", "12-17"])
    babies_only = make_mentor("baby@example.org", age_bands=["0-3"], family_forms=["foster"])
    first = make_mentee("eerst@example.org", age_bands=["0-3", "12-17"])
    second = make_mentee("tweede@example.org", form="support", age_bands=["12-17"])
    from matching.models import MentorOffer

    MentorOffer.objects.filter(profile=everyone).update(family_forms=["foster", "support"])
    props = _proposals(services.run_round(coordinator, region))
    assert props[second.pk].mentor_id == everyone.pk
    assert props[first.pk].mentor_id == babies_only.pk


def test_no_mentor_of_the_own_provider_where_the_region_forbids_it(
    coordinator, make_mentor, make_mentee, region
):
    make_mentor("mentor@example.org")
    mentee = make_mentee("nieuw@example.org")
    RegionSettings.objects.update_or_create(region=region, defaults={"forbid_own_provider": True})
    p = _proposals(services.run_round(coordinator, region))[mentee.pk]
    assert p.mentor_id is None and "aanbieder" in p.unmatched_reason


def test_a_pair_that_ended_before_is_never_proposed_again(coordinator, make_mentor, make_mentee, region):
    mentor = make_mentor("mentor@example.org")
    mentee = make_mentee("nieuw@example.org")
    Pairing.objects.create(mentee=mentee, mentor=mentor, status="ended")
    p = _proposals(services.run_round(coordinator, region))[mentee.pk]
    assert p.mentor_id is None and "eerder beëindigd" in p.unmatched_reason


def test_an_unverified_mentor_is_not_in_the_round(coordinator, make_mentor, make_mentee, region):
    mentor = make_mentor("mentor@example.org")
    mentor.offer.verified_at = None
    mentor.offer.save()
    mentee = make_mentee("nieuw@example.org")
    assert _proposals(services.run_round(coordinator, region))[mentee.pk].mentor_id is None


def test_the_coordinator_edits_and_confirms_then_both_sides_get_mail(
    coordinator, make_mentor, make_mentee, region, sent_mail
):
    a = make_mentor("a@example.org")
    b = make_mentor("b@example.org", town="lochem")
    mentee = make_mentee("nieuw@example.org")
    rnd = services.run_round(coordinator, region)
    proposal = _proposals(rnd)[mentee.pk]
    other = b if proposal.mentor_id == a.pk else a
    services.edit_proposal(coordinator, proposal.pk, other.pk)
    made = services.confirm_round(coordinator, rnd.pk)
    assert [p.mentor_id for p in made] == [other.pk]
    assert Mentee.objects.get(pk=mentee.pk).status == "paired"
    to = {m.to[0] for m in sent_mail()}
    assert {other.user.email, "nieuw@example.org"} <= to
    with pytest.raises(services.RoundError):
        services.confirm_round(coordinator, rnd.pk)


def test_an_edit_to_a_forbidden_pair_is_refused_with_the_reason(
    coordinator, make_mentor, make_mentee, region
):
    make_mentor("a@example.org")
    same_town = make_mentor("b@example.org", town="deventer")
    mentee = make_mentee("nieuw@example.org")
    rnd = services.run_round(coordinator, region)
    with pytest.raises(services.RoundError, match="zelfde gemeente"):
        services.edit_proposal(coordinator, _proposals(rnd)[mentee.pk].pk, same_town.pk)


def test_only_the_regions_coordinator_runs_a_round(staff, parent, other_region, coordinator, region):
    from django.core.exceptions import PermissionDenied

    for user in (staff, parent):
        with pytest.raises(PermissionDenied):
            services.run_round(user, region)
    with pytest.raises(PermissionDenied):
        services.run_round(coordinator, other_region)


def test_the_coordinator_walks_the_round_in_the_browser_of_the_test_client(
    login, coordinator, make_mentor, make_mentee, region
):
    make_mentor("mentor@example.org")
    make_mentee("nieuw@example.org")
    c = login(coordinator)
    r = c.post("/mentoren/rondes/")
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "zelfde gezinsvorm" in page and "Ronde bevestigen" in page
    c.post(r["Location"], {"confirm": "1"})
    assert Round.objects.get().status == "confirmed"
    assert Pairing.objects.count() == 1


def test_sparse_and_dense_solvers_agree_on_the_optimum():
    rng = np.random.default_rng(7)
    for _ in range(20):
        n, m = rng.integers(1, 12), rng.integers(1, 8)
        caps = rng.integers(1, 4, m)
        mask = rng.random((n, m)) < 0.5
        em, en = np.nonzero(mask)
        sc = rng.integers(0, 10, len(em)).astype(float)
        p = assignment.Problem(n, caps, em, en, sc, rng.integers(0, 50, n).astype(float))
        totals = []
        for method in ("sparse", "dense"):
            chosen = assignment.solve(p, method)
            assert all(list(chosen.values()).count(j) <= caps[j] for j in set(chosen.values()))
            score = {(i, j): s for i, j, s in zip(em, en, sc, strict=True)}
            totals.append((len(chosen), round(sum(score[(i, j)] for i, j in chosen.items()), 6)))
        assert totals[0] == totals[1]


def test_the_vectorised_scores_agree_with_the_explained_ones():
    """Rounds score all pairs with numpy and explain the chosen ones with scoring.py: the two
    must give the same verdict and the same score."""
    import random

    from matching import vectorised
    from matching.scoring import Rules, Side, forbidden, score

    rng = random.Random(11)
    forms, bands, needs = (
        ["foster", "support", "family_home"],
        ["0-3", "4-11", "12-17", "18+"],
        ["lvb", "autism"],
    )

    def side(k, mentor):
        return Side(
            key=k,
            household_id=k + (1000 if mentor else 0),
            family_form=rng.choice(forms),
            municipality_id=rng.randrange(3),
            municipality_name="",
            provider_id=rng.choice([None, 1, 2]),
            point=rng.choice([None, (52.2 + rng.random() / 5, 6.1 + rng.random() / 5)]),
            family_forms=rng.sample(forms, rng.randint(0, 2)),
            age_bands=rng.sample(bands, rng.randint(0, 2)),
            needs=rng.sample(needs, rng.randint(0, 2)),
            languages=rng.sample(["nl", "ar"], rng.randint(0, 2)),
            availability=rng.sample(["evening", "weekend"], rng.randint(0, 2)),
            max_travel_km=rng.choice([5, 15, 40]),
            same_village_ok=rng.random() < 0.5,
        )

    mentees, mentors = [side(i, False) for i in range(40)], [side(i, True) for i in range(30)]
    rules = Rules(
        weights={"needs": 4}, forbid_own_provider=True, ended_pairs=frozenset({(mentees[0].household_id, 3)})
    )
    em, en, sc, _why = vectorised.edges(mentees, mentors, rules)
    fast = {(int(i), int(j)): float(s) for i, j, s in zip(em, en, sc, strict=True)}
    for i, a in enumerate(mentees):
        for j, b in enumerate(mentors):
            allowed = forbidden(a, b, rules) is None
            assert ((i, j) in fast) == allowed, (a, b, forbidden(a, b, rules))
            if allowed:
                assert fast[(i, j)] == pytest.approx(score(a, b, rules)[0], abs=1e-3)
