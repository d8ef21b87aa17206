"""The 台账 a clerk can read (issue #12 item 3): a case with 12 parties loses no ID or phone in
PDF, DOCX or XLSX; each party's ID and phone sit on its line; no cell is cut; no line starts
with closing punctuation; numbers stay whole; type ≥ 9 pt; totals; the filter line is exact."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from models.db import Database
from models.documents.service import LedgerFilter, describe_filter, ledger_context
from templates import blocks as b
from templates.context import LedgerContext, LedgerRow
from templates.fonts import get_fontset
from templates.kinds.ledger import build, build_for, money
from templates.ledger_pdf import MARGINS, PAGES, LedgerState
from templates.render import render
from templates.text import CANNOT_START
from tests.support.documents import pdf_text

HOSTILE = "因排水沟堵塞致院内积水；围墙倒塌，双方就赔偿数额（142,000.00元）及清理期限产生争议；" * 4


def _party_row(case: int, parties: int = 12) -> LedgerRow:
    names = tuple(f"当事人{case}之{k}" for k in range(parties))
    ids = tuple("" if k % 4 == 3 else f"6209811960{case % 10}{k % 10}0{k % 10:02d}1{k % 10}{k % 10}" for k in range(parties))
    phones = tuple("" if k % 5 == 4 else f"139{case:04d}{k:04d}" for k in range(parties))
    return LedgerRow(
        case_number=f"玉社调字〔2026〕{case}号", registered_on=date(2026, 3, case), source="来访", parties=names,
        id_numbers=ids, phones=phones, dispute_type="邻里纠纷", summary=HOSTILE[:200],
        amount=Decimal("142000.00") * case, risk_level="黄色（较大）", stage="办结" if case % 2 else "调",
        responsible="人民调解窗口／赵红梅", deadline=date(2026, 4, case), result="书面协议",
        agreement_form="书面协议", performance="已履行", confirmation="确认有效", follow_up="满意",
        supervision="督办〔2026〕3号（黄，已回复）", closed_on=date(2026, 4, 2) if case % 2 else None,
        remark="备注" + "；" * 12, outcome="书面协议" if case % 2 else "",
    )


def _context(unmasked: bool = False, paper: str = "A4", cases: int = 3) -> LedgerContext:
    return LedgerContext(reporting_unit="玉门镇", reporter="孙丽", report_date=date(2026, 11, 23),
                         rows=[_party_row(c) for c in range(1, cases + 1)], filter_description="期间：不限至不限",
                         unmasked=unmasked, paper=paper)


def _docx_text(data: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def _xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return "".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def _strings(context: LedgerContext) -> list[str]:
    from templates.kinds.ledger import LedgerCells, columns_for

    cells = LedgerCells(context.rows, columns_for("full"), context.unmasked)
    keys = [c.key for c in columns_for("full")]
    found = []
    for index in range(len(cells)):
        row = dict(zip(keys, cells[index], strict=True))
        for key in ("party", "id_number", "phone"):
            value = row[key]
            assert isinstance(value, tuple)
            found += [v for v in value if v]
    return found


def test_twelve_parties_lose_no_id_or_phone_in_any_format() -> None:
    for unmasked in (False, True):
        context = _context(unmasked)
        wanted = _strings(context)
        assert len(wanted) > 3 * 12 * 2  # names, and most IDs and phones
        texts = {
            "pdf": pdf_text(render("ledger", context, "pdf")),
            "docx": re.sub(r"\s+", "", _docx_text(render("ledger", context, "docx"))),
            "xlsx": re.sub(r"\s+", "", _xlsx_text(render("ledger", context, "xlsx"))),
        }
        for fmt, text in texts.items():
            missing = [s for s in wanted if s not in text]
            assert not missing, (fmt, unmasked, missing[:3])
            assert HOSTILE[:200].replace(" ", "") in text, fmt  # the summary whole: nothing cut
            assert "…" not in text


def _state(context: LedgerContext, paper: str = "A4") -> LedgerState:
    document = build_for(context, paper)
    table = next(block for block in document.blocks if isinstance(block, b.LedgerTable))
    page = PAGES[table.paper]
    return LedgerState(table, get_fontset(), page[0] - MARGINS["left"] - MARGINS["right"], 500.0)


def test_each_party_line_has_its_own_id_and_phone_beside_it() -> None:
    context = _context()
    state = _state(context)
    keys = [c.key for c in state.table.columns]
    name_col, id_col, phone_col = keys.index("party"), keys.index("id_number"), keys.index("phone")
    for index, row in enumerate(context.rows):
        lines, starts = state.row(index)
        starts = [0, *starts]
        assert len(starts) == len(row.parties) == 12
        values = state.table.rows[index]
        ends = [*starts[1:], len(lines[name_col])]
        for k, line in enumerate(starts):
            assert "".join(lines[name_col][line : ends[k]]) == row.parties[k]  # a long name may wrap
            assert lines[id_col][line] == values[id_col][k]  # type: ignore[index]  # a party column: a tuple
            assert lines[phone_col][line] == values[phone_col][k]  # type: ignore[index]
        assert lines[id_col][starts[3]] == ""  # party 3 has no ID: an empty slot, nothing shifted up


def test_no_line_starts_with_closing_punctuation_and_numbers_stay_whole() -> None:
    for paper in ("A4", "A3"):
        context = _context(paper=paper)
        state = _state(context, paper)
        keys = [c.key for c in state.table.columns]
        for index, row in enumerate(context.rows):
            lines, _starts = state.row(index)
            for column in lines:
                assert not [line for line in column if line and line[0] in CANNOT_START]
            assert lines[keys.index("amount")] == [money(row.amount)]
            assert lines[keys.index("registered_on")] == [row.registered_on.isoformat()]
            assert all(len(lines[keys.index("id_number")][i]) in (0, 18) for i in range(len(lines[0])))


def test_a_row_taller_than_a_page_splits_and_repeats_the_header() -> None:
    rows = [_party_row(1, parties=80), _party_row(2)]
    context = LedgerContext(reporting_unit="玉门镇", reporter="", report_date=None, rows=rows)
    data = render("ledger", context, "pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    for page in reader.pages[:-1]:
        assert "证件号码" in re.sub(r"\s+", "", page.extract_text())  # the header on every page
    text = pdf_text(data)
    assert all(name in text for name in rows[0].parties)


def test_type_is_at_least_nine_points() -> None:
    data = render("ledger", _context(), "pdf")
    sizes = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents()
        assert content is not None
        sizes |= {float(s) for s in re.findall(rb"/\S+ ([\d.]+) Tf", content.get_data())}
    assert sizes and min(sizes) >= 9.0


def test_totals_and_closed_case_deadline_are_printed() -> None:
    context = _context()
    text = pdf_text(render("ledger", context, "pdf"))
    total = sum((r.amount for r in context.rows if r.amount is not None), Decimal(0))
    assert f"合计：共3件，涉及金额{money(total)}元" in text
    assert "按阶段：办结2件，调1件" in text and "按化解结果：书面协议2件，办理中1件" in text
    assert "2026-04-01" in text  # the 化解时限 of case 1, which is closed (办结)


def test_a3_gives_every_field_its_own_column() -> None:
    titles = [c.title for c in next(x for x in build(_context(paper="A3")).blocks
                                    if isinstance(x, b.LedgerTable)).columns]
    assert {"层级", "协议形式", "履行情况", "司法确认", "回访"} <= set(titles)
    a4 = [c.title for c in next(x for x in build(_context()).blocks if isinstance(x, b.LedgerTable)).columns]
    assert "层级" not in a4 and a4[:5] == ["序号", "案件编号", "登记日期", "来源", "当事人"]
    assert PdfReader(io.BytesIO(render("ledger", _context(paper="A3"), "pdf"))).pages[0].mediabox.width > 1100


def test_the_filter_line_says_exactly_the_filter_applied(demo_db: Database) -> None:
    with demo_db.read() as s:
        assert "类型：代码以“0_”开头的类型" in describe_filter(s, LedgerFilter(dispute_type_code="0_"))
        assert "类型：全部" in describe_filter(s, LedgerFilter())
        labour = describe_filter(s, LedgerFilter(dispute_type_code="10"))
        context = ledger_context(s, LedgerFilter(stage="办结"), "孙丽")
        closed = [r for r in context.rows]
    assert "类型：全部" not in labour and "（10" in labour
    assert context.totals is not None and context.totals.cases == len(closed)
    assert context.reporting_unit  # the unit the ledger covers
    assert any(r.deadline for r in closed)  # 化解时限 shown for closed cases too
    for row in closed:
        assert len(row.id_numbers) == len(row.phones) == len(row.parties)
