"""The ``xshop`` command line."""

import asyncio
from typing import Annotated

import typer

from xshop.platform.logs import configure_logging
from xshop.platform.settings import Settings

app = typer.Typer(help="xshop: an event-driven e-commerce platform.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Settings come from XSHOP_* environment variables (see docs/configuration.md)."""


@app.command()
def run(
    data_dir: Annotated[
        str | None, typer.Option(help="Where the SQLite files live (XSHOP_DATA_DIR).")
    ] = None,
) -> None:
    """Run the whole shop in one process (embedded mode): SQLite, in-process bus, mail catcher."""
    from xshop.runtime.embedded_main import run_embedded
    from xshop.runtime.servers import PortUnavailable

    overrides = {"data_dir": data_dir} if data_dir else {}
    settings = Settings(**overrides)
    configure_logging(settings.log_level, json=settings.log_json)
    try:
        asyncio.run(run_embedded(settings))
    except PortUnavailable as exc:
        typer.echo(f"xshop: {exc}", err=True)
        raise typer.Exit(1) from exc
