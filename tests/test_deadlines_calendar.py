"""Working-day calendar: seeded PRC holidays and 调休, working-day arithmetic, CSV import/export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.deadlines import (
    CalendarDay,
    CalendarImportError,
    WorkCalendar,
    default_calendar,
    dump_calendar_csv,
    load_calendar_csv,
    parse_calendar_csv,
    save_calendar_csv,
)
from models.errors import DomainError

D = date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 4), True),  # 周日，春节调休上班
        (D(2024, 2, 9), True),  # 2024 除夕不是法定假日
        (D(2024, 2, 12), False),  # 周一，春节
        (D(2024, 2, 18), True),  # 周日，春节调休上班
        (D(2025, 1, 28), False),  # 2025 除夕放假（新规）
        (D(2025, 2, 8), True),  # 周六调休上班
        (D(2025, 5, 2), False),  # 2025 劳动节增加的一天
        (D(2026, 2, 14), True),  # 周六调休上班
        (D(2026, 2, 23), False),  # 2026 春节最后一天（周一）
        (D(2026, 10, 10), True),  # 周六调休上班
        (D(2024, 3, 9), False),  # 普通周六
        (D(2024, 3, 11), True),  # 普通周一
    ],
)
def test_seed_calendar_days(day: date, working: bool) -> None:
    assert default_calendar().is_working_day(day) is working


def test_seed_covers_2024_to_2026_with_names() -> None:
    calendar = default_calendar()
    assert calendar.covered_years == {2024, 2025, 2026}
    assert calendar.name_of(D(2024, 2, 4)) == "春节调休上班"
    assert calendar.is_makeup_workday(D(2025, 1, 26))
    assert calendar.is_holiday(D(2025, 10, 8))
    assert not calendar.covers(D(2027, 1, 1))


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2025, 1, 24), 0, D(2025, 1, 24)),
        (D(2025, 1, 24), 1, D(2025, 1, 26)),  # 周日调休上班
        (D(2025, 1, 24), 2, D(2025, 1, 27)),
        (D(2025, 1, 24), 3, D(2025, 2, 5)),  # 跨春节 1月28日–2月4日
        (D(2025, 1, 24), 6, D(2025, 2, 8)),  # 周六调休上班
        (D(2024, 2, 8), 2, D(2024, 2, 18)),
        (D(2024, 9, 27), 1, D(2024, 9, 29)),  # 国庆前周日上班
        (D(2024, 9, 27), 2, D(2024, 9, 30)),
        (D(2024, 9, 27), 3, D(2024, 10, 8)),
    ],
)
def test_add_working_days(start: date, count: int, expected: date) -> None:
    calendar = default_calendar()
    assert calendar.add_working_days(start, count) == expected
    assert calendar.working_days_between(start, expected) == count


def test_next_working_day_and_roll_forward() -> None:
    calendar = default_calendar()
    assert calendar.next_working_day(D(2024, 9, 30)) == D(2024, 10, 8)
    assert calendar.roll_forward(D(2024, 10, 3)) == D(2024, 10, 8)
    assert calendar.roll_forward(D(2024, 10, 12)) == D(2024, 10, 12)  # 周六调休上班
    assert calendar.next_working_day(D(2024, 10, 11)) == D(2024, 10, 12)


def test_negative_working_days_refused() -> None:
    with pytest.raises(ValueError):
        default_calendar().add_working_days(D(2024, 1, 1), -1)


def test_calendar_from_rows_round_trips() -> None:
    rows = [CalendarDay(D(2030, 1, 1), "holiday", "元旦"), CalendarDay(D(2030, 1, 5), "workday", "")]
    calendar = WorkCalendar.from_rows(rows)
    assert calendar.rows() == rows
    assert not calendar.is_working_day(D(2030, 1, 1))
    assert calendar.is_working_day(D(2030, 1, 5))


def test_same_day_holiday_and_workday_refused() -> None:
    with pytest.raises(DomainError, match="2030-01-05"):
        WorkCalendar(holidays=[D(2030, 1, 5)], workdays=[D(2030, 1, 5)])


def test_csv_round_trip_of_seed(tmp_path: Path) -> None:
    path = tmp_path / "cal.csv"
    save_calendar_csv(default_calendar(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    assert load_calendar_csv(path) == default_calendar()
    assert parse_calendar_csv(dump_calendar_csv(default_calendar())) == default_calendar()


def test_csv_accepts_chinese_kinds_slashes_fullwidth_and_gbk(tmp_path: Path) -> None:
    text = (
        "# 本地补充\ndate,kind,name\n2027/2/6,放假,春节\n２０２７－０２－１３,上班,春节调休上班\n\n2027-02-07,holiday\n"
    )
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    calendar = load_calendar_csv(path)
    assert calendar.rows() == [
        CalendarDay(D(2027, 2, 6), "holiday", "春节"),
        CalendarDay(D(2027, 2, 7), "holiday", ""),
        CalendarDay(D(2027, 2, 13), "workday", "春节调休上班"),
    ]


def test_csv_reports_every_bad_row_with_line_numbers() -> None:
    text = (
        "date,kind,name\n"  # 1
        "2024-02-10,holiday,春节\n"  # 2 ok
        "2024-02-30,holiday,春节\n"  # 3 no such day
        "2024-02-11,休假,春节\n"  # 4 bad kind
        "2024-02-10,holiday,重复\n"  # 5 duplicate of line 2
        "2024-02-05,workday,周一\n"  # 6 weekday as make-up
        "2024-02-12\n"  # 7 too few columns
        "2024-02-13,holiday,a,b\n"  # 8 too many columns
    )
    with pytest.raises(CalendarImportError) as info:
        parse_calendar_csv(text)
    problems = info.value.problems
    assert [p.split("：")[0] for p in problems] == ["第3行", "第4行", "第5行", "第6行", "第7行", "第8行"]
    assert "2024-02-30" in problems[0]
    assert "休假" in problems[1]
    assert "第2行重复" in problems[2]
    assert "无需标为调休上班" in problems[3]
    assert "未做任何修改" in info.value.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "缺少表头"),
        ("# only a comment\n", "缺少表头"),
        ("日期,类型,名称\n2024-01-01,holiday,元旦\n", "第1行：表头应为"),
    ],
)
def test_csv_header_problems(text: str, fragment: str) -> None:
    with pytest.raises(CalendarImportError, match=fragment):
        parse_calendar_csv(text)


def test_undecodable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"date,kind,name\n\xff\xff\xff\xff,\x80\n")
    with pytest.raises(CalendarImportError, match="编码"):
        load_calendar_csv(path)
