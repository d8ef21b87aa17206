"""PostgreSQL two-role set-up: the audit trail (and its anchor table) belongs to an owner role nobody signs in as, and the
desks connect as an application role that may only INSERT and SELECT audit rows. Then neither a
desk nor anyone holding the desks' connection string can disable the guard triggers, delete or
truncate audit rows: that takes the owner role, i.e. the database administrator, and the
automatic anchors still catch it.

Run `two_role_statements` once, as the database owner or a superuser, after `db upgrade` (which
also runs as that owner: migrations change tables the application role may not alter)."""

from __future__ import annotations

import re

from sqlalchemy import Connection

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def two_role_statements(database: str, owner_role: str, app_role: str) -> list[str]:
    """SQL that hands audit_log to `owner_role` and gives `app_role` only what a desk needs."""
    for name in (database, owner_role, app_role):
        if not ROLE_NAME.match(name):
            raise ValueError(f"名称只能用小写字母、数字和下划线：{name}")
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {app_role}",
        f"GRANT USAGE ON SCHEMA public TO {app_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app_role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app_role}",
        f"ALTER TABLE audit_log OWNER TO {owner_role}",
        f"ALTER FUNCTION audit_log_refuse_change() OWNER TO {owner_role}",
        f"REVOKE ALL ON audit_log FROM {app_role}",
        f"GRANT SELECT, INSERT ON audit_log TO {app_role}",
        f"ALTER TABLE audit_anchors OWNER TO {owner_role}",
        f"REVOKE ALL ON audit_anchors FROM {app_role}",
        f"GRANT SELECT, INSERT ON audit_anchors TO {app_role}",
    ]


def apply_two_roles(connection: Connection, database: str, owner_role: str, app_role: str) -> None:
    for statement in two_role_statements(database, owner_role, app_role):
        connection.exec_driver_sql(statement)
