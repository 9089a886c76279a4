"""``xshop users create-admin``: creates a verified admin (password from XSHOP_ADMIN_PASSWORD or a
prompt, never argv) or promotes an existing account."""

import asyncio

from typer.testing import CliRunner

from tests.helpers import running_shop, shop_settings
from tests.integration.accounts import Browser, create_user
from xshop.cli import app


def invoke(tmp_path, args: list[str], *, password: str | None = None, prompt_input: str | None = None):
    env = {"XSHOP_DATA_DIR": str(tmp_path), "XSHOP_BCRYPT_ROUNDS": "4", "XSHOP_LOG_LEVEL": "WARNING"}
    env["XSHOP_ADMIN_PASSWORD"] = password or ""
    return CliRunner().invoke(app, ["users", "create-admin", *args], env=env, input=prompt_input)


async def run_cli(tmp_path, args, **kwargs):
    return await asyncio.to_thread(invoke, tmp_path, args, **kwargs)


async def admin_area_status(tmp_path, email: str, password: str, *, verified: bool = True) -> int:
    async with running_shop(shop_settings(tmp_path)) as shop:
        browser = Browser(shop)
        login = await browser.login(email, password)
        assert login.status_code == 200, login.text
        assert login.json()["user"]["isEmailVerified"] is verified
        assert login.json()["user"]["isActive"] is True
        status = (await browser.http.get("/bff/admin/users")).status_code
        await browser.aclose()
        return status


async def test_creates_a_verified_admin_with_the_password_from_the_environment(tmp_path):
    result = await run_cli(tmp_path, ["--email", "Boss@Example.com"], password="Admin1pass")
    assert result.exit_code == 0, result.output
    assert "boss@example.com: created" in result.output
    assert "Admin1pass" not in result.output
    assert await admin_area_status(tmp_path, "boss@example.com", "Admin1pass") == 200


async def test_prompts_for_the_password_when_the_environment_has_none(tmp_path):
    result = await run_cli(
        tmp_path, ["--email", "boss@example.com"], prompt_input="Prompt1pass\nPrompt1pass\n"
    )
    assert result.exit_code == 0, result.output
    assert "Prompt1pass" not in result.output  # hidden input
    assert await admin_area_status(tmp_path, "boss@example.com", "Prompt1pass") == 200


async def test_promotes_an_existing_account_and_keeps_its_password(tmp_path):
    async with running_shop(shop_settings(tmp_path)) as shop:
        await create_user(shop, "member@example.com", password="Member1pass")
    result = await run_cli(tmp_path, ["--email", "member@example.com"])  # no password asked for
    assert result.exit_code == 0, result.output
    assert "promoted" in result.output
    assert await admin_area_status(tmp_path, "member@example.com", "Member1pass", verified=False) == 200


async def test_refuses_bad_input_and_passwords_on_the_command_line(tmp_path):
    weak = await run_cli(tmp_path, ["--email", "boss@example.com"], password="short")
    assert weak.exit_code == 1 and "password" in weak.output.lower()
    bad_email = await run_cli(tmp_path, ["--email", "not-an-email"], password="Admin1pass")
    assert bad_email.exit_code == 1 and "email" in bad_email.output
    argv = await run_cli(tmp_path, ["--email", "boss@example.com", "--password", "Admin1pass"])
    assert argv.exit_code == 2  # no such option
