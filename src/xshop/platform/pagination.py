"""Pagination of DESIGN §5: ``page`` (1-based), ``pageSize`` (default 20, max 100), stable order."""

import math
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

MAX_PAGE = 1_000_000
T = TypeVar("T")


class PageParams(BaseModel):
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


async def _page_params(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=100, description="Items per page")] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageQuery = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    items: list[T]
    page: int
    page_size: int
    total_items: int
    total_pages: int
    has_previous: bool
    has_next: bool

    @classmethod
    def of(cls, items: list[T], params: PageParams, total_items: int) -> "Page[T]":
        total_pages = math.ceil(total_items / params.page_size) if total_items else 0
        return cls(
            items=items,
            page=params.page,
            page_size=params.page_size,
            total_items=total_items,
            total_pages=total_pages,
            has_previous=params.page > 1,
            has_next=params.page < total_pages,
        )


async def fetch_page(session: AsyncSession, query: Select[Any], params: PageParams) -> tuple[list[Any], int]:
    """Rows of one page and the total count. ``query`` must already be ordered with a unique tie-breaker."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.execute(query.offset(params.offset).limit(params.page_size))).scalars().all()
    return list(rows), int(total or 0)
