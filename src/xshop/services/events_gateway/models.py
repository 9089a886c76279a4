"""Tables of the events gateway: only its outbox (published events go through it like any other)."""

from sqlalchemy.orm import DeclarativeBase

from xshop.platform.events.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
