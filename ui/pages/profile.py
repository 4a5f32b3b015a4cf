"""Profile: sector, size band, region, optional firm name and the two consents; starts the assessment."""

import streamlit as st

from domain import Profile
from i18n import t
from questionnaires.segments import load_segments
from scoring.answers import check_profile
from ui import nav, session

NAME_MAX = 200

locale = session.locale()
segments = load_segments()
draft = session.draft()
current = draft.profile if draft else None

st.title(t("app.profile.title", locale))
session.show_flash()
st.markdown(t("app.profile.intro", locale))


TRIED_KEY = "profile_tried"  # the firm pressed Start/Save once: missing fields are flagged under each field


def _missing(field: str) -> None:
    """Under the field, while it is still empty after a first try (it goes as soon as it is filled)."""
    if st.session_state.get(TRIED_KEY) and st.session_state.get(f"profile_{field}") is None:
        st.error(t("app.profile.missing", locale, field=t(f"app.profile.{field}", locale)), icon=":material/error:")


def _choice(field: str) -> str | None:
    codes = segments.codes(field)
    value = getattr(current, field, None)
    chosen = st.selectbox(t(f"app.profile.{field}", locale), codes, index=codes.index(value) if value in codes else None,
                          format_func=lambda code: segments.label(field, code, locale), key=f"profile_{field}",
                          placeholder=t("app.profile.choose", locale))
    _missing(field)
    return chosen


# No st.form: each field reruns the page, so a message next to a field goes away as soon as it is fixed.
sector, size, region = _choice("sector"), _choice("size"), _choice("region")
name = st.text_input(t("app.profile.name", locale), value=current.name if current else "", max_chars=NAME_MAX,
                     key="profile_name", help=t("app.profile.name_help", locale))
st.markdown(f"**{t('app.profile.consents', locale)}**")
statistics = st.checkbox(t("app.profile.consent_statistics", locale), value=bool(draft and draft.consent_statistics),
                         key="profile_consent_statistics")
st.caption(t("app.profile.consent_statistics_help", locale))
advisor = st.checkbox(t("app.profile.consent_advisor", locale), value=bool(draft and draft.consent_advisor),
                      key="profile_consent_advisor")
st.caption(t("app.profile.consent_advisor_help", locale))
submitted = st.button(t("app.profile.save" if draft else "app.profile.start", locale), type="primary", key="profile_submit")

if submitted:
    missing = [field for field, value in (("sector", sector), ("size", size), ("region", region)) if value is None]
    profile = Profile(sector or "", size or "", region or "", name.strip())
    if missing:
        st.session_state[TRIED_KEY] = True
        st.rerun()  # the messages appear under the empty fields
    elif check_profile(profile, segments):
        st.error(t("app.error.invalid_answer", locale))
    else:
        st.session_state.pop(TRIED_KEY, None)
        repo = session.repository()
        if draft is None:
            created = repo.start_assessment(session.current_instrument(), profile, consent_statistics=statistics,
                                            consent_advisor=advisor)
            session.open_view(repo.load(created.assessment_id), resume_code=created.resume_code).show_code = True
        else:
            view = repo.update_profile(draft.assessment_id, profile, consent_statistics=statistics, consent_advisor=advisor)
            draft.saved = view
            session.flash("success", t("app.profile.saved", locale))
        st.switch_page(nav.QUESTIONNAIRE)
