"""JSON structured logging; every record carries the service and correlation id."""

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from xshop.platform.context import correlation_id, current_service


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.service = current_service.get() or "xshop"
        record.correlation_id = correlation_id.get()
        return True


# Driver loggers print SQL parameters (password hashes, token digests) at DEBUG: never let them through.
CHATTY_LOGGERS = ("alembic", "aiosqlite", "asyncpg", "sqlalchemy.engine", "mail.log", "uvicorn.access")


class _XshopHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler we install, so reconfiguring replaces it and leaves others alone."""


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    handler = _XshopHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    if json:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(service)s %(correlation_id)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s [%(service)s] %(correlation_id)s %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _XshopHandler)] + [handler]
    root.setLevel(level.upper())
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
