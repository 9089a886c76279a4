"""``xshop run``: start the embedded shop, serve every service on its port, stop cleanly on Ctrl-C."""

import asyncio
import gc

import typer

from xshop.platform.settings import Settings
from xshop.runtime.demo import seed_shop
from xshop.runtime.embedded import EmbeddedShop
from xshop.runtime.servers import Listener, serve_all


def _banner(shop: EmbeddedShop) -> str:
    s = shop.settings
    lines = [f"xshop is running (embedded mode, data in {s.data_dir.resolve()})"]
    for name in shop.units:
        lines.append(f"  {name:<14} http://{s.host}:{s.port_of(name)}  (API docs: /docs)")
    if shop.mail is not None:
        lines.append(
            f"  {'mail catcher':<14} http://{s.host}:{s.mail_http_port}  (SMTP {s.host}:{s.mail_smtp_port})"
        )
    else:
        lines.append(f"  {'mail':<14} sent to {s.effective_smtp_url}")
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)


async def run_embedded(settings: Settings, *, demo: bool = False) -> None:
    shop = EmbeddedShop(settings)
    await shop.start()
    listeners = [Listener(name, unit.app, settings.port_of(name)) for name, unit in shop.units.items()]
    if shop.mail is not None:
        listeners.append(Listener("mail catcher", shop.mail.app, settings.mail_http_port))
    started = asyncio.Event()

    async def announce() -> None:
        await started.wait()
        typer.echo(_banner(shop))

    announcer = asyncio.create_task(announce())
    try:
        if demo:
            typer.echo((await seed_shop(shop)).describe())
        # What start-up built lives as long as the process: left in the collector's oldest generation,
        # it made each full collection pause every request for 60-250 ms under load.
        gc.freeze()
        await serve_all(listeners, settings.host, started=started)
    finally:
        announcer.cancel()
        await shop.stop()
        typer.echo("xshop stopped.")
