"""Alembic environment: migrations run on the connection hlssim.store.database passes in, inside its transaction."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("hlssim migrations run through hlssim.store.database.migrate(), which passes a connection")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
