"""CSRF protection of state-changing BFF routes that a browser authenticates by cookie.

Double submit, bound to the session: the ``X-CSRF-Token`` header must equal the ``csrfToken``
cookie (a cross-site page can send the cookie but cannot read it to copy it into the header), and
its digest must be the one the session's access token carries (claim ``csrf``), so a token from
another session is refused too. Requests with ``Authorization: Bearer`` are exempt: browsers never
attach that header on their own. Refresh and logout, authenticated by the refresh cookie, check the
pair here and the binding in auth, against the refresh family's stored digest.
"""

import hmac
from typing import Annotated

from fastapi import Depends, Request

from xshop.platform.errors import ProblemError
from xshop.platform.http.principal import current_principal
from xshop.platform.security.tokens import token_digest
from xshop.services.gateway.cookies import CSRF_COOKIE

CSRF_HEADER = "X-CSRF-Token"


def csrf_failed() -> ProblemError:
    return ProblemError(403, "CSRF_FAILED", "The CSRF token is missing or does not match this session.")


def has_bearer(request: Request) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(value.strip())


def csrf_pair(request: Request) -> str:
    """The header's token, when it equals the cookie's."""
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not header or not cookie or not hmac.compare_digest(header.encode(), cookie.encode()):
        raise csrf_failed()
    return header


async def require_csrf(request: Request) -> None:
    if has_bearer(request):
        return
    principal = await current_principal(request)  # 401 first: no session, nothing to forge
    token = csrf_pair(request)
    if principal.csrf_digest is None or not hmac.compare_digest(token_digest(token), principal.csrf_digest):
        raise csrf_failed()


CsrfChecked = Annotated[None, Depends(require_csrf)]
