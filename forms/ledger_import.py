"""Importing an old 台账 from Excel, all or nothing: the file is read twice in read-only streaming
mode (memory stays flat in the rows). The first pass checks every row and every natural key; any
bad row stops the import with each bad row named and why, before anything is written. The second
pass registers the new rows in one transaction, so a failure half-way leaves nothing behind."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.ledger_rows import FIELDS, RowChecker, RowProblem, check_rows, guess_mapping, mapping_problems
from models.analysis.legacy import LegacyCaseInput, bulk_import, known_keys
from models.cases.catalog import DisputeType
from models.db import Database
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import Committee, User
from models.security.permissions import Permission, require

SHOWN_PROBLEMS = 50


class ImportRefused(ValidationFailed):
    def __init__(self, problems: list[RowProblem], total: int) -> None:
        more = f"（另有 {total - len(problems)} 行有误未列出）" if total > len(problems) else ""
        lines = "\n".join(p.text() for p in problems)
        super().__init__(f"台账有 {total} 行有误，未导入任何数据{more}：\n{lines}")
        self.problems = problems


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    added: int
    already_imported: int
    flagged_ids: int
    dry_run: bool

    def text(self) -> str:
        verb = "检查通过，可导入" if self.dry_run else "已导入"
        return (f"共 {self.rows} 行：{verb} {self.added} 件，此前已导入 {self.already_imported} 件（跳过）；"
                f"{self.flagged_ids} 行的证件号为脱敏或无效号码，已作为历史值标记保存。")


@contextmanager
def _sheet(path: str | Path) -> Iterator[Iterator[tuple[Any, ...]]]:
    from openpyxl import load_workbook  # loaded on first import

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ValidationFailed(f"找不到文件：{path}") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationFailed(f"不是有效的 Excel（.xlsx）文件：{path}（{type(exc).__name__}）") from None
    try:
        yield book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def preview(path: str | Path, limit: int = 20) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The header row and the first `limit` rows, for the mapping dialog."""
    with _sheet(path) as rows:
        headers = [str(h or "") for h in next(rows, ())]
        return headers, [r for _, r in zip(range(limit), rows, strict=False)]


def load_mapping(path: str | Path) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed(f"列对应文件无法读取：{path}（{exc}）") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValidationFailed("列对应文件应为 JSON 对象：{\"字段\": \"表头\"}，字段：" + "、".join(FIELDS))
    return data


def type_codes(session: Session) -> dict[str, str]:
    """A type's code, name and every legacy alias → its code."""
    found: dict[str, str] = {}
    for code, name, aliases in session.execute(select(DisputeType.code, DisputeType.name, DisputeType.legacy_alias)):
        found[code] = found[name] = code
        found[name.removesuffix("纠纷")] = found.get(name.removesuffix("纠纷"), code)
        for alias in (aliases or "").replace("，", ",").replace("、", ",").split(","):
            if alias.strip():
                found[alias.strip()] = code
    return found


def import_ledger(db: Database, actor: Actor, path: str | Path, mapping: dict[str, str] | None = None, *,
                  dry_run: bool = False) -> ImportSummary:
    with db.read() as session:
        require(session, actor, Permission.LEDGER_IMPORT)
        types = type_codes(session)
    with _sheet(path) as rows:
        headers = [str(h or "") for h in next(rows, ())]
        chosen = mapping if mapping is not None else guess_mapping(headers)
        problems = mapping_problems(chosen, headers)
        if problems:
            raise ValidationFailed("列对应有误：" + "；".join(problems))
        keys, flagged, total = _first_pass(rows, RowChecker(headers, chosen, types))
    with db.read() as session:
        already = known_keys(session, keys)
    if dry_run:
        return ImportSummary(total, len(keys) - len(already), len(already), flagged, True)
    added = _second_pass(db, actor, path, RowChecker(headers, chosen, types), already)
    return ImportSummary(total, added, len(already), flagged, False)


def _first_pass(rows: Iterator[tuple[Any, ...]], checker: RowChecker) -> tuple[dict[str, int], int, int]:
    keys: dict[str, int] = {}
    problems: list[RowProblem] = []
    bad = flagged = total = 0
    for checked in check_rows(rows, checker):
        total += 1
        if isinstance(checked, LegacyCaseInput) and checked.natural_key in keys:
            checked = RowProblem(checked.row, f"与第 {keys[checked.natural_key]} 行重复（原编号或内容相同）")
        if isinstance(checked, RowProblem):
            bad += 1
            if len(problems) < SHOWN_PROBLEMS:
                problems.append(checked)
            continue
        keys[checked.natural_key] = checked.row
        flagged += bool(checked.legacy_ids)
    if bad:
        raise ImportRefused(problems, bad)
    return keys, flagged, total


def _second_pass(db: Database, actor: Actor, path: str | Path, checker: RowChecker, already: set[str]) -> int:
    """One transaction: a failure anywhere (a full disk, a lost server) leaves nothing behind."""
    with _sheet(path) as rows, db.write.begin() as session:
        next(rows, None)
        new = (c for c in check_rows(rows, checker) if isinstance(c, LegacyCaseInput) and c.natural_key not in already)
        return bulk_import(session, actor, new, _committee(session, actor), Path(path).name)


def _committee(session: Session, actor: Actor) -> int:
    user = session.get(User, actor.user_id) if actor.user_id else None
    found = (user.committee_id if user else None) or session.scalar(select(Committee.id).order_by(Committee.id))
    if found is None:
        raise ValidationFailed("尚未设置调解组织，无法导入")
    return found
