from xshop.platform.migrations import run_migrations
from xshop.services.audit.models import Base

run_migrations(Base.metadata)
