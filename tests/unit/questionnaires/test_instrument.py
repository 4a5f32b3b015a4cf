"""The shipped instrument meets the issue's structural requirements."""

from __future__ import annotations

from domain import Profile
from questionnaires.registry import questionnaire_files
from questionnaires.schema import SCHEMA_FILE, schema_text
from questionnaires.segments import load_segments
from scoring.applicability import applicable_answers
from scoring.layout import units

EDIH_DIMENSIONS = ["strategy", "readiness", "human", "data", "automation", "green"]
DII_VARIABLES = {"internet_access_50pct", "fixed_30mbps", "ecommerce_1pct", "web_sales_b2c", "cloud_any", "cloud_sophisticated",
                 "social_media_2plus", "social_media_any", "data_analytics", "ai_any", "erp", "crm"}


def test_every_shipped_questionnaire_is_valid():
    from questionnaires.registry import load_questionnaire

    files = questionnaire_files()
    assert files, "no questionnaire shipped"
    for path in files:
        load_questionnaire(path)


def test_identity_and_locales(instrument):
    q = instrument.questionnaire
    assert (q.id, q.default_locale, sorted(q.locales)) == ("digital-maturity", "fr", ["en", "fr"])
    assert len(instrument.content_hash) == 64


def test_dimensions_follow_edih_plus_ecommerce(instrument):
    assert [d.id for d in instrument.questionnaire.dimensions] == [*EDIH_DIMENSIONS, "ecommerce"]


def test_between_40_and_80_items(instrument):
    n = len(units(instrument.questionnaire))
    assert 40 <= n <= 80, n


def test_all_question_types_are_used(instrument):
    assert {x.type for x in instrument.questionnaire.questions} == {"single", "multi", "adoption", "npy", "number"}


def test_manufacturing_module_only_for_scian_31_33(instrument):
    q = instrument.questionnaire
    module_items = {x.id for x in q.questions if x.module == "manufacturing"}
    assert module_items
    manufacturer, _ = applicable_answers(q, Profile("31-33", "20-49", "05"), {})
    retailer, _ = applicable_answers(q, Profile("44-45", "20-49", "05"), {})
    assert module_items <= manufacturer and not (module_items & retailer)


def test_dii_crosswalk_maps_each_of_the_12_variables_once(instrument):
    q = instrument.questionnaire
    mapped = [m.variable for x in q.questions for m in x.dii]
    assert sorted(mapped) == sorted(DII_VARIABLES) == sorted(v.id for v in q.dii.variables)
    assert q.dii.basic_min == 4 and [lv.min for lv in q.dii.levels] == [0, 4, 7, 10]


def test_connectivity_question_carries_the_30_mbit_threshold(instrument):
    mapping = next(m for x in instrument.questionnaire.questions for m in x.dii if m.variable == "fixed_30mbps")
    question = next(x for x in instrument.questionnaire.questions if x.id == mapping.when.question)
    assert question.dimension == "readiness"
    assert any("30" in o.label.fr for s in instrument.questionnaire.answer_scales if s.id == question.scale for o in s.options)


def test_conditions_exist_on_answers_and_on_profile(instrument):
    conditions = [x.show_if for x in instrument.questionnaire.questions if x.show_if]
    refs = [r for c in conditions for r in c.question_refs()]
    assert len(conditions) >= 3 and refs
    assert any("profile" in c.model_dump(exclude_none=True) for c in conditions)


def test_jargon_has_help_text(instrument):
    jargon = ("ERP", "CRM", "MES", "EDI")
    for x in instrument.questionnaire.questions:
        texts = [x.label.en] + [i.label.en for i in x.items or []] + [o.label.en for o in x.options or []]
        for term in jargon:
            for entry in [x, *(x.items or []), *(x.options or [])]:
                if term in entry.label.en.split() and entry.help is None and x.help is None:
                    raise AssertionError(f"{x.id}: '{term}' in {entry.label.en!r} has no help text")
        assert texts


def test_profile_lists():
    segments = load_segments()
    assert len(segments.codes("sector")) == 20 and len(segments.codes("region")) == 17
    assert segments.codes("size") == ["1-4", "5-19", "20-49", "50-99", "100-249", "250-499", "500+"]


def test_committed_json_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run: python cli.py schema"
