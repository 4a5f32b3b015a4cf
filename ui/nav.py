"""Page files, relative to app.py (the form st.navigation and st.switch_page expect)."""

WELCOME = "ui/pages/welcome.py"
PROFILE = "ui/pages/profile.py"
QUESTIONNAIRE = "ui/pages/questionnaire.py"
RESULTS = "ui/pages/results.py"
RESUME = "ui/pages/resume.py"
PRIVACY = "ui/pages/privacy.py"
