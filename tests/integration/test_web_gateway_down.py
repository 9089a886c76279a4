"""The web UI without its BFF: pages answer a 503 error page and `/bff` calls a 503 problem;
nothing is half-done, because the web UI stores nothing."""

from tests.waiting import free_port


async def test_pages_and_api_calls_say_the_shop_is_unavailable(make_shop):
    unreachable = f"http://127.0.0.1:{free_port()}"
    async with (
        make_shop(gateway_url=unreachable, service_timeout_seconds=1, database_retry_seconds=0.5) as shop,
        shop.client("web") as web,
    ):
        page = await web.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 503
        assert page.headers["content-type"].startswith("text/html")
        assert "unavailable right now" in page.text and "Traceback" not in page.text

        api = await web.get("/bff/products")
        assert api.status_code == 503
        assert api.headers["content-type"].startswith("application/problem+json")
        assert api.json()["code"] == "GATEWAY_UNAVAILABLE"
