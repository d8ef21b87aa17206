"""矛盾纠纷排查调处台账: one model for the PDF, DOCX and XLSX ledgers.

Each case is one row; its parties are one line each, with the ID and phone of that party beside
it (an empty slot where a party has none, so nothing shifts). A4 landscape prints the clerk's
column set with 协议形式/履行/司法确认/回访 folded into 化解情况; A3 landscape and the XLSX give
every field its own column, 层级 included. Rows become cell values lazily, so a 50,000-row ledger
never holds all its strings at once. Totals follow the table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import overload

from templates.blocks import Block, Document, LedgerColumn, LedgerTable, LedgerValue, Note, Paragraph, Title
from templates.context import LedgerContext, LedgerRow, LedgerTotals
from templates.privacy import mask_id, mask_phone
from templates.text import cn_date
from templates.wording import load

LEDGER_SIZE = 9.0  # the smallest type a clerk reads without a loupe (issue #12)
ID_FIT = "62098119601011123X"  # a full number: digits are wider than the mask's stars
DATE_FIT = "2026-11-23"

_C = LedgerColumn
NUMBER = _C("no", "序号", fit="99999", align="center", kind="int")
CASE_NUMBER = _C("case_number", "案件编号", fit="2026", flex=1.0)
REGISTERED = _C("registered_on", "登记日期", fit=DATE_FIT, align="center", kind="date")
SOURCE = _C("source", "来源", fit="两字", flex=0.3)
LEVEL = _C("level", "层级", fit="三个字", flex=0.8)
PARTY = _C("party", "当事人", fit="三个字", flex=0.8, party=True)
ID_NUMBER = _C("id_number", "证件号码", fit=ID_FIT, party=True)
PHONE = _C("phone", "联系电话", fit="13912345678", party=True)
DISPUTE_TYPE = _C("dispute_type", "纠纷类型", fit="两字", flex=0.4)
SUMMARY = _C("summary", "简要情况", fit="四个字", flex=4.0)
AMOUNT = _C("amount", "涉及金额（元）", fit="999,999.99", align="right", kind="amount")
RISK = _C("risk_level", "风险", fit="两字", flex=0.2, align="center")
STAGE = _C("stage", "阶段", fit="两字", align="center")
RESPONSIBLE = _C("responsible", "责任人", fit="三个字", flex=0.5)
DEADLINE = _C("deadline", "化解时限", fit=DATE_FIT, align="center", kind="date")
RESULT = _C("result", "化解情况", fit="四个字", flex=1.5)
AGREEMENT_FORM = _C("agreement_form", "协议形式", fit="口头协议", align="center")
PERFORMANCE = _C("performance", "履行情况", fit="四个字", flex=0.5)
CONFIRMATION = _C("confirmation", "司法确认", fit="四个字", flex=0.5)
FOLLOW_UP = _C("follow_up", "回访", fit="基本满意", align="center")
SUPERVISION = _C("supervision", "交办督办情况", fit="两字", flex=1.2)
CLOSED = _C("closed_on", "办结日期", fit=DATE_FIT, align="center", kind="date")
REMARK = _C("remark", "备注", fit="两字", flex=0.6)

A4_COLUMNS = (NUMBER, CASE_NUMBER, REGISTERED, SOURCE, PARTY, ID_NUMBER, PHONE, DISPUTE_TYPE, SUMMARY, AMOUNT, RISK,
              STAGE, RESPONSIBLE, DEADLINE, RESULT, SUPERVISION, CLOSED, REMARK)
FULL_COLUMNS = (NUMBER, CASE_NUMBER, REGISTERED, SOURCE, LEVEL, PARTY, ID_NUMBER, PHONE, DISPUTE_TYPE, SUMMARY, AMOUNT,
                RISK, STAGE, RESPONSIBLE, DEADLINE, RESULT, AGREEMENT_FORM, PERFORMANCE, CONFIRMATION, FOLLOW_UP,
                SUPERVISION, CLOSED, REMARK)
NO_RESULT_YET = "办理中"
CLOSED_STAGES = ("办结", "归档")


def columns_for(paper: str) -> tuple[LedgerColumn, ...]:
    return FULL_COLUMNS if paper != "A4" else A4_COLUMNS


def money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def cell_text(value: LedgerValue) -> str:
    """How every format prints a value (the XLSX shows typed cells formatted the same way)."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "\n".join(value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def result_category(row: LedgerRow) -> str:
    """What the totals count a case under: its 调解结果, else 已办结 / 办理中."""
    return row.outcome or ("已办结" if row.stage in CLOSED_STAGES else NO_RESULT_YET)


def folded_result(row: LedgerRow) -> tuple[str, ...]:
    """化解情况 on A4: the result, then 协议形式, 履行, 司法确认 and 回访 one line each."""
    labelled = (("协议", row.agreement_form), ("履行", row.performance), ("司法确认", row.confirmation),
                ("回访", row.follow_up))
    return tuple(v for v in (row.result, *(f"{k}：{v}" for k, v in labelled if v)) if v)


class LedgerCells(Sequence[tuple[LedgerValue, ...]]):
    """A read-only view turning LedgerRow objects into cell values on demand."""

    def __init__(self, rows: Sequence[LedgerRow], columns: tuple[LedgerColumn, ...], unmasked: bool) -> None:
        self._rows = rows
        self._keys = tuple(c.key for c in columns)
        self._unmasked = unmasked
        self._folded = "agreement_form" not in self._keys  # A4: 协议/履行/司法确认/回访 inside 化解情况

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> tuple[LedgerValue, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[LedgerValue, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[LedgerValue, ...] | list[tuple[LedgerValue, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        values = self.values(index, self._rows[index])
        return tuple(values[key] for key in self._keys)

    def values(self, index: int, row: LedgerRow) -> dict[str, LedgerValue]:
        count = max(1, len(row.parties), len(row.id_numbers), len(row.phones))
        ids = _aligned(row.id_numbers, count)
        phones = _aligned(row.phones, count)
        if not self._unmasked:  # the service masks already; this guards any other caller
            ids = tuple(mask_id(v) if v else "" for v in ids)
            phones = tuple(mask_phone(v) if v else "" for v in phones)
        return {
            "no": index + 1, "case_number": row.case_number, "registered_on": row.registered_on,
            "source": row.source, "level": row.level, "party": _aligned(row.parties, count), "id_number": ids,
            "phone": phones, "dispute_type": row.dispute_type, "summary": row.summary, "amount": row.amount,
            "risk_level": row.risk_level, "stage": row.stage, "responsible": row.responsible,
            "deadline": row.deadline, "result": folded_result(row) if self._folded else row.result, "agreement_form": row.agreement_form,
            "performance": row.performance, "confirmation": row.confirmation, "follow_up": row.follow_up,
            "supervision": row.supervision, "closed_on": row.closed_on, "remark": row.remark,
        }


def _aligned(values: tuple[str, ...], count: int) -> tuple[str, ...]:
    return tuple(values) + ("",) * (count - len(values))


def count_totals(rows: Sequence[LedgerRow]) -> LedgerTotals:
    """Totals by walking the rows (samples, tests); a database ledger counts them in SQL."""
    stages: Counter[str] = Counter()
    results: Counter[str] = Counter()
    amount, widest = Decimal(0), None
    for start in range(0, len(rows), 1000):  # by length and slices: lazy row sources need not iterate
        for row in rows[start : start + 1000]:
            _count(row, stages, results)
            if row.amount is not None:
                amount += row.amount
                widest = row.amount if widest is None or abs(row.amount) > abs(widest) else widest
    return LedgerTotals(len(rows), amount, tuple(stages.most_common()), tuple(results.most_common()), widest)


def _count(row: LedgerRow, stages: Counter[str], results: Counter[str]) -> None:
    stages[row.stage] += 1
    results[result_category(row)] += 1


def totals_lines(totals: LedgerTotals) -> list[str]:
    w = load("ledger")
    counted = "，".join
    return [
        w["total"].format(count=totals.cases, amount=money(totals.amount)),
        w["by_stage"].format(items=counted(f"{k or '未定'} {n} 件" for k, n in totals.by_stage) or "无"),
        w["by_result"].format(items=counted(f"{k} {n} 件" for k, n in totals.by_result) or "无"),
    ]


def build(context: LedgerContext) -> Document:
    return build_for(context, context.paper)


def build_for(context: LedgerContext, paper: str) -> Document:
    """The ledger laid out for `paper` ("A4" printed set, "A3" or "full" every field)."""
    w = load("ledger")
    heading = "　　".join(
        [
            w["unit"].format(unit=context.reporting_unit),
            w["reporter"].format(reporter=context.reporter),
            w["date"].format(date=cn_date(context.report_date)),
        ]
    )
    blocks: list[Block] = [Title(context.title), Paragraph(heading, indent=False, align="left", size=LEDGER_SIZE + 1)]
    if context.filter_description:
        text = w["filter"].format(filter=context.filter_description)
        blocks.append(Paragraph(text, indent=False, align="left", size=LEDGER_SIZE + 1))
    totals = context.totals or count_totals(context.rows)
    columns = _sized(columns_for(paper), totals, len(context.rows))
    cells = LedgerCells(context.rows, columns, context.unmasked)
    blocks.append(LedgerTable(columns, cells, size=LEDGER_SIZE, paper="A4" if paper == "A4" else "A3"))
    blocks += [Paragraph(line, indent=False, align="left", size=LEDGER_SIZE + 1) for line in totals_lines(totals)]
    if not context.unmasked:
        blocks.append(Note(w["masked_note"]))
    if context.chain_anchor:
        blocks.append(Note(w["anchor"].format(anchor=context.chain_anchor)))
    return Document(title=context.title, blocks=tuple(blocks), orientation="landscape", body_size=10.0)


def _sized(columns: tuple[LedgerColumn, ...], totals: LedgerTotals, count: int) -> tuple[LedgerColumn, ...]:
    """序号 and 涉及金额 sized to this ledger's widest value, so neither is ever broken."""
    widest = money(totals.widest_amount) if totals.widest_amount is not None else ""
    out = []
    for column in columns:
        if column.key == "no":
            column = _C(**{**column.__dict__, "fit": "9" * max(4, len(str(count)))})
        elif column.key == "amount" and len(widest) > len(column.fit):
            column = _C(**{**column.__dict__, "fit": widest})
        out.append(column)
    return tuple(out)


__all__ = ["A4_COLUMNS", "FULL_COLUMNS", "LedgerCells", "build", "build_for", "cell_text", "count_totals"]
