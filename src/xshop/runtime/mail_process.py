"""The mail catcher as its own process (``xshop mailcatcher``, started by ``xshop up``)."""

from xshop.platform.mail.catcher import MailCatcher
from xshop.platform.settings import Settings
from xshop.runtime.servers import Listener, serve_all


async def run_mail_catcher(settings: Settings) -> None:
    catcher = MailCatcher()
    await catcher.start_smtp(settings.host, settings.mail_smtp_port)
    try:
        await serve_all([Listener("mail catcher", catcher.app, settings.mail_http_port)], settings.host)
    finally:
        await catcher.stop_smtp()
