"""Process-wide settings, read from ``XSHOP_*`` environment variables (see docs/configuration.md)."""

import secrets
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_NAMES = ("gateway", "auth", "users", "notifications", "audit", "catalog", "orders")

_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "replace-me", "secret", "xshop", "dev", "development"}


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TEST = "test"


class Settings(BaseSettings):
    # hide_input_in_errors: a refused setting must not echo the secrets it was given into the logs.
    model_config = SettingsConfigDict(
        env_prefix="XSHOP_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    public_url: str = Field(
        default="http://127.0.0.1:3000",
        description="Base URL customers reach the shop (the web UI) at; used in links inside emails.",
    )
    company_name: str = "xShop"

    gateway_port: int = 3100
    auth_port: int = 3001
    users_port: int = 3002
    notifications_port: int = 3003
    audit_port: int = 3004
    catalog_port: int = 3005
    orders_port: int = 3006
    events_port: int = 4000
    web_port: int = 3000
    mail_smtp_port: int = 1025
    mail_http_port: int = 8025

    users_url: str | None = Field(default=None, description="Reach the users service over HTTP at this URL.")
    auth_url: str | None = Field(default=None, description="Reach the auth service over HTTP at this URL.")
    catalog_url: str | None = Field(
        default=None, description="Reach the catalog service over HTTP at this URL."
    )
    orders_url: str | None = Field(
        default=None, description="Reach the orders service over HTTP at this URL."
    )
    audit_url: str | None = Field(default=None, description="Reach the audit service over HTTP at this URL.")
    notifications_url: str | None = Field(
        default=None, description="Reach the notifications service over HTTP at this URL."
    )
    events_url: str | None = Field(
        default=None, description="Reach the events gateway over HTTP at this URL (the BFF's dead letters)."
    )
    gateway_url: str | None = Field(
        default=None, description="Reach the gateway (BFF) over HTTP at this URL; the web UI calls it."
    )

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL shared by all services; default: one SQLite file each."
    )
    broker_url: str | None = Field(
        default=None,
        description="amqp:// URL of RabbitMQ; needed by `xshop serve`/`up`. Embedded mode uses its own bus.",
    )
    jwt_secret: SecretStr | None = None
    events_api_key: SecretStr | None = Field(
        default=None, description="API key producers send as X-API-Key to the events gateway (unset: off)."
    )
    jwt_issuer: str = "xshop"
    jwt_audience: str = "xshop"
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 7 * 24 * 3600
    verification_token_ttl_seconds: int = 24 * 3600
    password_reset_token_ttl_seconds: int = 3600
    bcrypt_rounds: int = Field(default=10, ge=4, le=16)
    login_throttle_store: Literal["memory", "database"] = "memory"
    login_throttle_window_seconds: float = Field(default=60.0, gt=0)
    login_throttle_account_limit: int = Field(default=5, ge=1)
    login_throttle_ip_limit: int = Field(default=20, ge=1)
    login_throttle_max_lockout_seconds: float = Field(default=900.0, gt=0)

    smtp_url: str | None = Field(
        default=None, description="smtp://host:port; default: the built-in mail catcher."
    )
    mail_from: str = "xShop <noreply@xshop.local>"
    # Outlasts a slow SMTP exchange, yet lapses well within the bus's default retry window (about a
    # minute over 8 attempts), so the event of a sender that crashed mid-send is still mailed.
    mail_claim_seconds: float = Field(
        default=45.0,
        gt=0,
        description="How long a delivery holds an email while sending it; must outlast one SMTP exchange.",
    )

    event_max_attempts: int = Field(default=8, ge=1)
    event_retry_base_seconds: float = Field(default=0.5, gt=0)
    event_retry_max_seconds: float = Field(default=30.0, gt=0)
    relay_batch_size: int = Field(default=200, ge=1)
    relay_poll_seconds: float = Field(default=0.5, gt=0)
    consumer_prefetch: int = Field(default=16, ge=1)
    database_retry_seconds: float = Field(default=2.0, ge=0)

    service_timeout_seconds: float = Field(default=5.0, gt=0)
    service_connect_timeout_seconds: float = Field(default=1.0, gt=0)
    service_retry_attempts: int = Field(default=3, ge=1, le=10)
    service_retry_backoff_seconds: float = Field(default=0.05, ge=0)
    service_circuit_failures: int = Field(default=5, ge=1)
    service_circuit_cooldown_seconds: float = Field(default=5.0, gt=0)
    max_body_bytes: int = 64 * 1024
    cors_origins: list[str] = ["http://127.0.0.1:3000", "http://localhost:3000"]
    forwarded_allow_ips: list[str] = Field(
        default=["127.0.0.1"],
        description="Peers whose X-Forwarded-For is believed (the web UI, a load balancer); '*' for all.",
    )
    log_level: str = "INFO"
    log_json: bool = True

    catalog_cache_ttl_seconds: float = Field(
        default=2.0,
        ge=0,
        description="Longest the BFF reuses a catalogue response; writes and product events clear it sooner.",
    )
    catalog_reservation_ttl_seconds: int = Field(default=900, ge=1, le=86400)
    catalog_reservation_sweep_seconds: float = Field(default=5.0, gt=0)
    orders_tax_rate: Decimal = Field(
        default=Decimal("0.00"), ge=0, le=1, description="Tax as a fraction of the subtotal, e.g. 0.20."
    )
    orders_shipping_flat: Decimal = Field(default=Decimal("0.00"), ge=0, decimal_places=2)
    orders_free_shipping_over: Decimal | None = Field(
        default=None, ge=0, description="Subtotal from which shipping is free; unset: never free."
    )
    orders_stock_return_seconds: float = Field(default=10.0, gt=0)

    @model_validator(mode="after")
    def _retry_within_the_callers_patience(self) -> Self:
        # A caller that gave up must not see its request complete afterwards (a registration
        # answered 503 yet stored), so a service's own retrying ends before its callers' timeout.
        if self.database_retry_seconds >= self.service_timeout_seconds:
            raise ValueError(
                "XSHOP_DATABASE_RETRY_SECONDS must be shorter than XSHOP_SERVICE_TIMEOUT_SECONDS"
            )
        return self

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Self:
        if self.env is Environment.PRODUCTION:
            secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
            if secret.lower() in _PLACEHOLDER_SECRETS or len(secret) < 32:
                raise ValueError(
                    "XSHOP_JWT_SECRET must be set to a random value of 32+ characters in production"
                )
            # Optional (empty: publishing is off), but a key that is set must not be guessable.
            key = self.events_api_key.get_secret_value() if self.events_api_key else ""
            if key and (key.lower() in _PLACEHOLDER_SECRETS or len(key) < 32):
                raise ValueError("XSHOP_EVENTS_API_KEY, when set, must be a random value of 32+ characters")
        return self

    @property
    def secure_cookies(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def effective_smtp_url(self) -> str:
        return self.smtp_url or f"smtp://{self.host}:{self.mail_smtp_port}"

    def port_of(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))

    def url_override_of(self, service: str) -> str | None:
        """An explicit URL for a service; when unset, embedded mode calls it in-process."""
        value = getattr(self, f"{service}_url", None)
        return str(value) if value else None

    def database_url_of(self, service: str) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / f'{service}.sqlite'}"

    def resolved_jwt_secret(self) -> str:
        """The signing secret; in development one is generated once and kept in the data directory."""
        if self.jwt_secret:
            return self.jwt_secret.get_secret_value()
        path = self.data_dir / "jwt-secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()
