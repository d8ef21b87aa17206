"""Issue 9, on the local PostgreSQL server: with the two-role set-up the application's role can
write cases and audit rows but cannot disable the audit triggers, delete or truncate audit rows
(on main the app's own role did all three)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from models.cases.service import register_case
from models.db import open_database
from models.dto import Actor
from models.org.reference import ensure_reference_data
from models.security.anchors import anchor_now, anchors_file, load_anchors
from models.security.audit import AuditEntry, verify_chain
from models.security.pg_roles import apply_two_roles
from tests.conftest import PG_ENV, fresh_pg_database
from tests.support.factories import committee, draft

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set: no PostgreSQL server")


def test_app_role_cannot_touch_the_audit_guards_or_rows() -> None:
    server = os.environ[PG_ENV]
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"md_audit_owner_{suffix}", f"md_app_{suffix}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {owner} NOLOGIN")
        conn.exec_driver_sql(f"CREATE ROLE {app} LOGIN")
    try:
        with fresh_pg_database(server) as url:
            setup = open_database(url)  # migrations run as the database owner
            with setup.write.begin() as s:
                ensure_reference_data(s)
                committee_id = committee(s)
            with setup.engine.begin() as conn:
                apply_two_roles(conn, make_url(url).database or "", owner, app)
            setup.engine.dispose()
            desk = open_database(make_url(url).set(username=app, password=None).render_as_string(hide_password=False))
            try:
                with desk.write.begin() as s:  # a desk still works: cases and their audit rows
                    register_case(s, draft(committee_id), Actor())
                for attack in ("ALTER TABLE audit_log DISABLE TRIGGER USER", "DELETE FROM audit_log",
                               "TRUNCATE audit_log", "DROP TRIGGER audit_log_no_update_delete ON audit_log",
                               "UPDATE audit_log SET detail = '{}'"):
                    with pytest.raises(DBAPIError), desk.engine.begin() as conn:
                        conn.execute(text(attack))
                with desk.read() as s:
                    assert verify_chain(s).ok and s.scalar(select(func.count()).select_from(AuditEntry))
                with desk.read() as s:  # a desk's anchor lands in the owner's table too …
                    anchor_now(desk, s, "启动")
                for attack in ("DELETE FROM audit_anchors", "UPDATE audit_anchors SET seq = 1",
                               "TRUNCATE audit_anchors", "ALTER TABLE audit_anchors DISABLE TRIGGER USER"):
                    with pytest.raises(DBAPIError), desk.engine.begin() as conn:  # … which no desk can rewrite
                        conn.execute(text(attack))
                anchors_file(desk).unlink()  # another desk has no file of this one's anchors
                found, refused = load_anchors(desk)
                assert [p.place for p in found] == ["数据库·启动"] and not refused
            finally:
                desk.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {app}")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {owner}")
        admin.dispose()
