"""`mediation-desk render`, `export ledger`, `agreement add` and `documents` over the demo database:
real PDFs checked by their text, the register's hash checked against the file, and every bad input
answered by one Chinese line, a non-zero exit and no file."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from models.cases.agreements import IssuedDocument
from models.db import Database
from models.org.entities import Role
from tests.support.cli_signin import assign_to_cli_mediator, main_as
from tests.support.documents import (
    FULL_ID,
    case_without_agreement,
    db_url,
    oral_case,
    pdf_text,
    recent_agreement,
    written_case,
)

CASE_KINDS_PRINTING_PARTIES = ("agreement", "intake-form", "mediation-record", "confirmation-application")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main_as(Role.MEDIATOR, args)
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), err
    return lines[0]


@pytest.mark.parametrize(
    "kind", ["agreement", "oral-agreement", "intake-form", "mediation-record", "follow-up",
             "confirmation-application", "dossier"],
)
def test_render_every_kind_to_pdf(capsys, demo_db: Database, tmp_path, kind: str) -> None:
    case = oral_case(demo_db) if kind == "oral-agreement" else written_case(demo_db)
    if kind == "confirmation-application":
        recent_agreement(demo_db, case.id)  # inside the 30-day window, or it is refused
    target = tmp_path / f"{kind}.pdf"
    code, out, _err = _run(capsys, "--db", db_url(demo_db), "render", kind, case.number, "--format", "pdf", "-o", str(target))
    assert code == 0 and "已生成" in out
    text = pdf_text(target.read_bytes())
    with demo_db.read() as s:
        row = s.scalars(select(IssuedDocument).where(IssuedDocument.kind == kind)).one()
    assert row.number in text and row.case_id == case.id
    if kind not in ("agreement", "oral-agreement", "confirmation-application"):
        assert case.number in text
    printed = [name in text for name in case.party_names]
    assert all(printed) if kind in CASE_KINDS_PRINTING_PARTIES else any(printed)


def test_render_records_the_sha256_of_the_written_file(capsys, demo_db: Database, tmp_path) -> None:
    case = written_case(demo_db)
    target = tmp_path / "协议.docx"
    code, _out, _err = _run(capsys, "--db", db_url(demo_db), "render", "agreement", case.number, "-o", str(target))
    assert code == 0
    with demo_db.read() as s:
        row = s.scalars(select(IssuedDocument)).one()
    assert row.file_format == "docx"  # taken from the file's extension
    assert row.sha256 == hashlib.sha256(target.read_bytes()).hexdigest() and row.size == target.stat().st_size
    code, out, _err = _run(capsys, "--db", db_url(demo_db), "documents", case.number)
    assert code == 0 and row.number in out and row.sha256[:16] in out


def test_agreement_document_without_an_agreement_is_refused(capsys, demo_db: Database, tmp_path) -> None:
    case = case_without_agreement(demo_db)
    target = tmp_path / "a.pdf"
    code, _out, err = _run(capsys, "--db", db_url(demo_db), "render", "agreement", case.number, "-o", str(target))
    assert code != 0 and "该案件尚未达成调解协议" in _one_line_error(err)
    assert not target.exists() and not any(p.name.startswith(".a.pdf") for p in tmp_path.iterdir())
    with demo_db.read() as s:
        assert s.scalars(select(IssuedDocument)).first() is None


@pytest.mark.parametrize("relative", ["missing/a.pdf", "afile/a.pdf"])
def test_unwritable_path_is_refused_without_a_file(capsys, demo_db: Database, tmp_path, relative: str) -> None:
    (tmp_path / "afile").write_text("not a folder")
    target = tmp_path / relative
    code, _out, err = _run(capsys, "--db", db_url(demo_db), "render", "intake-form", written_case(demo_db).number,
                           "-o", str(target))
    assert code != 0 and "输出目录不存在" in _one_line_error(err)
    assert not target.exists()
    with demo_db.read() as s:
        assert s.scalars(select(IssuedDocument)).first() is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("render", "bogus", "X"), "未知的文书类型"),
        (("render", "intake-form", "不存在的案号"), "找不到案件"),
        (("render", "intake-form", "不存在的案号", "--format", "xls"), "不支持的格式"),
        (("export", "ledger", "--from", "2026-02-30"), "日期无效"),
        (("export", "ledger", "--from", "2026-03-01", "--to", "2026-02-01"), "开始日期晚于结束日期"),
        (("export", "ledger", "--desk", "没有这个窗口"), "找不到窗口"),
        (("export", "ledger", "--level", "第一网格"), "同名单位"),
        (("export", "ledger", "--stage", "审"), "未知的阶段"),
    ],
)
def test_bad_input_prints_one_chinese_line(capsys, demo_db: Database, tmp_path, args, message) -> None:
    target = tmp_path / "out.pdf"
    code, _out, err = _run(capsys, "--db", db_url(demo_db), *args, "-o", str(target))
    assert code != 0 and message in _one_line_error(err)
    assert not target.exists()


def _ledger(capsys, demo_db: Database, tmp_path, *args: str) -> str:
    target = tmp_path / "ledger.pdf"
    code, out, err = _run(capsys, "--db", db_url(demo_db), "export", "ledger", *args, "-o", str(target))
    assert code == 0, err
    assert "已导出" in out
    return pdf_text(target.read_bytes())


def test_ledger_export_reflects_period_desk_and_stage(capsys, demo_db: Database, tmp_path) -> None:
    from models.cases.queries import find_desk_id
    from models.documents.service import LedgerFilter, ledger_context

    with demo_db.read() as s:
        flt = LedgerFilter(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30), desk_id=find_desk_id(s, "警调窗口"),
                           stage="归档")
        expected = [r.case_number for r in ledger_context(s, flt, "").rows]
        others = [r.case_number for r in ledger_context(s, LedgerFilter(stage="诊"), "").rows]
    text = _ledger(capsys, demo_db, tmp_path, "--from", "2026-01-01", "--to", "2026年6月30日", "--desk", "警调窗口",
                   "--stage", "archived")
    assert expected and all(number in text for number in expected)
    assert not any(number in text for number in others)
    assert "期间：2026年1月1日至2026年6月30日" in text and "窗口：警调窗口" in text and "阶段：归档" in text
    assert f"共{len(expected)}件" in text


def test_ledger_pdf_has_no_full_id_number_by_default(capsys, demo_db: Database, tmp_path) -> None:
    text = _ledger(capsys, demo_db, tmp_path, "--reporter", "孙丽")
    assert "审计链锚点" in text and "孙丽" in text
    assert not FULL_ID.search(text)


def test_unmasked_ledger_is_audited(capsys, demo_db: Database, tmp_path) -> None:
    from models.cases.entities import Case, Party
    from models.security.audit import AuditEntry

    text = _ledger(capsys, demo_db, tmp_path, "--stage", "归档", "--unmasked", "--reason", "法院调卷核对")
    with demo_db.read() as s:
        full = s.scalars(select(Party.id_number).join(Case, Case.id == Party.case_id)
                         .where(Case.stage == "归档", Party.id_number.is_not(None))).first()
    assert full and full in text  # columns sit side by side in the text layer: look for a known number
    with demo_db.read() as s:
        event = s.scalars(select(AuditEntry).where(AuditEntry.action == "export_unmasked")).one()
    assert "法院调卷核对" in event.detail


def test_agreement_add_then_render(capsys, demo_db: Database, tmp_path) -> None:
    case = case_without_agreement(demo_db)
    url = db_url(demo_db)
    assign_to_cli_mediator(url, case.number)  # a mediator records agreements on their own cases
    code, out, err = _run(capsys, "--db", url, "agreement", "add", case.number, "--item", "乙方向甲方支付{amount}。",
                          "--item", "双方再无争议。", "--amount", "1.2万", "--signed", "2026-11-01",
                          "--deadline", "2026-11-30", "--performance", "银行转账")
    assert code == 0 and "已登记书面协议" in out, err
    target = tmp_path / "a.pdf"
    assert _run(capsys, "--db", url, "render", "agreement", case.number, "-o", str(target))[0] == 0
    text = pdf_text(target.read_bytes())
    assert "人民币壹万贰仟元整（¥12,000.00）" in text and "2、双方再无争议。" in text and "2026年11月30日前履行完毕" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [(("--amount", "abc"), "协议金额"), (("--signed", "2026-13-01"), "签订日期"), (("--deadline", "明天"), "履行期限")],
)
def test_agreement_add_rejects_bad_values(capsys, demo_db: Database, extra, message) -> None:
    case = case_without_agreement(demo_db)
    code, _out, err = _run(capsys, "--db", db_url(demo_db), "agreement", "add", case.number, "--item", "x", *extra)
    assert code != 0 and message in _one_line_error(err)
