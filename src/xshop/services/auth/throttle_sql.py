"""The login throttle kept in the auth database: shared by every replica (distributed mode).

Each operation is one write transaction that locks the keys' rows (``FOR UPDATE`` on PostgreSQL,
the writer lock on SQLite); two replicas creating the same key's row at once retry once.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.clock import Clock
from xshop.platform.db import Database
from xshop.platform.security.tokens import token_digest
from xshop.services.auth.models import ThrottleRecord
from xshop.services.auth.throttle import (
    KeyState,
    ThrottleKey,
    ThrottlePolicy,
    TooManyAttempts,
    blocked_for,
    failed,
    forgiven,
    started,
)

Change = Callable[[KeyState, ThrottleKey, datetime], KeyState | None]
"""The key's next state; None deletes its record."""


class DatabaseThrottle:
    def __init__(self, db: Database, policy: ThrottlePolicy, clock: Clock) -> None:
        self.db = db
        self.policy = policy
        self.clock = clock

    async def begin(self, keys: Sequence[ThrottleKey]) -> None:
        await self._apply(keys, lambda s, k, now: started(s, k, now, self.policy), check=True)

    async def fail(self, keys: Sequence[ThrottleKey]) -> None:
        await self._apply(keys, lambda s, k, now: failed(s, k, now, self.policy))

    async def release(self, keys: Sequence[ThrottleKey], *, clear: Sequence[ThrottleKey] = ()) -> None:
        cleared = {key.name for key in clear}
        await self._apply(keys, lambda s, k, _: None if k.name in cleared else forgiven(s, k))

    async def _apply(self, keys: Sequence[ThrottleKey], change: Change, *, check: bool = False) -> None:
        for attempt in (1, 2):
            try:
                await self._apply_once(keys, change, check)
                return
            except IntegrityError:
                if attempt == 2:
                    raise

    async def _apply_once(self, keys: Sequence[ThrottleKey], change: Change, check: bool) -> None:
        now = self.clock()
        async with self.db.transaction() as session:
            records = await _records(session, keys)
            states = {key.name: _state(records.get(_digest(key))) for key in keys}
            if check:
                waits = [blocked_for(states[key.name], key, now, self.policy) for key in keys]
                if waits and max(waits).total_seconds() > 0:
                    raise TooManyAttempts(max(waits))
            for key in keys:
                record = records.get(_digest(key))
                new = change(states[key.name], key, now)
                if new is None or new == KeyState():
                    if record is not None:
                        await session.delete(record)
                    continue
                if record is None:
                    record = ThrottleRecord(key=_digest(key))
                    session.add(record)
                record.count, record.window_start = new.count, new.window_start
                record.strikes, record.locked_until = new.strikes, new.locked_until


async def _records(session: AsyncSession, keys: Sequence[ThrottleKey]) -> dict[str, ThrottleRecord]:
    digests = [_digest(key) for key in keys]
    rows = await session.scalars(
        select(ThrottleRecord).where(ThrottleRecord.key.in_(digests)).with_for_update()
    )
    return {row.key: row for row in rows}


def _digest(key: ThrottleKey) -> str:
    return token_digest(key.name)


def _state(record: ThrottleRecord | None) -> KeyState:
    if record is None:
        return KeyState()
    return KeyState(record.count, record.window_start, record.strikes, record.locked_until)
