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


dlq = typer.Typer(help="Dead letters: events a consumer gave up on after its last retry.")
app.add_typer(dlq, name="dlq")


@dlq.command("list")
def dlq_list(queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None) -> None:
    """List dead letters of every queue (or one)."""
    from xshop.runtime.dead_letters import list_dead_letters

    letters = asyncio.run(list_dead_letters(Settings(), queue))
    if not letters:
        typer.echo("no dead letters")
        return
    for letter in letters:
        typer.echo(
            f"{letter.queue}  {letter.event.id}  {letter.event.type}  attempts={letter.attempts}  "
            f"failed_at={letter.failed_at.isoformat()}  error={letter.error}"
        )


@dlq.command("replay")
def dlq_replay(
    queue: Annotated[str, typer.Argument(help="The queue whose dead letters to redeliver.")],
) -> None:
    """Put a queue's dead letters back on the queue, with fresh attempts."""
    from xshop.runtime.dead_letters import replay_dead_letters

    count = asyncio.run(replay_dead_letters(Settings(), queue))
    typer.echo(f"replayed {count} event(s) on {queue}")
