"""Settings: production refuses weak secrets; every setting is documented."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from xshop.platform.settings import Settings

DOCS = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


@pytest.mark.parametrize("secret", [None, "", "changeme", "short-secret"])
def test_production_refuses_missing_or_weak_secret(secret):
    with pytest.raises(ValidationError, match="XSHOP_JWT_SECRET"):
        Settings(_env_file=None, env="production", jwt_secret=secret)


def test_production_accepts_a_strong_secret_and_secures_cookies():
    settings = Settings(_env_file=None, env="production", jwt_secret="k" * 48)
    assert settings.secure_cookies is True


def test_development_generates_and_keeps_a_secret(tmp_path):
    first = Settings(_env_file=None, data_dir=tmp_path).resolved_jwt_secret()
    second = Settings(_env_file=None, data_dir=tmp_path).resolved_jwt_secret()
    assert first == second and len(first) >= 48
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o077 == 0


def test_environment_variables_are_read(monkeypatch):
    monkeypatch.setenv("XSHOP_GATEWAY_PORT", "4100")
    monkeypatch.setenv("XSHOP_BCRYPT_ROUNDS", "12")
    settings = Settings(_env_file=None)
    assert (settings.gateway_port, settings.bcrypt_rounds) == (4100, 12)


def test_every_setting_is_documented():
    documented = DOCS.read_text()
    missing = [name for name in Settings.model_fields if f"`XSHOP_{name.upper()}`" not in documented]
    assert missing == []


def test_a_services_database_retrying_must_end_before_its_callers_give_up():
    with pytest.raises(ValidationError, match="XSHOP_DATABASE_RETRY_SECONDS"):
        Settings(_env_file=None, database_retry_seconds=5, service_timeout_seconds=5)
    assert (
        Settings(_env_file=None, database_retry_seconds=3, service_timeout_seconds=4).database_retry_seconds
        == 3
    )
