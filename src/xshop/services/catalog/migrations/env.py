from xshop.platform.migrations import run_migrations
from xshop.services.catalog.models import Base

run_migrations(Base.metadata)
