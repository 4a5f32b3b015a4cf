"""Recommendations: the action library, the plan and programme catalog, prioritisation into a
roadmap, the what-if simulator and the bilingual PDF report. No Streamlit here."""
