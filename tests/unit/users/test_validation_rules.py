"""Every registration rule of DESIGN §6 rejects and accepts at its boundaries (property-based)."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from xshop.services.users.schemas import UserCreate

VALID = {"email": "john@example.com", "password": "abc123", "firstName": "John", "lastName": "Doe"}
LETTERS = st.sampled_from(string.ascii_letters + "éÖßł")
NAME_CHARS = st.one_of(LETTERS, st.sampled_from(" -'."))


def errors_of(**fields: object) -> dict[str, str]:
    try:
        UserCreate.model_validate(VALID | fields)
    except ValidationError as exc:
        return {str(e["loc"][0]): e["type"] for e in exc.errors()}
    return {}


@given(st.integers(min_value=6, max_value=100))
def test_email_length_within_6_to_100_is_accepted(length):
    assert "email" not in errors_of(email="a" * (length - 5) + "@b.co")


def test_email_of_exactly_5_characters_passes_the_length_rule():
    assert errors_of(email="a@b.c").get("email") != "too_short"


@given(st.integers(min_value=0, max_value=4))
def test_email_shorter_than_5_is_too_short(length):
    assert errors_of(email="a@b.co"[:length])["email"] == "too_short"


@given(st.integers(min_value=101, max_value=300))
def test_email_longer_than_100_is_too_long(length):
    assert errors_of(email="a" * (length - 7) + "@ex.com")["email"] == "too_long"


@pytest.mark.parametrize(
    "email", ["plainaddress", "@example.com", "john@", "john@@example.com", "john doe@ex.com"]
)
def test_malformed_email_is_rejected(email):
    assert errors_of(email=email)["email"] == "invalid_format"


@given(st.text(alphabet=st.sampled_from("ABCdef"), min_size=1, max_size=20))
def test_email_is_stored_lower_cased(local):
    assert (
        UserCreate.model_validate(VALID | {"email": f"{local}@Example.COM"}).email
        == f"{local.lower()}@example.com"
    )


@given(
    st.integers(min_value=6, max_value=25).flatmap(
        lambda n: st.tuples(
            LETTERS,
            st.sampled_from(string.digits),
            st.text(LETTERS | st.sampled_from(string.digits + "!#"), min_size=n - 2, max_size=n - 2),
        )
    )
)
def test_password_with_letter_and_digit_of_6_to_25_chars_is_accepted(parts):
    letter, digit, rest = parts
    password = letter + digit + rest
    assert "password" not in errors_of(password=password), password


@given(st.integers(min_value=0, max_value=5))
def test_password_under_6_is_too_short(length):
    assert errors_of(password="a1b2c3"[:length])["password"] == "too_short"


@given(st.integers(min_value=26, max_value=80))
def test_password_over_25_is_too_long(length):
    assert errors_of(password=("a1" * 50)[:length])["password"] == "too_long"


@given(st.text(alphabet=st.sampled_from(string.digits + "!@#"), min_size=6, max_size=25))
def test_password_without_letter_is_rejected(password):
    assert errors_of(password=password)["password"] == "missing_letter"


@given(st.text(alphabet=LETTERS, min_size=6, max_size=25))
def test_password_without_digit_is_rejected(password):
    assert errors_of(password=password)["password"] == "missing_digit"


def test_password_over_bcrypt_72_bytes_is_rejected_explicitly():
    password = "😀" * 18 + "a1"  # 20 characters, 74 bytes
    assert errors_of(password=password)["password"] == "too_long"


@given(
    st.integers(min_value=2, max_value=50).flatmap(
        lambda n: st.tuples(LETTERS, st.text(NAME_CHARS, min_size=n - 1, max_size=n - 1))
    )
)
def test_first_name_of_2_to_50_allowed_characters_is_accepted(parts):
    name = parts[0] + parts[1]
    if name.strip() != name:
        return
    assert "firstName" not in errors_of(firstName=name), name


@given(st.text(LETTERS, min_size=0, max_size=1))
def test_first_name_under_2_is_too_short(name):
    assert errors_of(firstName=name)["firstName"] == "too_short"


@given(st.text(LETTERS, min_size=51, max_size=80))
def test_first_name_over_50_is_too_long(name):
    assert errors_of(firstName=name)["firstName"] == "too_long"


@given(st.sampled_from('0123456789_@!?/\\<>;:"$%&*+=~'))
def test_first_name_with_other_characters_is_rejected(bad):
    assert errors_of(firstName=f"Jo{bad}hn")["firstName"] == "invalid_characters"


@given(st.text(NAME_CHARS, max_size=50))
def test_last_name_0_to_50_allowed_characters(name):
    cleaned = name.strip()
    result = errors_of(lastName=name).get("lastName")
    if cleaned and not any(c.isalpha() for c in cleaned):
        assert result == "missing_letter"
    else:
        assert result is None


def test_last_name_is_optional_and_over_50_is_too_long():
    payload = {k: v for k, v in VALID.items() if k != "lastName"}
    assert UserCreate.model_validate(payload).last_name == ""
    assert errors_of(lastName="a" * 51)["lastName"] == "too_long"


@given(st.integers(min_value=7, max_value=15))
def test_phone_with_7_to_15_digits_is_accepted(digits):
    assert "phoneNumber" not in errors_of(phoneNumber="+" + "1" * digits)


@given(st.integers(min_value=1, max_value=6))
def test_phone_with_too_few_characters_is_rejected(length):
    assert errors_of(phoneNumber="1" * length)["phoneNumber"] == "too_short"


def test_phone_boundaries_on_digits_and_length():
    assert errors_of(phoneNumber="1" * 16)["phoneNumber"] == "invalid_format"
    assert errors_of(phoneNumber="(12) 34-5")["phoneNumber"] == "invalid_format"
    assert errors_of(phoneNumber="+1 (234) 567-8901 223")["phoneNumber"] == "too_long"
    assert "phoneNumber" not in errors_of(phoneNumber="+1 (234) 567-8901 22")
    assert errors_of(phoneNumber="12345ab")["phoneNumber"] == "invalid_characters"
    assert errors_of(phoneNumber="123+4567")["phoneNumber"] == "invalid_characters"
    assert "phoneNumber" not in errors_of(phoneNumber="+1 (234) 567-890")
    assert "phoneNumber" not in errors_of(phoneNumber="")
    assert "phoneNumber" not in errors_of(phoneNumber=None)


@pytest.mark.parametrize("field", ["email", "password", "firstName"])
def test_required_fields(field):
    payload = {k: v for k, v in VALID.items() if k != field}
    with pytest.raises(ValidationError) as exc:
        UserCreate.model_validate(payload)
    assert exc.value.errors()[0]["type"] == "missing"


@pytest.mark.parametrize("value", [123, None, ["a"], {"a": 1}, True])
def test_wrong_types_are_rejected(value):
    assert errors_of(email=value)["email"] == "string_type"
