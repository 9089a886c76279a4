"""What the auth use cases share: storage, the users client, sessions, throttle, clock."""

from dataclasses import dataclass

from xshop.platform.clock import Clock
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError
from xshop.platform.events.outbox import Outbox
from xshop.services.auth.clients import UsersClient
from xshop.services.auth.sessions import SessionIssuer
from xshop.services.auth.throttle import LoginThrottle, ThrottleKey


@dataclass(frozen=True)
class ClientInfo:
    ip_address: str | None
    user_agent: str | None


@dataclass(frozen=True)
class ThrottleLimits:
    per_account: int
    per_ip: int

    def account(self, email: str) -> ThrottleKey:
        return ThrottleKey(f"account:{email.strip().lower()}", self.per_account, provisional=True)

    def user(self, user_id: str) -> ThrottleKey:
        return ThrottleKey(f"user:{user_id}", self.per_account, provisional=True)

    def ip(self, client: ClientInfo) -> list[ThrottleKey]:
        return [ThrottleKey(f"ip:{client.ip_address}", self.per_ip)] if client.ip_address else []


@dataclass(frozen=True)
class AuthContext:
    db: Database
    outbox: Outbox
    users: UsersClient
    sessions: SessionIssuer
    throttle: LoginThrottle
    limits: ThrottleLimits
    clock: Clock


def account_gone() -> ProblemError:
    return ProblemError(
        401, "UNAUTHENTICATED", "This account no longer exists.", headers={"WWW-Authenticate": "Bearer"}
    )
