"""The migrated schema is the schema the models describe.

Alembic is the only way the schema is made, so a column a model has and no migration creates (or
the reverse) fails only at run time, on the first write that touches it. Two branches merged this
session lost a model column that way; this compares the two on both databases.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intake_store.db import make_engine, upgrade_database
from intake_store.models import Base


def test_migrations_create_exactly_what_the_models_describe(database_url: str) -> None:
    upgrade_database(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": False, "compare_server_default": False}
            )
            differences = [
                diff
                for diff in compare_metadata(context, Base.metadata)
                # Index and constraint naming differs harmlessly between the two dialects.
                if not (isinstance(diff, tuple) and diff[0] in {"add_index", "remove_index"})
            ]
    finally:
        engine.dispose()
    assert differences == []
