from xshop.platform.migrations import run_migrations
from xshop.services.events_gateway.models import Base

run_migrations(Base.metadata)
