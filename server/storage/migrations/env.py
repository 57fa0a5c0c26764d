"""Alembic's environment: runs the revisions on the connection `server.storage.schema` hands
over, in the transaction it opened (so that a failed upgrade leaves the schema as it was)."""

from alembic import context

from server.storage.tables import metadata

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=metadata,
    # SQLite alters a table by copying it: later revisions' `op.batch_alter_table` does that.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
