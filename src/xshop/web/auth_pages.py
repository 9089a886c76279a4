"""Signing up and in: register, its success page, the verification landing page, login, forgotten
and reset passwords. Forms post to the BFF from the browser (static/app.js); these only render."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from xshop.web.bff import VisitDep
from xshop.web.pages import problem_detail, render, safe_next

router = APIRouter(include_in_schema=False)
INCOMPLETE_LINK = "This link is incomplete. Open the link from the email again, or ask for a new one."


@router.get("/register")
async def register_page(request: Request, visit: VisitDep) -> Response:
    return await render(request, visit, "register.html")


@router.get("/register/done")
async def registered_page(request: Request, visit: VisitDep) -> Response:
    return await render(request, visit, "register_done.html", {"email": request.query_params.get("email")})


@router.get("/verify-email")
async def verify_email_page(request: Request, visit: VisitDep) -> Response:
    token = request.query_params.get("token", "")
    if not token:
        return await render(
            request, visit, "verify_email.html", {"ok": False, "detail": INCOMPLETE_LINK}, 400
        )
    response = await visit.call("GET", "/bff/auth/email/verify", params={"token": token})
    if response.status_code == 200:
        return await render(request, visit, "verify_email.html", {"ok": True, "answer": response.json()})
    detail = problem_detail(response)
    return await render(request, visit, "verify_email.html", {"ok": False, "detail": detail}, 400)


@router.get("/login")
async def login_page(request: Request, visit: VisitDep) -> Response:
    target = safe_next(request.query_params.get("next"))
    if await visit.user() is not None:
        return visit.hand_back(RedirectResponse(target, status_code=303))
    return await render(request, visit, "login.html", {"next": target})


@router.get("/forgot-password")
async def forgot_password_page(request: Request, visit: VisitDep) -> Response:
    return await render(request, visit, "forgot_password.html")


@router.get("/reset-password")
async def reset_password_page(request: Request, visit: VisitDep) -> Response:
    token = request.query_params.get("token", "")
    if not token:
        return await render(request, visit, "reset_password.html", {"detail": INCOMPLETE_LINK}, 400)
    response = await visit.call("GET", "/bff/auth/password/reset", params={"token": token})
    if response.status_code != 200:
        return await render(request, visit, "reset_password.html", {"detail": problem_detail(response)}, 400)
    return await render(request, visit, "reset_password.html", {"token": token})
