"""One user action = one unit of work: open a write session, call a service, commit, show a
known error in one consistent way, and announce which case changed (docs/ARCHITECTURE.md, "Units of work and events")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from desktop.dialogs import Dialogs
from desktop.events import EventHub
from models.db import Database
from models.errors import DomainError, TransitionRefused

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an action produced, or the known error that stopped it (already shown unless quiet)."""

    value: T | None = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class DatabaseBusy(DomainError):
    """A driver error (locked file, lost server): known, and nothing was saved."""


class CommandRunner:
    def __init__(self, db: Database, hub: EventHub, dialogs: Dialogs) -> None:
        self.db, self.hub, self.dialogs = db, hub, dialogs

    def run(self, work: Callable[[Session], T], *, changed_case: Callable[[T], int | None] | None = None,
            title: str = "操作未完成", quiet: bool = False) -> Outcome[T]:
        """Run `work` in one committed transaction. `changed_case` names the case to announce;
        quiet=True leaves showing the error to the caller (inline form messages)."""
        try:
            with self.db.write.begin() as session:
                value = work(session)
        except DomainError as exc:
            return self._failed(exc, title, quiet)
        except DBAPIError as exc:
            return self._failed(DatabaseBusy(describe_driver_error(exc)), title, quiet)
        case_id = changed_case(value) if changed_case else None
        if case_id is not None:
            self.hub.case_changed.emit(case_id)
        return Outcome(value=value)

    def _failed(self, exc: DomainError, title: str, quiet: bool) -> Outcome[T]:
        if not quiet:
            self.show_error(exc, title)
        return Outcome(error=exc)

    def show_error(self, exc: DomainError, title: str = "操作未完成") -> None:
        if isinstance(exc, TransitionRefused) and exc.blockers:
            label = exc.message.removeprefix("不能").split("：", 1)[0]
            self.dialogs.blocked(label, exc.blockers)
        else:
            self.dialogs.error(title, exc.message)


def describe_driver_error(exc: DBAPIError) -> str:
    text = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc).strip() else ""
    if "locked" in text or "busy" in text:
        return "数据库正被其他窗口占用，请稍后再试；您填写的内容没有丢失。"
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        return "无法连接数据库服务器，本次操作未完成；填写的内容已保存为草稿，服务器恢复后可继续（无须重启）。"
    return f"数据库错误，本次操作未保存：{text}"
