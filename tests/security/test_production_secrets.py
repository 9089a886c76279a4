"""Production mode refuses to start with a missing, placeholder or short secret: one test per secret."""

import pytest
from pydantic import ValidationError

from xshop.platform.settings import Settings

STRONG = "k" * 48
WEAK = [None, "", "changeme", "REPLACE-ME", "secret", "x" * 31]


def production(**secrets: object) -> Settings:
    return Settings(_env_file=None, env="production", **{"jwt_secret": STRONG, **secrets})  # type: ignore[arg-type]


@pytest.mark.parametrize("value", WEAK)
def test_the_jwt_secret_must_be_strong(value):
    with pytest.raises(ValidationError, match="XSHOP_JWT_SECRET") as refused:
        production(jwt_secret=value)
    if value:
        assert value not in str(refused.value)  # the refusal never echoes the secret


@pytest.mark.parametrize("value", ["changeme", "REPLACE-ME", "short-events-key", "x" * 31])
def test_an_events_api_key_that_is_set_must_be_strong(value):
    with pytest.raises(ValidationError, match="XSHOP_EVENTS_API_KEY") as refused:
        production(events_api_key=value)
    assert value not in str(refused.value)


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_events_api_key_only_turns_publishing_off(value):
    assert production(events_api_key=value).secure_cookies is True


def test_development_accepts_what_production_refuses():
    settings = Settings(_env_file=None, env="development", jwt_secret="dev", events_api_key="dev")
    assert settings.secure_cookies is False
