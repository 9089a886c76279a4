"""Entity tags: computed from the body; If-None-Match compared weakly, lists and * understood."""

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from xshop.platform.http.etag import PRIVATE_NO_CACHE, entity_tag, none_match, tagged_json

TAG = entity_tag(b'{"a":1}')


def test_the_tag_follows_the_body():
    assert entity_tag(b'{"a":1}') == TAG
    assert entity_tag(b'{"a":2}') != TAG
    assert TAG.startswith('"') and TAG.endswith('"')


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("", False),
        (TAG, True),
        (f"W/{TAG}", True),
        (f'"other", {TAG}', True),
        ('"other"', False),
        ("*", True),
        (TAG[:-2] + '"', False),
    ],
)
def test_if_none_match(header, matches):
    assert none_match(header, TAG) is matches


async def test_a_tagged_answer_is_304_and_empty_when_the_client_has_it():
    app = FastAPI()

    @app.get("/thing")
    async def thing(request: Request) -> Response:
        return tagged_json(request, b'{"a":1}', cache_control=PRIVATE_NO_CACHE)

    client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test")
    first = await client.get("/thing")
    assert (first.status_code, first.content, first.headers["etag"]) == (200, b'{"a":1}', TAG)
    assert first.headers["cache-control"] == "private, no-cache"
    assert first.headers["content-type"] == "application/json"
    again = await client.get("/thing", headers={"If-None-Match": TAG})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", TAG)
    await client.aclose()
