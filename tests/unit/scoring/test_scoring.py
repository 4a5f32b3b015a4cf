"""Hand-worked scoring cases on the small instrument, and the shipped one's extremes."""

from __future__ import annotations

import pytest

from domain import Profile
from questionnaires.model import DONT_KNOW
from scoring import score_answers
from scoring.answers import scale_option_ids

MANUFACTURER = Profile("31-33", "20-49", "05")
RETAILER = Profile("44-45", "1-4", "06")


def extreme_answers(q, best: bool) -> dict:
    """Every question answered at its lowest or highest score."""
    answers = {}
    for x in q.questions:
        if x.type == "multi":
            answers[x.id] = [o.id for o in x.options if not o.exclusive] if best else []
        elif x.type == "number":
            answers[x.id] = x.max if best else x.min
        else:
            options = scale_option_ids(q, x)
            pick = options[-1] if best else options[0]
            answers[x.id] = {i.id: pick for i in x.items} if x.is_matrix else pick
    return answers


@pytest.mark.parametrize("profile", [MANUFACTURER, RETAILER])
def test_all_minimum_scores_zero_and_all_maximum_scores_hundred(instrument, profile):
    q = instrument.questionnaire
    low = score_answers(q, profile, extreme_answers(q, best=False))
    high = score_answers(q, profile, extreme_answers(q, best=True))
    assert low.overall == 0 and all(d.score == 0 for d in low.dimensions.values())
    assert high.overall == pytest.approx(100) and all(d.score == pytest.approx(100) for d in high.dimensions.values())
    assert low.level == q.levels[0].id and high.level == q.levels[-1].id


def test_mixed_case_worked_by_hand(mini):
    q = mini.questionnaire
    answers = {"plan": "mid", "tools": ["web", "erp"], "tech": {"cloud": "a4", "ai": "a1"}, "online_share": 30, "shop": {"mes": "partly"}}
    result = score_answers(q, MANUFACTURER, answers)
    # alpha: plan "mid" = 0.7 (weight 1); tools web+erp = (1+3)/4 = 1.0 (weight 1) -> 85.
    assert result.dimensions["alpha"].score == pytest.approx(85.0)
    # beta: tech (weight 2) split by row weight 1:3 -> cloud 0.5 x 0.8, ai 1.5 x 0.2;
    # online_share 30 % on [(0,0),(10,.5),(50,1)] -> 0.75 (weight 1); shop mes "partly" 0.5 (weight 1).
    # (0.4 + 0.3 + 0.75 + 0.5) / (0.5 + 1.5 + 1 + 1) = 1.95 / 4 -> 48.75.
    assert result.dimensions["beta"].score == pytest.approx(48.75)
    # overall: alpha weight 1, beta weight 2 -> (85 + 2 x 48.75) / 3.
    assert result.overall == pytest.approx((85 + 2 * 48.75) / 3)
    assert result.level == "moderate"
    assert result.modules["manufacturing"] == pytest.approx(50.0)
    assert result.dii.met == ("v_erp", "v_cloud", "v_sales") and result.dii.score == 3 and result.dii.basic


def test_dont_know_is_excluded_from_the_mean_but_counted(mini):
    result = score_answers(mini.questionnaire, RETAILER, {"plan": DONT_KNOW, "tools": ["erp"]})
    alpha = result.dimensions["alpha"]
    assert alpha.score == pytest.approx(75.0)  # tools only: 3 of 4 points
    assert (alpha.applicable, alpha.answered, alpha.dont_know) == (2, 1, 1)


def test_not_applicable_items_do_not_count(mini):
    q = mini.questionnaire
    # A retailer never sees the manufacturing module; without "web", online_share is hidden.
    answers = {"tools": ["erp"], "online_share": 50, "shop": {"mes": "yes"}, "tech": {"cloud": "a0", "ai": "a0"}}
    result = score_answers(q, RETAILER, answers)
    assert result.dimensions["beta"].score == 0.0
    assert result.dimensions["beta"].applicable == 2  # the two tech rows only
    assert result.modules["manufacturing"] is None
    assert "v_sales" not in result.dii.met  # a hidden answer cannot earn a DII point


def test_nothing_answered_gives_no_score_rather_than_zero(mini):
    result = score_answers(mini.questionnaire, RETAILER, {})
    assert result.overall is None and result.level is None
    assert all(d.score is None for d in result.dimensions.values())
    assert result.dii.score == 0 and not result.dii.basic


def test_dii_levels_and_basic_flag_on_the_shipped_instrument(instrument):
    q = instrument.questionnaire
    best = score_answers(q, MANUFACTURER, extreme_answers(q, best=True))
    worst = score_answers(q, MANUFACTURER, extreme_answers(q, best=False))
    assert worst.dii.score == 0 and worst.dii.level == "very_low" and not worst.dii.basic
    assert best.dii.score >= 10 and best.dii.level == "very_high" and best.dii.basic


def test_result_json_shape(instrument):
    from scoring import score_firm

    doc = score_firm(instrument, MANUFACTURER, extreme_answers(instrument.questionnaire, best=True)).to_json()
    assert set(doc) >= {"overall", "level", "dimensions", "dii", "questionnaire"}
    assert set(doc["dii"]) >= {"score", "level", "basic"}
    assert doc["questionnaire"]["content_hash"] == instrument.content_hash
