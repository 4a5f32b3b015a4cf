"""Sign-in and authorisation, pure: roles, principals, the ``can`` policy, password hashing,
throttling and session-expiry rules. No Streamlit, no database: storage keeps the rows,
``services.access`` applies these rules to them, ``ui.auth`` reads the browser's identity.

Public API (stable; the ministry statistics build on it):

- ``Role``: ``advisor``, ``analyst``, ``admin`` (a person may hold several);
- ``Principal``: the signed-in person as the application sees it (roles from our database only);
- ``Action`` and ``can(principal, action, resource=None) -> bool``: the one authorisation rule;
- ``pages_for(principal)``: the page keys each role may see (an identity with no role: none).
"""

from auth.policy import ANONYMOUS_PAGES, SIGNED_IN_PAGES, Action, AssessmentAccess, Principal, Role, can, pages_for

__all__ = ["ANONYMOUS_PAGES", "SIGNED_IN_PAGES", "Action", "AssessmentAccess", "Principal", "Role", "can", "pages_for"]
