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

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cases.entities import Case, CoMediator, Party
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
    CASE_ARCHIVE = "归档案件"  # the 书记员 keeps the 卷宗 and archives; a mediator does not
    SUPERVISE = "下达督办"  # the 包案领导 issues 督办单
    COURT_REGISTER = "登记诉调对接"  # the 诉调对接专员 owns the court register
    FILE_PURGE = "清理过期材料"  # removing 卷宗 files past their 保管期限 (个人信息保护法), by the system administrator


P = Permission
CASE_WORK = frozenset({P.CASE_VIEW, P.CASE_REGISTER, P.CASE_EDIT, P.CASE_ADVANCE, P.CASE_RECORD, P.PI_UNMASK,
                       P.DISPATCH_WORK})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEDIATOR: CASE_WORK | {P.DOC_ISSUE},
    Role.CLERK: frozenset({P.CASE_VIEW, P.CASE_REGISTER, P.CASE_EDIT, P.CASE_RECORD, P.DOC_ISSUE, P.LEDGER_IMPORT,
                           P.CASE_ARCHIVE}),
    Role.LIAISON: frozenset({P.CASE_VIEW, P.CASE_ADVANCE, P.CASE_RECORD, P.PI_UNMASK, P.COURT_REGISTER}),
    Role.GRID_WORKER: frozenset({P.CASE_VIEW, P.CASE_REGISTER, P.DISPATCH_WORK}),
    Role.LEADER: frozenset({P.CASE_VIEW, P.CASE_ADVANCE, P.CASE_RECORD, P.PI_UNMASK, P.STATS_VIEW, P.DISPATCH_WORK,
                            P.SUPERVISE}),
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
    refused = refusal(session, actor, permission)
    if refused:
        raise PermissionDenied(refused)


def refusal(session: Session, actor: Actor, permission: Permission) -> str | None:
    """Why `actor` may not do `permission` (one Chinese line), or None when allowed; no side effects."""
    if is_system(actor):
        return None
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        return "当前账户不存在或已停用，请重新登录"
    if permission not in permissions_of(user.role):
        return f"您的角色（{user.role}）无权{permission.value}"
    return _one_time_password_refusal(session, user)


# ---- the case-relation rule: beside the role table, one function every case-changing service calls ----

OWN, OWN_DESK, OTHER = "own", "own_desk", "other"
RELATION_NAMES = {OWN: "本人承办或登记的案件", OWN_DESK: "本窗口的案件", OTHER: "其他窗口的案件"}
# Roles whose changes are bound to their own cases: a mediator reads every case of the centre but
# changes only those assigned to them (调解员 / 协助调解员), registered by them, or registered at
# their desk. The centre-wide roles (书记员 keeps every 卷宗, 包案领导 supervises everything, the
# 诉调对接专员 keeps the whole court register) are not bound.
CASE_BOUND_ROLES = frozenset({Role.MEDIATOR, Role.GRID_WORKER, Role.DEPT_LIAISON})
# What each role may do, per relation, beyond the role table: the bound roles only to these.
BOUND_RELATIONS = frozenset({OWN, OWN_DESK})


def case_relation(session: Session, user_id: int, case: Case) -> str:
    """own (assigned as mediator or co-mediator, named leader, or registered/首问 by the user),
    own desk (registered at the user's desk), or other."""
    co = session.scalar(select(CoMediator.user_id).where(CoMediator.case_id == case.id, CoMediator.user_id == user_id))
    if user_id in (case.mediator_id, case.leader_id, case.registered_by_id, case.first_handler_id) or co is not None:
        return OWN
    user = session.get(User, user_id)
    if user is not None and user.desk_id is not None and user.desk_id == case.desk_id:
        return OWN_DESK
    return OTHER


def case_refusal(session: Session, actor: Actor, permission: Permission, case: Case) -> str | None:
    """Why `actor` may not do `permission` on `case` (the role table, then the relation rule), or
    None. The GUI enables its buttons from this same answer."""
    refused = refusal(session, actor, permission)
    if refused or is_system(actor) or permission == Permission.CASE_VIEW:
        return refused
    user = session.get_one(User, actor.user_id)
    if Role(user.role) not in CASE_BOUND_ROLES:
        return None
    relation = case_relation(session, user.id, case)
    if relation in BOUND_RELATIONS:
        return None
    return f"案件 {case.number} 不是您承办的案件，也不是本窗口登记的案件；{user.role}可以查看，但不能{permission.value}"


def require_on_case(session: Session, actor: Actor, permission: Permission, case: Case) -> None:
    """`require`, plus the case-relation rule: every service that changes a case calls this."""
    acting(session, actor)
    refused = case_refusal(session, actor, permission, case)
    if refused:
        raise PermissionDenied(refused)


def require_on_case_id(session: Session, actor: Actor, permission: Permission, case_id: int) -> Case:
    """`require_on_case` for a case given by id; returns the case."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件不存在（编号 {case_id}）")
    require_on_case(session, actor, permission, case)
    return case


# The case-changing permissions a view asks about for one case (to enable its buttons).
CASE_ACTIONS = (Permission.CASE_ADVANCE, Permission.CASE_ARCHIVE, Permission.CASE_RECORD, Permission.CASE_EDIT,
                Permission.COURT_REGISTER, Permission.SUPERVISE)


def case_refusals(session: Session, actor: Actor, case_id: int) -> dict[Permission, str | None]:
    """For each case-changing permission, why `actor` may not use it on this case (None = may):
    the GUI enables and explains its buttons from this, the services refuse with the same words."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件不存在（编号 {case_id}）")
    return {p: case_refusal(session, actor, p, case) for p in CASE_ACTIONS}


def action_permission(action: str) -> Permission:
    """The permission a stage move needs: 归档 is the 书记员's (the 卷宗 keeper); every other move is 案件流转."""
    return Permission.CASE_ARCHIVE if action == "archive" else Permission.CASE_ADVANCE


def _one_time_password_refusal(session: Session, user: User) -> str | None:
    """A password that must be changed opens no service, whatever the client (GUI, CLI, script)."""
    from models.security.accounts import Credential  # accounts imports this module

    credential = session.get(Credential, user.id)
    if credential is not None and credential.must_change:
        return f"账户 {user.username} 须先修改初始密码，才能办理业务"
    return None


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
