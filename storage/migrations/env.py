"""Alembic environment: runs on the connection storage.db.upgrade passes in, or opens one itself
from DATABASE_URL when called by the ``alembic`` command line."""

from __future__ import annotations

from alembic import context

from storage.db import WRITE, database_url, make_engine
from storage.models import Base


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(database_url())
    with engine.connect().execution_options(**WRITE) as conn:
        run(conn)
        conn.commit()
    engine.dispose()
