"""Accounts: first-run administrator, password hashing (Argon2id) and policy, sign-in with lockout
counted in the database (so another desk or a restart does not reset it), and user administration.

Sign-in never tells an unknown user from a wrong password or a locked account: one message for all."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from models.base import Base, Versioned, utcnow
from models.dto import Actor
from models.errors import DomainError, NotFound, ValidationFailed
from models.org.entities import Committee, Desk, Role, User
from models.security.audit import record_event
from models.security.permissions import ADMIN_ROLES, Permission, PermissionDenied, permissions_of, require

# OWASP minimum for Argon2id (19 MiB, t=2, p=1): ~50 ms, fine for a desk; tests swap in a cheaper one.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
LOGIN_FAILED = "登录失败：用户名或密码不正确，或账户已停用或锁定（连续输错多次将暂时锁定）"
COMMON_PASSWORDS = frozenset({
    "123456", "12345678", "123456789", "1234567890", "password", "password1", "qwerty", "qwerty123",
    "abc123", "abcd1234", "111111", "000000", "88888888", "66666666", "iloveyou", "admin", "admin123",
    "root", "a123456", "aa123456", "woaini1314", "1qaz2wsx", "p@ssw0rd", "passw0rd", "zxcvbnm",
})


class LoginFailed(DomainError):
    pass


class Credential(Versioned, Base):
    """Sign-in secret and lockout state of one user (a separate table so users stay plain data)."""

    __tablename__ = "user_credentials"
    __audit__ = False  # the hash must not reach the trail; sign-in events are recorded explicitly
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    password_changed_at: Mapped[datetime] = mapped_column()
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column()


class SecurityPolicy(Versioned, Base):
    """The centre's password, lockout and idle-lock settings (one row, id 1; defaults if absent)."""

    __tablename__ = "security_policy"
    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(10), default="标准")
    min_length: Mapped[int] = mapped_column(Integer, default=12)
    required_classes: Mapped[int] = mapped_column(Integer, default=0)
    max_age_days: Mapped[int] = mapped_column(Integer, default=0)
    lockout_threshold: Mapped[int] = mapped_column(Integer, default=5)
    lockout_minutes: Mapped[int] = mapped_column(Integer, default=15)
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)


@dataclass(frozen=True)
class PolicyValues:
    profile: str = "标准"
    min_length: int = 12
    required_classes: int = 0
    max_age_days: int = 0
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 10


# 标准 follows ASVS (length, no composition, no forced rotation); 等保 adds 3-of-4 classes and 90 days.
PROFILES = {
    "标准": PolicyValues(),
    "等保": PolicyValues(profile="等保", min_length=8, required_classes=3, max_age_days=90),
}


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    username: str
    display_name: str
    role: str
    desk_id: int | None
    must_change_password: bool

    def actor(self, desk_id: int | None = None) -> Actor:
        return Actor(self.user_id, desk_id if desk_id is not None else self.desk_id)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None
    has_password: bool
    desk: str = ""
    last_login_at: datetime | None = None
    must_change: bool = False
    committee: str = ""
    desk_id: int | None = None
    committee_id: int | None = None

    def status(self, now: datetime) -> str:
        """停用 / 登录锁定中 / 须改初始密码 / 不能登录 (no password) / 启用, as the screens and CLI show it."""
        if not self.active:
            return "停用"
        if self.locked_until is not None and self.locked_until > now:
            return "登录锁定中"
        if not self.has_password:
            return "未设密码（不能登录）"
        return "须改初始密码" if self.must_change else "启用"


# --- policy ----------------------------------------------------------------------------------

def current_policy(session: Session) -> PolicyValues:
    row = session.get(SecurityPolicy, 1)
    if row is None:
        return PROFILES["标准"]
    return PolicyValues(row.profile, row.min_length, row.required_classes, row.max_age_days,
                        row.lockout_threshold, row.lockout_minutes, row.idle_lock_minutes)


#: What the 安全策略 screen and `set_policy` accept: field → (label, lowest, highest). Sign-in,
#: password changes and the idle lock read the stored row (`current_policy`), so a saved change
#: takes effect at the next sign-in or password change without a restart.
POLICY_LIMITS: dict[str, tuple[str, int, int]] = {
    "min_length": ("密码最短长度", 8, 128),
    "required_classes": ("须含字符类别数（0 为不要求）", 0, 4),
    "max_age_days": ("密码有效期（天，0 为不过期）", 0, 365),
    "lockout_threshold": ("连续输错几次锁定", 3, 10),
    "lockout_minutes": ("锁定时长（分钟）", 1, 1440),
    "idle_lock_minutes": ("空闲锁屏（分钟）", 1, 30),
}


def set_policy(session: Session, actor: Actor, values: PolicyValues) -> None:
    """安全管理员 stores the centre's policy (audited by the session hook with old and new values)."""
    require(session, actor, Permission.POLICY_EDIT)
    if values.profile not in PROFILES and values.profile != "自定义":
        raise ValidationFailed(f"安全策略无效：未知的方案“{values.profile}”")
    for key, (label, low, high) in POLICY_LIMITS.items():
        if not low <= getattr(values, key) <= high:
            raise ValidationFailed(f"安全策略无效：{label}须在 {low}–{high} 之间", {key: f"{low}–{high}"})
    row = session.get(SecurityPolicy, 1) or SecurityPolicy(id=1)
    for key, value in vars(values).items():
        setattr(row, key, value)
    session.add(row)
    session.flush()


def password_problems(policy: PolicyValues, username: str, password: str) -> list[str]:
    """Why `password` is refused (empty when acceptable)."""
    problems = []
    if len(password) < policy.min_length:
        problems.append(f"密码至少 {policy.min_length} 位")
    if len(password) > 128:
        problems.append("密码不能超过 128 位")
    if policy.required_classes and _classes(password) < policy.required_classes:
        problems.append(f"密码须包含大写字母、小写字母、数字、符号中的至少 {policy.required_classes} 类")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (username and username.lower() in lowered):
        problems.append("密码过于常见或包含用户名")
    return problems


# No 0/O, 1/l/I: the password is read off the screen and typed by someone else.
_OTP_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+=@")


def one_time_password(session: Session) -> str:
    """A random password the current policy accepts, for a new account or a reset: shown to the
    administrator once and changed by the user at first sign-in (must_change)."""
    policy = current_policy(session)
    length = max(policy.min_length, 12)
    while True:
        chars = [secrets.choice(alphabet) for alphabet in _OTP_ALPHABETS]  # every class once
        chars += [secrets.choice("".join(_OTP_ALPHABETS)) for _ in range(length - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        candidate = "".join(chars)
        if not password_problems(policy, "", candidate):
            return candidate


def _classes(password: str) -> int:
    groups = (string.ascii_uppercase, string.ascii_lowercase, string.digits)
    found = sum(any(c in group for c in password) for group in groups)
    return found + any(not c.isalnum() for c in password)


def _check_password(session: Session, username: str, password: str) -> None:
    problems = password_problems(current_policy(session), username, password)
    if problems:
        raise ValidationFailed("密码不符合要求：" + "；".join(problems), {"password": problems[0]})


# --- creating and administering accounts ----------------------------------------------------

def has_accounts(session: Session) -> bool:
    """True once any account can sign in."""
    return bool(session.scalar(select(func.count()).select_from(Credential)))


def needs_setup(session: Session) -> bool:
    """True until a 系统管理员 who can sign in exists: on a new database, and on one seeded by
    `demo` (staff accounts, but nobody administers them yet)."""
    admin = select(Credential.user_id).join(User, User.id == Credential.user_id).where(User.role == Role.SYSTEM_ADMIN)
    return session.scalar(admin.limit(1)) is None


def setup_first_admin(session: Session, username: str, display_name: str, password: str,
                      role: str = Role.SYSTEM_ADMIN) -> int:
    """Bootstrap: create one of the three administrators with the password they chose, only while
    no account holds that role (no default account exists; afterwards no one, not even another
    administrator, can create an administrator: see `add_user`)."""
    check_bootstrap(session, role)
    user_id = _create_user(session, Actor(), username, display_name, role, password, must_change=False)
    record_event(session, Actor(), "bootstrap_admin", "users", user_id, role=role)
    return user_id


def check_bootstrap(session: Session, role: str) -> None:
    """Refuse bootstrap of `role` unless it is an administrator role nobody holds yet."""
    if role not in ADMIN_ROLES:
        raise ValidationFailed(f"初始化只能创建三类管理员：{'、'.join(sorted(ADMIN_ROLES))}")
    if session.scalar(select(User.id).where(User.role == role).limit(1)) is not None:
        raise PermissionDenied(f"系统已完成初始化（已有{role}），不能再次创建")


def break_glass_reset(session: Session, username: str, password: str, owner: str) -> int:
    """The owner of the database file or server database resets a lost administrator password (a
    one-time password, changed at next sign-in); audited as break-glass with the owner's name."""
    user = find_user(session, username)
    if user.role not in ADMIN_ROLES:
        raise ValidationFailed("紧急重置只用于管理员账户；其他账户请由安全管理员重置密码")
    _store_password(session, user, password, must_change=True)
    user.active = True
    record_event(session, Actor(), "break_glass", "users", user.id, role=user.role, owner=owner)
    return user.id


def check_admin_separation(actor: Actor, user: User) -> None:
    """三权分立: no administrator resets, locks, unlocks, demotes or re-roles an administrator
    (another one or themselves), and nobody does so to their own account."""
    if actor.user_id is not None and actor.user_id == user.id:
        raise PermissionDenied("不能对自己的账户执行此操作")
    if actor.user_id is not None and user.role in ADMIN_ROLES:
        raise PermissionDenied("不能对管理员账户执行此操作（三权分立；遗失管理员密码请由数据库所有者执行 break-glass）")


def add_user(session: Session, actor: Actor, username: str, display_name: str, role: str, password: str,
             desk_id: int | None = None) -> int:
    """A new account with a one-time password the user must change at first sign-in."""
    require(session, actor, Permission.USER_CREATE)
    if actor.user_id is not None and role in ADMIN_ROLES:
        raise PermissionDenied("管理员账户只能在初始化时创建（三权分立）")
    return _create_user(session, actor, username, display_name, role, password, must_change=True, desk_id=desk_id)


def _create_user(session: Session, actor: Actor, username: str, display_name: str, role: str, password: str,
                 *, must_change: bool, desk_id: int | None = None) -> int:
    username = username.strip()
    _check_new_user(session, username, display_name, role)
    _check_password(session, username, password)
    user = User(username=username, display_name=display_name.strip(), role=role, desk_id=desk_id, active=True)
    session.add(user)
    session.flush()
    session.add(Credential(user_id=user.id, password_hash=HASHER.hash(password), password_changed_at=utcnow(),
                           must_change=must_change, failed_count=0))
    session.flush()
    record_event(session, actor, "account_created", "users", user.id, role=role)
    return user.id


def _check_new_user(session: Session, username: str, display_name: str, role: str) -> None:
    if not username or len(username) > 50 or not display_name.strip():
        raise ValidationFailed("请填写用户名（不超过 50 字）和姓名")
    if role not in set(Role):
        raise ValidationFailed(f"未知的角色：{role}（可选：{'、'.join(Role)}）")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationFailed(f"用户名已存在：{username}")


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"用户不存在：{username}")
    return user


def set_role(session: Session, actor: Actor, user_id: int, role: str) -> None:
    """安全管理员 assigns roles; nobody changes their own (so no one can make themselves two admins)."""
    require(session, actor, Permission.ROLE_ASSIGN)
    if role not in set(Role):
        raise ValidationFailed(f"未知的角色：{role}")
    user = _user(session, user_id)
    check_admin_separation(actor, user)
    if actor.user_id is not None and role in ADMIN_ROLES:
        raise PermissionDenied("管理员角色只能在初始化时分配（三权分立）")
    user.role = role
    session.flush()


def set_placement(session: Session, actor: Actor, user_id: int, desk_id: int | None, committee_id: int | None) -> None:
    """安全管理员 places a user at a desk (the desk chosen at sign-in, where dispatches find them) and
    in a mediation committee; like a role, it decides where the person works, so it goes with
    ROLE_ASSIGN and the same separation rules."""
    require(session, actor, Permission.ROLE_ASSIGN)
    user = _user(session, user_id)
    check_admin_separation(actor, user)
    if desk_id is not None and session.get(Desk, desk_id) is None:
        raise NotFound(f"窗口不存在（编号 {desk_id}）")
    if committee_id is not None and session.get(Committee, committee_id) is None:
        raise NotFound(f"调解组织不存在（编号 {committee_id}）")
    user.desk_id, user.committee_id = desk_id, committee_id
    session.flush()


def lock_user(session: Session, actor: Actor, user_id: int) -> None:
    require(session, actor, Permission.USER_LOCK)
    user = _user(session, user_id)
    check_admin_separation(actor, user)
    user.active = False
    session.flush()


def unlock_user(session: Session, actor: Actor, user_id: int) -> None:
    """Re-enable the account and clear a failed-sign-in lockout."""
    require(session, actor, Permission.USER_UNLOCK)
    user = _user(session, user_id)
    check_admin_separation(actor, user)
    user.active = True
    credential = session.get(Credential, user_id)
    if credential is not None:
        credential.failed_count, credential.locked_until = 0, None
    record_event(session, actor, "account_unlocked", "users", user_id)
    session.flush()


def reset_password(session: Session, actor: Actor, user_id: int, password: str) -> None:
    require(session, actor, Permission.PASSWORD_RESET)
    user = _user(session, user_id)
    check_admin_separation(actor, user)
    _store_password(session, user, password, must_change=True)
    record_event(session, actor, "password_reset", "users", user_id)


def change_password(session: Session, user_id: int, old: str, new: str) -> None:
    """The user's own change; needs the current password. A wrong one counts toward lockout like
    a failed sign-in (else an unattended, signed-in desk would allow endless guessing) — use
    change_own_password so that count is committed even though the change is refused."""
    user = _user(session, user_id)
    credential = session.get(Credential, user_id)
    now = utcnow()
    if credential is not None and credential.locked_until is not None and credential.locked_until > now:
        raise PermissionDenied("账户已锁定，请稍后再试或联系管理员")
    if credential is None or not _verify(credential.password_hash, old):
        if credential is not None:
            _count_failure(session, credential, Actor(user_id), now)
        raise WrongPassword("原密码不正确")
    if old == new:
        raise ValidationFailed("新密码不能与原密码相同")
    _store_password(session, user, new, must_change=False)
    record_event(session, Actor(user_id), "password_changed", "users", user_id)


class WrongPassword(PermissionDenied):
    """The old password was wrong; the failure has been counted in the session."""


def change_own_password(write: sessionmaker[Session], user_id: int, old: str, new: str) -> None:
    """change_password in its own transaction, committing the failure count when the old
    password is wrong (the refusal is raised after the commit)."""
    refused: WrongPassword | None = None
    with write.begin() as session:
        try:
            change_password(session, user_id, old, new)
        except WrongPassword as exc:
            refused = exc  # leave the block normally so the count commits
    if refused is not None:
        raise refused


def _store_password(session: Session, user: User, password: str, *, must_change: bool) -> None:
    _check_password(session, user.username, password)
    credential = session.get(Credential, user.id) or Credential(user_id=user.id, failed_count=0)
    credential.password_hash = HASHER.hash(password)
    credential.password_changed_at = utcnow()
    credential.must_change = must_change
    credential.failed_count, credential.locked_until = 0, None
    session.add(credential)
    session.flush()


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户不存在（编号 {user_id}）")
    return user


#: The account screen's permissions: whoever holds one of them may read the list of accounts.
ACCOUNT_PERMISSIONS = (Permission.USER_CREATE, Permission.USER_LOCK, Permission.ROLE_ASSIGN, Permission.USER_UNLOCK,
                       Permission.PASSWORD_RESET)


def require_account_admin(session: Session, actor: Actor) -> None:
    """Refuse unless `actor` holds one of ACCOUNT_PERMISSIONS (系统管理员 or 安全管理员)."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    held = permissions_of(user.role) if user is not None else frozenset(ACCOUNT_PERMISSIONS)
    require(session, actor, next((p for p in ACCOUNT_PERMISSIONS if p in held), ACCOUNT_PERMISSIONS[0]))


def list_users(session: Session) -> list[UserRow]:
    rows = session.execute(
        select(User, Credential, Desk.name, Committee.name).outerjoin(Credential, Credential.user_id == User.id)
        .outerjoin(Desk, Desk.id == User.desk_id).outerjoin(Committee, Committee.id == User.committee_id)
        .order_by(User.username)
    ).all()
    return [UserRow(u.id, u.username, u.display_name, u.role, u.active, c.locked_until if c else None, c is not None,
                    desk or "", c.last_login_at if c else None, bool(c and c.must_change), committee or "",
                    u.desk_id, u.committee_id)
            for u, c, desk, committee in rows]


# --- signing in ------------------------------------------------------------------------------

def _verify(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: list[str] = []


def _waste_time_like_a_verify(password: str) -> None:
    # An unknown user costs the same hashing time as a known one, so timing does not tell them apart.
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(HASHER.hash("not-a-real-password"))
    _verify(_DUMMY_HASH[0], password)


def login(write: sessionmaker[Session], username: str, password: str, *, desk_id: int | None = None,
          now: datetime | None = None) -> SignedIn:
    """Check the password; failures are counted and committed even though sign-in is refused."""
    now = now or utcnow()
    failure: LoginFailed | None = None
    with write.begin() as session:
        try:
            return _login(session, username.strip(), password, desk_id, now)
        except LoginFailed as exc:
            failure = exc  # leave the block normally so the failure count commits
    raise failure


def _login(session: Session, username: str, password: str, desk_id: int | None, now: datetime) -> SignedIn:
    user = session.scalar(select(User).where(User.username == username))
    credential = session.get(Credential, user.id) if user else None
    if user is None or credential is None:
        _waste_time_like_a_verify(password)
        record_event(session, Actor(None, desk_id), "login_failed", "users", None, attempted=username[:50])
        raise LoginFailed(LOGIN_FAILED)
    who = Actor(user.id, desk_id)
    if not user.active or (credential.locked_until is not None and credential.locked_until > now):
        record_event(session, who, "login_refused", "users", user.id, reason="停用" if not user.active else "锁定中")
        raise LoginFailed(LOGIN_FAILED)
    if not _verify(credential.password_hash, password):
        _count_failure(session, credential, who, now)
        raise LoginFailed(LOGIN_FAILED)
    return _sign_in(session, user, credential, password, who, now)


def _count_failure(session: Session, credential: Credential, who: Actor, now: datetime) -> None:
    policy = current_policy(session)
    credential.failed_count += 1
    record_event(session, who, "login_failed", "users", credential.user_id, failures=credential.failed_count)
    if credential.failed_count >= policy.lockout_threshold:
        credential.locked_until = now + timedelta(minutes=policy.lockout_minutes)
        credential.failed_count = 0
        record_event(session, who, "account_locked", "users", credential.user_id, minutes=policy.lockout_minutes)
    session.flush()


def _sign_in(session: Session, user: User, credential: Credential, password: str, who: Actor,
             now: datetime) -> SignedIn:
    policy = current_policy(session)
    credential.failed_count, credential.locked_until, credential.last_login_at = 0, None, now
    if HASHER.check_needs_rehash(credential.password_hash):
        credential.password_hash = HASHER.hash(password)
    expired = bool(policy.max_age_days) and credential.password_changed_at + timedelta(days=policy.max_age_days) < now
    record_event(session, who, "login", "users", user.id)
    session.flush()
    return SignedIn(user.id, user.username, user.display_name, user.role, user.desk_id,
                    credential.must_change or expired)
