"""Internal routes for the orders service: reserve stock for checkout, confirm, release, cancel. Not exposed
through the gateway; only another service's token (role `service`) is accepted."""

from fastapi import APIRouter, Depends

from xshop.platform.http.principal import calling_service
from xshop.services.catalog.dependencies import Reservations
from xshop.services.catalog.models import Reservation
from xshop.services.catalog.reservation_schemas import ReservationCreate, ReservationPublic

router = APIRouter(
    prefix="/api/catalog/reservations",
    tags=["reservations (internal)"],
    dependencies=[Depends(calling_service)],
    responses={
        401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
        403: {"description": "`FORBIDDEN`: not a service token"},
    },
)

_NOT_FOUND = {404: {"description": "`NOT_FOUND`"}}


def _public(reservation: Reservation) -> ReservationPublic:
    return ReservationPublic.model_validate(reservation, from_attributes=True)


@router.post(
    "",
    status_code=201,
    response_model=ReservationPublic,
    responses={
        400: {"description": "`VALIDATION_FAILED`"},
        404: {"description": "`NOT_FOUND`: `productIds` lists the unknown products"},
        409: {
            "description": "`INSUFFICIENT_STOCK`: nothing was reserved; `lines` has "
            "`{productId, requested, available}` for each line that could not be met"
        },
    },
)
async def reserve_stock(body: ReservationCreate, reservations: Reservations) -> ReservationPublic:
    """Hold every line's quantity, or none of them, until `ttlSeconds` pass (default 15 minutes)."""
    return _public(await reservations.reserve(body))


@router.get("/{reservation_id}", response_model=ReservationPublic, responses=_NOT_FOUND)
async def get_reservation(reservation_id: str, reservations: Reservations) -> ReservationPublic:
    return _public(await reservations.get(reservation_id))


@router.post(
    "/{reservation_id}/confirm",
    response_model=ReservationPublic,
    responses=_NOT_FOUND
    | {409: {"description": "`RESERVATION_EXPIRED` or `RESERVATION_NOT_HELD` (released earlier)"}},
)
async def confirm_reservation(reservation_id: str, reservations: Reservations) -> ReservationPublic:
    """The held units are sold: they leave stock. Idempotent."""
    return _public(await reservations.confirm(reservation_id))


@router.post(
    "/{reservation_id}/release",
    response_model=ReservationPublic,
    responses=_NOT_FOUND | {409: {"description": "`RESERVATION_CONFIRMED`: sold units are not released"}},
)
async def release_reservation(reservation_id: str, reservations: Reservations) -> ReservationPublic:
    """The held units become available again. Idempotent; an expired reservation stays expired."""
    return _public(await reservations.release(reservation_id))


@router.post("/{reservation_id}/cancel", response_model=ReservationPublic, responses=_NOT_FOUND)
async def cancel_reservation(reservation_id: str, reservations: Reservations) -> ReservationPublic:
    """An order was cancelled: held units become available, sold (confirmed) units go back on hand.
    Idempotent: the units come back once however often it is called."""
    return _public(await reservations.cancel(reservation_id))
