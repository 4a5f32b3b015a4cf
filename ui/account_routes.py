"""The local sign-in routes, served beside the Streamlit app by ``server.py`` (``st.App``):

- ``GET /account/login?lang=fr|en``: a small bilingual HTML form with a CSRF token, matched by the
  ``dm_csrf`` cookie (HttpOnly, SameSite=Strict, double submit);
- ``POST /account/login``: checks the Origin (when sent) and the CSRF token (403 otherwise), then
  ``services.access.Access.sign_in`` in a worker thread: 401 with one message for any failure,
  429 while throttled, else a new session cookie (HttpOnly, SameSite=Lax, Path=/; Secure and the
  ``__Host-`` prefix with ``DM_SECURE_COOKIES=1``) and a 303 to the app;
- ``GET /account/logout?lang=fr|en``: a one-button form with its CSRF token (same double submit),
  or "you are signed out" when the browser holds no live session;
- ``POST /account/logout``: the Origin check, and a CSRF token that is either the double-submit
  one of the GET form or ``sign_out_token(session cookie)`` (a digest of the HttpOnly session
  cookie, which another site can neither read nor compute; "My account" puts it in its form):
  403 otherwise. Then it ends the session row in the database (``Access.sign_out_token``: a
  copied cookie stops working at once), deletes the cookie and answers 303 to the app. A GET
  never signs anyone out.

The session id is new at every sign-in and only its SHA-256 is stored. With OIDC, "My account"
signs out in the app instead (``ui.auth.sign_out``, then ``st.logout``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from html import escape
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from auth.sessions import ABSOLUTE_TIMEOUT
from i18n import LOCALES, t
from services.access import Access
from ui.a11y import FOCUS_COLOUR
from ui.auth import COOKIE_NAME, SECURE_COOKIES

CSRF_COOKIE = "dm_csrf"
LOGIN_PATH = "/account/login"
LOGOUT_PATH = "/account/logout"


@cache
def _access(url: str | None) -> Access:
    from storage import open_repository

    return Access(open_repository(url))


def access() -> Access:
    return _access(os.environ.get("DATABASE_URL"))


def _locale(value: str | None) -> str:
    return value if value in LOCALES else "fr"


def client_key(request: Request) -> str:
    """The remote address; ``X-Forwarded-For`` only when ``DM_TRUSTED_PROXY=1`` (Streamlit behind
    a reverse proxy on loopback), otherwise anyone could pick their own key."""
    if os.environ.get("DM_TRUSTED_PROXY") == "1":
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.client.host if request.client else "unknown"


_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def _page(locale: str, csrf: str, message: str = "", status: int = 200, email: str = "") -> HTMLResponse:
    error = f'<p role="alert" class="error">{escape(message)}</p>' if message else ""
    form = f"""<p>{escape(t("advisor.sign_in.intro", locale))}</p>{error}
<form method="post" action="{LOGIN_PATH}">
<input type="hidden" name="csrf" value="{escape(csrf)}"><input type="hidden" name="lang" value="{locale}">
<label for="email">{escape(t("advisor.form.email", locale))}</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{escape(email)}">
<label for="password">{escape(t("advisor.form.password", locale))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{escape(t("advisor.form.submit", locale))}</button></form>"""
    return _html(locale, t("advisor.sign_in.title", locale), form, LOGIN_PATH, csrf, status)


def _html(locale: str, title: str, body: str, path: str, csrf: str | None, status: int = 200) -> HTMLResponse:
    """A small bilingual page; with ``csrf``, also the matching double-submit cookie."""
    other = "en" if locale == "fr" else "fr"
    html = f"""<!doctype html>
<html lang="{locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}
label{{display:block;margin-top:1rem;font-weight:600}}input{{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}}
button{{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#1f5f99;color:#fff;border:0;border-radius:4px}}
.error{{color:#a40000;font-weight:600}}a{{color:#1f5f99}}
:focus-visible{{outline:3px solid {FOCUS_COLOUR};outline-offset:2px}}</style></head>
<body><main><h1>{escape(title)}</h1>
{body}
<p><a href="/?lang={locale}">{escape(t("advisor.form.back", locale))}</a> · <a href="{path}?lang={other}" lang="{other}">
{"English" if other == "en" else "Français"}</a></p></main></body></html>"""
    response = HTMLResponse(html, status_code=status, headers=_HEADERS)
    if csrf is not None:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=SECURE_COOKIES, path="/account")
    return response


async def login_form(request: Request) -> Response:
    return _page(_locale(request.query_params.get("lang")), secrets.token_urlsafe(32))


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None  # browsers send Origin on POST; "null" (sandboxed, privacy redirects) is refused
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _csrf_ok(request: Request, form: FormData, *, session_bound: bool = False) -> bool:
    """Same origin, and the form's token matches the double-submit cookie (or, for sign-out, the
    digest of the session cookie)."""
    if not _same_origin(request):
        return False
    sent = str(form.get("csrf", ""))
    expected = [request.cookies.get(CSRF_COOKIE, "")]
    session = _session_token(request) if session_bound else None
    if session:
        expected.append(sign_out_token(session))
    return any(e and hmac.compare_digest(sent.encode(), e.encode()) for e in expected)


def sign_out_token(session_token: str) -> str:
    """The sign-out form's CSRF token for a session: readable only by who holds the HttpOnly cookie."""
    return hashlib.sha256(b"dm-sign-out\n" + session_token.encode("utf-8", "replace")).hexdigest()


async def login_submit(request: Request) -> Response:
    form = await request.form()
    locale = _locale(str(form.get("lang", "fr")))
    if not _csrf_ok(request, form):
        return Response("Forbidden", status_code=403)
    email, password = str(form.get("email", ""))[:254], str(form.get("password", ""))
    outcome = await run_in_threadpool(access().sign_in, email, password, client_key(request))
    csrf = secrets.token_urlsafe(32)
    if outcome.retry_after > 0:
        return _page(locale, csrf, t("advisor.form.throttled", locale, seconds=int(outcome.retry_after) + 1), 429, email)
    if outcome.principal is None or outcome.token is None:
        return _page(locale, csrf, t("advisor.form.failed", locale), 401, email)
    response = RedirectResponse(f"/?lang={locale}", status_code=303)
    response.set_cookie(COOKIE_NAME, outcome.token, httponly=True, samesite="lax", secure=SECURE_COOKIES, path="/",
                        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()))
    response.delete_cookie(CSRF_COOKIE, path="/account")
    response.headers["Cache-Control"] = "no-store"
    return response


def _session_token(request: Request) -> str | None:
    return request.cookies.get(COOKIE_NAME) or None


async def logout_form(request: Request) -> Response:
    locale = _locale(request.query_params.get("lang"))
    title = t("advisor.account.sign_out", locale)
    principal = await run_in_threadpool(access().principal_for_token, _session_token(request))
    if principal is None:  # nothing to end: no cookie, or a session that already ended
        return _html(locale, title, f'<p role="status">{escape(t("advisor.account.signed_out", locale))}</p>', LOGOUT_PATH, None)
    csrf = secrets.token_urlsafe(32)
    body = f"""<p>{escape(t("advisor.account.who", locale, name=principal.display_name, email=principal.email))}</p>
<p>{escape(t("advisor.sign_out.explain", locale))}</p>
<form method="post" action="{LOGOUT_PATH}">
<input type="hidden" name="csrf" value="{escape(csrf)}"><input type="hidden" name="locale" value="{locale}">
<button type="submit">{escape(title)}</button></form>"""
    return _html(locale, title, body, LOGOUT_PATH, csrf)


async def logout_submit(request: Request) -> Response:
    form = await request.form()
    # "locale", not "lang": in "My account" the form goes through DOMPurify, which drops a field
    # named like a DOM property (form.lang) against clobbering.
    locale = _locale(str(form.get("locale", "fr")))
    if not _csrf_ok(request, form, session_bound=True):
        return Response("Forbidden", status_code=403)
    await run_in_threadpool(access().sign_out_token, _session_token(request))
    response = RedirectResponse(f"/?lang={locale}", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", secure=SECURE_COOKIES, httponly=True, samesite="lax")
    response.delete_cookie(CSRF_COOKIE, path="/account")
    response.headers["Cache-Control"] = "no-store"
    return response


ROUTES = [Route(LOGIN_PATH, login_form, methods=["GET"]), Route(LOGIN_PATH, login_submit, methods=["POST"]),
          Route(LOGOUT_PATH, logout_form, methods=["GET"]), Route(LOGOUT_PATH, logout_submit, methods=["POST"])]
