"""Unknown email and wrong password take the same time: both pay for one bcrypt check."""

import statistics
import time

from tests.integration.accounts import create_user, unique_email


async def test_unknown_email_costs_as_much_as_a_wrong_password(make_shop):
    async with make_shop(bcrypt_rounds=12) as shop:  # ~0.25 s a check: well above the noise
        email = unique_email("timing")
        await create_user(shop, email)
        await shop.idle()
        async with shop.client("gateway") as client:

            async def seconds(address: str) -> float:
                started = time.perf_counter()
                response = await client.post(
                    "/bff/auth/login", json={"email": address, "password": "Wrong1pass"}
                )
                assert response.status_code == 401
                return time.perf_counter() - started

            await seconds(unique_email("warm-up"))
            wrong = statistics.median([await seconds(email) for _ in range(3)])
            unknown = statistics.median([await seconds(unique_email("nobody")) for _ in range(3)])
    # Without the dummy check the ratio would be ~0.02; the band leaves room for a busy machine.
    assert 0.5 < unknown / wrong < 2.0, (unknown, wrong)
    assert unknown > 0.05  # a bcrypt check happened at all
