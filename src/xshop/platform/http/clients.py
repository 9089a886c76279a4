"""Base of the typed service clients (seed 002's service-client pattern).

Forwards the correlation id; turns transport failures and 5xx into 503 problems and passes 4xx
problems through with their code, message and field errors. Timeouts, retries of idempotent calls
and the circuit breaker live in the client's transport (``xshop.platform.http.resilience``): an open
circuit arrives here as a transport error and becomes the same 503 problem, without a call.
"""

import logging
from collections.abc import Callable
from typing import Any

import httpx

from xshop.platform.context import correlation_id
from xshop.platform.errors import FieldError, ProblemError, service_unavailable
from xshop.platform.http.middleware import CORRELATION_HEADER
from xshop.platform.http.resilience import CircuitOpen

log = logging.getLogger("xshop.clients")


class ServiceClient:
    service: str = "upstream"
    unavailable_code: str = "SERVICE_UNAVAILABLE"

    def __init__(self, http: httpx.AsyncClient, credentials: Callable[[], str] | None = None) -> None:
        """``credentials`` gives the bearer token sent when the caller passes no Authorization header."""
        self.http = http
        self.credentials = credentials

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent_headers = dict(headers or {})
        if self.credentials is not None and "Authorization" not in sent_headers:
            sent_headers["Authorization"] = f"Bearer {self.credentials()}"
        cid = correlation_id.get()
        if cid:
            sent_headers[CORRELATION_HEADER] = cid
        try:
            response = await self.http.request(method, path, json=json, params=params, headers=sent_headers)
        except CircuitOpen as exc:
            # The breaker logged when it opened; one line per refused call would flood the log.
            raise self._unavailable() from exc
        except httpx.HTTPError as exc:
            log.warning("%s %s to %s failed: %s", method, path, self.service, type(exc).__name__)
            raise self._unavailable() from exc
        if response.is_success:
            return response
        problem = _problem_from(response)
        if response.status_code == 503 and problem.code != "UPSTREAM_ERROR":
            raise problem  # a dependency of that service is down: keep its precise code
        if response.status_code >= 500:
            log.warning("%s %s to %s answered %d", method, path, self.service, response.status_code)
            raise self._unavailable()
        raise problem

    def _unavailable(self) -> ProblemError:
        return service_unavailable(self.unavailable_code, f"The {self.service} service is unavailable.")


def _problem_from(response: httpx.Response) -> ProblemError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    errors = [
        FieldError(str(e.get("field", "")), str(e.get("code", "")), str(e.get("message", "")))
        for e in body.get("errors") or []
        if isinstance(e, dict)
    ]
    headers = {k: v for k, v in response.headers.items() if k.lower() == "retry-after"}
    return ProblemError(
        status=response.status_code,
        code=str(body.get("code") or "UPSTREAM_ERROR"),
        detail=str(body.get("detail") or response.reason_phrase),
        title=body.get("title"),
        errors=errors,
        headers=headers,
        # Problem-specific members (e.g. the short lines of INSUFFICIENT_STOCK) pass through too.
        extra={k: v for k, v in body.items() if k not in _PROBLEM_MEMBERS},
    )


_PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "code", "errors", "correlationId"})
