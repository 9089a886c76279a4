"""Account management use cases: profile changes, roles and activation, deletion, the admin list."""

from sqlalchemy import String, cast, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.contracts.events import UserDeleted, UserUpdated
from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database
from xshop.platform.errors import not_found
from xshop.platform.events.outbox import Outbox
from xshop.platform.pagination import PageParams, fetch_page
from xshop.services.users.models import User
from xshop.services.users.schemas import ROLES, AccessUpdate, ProfileUpdate, UserFilters
from xshop.services.users.service import email_exists


class AccountsService:
    def __init__(self, db: Database, outbox: Outbox, clock: Clock = utcnow) -> None:
        self.db = db
        self.outbox = outbox
        self.clock = clock

    async def update_profile(self, user_id: str, data: ProfileUpdate) -> tuple[User, bool]:
        """The updated user and whether the email changed (it is then unverified again)."""
        wanted = data.model_dump(include={"first_name", "last_name", "email"}, exclude_none=True)
        if "phone_number" in data.model_fields_set:
            wanted["phone_number"] = data.phone_number
        try:
            async with self.db.transaction() as session:
                user = await _existing(session, user_id)
                changes = [name for name, value in wanted.items() if getattr(user, name) != value]
                for name in changes:
                    setattr(user, name, wanted[name])
                email_changed = "email" in changes
                if email_changed:
                    user.is_email_verified = False
                if changes:
                    user.updated_at = self.clock()
                    await session.flush()
                    await self._updated(session, user, changes, data.actor)
        except IntegrityError as exc:
            raise email_exists() from exc
        return user, email_changed

    async def update_access(self, user_id: str, data: AccessUpdate) -> User:
        async with self.db.transaction() as session:
            user = await _existing(session, user_id)
            changes = []
            if data.roles is not None:
                roles = [role for role in ROLES if role in data.roles]
                if roles != user.roles:
                    user.roles = roles
                    changes.append("roles")
            if data.is_active is not None and data.is_active != user.is_active:
                user.is_active = data.is_active
                changes.append("is_active")
            if changes:
                user.updated_at = self.clock()
                await self._updated(session, user, changes, data.actor)
        return user

    async def delete(self, user_id: str, actor: str) -> User:
        """Removes the record for good; the ``user.deleted`` event (and the audit trail) remain."""
        async with self.db.transaction() as session:
            user = await _existing(session, user_id)
            await session.execute(delete(User).where(User.id == user_id))
            await self.outbox.add(
                session,
                UserDeleted(user_id=user.id, email=user.email, deleted_by=actor, deleted_at=self.clock()),
            )
        return user

    async def list_users(self, filters: UserFilters, page: PageParams) -> tuple[list[User], int]:
        query = select(User).order_by(User.created_at.desc(), User.id.desc())
        if filters.search:
            term = filters.search.strip().lower()
            names = func.lower(User.first_name + " " + User.last_name)
            query = query.where(
                or_(User.email.contains(term, autoescape=True), names.contains(term, autoescape=True))
            )
        if filters.role:
            # Roles are a JSON list of fixed words: matching the quoted word in its text is exact.
            query = query.where(cast(User.roles, String).contains(f'"{filters.role}"'))
        if filters.verified is not None:
            query = query.where(User.is_email_verified == filters.verified)
        if filters.active is not None:
            query = query.where(User.is_active == filters.active)
        async with self.db.session() as session:
            return await fetch_page(session, query, page)

    async def _updated(self, session: AsyncSession, user: User, changes: list[str], actor: str) -> None:
        await self.outbox.add(
            session,
            UserUpdated(
                user_id=user.id,
                email=user.email,
                changes=[_camel(name) for name in changes],
                updated_by=actor,
                updated_at=user.updated_at,
            ),
        )


async def _existing(session: AsyncSession, user_id: str) -> User:
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise not_found("User")
    return user


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
