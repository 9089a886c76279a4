"""Bad input at the BFF always gets a 4xx problem body, never a 500 (acceptance item 2)."""

import pytest

from tests.helpers import PASSWORD


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert {"type", "title", "detail", "correlationId"} <= set(body)
    return body


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"email": "ab@cd"}, {"email": "invalid_format"}),
        ({"email": "x" * 95 + "@ex.com"}, {"email": "too_long"}),
        ({"password": "abc12"}, {"password": "too_short"}),
        ({"password": "abcdefg"}, {"password": "missing_digit"}),
        ({"password": "1234567"}, {"password": "missing_letter"}),
        ({"firstName": "J"}, {"firstName": "too_short"}),
        ({"firstName": "J0hn"}, {"firstName": "invalid_characters"}),
        ({"lastName": "D" * 51}, {"lastName": "too_long"}),
        ({"phoneNumber": "12345"}, {"phoneNumber": "too_short"}),
        ({"email": "no", "password": "x"}, {"email": "too_short", "password": "too_short"}),
    ],
)
async def test_validation_errors_name_each_field_and_rule(shop, fields, expected):
    response = await shop.bff.post(
        "/bff/auth/register",
        json={"firstName": "John", "email": "valid@example.com", "password": PASSWORD} | fields,
    )
    body = assert_problem(response, 400, "VALIDATION_FAILED")
    assert {e["field"]: e["code"] for e in body["errors"]} == expected


async def test_boundary_values_are_accepted_through_the_bff(shop):
    response = await shop.register(
        "a" * 95 + "@b.co", password="a" * 24 + "1", firstName="Jo", lastName="", phoneNumber="1234567"
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("missing", ["email", "password", "firstName"])
async def test_missing_required_field(shop, missing):
    body = {"firstName": "John", "email": "m@example.com", "password": PASSWORD}
    del body[missing]
    response = await shop.bff.post("/bff/auth/register", json=body)
    problem = assert_problem(response, 400, "VALIDATION_FAILED")
    assert [e["field"] for e in problem["errors"]] == [missing]


@pytest.mark.parametrize("value", [123, True, ["a@b.co"], {"x": 1}])
async def test_wrong_types(shop, value):
    response = await shop.bff.post(
        "/bff/auth/register", json={"firstName": "John", "email": value, "password": PASSWORD}
    )
    problem = assert_problem(response, 400, "VALIDATION_FAILED")
    assert problem["errors"][0]["field"] == "email"


@pytest.mark.parametrize("raw", [b"{", b"not json", b'{"email": }', b"\xff\xfe"])
async def test_malformed_json(shop, raw):
    response = await shop.bff.post(
        "/bff/auth/register", content=raw, headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "MALFORMED_JSON")


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"42", b"null"])
async def test_json_that_is_not_an_object(shop, raw):
    response = await shop.bff.post(
        "/bff/auth/register", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_oversized_body_is_413(shop):
    big = {"firstName": "John", "email": "big@example.com", "password": PASSWORD, "pad": "x" * (64 * 1024)}
    assert_problem(await shop.bff.post("/bff/auth/register", json=big), 413, "PAYLOAD_TOO_LARGE")


async def test_oversized_body_without_content_length_is_413(shop):
    async def chunks():
        for _ in range(70):
            yield b" " * 1024

    response = await shop.bff.post(
        "/bff/auth/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413, "PAYLOAD_TOO_LARGE")


async def test_unknown_route_and_wrong_method_are_problems(shop):
    assert_problem(await shop.bff.get("/bff/nothing-here"), 404, "NOT_FOUND")
    assert_problem(await shop.bff.get("/bff/auth/register"), 405, "METHOD_NOT_ALLOWED")


async def test_correlation_id_is_generated_when_absent_and_rejected_when_unsafe(shop):
    response = await shop.register("corr@example.com")
    generated = response.headers["x-correlation-id"]
    assert len(generated) == 36
    response = await shop.bff.post(
        "/bff/auth/email/resend", json={"email": "x@example.com"}, headers={"X-Correlation-ID": "a" * 500}
    )
    assert response.headers["x-correlation-id"] != "a" * 500
