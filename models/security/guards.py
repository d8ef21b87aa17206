"""The database's own guards on the audit trail: the triggers that refuse UPDATE, DELETE (and on
PostgreSQL TRUNCATE) of audit_log. Checked at start and by `audit verify`; with a guard missing
or disabled the app refuses to write, since anything it then records could be quietly rewritten."""

from __future__ import annotations

from sqlalchemy import Connection, text

from models.errors import DomainError

EXPECTED = {
    "sqlite": frozenset({"audit_log_no_update", "audit_log_no_delete"}),
    "postgresql": frozenset({"audit_log_no_update_delete", "audit_log_no_truncate"}),
}
_PRESENT = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass "
                  "AND NOT tgisinternal AND tgenabled <> 'D'",
}


class AuditUnprotected(DomainError):
    pass


def missing_guards(connection: Connection) -> list[str]:
    """Names of the guard triggers that are missing or disabled (empty when all hold)."""
    dialect = connection.dialect.name
    if dialect not in EXPECTED:
        return []
    present = set(connection.execute(text(_PRESENT[dialect])).scalars())
    return sorted(EXPECTED[dialect] - present)


def check_guards(connection: Connection) -> None:
    missing = missing_guards(connection)
    if missing:
        raise AuditUnprotected(
            f"审计记录的保护触发器缺失或被停用（{'、'.join(missing)}）：数据库可能被绕过程序改动，"
            "本程序拒绝写入；请审计管理员运行 audit verify 并联系数据库所有者")
