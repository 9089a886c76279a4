"""Entity tags for cacheable GET answers (RFC 9110 §8.8.3, §13.1.2): a tag computed from the body,
and 304 Not Modified when the client already holds that body."""

import hashlib

from fastapi import Request, Response

NO_CACHE = "no-cache"
"""Clients may keep the answer but must revalidate it (a cheap 304) before each use."""
PRIVATE_NO_CACHE = "private, no-cache"
"""As ``NO_CACHE``, and shared caches must not keep it (answers that depend on who asks)."""


def entity_tag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def none_match(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag``; weak comparison, as RFC 9110 requires for it."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def tagged_json(
    request: Request, body: bytes, *, cache_control: str = NO_CACHE, etag: str | None = None
) -> Response:
    """``body`` with its ETag, or an empty 304 if the request's ``If-None-Match`` already has it."""
    tag = etag or entity_tag(body)
    headers = {"ETag": tag, "Cache-Control": cache_control}
    if none_match(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
