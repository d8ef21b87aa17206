"""导出为 Excel: the main case list, under its current filter and sort, as an XLSX sheet.

The rows are read page by page with keyset cursors in a worker (desktop.background.BackgroundOp,
its own read session), written with templates.xlsx (typed dates, frozen header, autofilter, no
formula injection), and the file replaces any old one atomically: a cancelled or failed export
leaves nothing behind. Tests pass an immediate `start`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.background import BackgroundOp, Job, Start
from desktop.case_table_model import COLUMNS
from desktop.context import DeskContext
from desktop.document_files import ask_save_path, suggested_name
from models import clock
from models.cases.queries import CaseFilter, count_cases, list_cases
from models.db import Database
from models.dto import CaseRow
from models.security.permissions import Permission, require
from templates.render import write_atomically
from templates.xlsx import write_table

PAGE = 1000
KINDS = {"受理日期": "date"}


_EXPORTED = tuple(c for c in COLUMNS if c.title != "督办")  # the badge column is a colour, not data


def _cells(row: CaseRow) -> tuple[object, ...]:
    return tuple(row.received_date if c.title == "受理日期" else c.text(row) for c in _EXPORTED)


def case_rows(db: Database, flt: CaseFilter, sort: str, descending: bool, job: Job | None = None) -> Iterator[CaseRow]:
    """Every case of the list, in its order, one keyset page at a time."""
    after: tuple[Any, ...] | None = None
    done = 0
    with db.read() as session:
        total = count_cases(session, flt)
        while True:
            page = list_cases(session, flt, sort=sort, descending=descending, after=after, limit=PAGE)
            yield from page.rows
            done += len(page.rows)
            if job is not None:
                job.report(done, total)
            if page.next_cursor is None or not page.rows:
                return
            after = page.next_cursor


def case_list_xlsx(db: Database, flt: CaseFilter, sort: str, descending: bool, caption: str,
                   job: Job | None = None) -> bytes:
    rows = (_cells(row) for row in case_rows(db, flt, sort, descending, job))
    return write_table("案件列表", [caption], [c.title for c in _EXPORTED],
                       [KINDS.get(c.title, "text") for c in _EXPORTED], rows,
                       widths=[22, 12, 8, 6, 16, 30, 16, 50], cancelled=job.cancelled if job else None)


def describe(flt: CaseFilter) -> str:
    parts = [f"{label}：{value}" for label, value in (("阶段", flt.stage), ("纠纷类型", flt.dispute_type_code),
                                                    ("风险", flt.risk_colour), ("搜索", flt.search)) if value]
    if flt.desk_id is not None:
        parts.append("窗口：已选")
    return f"导出时间：{clock.local_now():%Y-%m-%d %H:%M}；筛选：{'；'.join(parts) or '全部案件'}"


class CaseListExport:
    """Runs one export of the window's current list; `message` is the last line shown."""

    def __init__(self, ctx: DeskContext, parent: QWidget, start: Start | None = None) -> None:
        self.ctx, self.parent, self.start = ctx, parent, start
        self.op: BackgroundOp[bytes] | None = None
        self.message = ""

    def run(self, flt: CaseFilter, sort: str, descending: bool) -> Path | None:
        allowed = self.ctx.runner.run(lambda s: require(s, self.ctx.actor(), Permission.CASE_VIEW), title="导出为 Excel")
        if not allowed.ok:
            return None
        name = suggested_name(f"案件列表-{clock.today():%Y%m%d}", "xlsx")
        target = ask_save_path(self.ctx.dialogs, "导出为 Excel", name, "xlsx")
        if target is None:
            return None
        caption = describe(flt)
        self.op = (BackgroundOp(self.parent, lambda job: case_list_xlsx(self.ctx.db, flt, sort, descending, caption, job),
                                lambda data: self._save(target, data))
                   .with_progress("正在导出案件列表…", on_cancel=lambda: self._tell("已取消导出，未生成文件"))
                   .failure(self._tell, prefix="导出失败"))
        self.op.run_in_background(self.start)
        return target

    def _save(self, target: Path, data: bytes) -> None:
        try:
            write_atomically(target, data)
        except OSError as exc:
            self._tell(f"无法写入文件：{target}（{exc.strerror}）")
            return
        self._tell(f"已导出案件列表：{target}")

    def _tell(self, text: str) -> None:
        self.message = text
        status = getattr(self.parent, "statusBar", None)
        if status is not None:
            status().showMessage(text, 10000)
