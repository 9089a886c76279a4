import copy
from urllib.parse import parse_qsl, urlsplit

import pytest

from xshop.services.audit.redaction import REDACTED, redact, redact_url


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "newPassword",
        "passwordHash",
        "verificationToken",
        "csrfToken",
        "clientSecret",
        "Authorization",
        "X-AUTHORIZATION",
        "hash",
        "setCookie",
    ],
)
def test_a_key_naming_a_secret_is_redacted_whatever_its_case(key):
    assert redact({key: "s3cr3t", "email": "a@example.com"}) == {key: REDACTED, "email": "a@example.com"}


def test_a_secret_key_is_redacted_whole_even_when_its_value_is_structured():
    assert redact({"tokens": {"access": "a", "refresh": ["r1", "r2"]}}) == {"tokens": REDACTED}


def test_redaction_reaches_into_nested_dicts_and_lists():
    payload = {
        "user": {"email": "a@example.com", "auth": {"passwordHash": "$2b$10$x", "roles": ["admin"]}},
        "sessions": [{"refreshToken": "r1", "id": 1}, [{"secret": "deep"}, "plain"]],
        "count": 3,
        "active": True,
        "note": None,
    }
    assert redact(payload) == {
        "user": {"email": "a@example.com", "auth": {"passwordHash": REDACTED, "roles": ["admin"]}},
        "sessions": [{"refreshToken": REDACTED, "id": 1}, [{"secret": REDACTED}, "plain"]],
        "count": 3,
        "active": True,
        "note": None,
    }


def test_redaction_leaves_its_input_untouched():
    payload = {"token": "t", "links": ["https://x.example/v?token=t"]}
    before = copy.deepcopy(payload)
    redact(payload)
    assert payload == before


def test_a_url_carrying_a_token_keeps_scheme_host_and_path_and_loses_every_query_value():
    url = "http://localhost:4000/api/auth/email/verify?token=abc123&lang=en"
    redacted = redact_url(url)
    parts = urlsplit(redacted)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "localhost:4000", "/api/auth/email/verify")
    assert parse_qsl(parts.query) == [("token", REDACTED), ("lang", REDACTED)]
    assert "abc123" not in redacted


@pytest.mark.parametrize("name", ["token", "reset_token", "code", "apiKey", "KEY", "X-Amz-Signature"])
def test_query_parameters_named_like_credentials_trigger_redaction(name):
    redacted = redact_url(f"https://shop.example/cb?{name}=SENSITIVE")
    assert "SENSITIVE" not in redacted
    assert redacted.startswith("https://shop.example/cb?")


def test_a_token_in_the_fragment_is_dropped():
    redacted = redact_url("https://shop.example/cb#access_token=SENSITIVE&state=1")
    assert redacted == "https://shop.example/cb"


def test_a_password_in_the_user_info_is_redacted():
    redacted = redact_url("amqp://guest:SENSITIVE@broker.example:5672/vhost")
    assert redacted == f"amqp://guest:{REDACTED}@broker.example:5672/vhost"


@pytest.mark.parametrize(
    "value",
    [
        "https://shop.example/products?page=2&sort=price",
        "https://shop.example/products",
        "token=abc",
        "mailto:someone@example.com?subject=token",
        "http://[::1",
        "",
    ],
)
def test_strings_without_a_credential_carrying_url_are_kept(value):
    assert redact_url(value) == value
    assert redact({"value": value}) == {"value": value}


def test_urls_are_redacted_inside_payloads():
    payload = {
        "links": [{"href": "https://x.example/reset?code=C0DE"}],
        "verificationUrl": "https://x/v?token=T",
    }
    assert redact(payload) == {
        "links": [{"href": f"https://x.example/reset?code={REDACTED}"}],
        "verificationUrl": f"https://x/v?token={REDACTED}",
    }
