"""Working-day calendar: weekends, public holidays and 调休 make-up workdays.

A `WorkCalendar` is an immutable value built from rows (`CalendarDay`), so the same engine works
with the seeded CSV, an imported CSV or rows the database keeps. Import is all-or-nothing: a file
with any bad row is rejected whole, every problem reported with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

from models.errors import DomainError

DayKind = Literal["holiday", "workday"]

SEED_CSV = Path(__file__).resolve().parent.parent / "data" / "holidays_cn.csv"
CSV_COLUMNS = ("date", "kind", "name")

# Accepted spellings of the kind column; Chinese ones because users edit the file in Excel/WPS.
_KIND_ALIASES: dict[str, DayKind] = {
    "holiday": "holiday",
    "放假": "holiday",
    "休": "holiday",
    "假": "holiday",
    "workday": "workday",
    "上班": "workday",
    "班": "workday",
    "调休上班": "workday",
}
_DATE_PATTERN = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")


class CalendarImportError(DomainError):
    """A calendar file was rejected; `problems` lists every bad line ("第N行：…")."""

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(problems[:20])
        more = f"\n……另有 {len(problems) - 20} 处问题" if len(problems) > 20 else ""
        super().__init__(f"节假日文件未导入（共 {len(problems)} 处问题，未做任何修改）：\n{shown}{more}")
        self.problems = tuple(problems)


@dataclass(frozen=True, order=True)
class CalendarDay:
    """One row of the calendar: a public holiday or a 调休 make-up workday."""

    day: date
    kind: DayKind
    name: str = ""


class WorkCalendar:
    """Answers "is this a working day?" for PRC rules: Mon–Fri work, Sat/Sun rest,
    holidays rest even on weekdays, make-up workdays (调休上班) work even on weekends."""

    def __init__(
        self, holidays: Iterable[date] = (), workdays: Iterable[date] = (), names: dict[date, str] | None = None
    ) -> None:
        self._holidays = frozenset(holidays)
        self._workdays = frozenset(workdays)
        clash = self._holidays & self._workdays
        if clash:
            listed = "、".join(d.isoformat() for d in sorted(clash))
            raise DomainError(f"同一天不能既是放假日又是调休上班日：{listed}")
        self._names = dict(names or {})

    @classmethod
    def from_rows(cls, rows: Iterable[CalendarDay]) -> WorkCalendar:
        """Build from rows (e.g. loaded from the database)."""
        rows = list(rows)
        return cls(
            holidays=(r.day for r in rows if r.kind == "holiday"),
            workdays=(r.day for r in rows if r.kind == "workday"),
            names={r.day: r.name for r in rows if r.name},
        )

    def rows(self) -> list[CalendarDay]:
        """All rows, sorted by date — for export or for saving to the database."""
        holidays = [CalendarDay(d, "holiday", self._names.get(d, "")) for d in self._holidays]
        workdays = [CalendarDay(d, "workday", self._names.get(d, "")) for d in self._workdays]
        return sorted(holidays + workdays)

    @property
    def covered_years(self) -> frozenset[int]:
        """Years that have at least one row; outside them only weekends are known."""
        return frozenset(d.year for d in self._holidays | self._workdays)

    def covers(self, day: date) -> bool:
        return day.year in self.covered_years

    def missing_years(self, start: date, end: date) -> list[int]:
        """Years between `start` and `end` (inclusive) whose holidays this calendar does not know."""
        return [year for year in range(start.year, end.year + 1) if year not in self.covered_years]


    def name_of(self, day: date) -> str:
        return self._names.get(day, "")

    def is_holiday(self, day: date) -> bool:
        return day in self._holidays

    def is_makeup_workday(self, day: date) -> bool:
        return day in self._workdays

    def is_working_day(self, day: date) -> bool:
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        candidate = day + timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate += timedelta(days=1)
        return candidate

    def roll_forward(self, day: date) -> date:
        """`day` itself if it is a working day, else the next one (民诉法 Art. 85 / 民法典 Art. 203)."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (the start day is not counted); count 0 gives `day`."""
        if count < 0:
            raise ValueError("工作日天数不能为负数")
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end] — the inverse of add_working_days."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkCalendar) and self.rows() == other.rows()

    def __hash__(self) -> int:
        return hash((self._holidays, self._workdays))

    def __repr__(self) -> str:
        return f"WorkCalendar({len(self._holidays)} holidays, {len(self._workdays)} workdays)"


# ---- CSV import / export -------------------------------------------------------------------


def parse_calendar_csv(text: str) -> WorkCalendar:
    """Parse CSV text (header `date,kind,name`; `#` lines are comments). All-or-nothing."""
    problems: list[str] = []
    rows: list[CalendarDay] = []
    seen: dict[date, int] = {}
    header_seen = False
    for line_no, fields in _numbered_records(text):
        if not header_seen:
            header_seen = True
            problem = _header_problem(fields)
            if problem:
                raise CalendarImportError([f"第{line_no}行：{problem}"])
            continue
        row, problem = _parse_row(fields)
        if row is not None and problem is None and row.day in seen:
            problem = f"日期 {row.day.isoformat()} 与第{seen[row.day]}行重复"
        if problem or row is None:
            problems.append(f"第{line_no}行：{problem}")
            continue
        seen[row.day] = line_no
        rows.append(row)
    if not header_seen:
        problems.append("文件为空，缺少表头 date,kind,name")
    if problems:
        raise CalendarImportError(problems)
    return WorkCalendar.from_rows(rows)


def load_calendar_csv(path: str | Path) -> WorkCalendar:
    """Read a CSV file saved as UTF-8 (with or without BOM) or GBK/GB18030 (Excel on Chinese Windows).
    Anything else (a UTF-8 file with a stray byte, a device, a huge file) is refused by line."""
    file = Path(path)
    if not file.is_file():
        raise CalendarImportError([f"不是可读取的文件：{file}"])
    if file.stat().st_size > MAX_CSV_BYTES:
        raise CalendarImportError([f"文件过大（超过 {MAX_CSV_BYTES // 1024} KB），不像节假日日历"])
    return parse_calendar_csv(decode_csv(file.read_bytes()))


MAX_CSV_BYTES = 1024 * 1024


def decode_csv(raw: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030; a file that is mostly UTF-8 but has a bad byte is UTF-8
    damaged (decoding it as GB18030 would store mojibake), refused with its line number."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[:exc.start].count(b"\n") + 1
        if any(_is_utf8_text(line) for line in raw.splitlines()):
            raise CalendarImportError([f"第{bad_line}行：含有不是 UTF-8 的字符，请另存为 UTF-8 或 GBK 编码的 CSV"]) from exc
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        bad_line = raw[:exc.start].count(b"\n") + 1
        raise CalendarImportError([f"第{bad_line}行：编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV"]) from exc


def _is_utf8_text(line: bytes) -> bool:
    """A line with non-ASCII characters that is valid UTF-8 (GBK text almost never is)."""
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def dump_calendar_csv(calendar: WorkCalendar) -> str:
    """CSV text of the calendar, readable back by parse_calendar_csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in calendar.rows():
        writer.writerow((row.day.isoformat(), row.kind, row.name))
    return out.getvalue()


def save_calendar_csv(calendar: WorkCalendar, path: str | Path) -> None:
    """Write with a BOM so Excel/WPS open the Chinese names correctly."""
    Path(path).write_text(dump_calendar_csv(calendar), encoding="utf-8-sig", newline="")


@cache
def default_calendar() -> WorkCalendar:
    """The seeded PRC calendar (2024–2026) shipped in models/data/holidays_cn.csv."""
    return load_calendar_csv(SEED_CSV)


def _numbered_records(text: str) -> Iterable[tuple[int, list[str]]]:
    """Yield (1-based line number, fields) for each non-blank, non-comment line."""
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        yield line_no, [f.strip() for f in next(csv.reader([line]))]


def _header_problem(fields: list[str]) -> str | None:
    if [f.lower() for f in fields[:3]] == list(CSV_COLUMNS):
        return None
    return f"表头应为 date,kind,name，实际为 {','.join(fields)}"


def _parse_row(fields: list[str]) -> tuple[CalendarDay, None] | tuple[None, str]:
    if len(fields) < 2 or len(fields) > 3:
        return None, f"应有 2～3 列（日期,类型,名称），实际 {len(fields)} 列"
    day = _parse_date(fields[0])
    if day is None:
        return None, f"日期“{fields[0]}”无效，应写成 2024-02-10"
    kind = _KIND_ALIASES.get(fields[1].lower())
    if kind is None:
        return None, f"类型“{fields[1]}”无效，应为 holiday（放假）或 workday（调休上班）"
    if kind == "workday" and day.weekday() < 5:
        return None, f"{day.isoformat()} 是工作日（周一至周五），无需标为调休上班"
    name = fields[2] if len(fields) == 3 else ""
    return CalendarDay(day, kind, name), None


def _parse_date(value: str) -> date | None:
    match = _DATE_PATTERN.match(value.translate(_FULLWIDTH_DIGITS))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def coverage_warning(missing_years: list[int]) -> str | None:
    """What to tell the user when a deadline is counted through years with no holiday data: it is
    then only rolled past weekends, so it may fall on a public holiday."""
    if not missing_years:
        return None
    return f"{'、'.join(f'{year}年' for year in missing_years)}节假日安排未导入，期限仅按周末顺延"
