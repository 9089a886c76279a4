from xshop.platform.migrations import run_migrations
from xshop.services.orders.models import Base

run_migrations(Base.metadata)
