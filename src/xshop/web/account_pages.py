"""The signed-in customer's account: profile, password, deleting the account."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from xshop.web.bff import VisitDep
from xshop.web.pages import checked, render, signed_in

router = APIRouter(include_in_schema=False)


@router.get("/account")
async def account_page(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit)
    account = checked(visit, await visit.call("GET", "/bff/account"))
    return await render(request, visit, "account.html", {"account": account})
