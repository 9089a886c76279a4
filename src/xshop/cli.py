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
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo catalogue and admin first (see seed-demo).")
    ] = False,
) -> None:
    """Run the whole shop in one process (embedded mode): SQLite, in-process bus, mail catcher."""
    from xshop.runtime.embedded_main import run_embedded
    from xshop.runtime.servers import PortUnavailable

    overrides = {"data_dir": data_dir} if data_dir else {}
    settings = Settings(**overrides)
    configure_logging(settings.log_level, json=settings.log_json)
    try:
        asyncio.run(run_embedded(settings, demo=demo))
    except PortUnavailable as exc:
        typer.echo(f"xshop: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("seed-demo")
def seed_demo(
    data_dir: Annotated[
        str | None, typer.Option(help="Where the SQLite files live (XSHOP_DATA_DIR).")
    ] = None,
) -> None:
    """Load a demo catalogue (240 products, 10 categories) and create the admin admin@xshop.example.com,
    printing its generated password once. Running it again adds nothing."""
    from xshop.runtime.demo import seed_data_dir

    settings = Settings(**({"data_dir": data_dir} if data_dir else {}))
    configure_logging(settings.log_level, json=settings.log_json)
    typer.echo(asyncio.run(seed_data_dir(settings)).describe())


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help="users, auth, notifications, audit, events, gateway, ...")],
    port: Annotated[int | None, typer.Option(help="Default: the service's XSHOP_<SERVICE>_PORT.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes sharing the port (replicas).")] = 1,
) -> None:
    """Run one service in this process (distributed mode: RabbitMQ, migrated databases)."""
    import os

    import uvicorn

    from xshop.runtime.distributed import SERVICE_VARIABLE, BrokerRequired, preflight
    from xshop.runtime.lifecycle import NotMigrated
    from xshop.runtime.registry import services

    if service not in services():
        raise typer.BadParameter(f"unknown service {service!r}; one of: {', '.join(services())}")
    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    try:
        asyncio.run(preflight(service, settings))
    except (BrokerRequired, NotMigrated) as exc:
        typer.echo(f"xshop: {exc}", err=True)
        raise typer.Exit(1) from exc
    os.environ[SERVICE_VARIABLE] = service
    uvicorn.run(
        "xshop.runtime.distributed:service_app",
        factory=True,
        host=settings.host,
        port=port or settings.port_of(service),
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=False,  # the app applies XSHOP_FORWARDED_ALLOW_IPS itself
    )


@app.command()
def up(
    replicas: Annotated[
        list[str] | None, typer.Option(help="NAME=N processes for a service, e.g. notifications=2.")
    ] = None,
    ready_timeout: Annotated[float, typer.Option(help="Seconds to wait for every /health/ready.")] = 60,
) -> None:
    """Migrate, then start every service as its own process (and the mail catcher); Ctrl-C stops all."""
    from xshop.runtime.migrate import migrate_all
    from xshop.runtime.processes import run_up
    from xshop.runtime.registry import services

    counts: dict[str, int] = {}
    for item in replicas or []:
        name, _, count = item.partition("=")
        if name not in services() or not count.isdigit() or int(count) < 1:
            raise typer.BadParameter(f"--replicas takes NAME=N with a known service and N >= 1, not {item!r}")
        counts[name] = int(count)
    settings = Settings()
    asyncio.run(migrate_all(settings, None))
    raise typer.Exit(run_up(settings, list(services()), counts, ready_timeout))


@app.command()
def migrate(service: Annotated[str | None, typer.Argument(help="One service; default: all.")] = None) -> None:
    """Apply the Alembic migrations of every service (or one) to its database or schema."""
    from xshop.runtime.migrate import UnknownService, migrate_all

    try:
        migrated = asyncio.run(migrate_all(Settings(), service))
    except UnknownService as exc:
        raise typer.BadParameter(str(exc)) from exc
    for name in migrated:
        typer.echo(f"migrated {name}")


@app.command()
def mailcatcher() -> None:
    """Run the development mail catcher on its own: SMTP and the web inbox / Mailpit-style API."""
    from xshop.runtime.mail_process import run_mail_catcher

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    asyncio.run(run_mail_catcher(settings))


dlq = typer.Typer(help="Dead letters: events a consumer gave up on after its last retry.")
app.add_typer(dlq, name="dlq")


@dlq.command("list")
def dlq_list(queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None) -> None:
    """List dead letters of every queue (or one)."""
    from xshop.runtime.dead_letters import UnknownQueue, list_dead_letters

    try:
        letters = asyncio.run(list_dead_letters(Settings(), queue))
    except UnknownQueue as exc:
        raise typer.BadParameter(str(exc), param_hint="--queue") from exc
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
    from xshop.runtime.dead_letters import UnknownQueue, replay_dead_letters

    try:
        count = asyncio.run(replay_dead_letters(Settings(), queue))
    except UnknownQueue as exc:
        raise typer.BadParameter(str(exc), param_hint="QUEUE") from exc
    typer.echo(f"replayed {count} event(s) on {queue}")


users_app = typer.Typer(help="User accounts.")
app.add_typer(users_app, name="users")


@users_app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="The admin's email address.")],
    first_name: Annotated[str, typer.Option(help="First name of a new account.")] = "Admin",
    last_name: Annotated[str, typer.Option(help="Last name of a new account.")] = "",
) -> None:
    """Create a verified, active admin, or promote an existing account. The password of a new
    account comes from XSHOP_ADMIN_PASSWORD when set, otherwise from a prompt; never from argv."""
    import os

    from xshop.runtime.admins import AdminRefused
    from xshop.runtime.admins import create_admin as make_admin

    def read_password() -> str:
        from_env = os.environ.get("XSHOP_ADMIN_PASSWORD")
        if from_env:
            return from_env
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    try:
        account = asyncio.run(
            make_admin(settings, email, read_password, first_name=first_name, last_name=last_name)
        )
    except AdminRefused as exc:
        typer.echo(f"xshop: {exc}", err=True)
        raise typer.Exit(1) from exc
    verb = "created" if account.created else "promoted to admin (password unchanged)"
    typer.echo(f"{account.email}: {verb}")
