"""The per-test PostgreSQL reset cannot stall the suite on a connection left open earlier."""

from __future__ import annotations

import pytest
import sqlalchemy

from tests.conftest import reset_schema


@pytest.mark.postgres
def test_a_leftover_transaction_is_ended_and_the_schema_emptied(postgres_url: str) -> None:
    leftover = sqlalchemy.create_engine(postgres_url)
    admin = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            reset_schema(conn)
            conn.exec_driver_sql("CREATE TABLE kept (id int)")
        held = leftover.connect()
        held.exec_driver_sql("LOCK TABLE kept IN ACCESS SHARE MODE")  # transaction left open
        with admin.connect() as conn, pytest.warns(UserWarning, match="left open"):
            reset_schema(conn, lock_timeout="1s")
        with admin.connect() as conn:
            tables = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).scalar_one()
        assert tables == 0
        with pytest.raises(sqlalchemy.exc.OperationalError):
            held.exec_driver_sql("SELECT 1")  # the leftover was ended, not waited on
    finally:
        leftover.dispose()
        admin.dispose()
