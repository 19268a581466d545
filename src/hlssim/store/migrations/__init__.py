"""Alembic migrations of the results store's schema; run by :func:`hlssim.store.database.migrate` when a store opens.

To add a revision after changing the tables in ``hlssim/store/schema.py``::

    .venv/bin/python -c "from hlssim.store.database import _alembic_config; from alembic import command; \
        command.revision(_alembic_config(), message='what changed', rev_id='0002')"

then write its upgrade() and downgrade() by hand (the tables are spelled out, not imported).
"""
