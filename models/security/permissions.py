"""Who may do what: the role → permission table (rules as data) and `require`, which every service
calls before it changes anything. Checking here, not in the widgets, means a hidden button is a
convenience and never the control.

三权分立: 系统管理员 (accounts, backup), 安全管理员 (roles, unlocking, password policy) and 审计管理员
(audit trail) hold disjoint permissions and none of them does case work. A user has exactly one role,
so no account can hold two of the three.

System context: an Actor whose user_id is None is the local operator (the CLI without --user, demo
seeding, migrations and tests). It is trusted because on a desk it already holds the database file;
every action it takes is still audited (user empty). The GUI must always act as the signed-in user."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from models.cases.entities import Party
from models.dto import Actor
from models.errors import DomainError, NotFound
from models.org.entities import Role, User
from models.security.audit import acting, record_event
from models.security.masking import masked_with_proof


class PermissionDenied(DomainError):
    pass


class Permission(StrEnum):
    CASE_VIEW = "查看案件"
    CASE_REGISTER = "登记案件"
    CASE_EDIT = "修改案件"
    CASE_ADVANCE = "案件流转"
    CASE_RECORD = "记录办理结果"
    PI_UNMASK = "查看完整证件号"
    USER_CREATE = "新建账户"
    USER_LOCK = "停用账户"
    USER_UNLOCK = "启用或解锁账户"
    ROLE_ASSIGN = "分配角色"
    PASSWORD_RESET = "重置密码"
    POLICY_EDIT = "修改安全策略"
    BACKUP = "备份数据库"
    RESTORE = "恢复数据库"
    AUDIT_VIEW = "查看审计记录"
    AUDIT_VERIFY = "校验审计链"
    AUDIT_ANCHOR = "导出审计锚点"
    DOC_ISSUE = "出具文书"  # documents the law requires with full ID numbers (协议书, 司法确认申请书)
    ORG_EDIT = "管理组织机构"
    SETTINGS_EDIT = "修改中心设置"
    STATS_VIEW = "查看统计分析"
    ASSESSMENT_EDIT = "修改考核权重"
    LEDGER_IMPORT = "导入历史台账"
    DISPATCH_WORK = "办理派单"  # the step of a dispatch that the user's part owns (反馈 / 核查 / 评价)
    FILE_PURGE = "清理过期材料"  # removing 卷宗 files past their 保管期限 (个人信息保护法), by the system administrator


P = Permission
CASE_WORK = frozenset({P.CASE_VIEW, P.CASE_REGISTER, P.CASE_EDIT, P.CASE_ADVANCE, P.CASE_RECORD, P.PI_UNMASK,
                       P.DISPATCH_WORK})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEDIATOR: CASE_WORK | {P.DOC_ISSUE},
    Role.CLERK: frozenset({P.CASE_VIEW, P.CASE_REGISTER, P.CASE_EDIT, P.CASE_RECORD, P.DOC_ISSUE, P.LEDGER_IMPORT}),
    Role.LIAISON: frozenset({P.CASE_VIEW, P.CASE_ADVANCE, P.CASE_RECORD, P.PI_UNMASK}),
    Role.GRID_WORKER: frozenset({P.CASE_VIEW, P.CASE_REGISTER, P.DISPATCH_WORK}),
    Role.LEADER: frozenset({P.CASE_VIEW, P.CASE_ADVANCE, P.CASE_RECORD, P.PI_UNMASK, P.STATS_VIEW, P.DISPATCH_WORK}),
    Role.SYSTEM_ADMIN: frozenset({P.USER_CREATE, P.USER_LOCK, P.BACKUP, P.RESTORE, P.ORG_EDIT, P.SETTINGS_EDIT,
                                  P.ASSESSMENT_EDIT, P.FILE_PURGE}),
    Role.SECURITY_ADMIN: frozenset({P.ROLE_ASSIGN, P.USER_LOCK, P.USER_UNLOCK, P.PASSWORD_RESET, P.POLICY_EDIT}),
    Role.AUDIT_ADMIN: frozenset({P.AUDIT_VIEW, P.AUDIT_VERIFY, P.AUDIT_ANCHOR}),
    Role.DEPT_LIAISON: frozenset({P.CASE_VIEW, P.DISPATCH_WORK}),
}


def permissions_of(role: str) -> frozenset[Permission]:
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()


def is_system(actor: Actor) -> bool:
    return actor.user_id is None


def require(session: Session, actor: Actor, permission: Permission) -> None:
    """Refuse with a Chinese message unless `actor` may do `permission`; marks the session's
    following changes as the actor's for the audit trail."""
    acting(session, actor)
    if is_system(actor):
        return
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise PermissionDenied("当前账户不存在或已停用，请重新登录")
    if permission not in permissions_of(user.role):
        raise PermissionDenied(f"您的角色（{user.role}）无权{permission.value}")
    _refuse_one_time_password(session, user)


def _refuse_one_time_password(session: Session, user: User) -> None:
    """A password that must be changed opens no service, whatever the client (GUI, CLI, script)."""
    from models.security.accounts import Credential  # accounts imports this module

    credential = session.get(Credential, user.id)
    if credential is not None and credential.must_change:
        raise PermissionDenied(f"账户 {user.username} 须先修改初始密码，才能办理业务")


def reveal_id_number(session: Session, actor: Actor, party_id: int, reason: str, purpose: str = "屏幕查看") -> str:
    """The full ID number of one party, for a user allowed to unmask; always audited with the reason."""
    require(session, actor, Permission.PI_UNMASK)
    if not reason.strip():
        raise PermissionDenied("查看完整证件号须填写理由")
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"当事人不存在（编号 {party_id}）")
    value = party.id_number or ""
    record_event(session, actor, "unmask", "parties", party_id, field="id_number", purpose=purpose,
                 reason=reason.strip(), masked=masked_with_proof("id_number", value) if value else "")
    return value
