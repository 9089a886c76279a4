"""FastAPI dependencies of the catalog routes: the use-case objects and the browse parameters."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from xshop.platform.errors import FieldError, validation_failed
from xshop.services.catalog.browse import BrowseQuery, Sort
from xshop.services.catalog.reservations import ReservationService
from xshop.services.catalog.service import CatalogService

MAX_FILTER_TAGS = 20


async def _catalog(request: Request) -> CatalogService:
    return request.app.state.catalog


async def _reservations(request: Request) -> ReservationService:
    return request.app.state.reservations


Catalog = Annotated[CatalogService, Depends(_catalog)]
Reservations = Annotated[ReservationService, Depends(_reservations)]


def _price_query(alias: str) -> Any:
    return Query(alias=alias, ge=0, max_digits=12, decimal_places=2, description='Inclusive, e.g. "19.99"')


async def browse_query(
    q: Annotated[
        str | None,
        Query(max_length=100, description="Text in the name or description, any letter case"),
    ] = None,
    category: Annotated[str | None, Query(max_length=50, description="A category slug")] = None,
    tags: Annotated[
        str | None, Query(max_length=700, description="Comma-separated tags; products with any of them")
    ] = None,
    min_price: Annotated[Decimal | None, _price_query("minPrice")] = None,
    max_price: Annotated[Decimal | None, _price_query("maxPrice")] = None,
    in_stock: Annotated[
        bool | None,
        Query(alias="inStock", description="true: only available products; false: only sold-out ones"),
    ] = None,
    sort: Annotated[
        Sort, Query(description="`relevance` ranks name matches first, then sorts by name")
    ] = Sort.RELEVANCE,
) -> BrowseQuery:
    if min_price is not None and max_price is not None and min_price > max_price:
        raise validation_failed(
            [FieldError("minPrice", "invalid_range", "minPrice must not be more than maxPrice.")]
        )
    wanted_tags = tuple(sorted({t.strip().lower() for t in (tags or "").split(",") if t.strip()}))
    if len(wanted_tags) > MAX_FILTER_TAGS:
        raise validation_failed([FieldError("tags", "too_many", f"At most {MAX_FILTER_TAGS} tags.")])
    return BrowseQuery(
        q=(q.strip().casefold() or None) if q else None,
        category=(category.strip().lower() or None) if category else None,
        tags=wanted_tags,
        min_price=min_price,
        max_price=max_price,
        in_stock=in_stock,
        sort=sort,
    )


Browse = Annotated[BrowseQuery, Depends(browse_query)]
