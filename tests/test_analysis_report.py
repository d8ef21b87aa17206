"""The monthly analysis report: figures and summary from the hand-counted fixtures, vector charts in
the PDF, pictures in the DOCX, the 零报告 for an empty month, and the CLI's one-line errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from models.analysis.report import monthly_report, report_context
from models.analysis.scope import Period, StatQuery
from models.db import Database
from models.dto import Actor
from models.org.entities import Role
from tests import analysis_fixtures
from tests.conftest import Cli


@pytest.fixture
def fixture_db(db: Database) -> Database:
    with db.write.begin() as session:
        analysis_fixtures.build(session)
    return db


def test_summary_is_written_from_the_figures(fixture_db: Database) -> None:
    with fixture_db.read() as session:
        ctx = report_context(session, StatQuery(Period.month(2026, 11)))
    assert ctx.summary[0].startswith("2026年11月，共收到矛盾纠纷4件（环比+300.0%，同比+300.0%），受理3件")
    assert "调解成功2件，调解成功率66.7%" in ctx.summary[0]
    assert "防止民转刑1件3人" in ctx.summary[-1]
    assert ctx.top_types[0][:3] == ("邻里纠纷", "3", "1")  # c5 in October was 邻里 too
    assert [s[2] for s in ctx.supervisions] == ["黄", "红"] and ctx.zero_report is None


def test_pdf_has_vector_charts_and_docx_has_pictures(fixture_db: Database) -> None:
    with fixture_db.read() as session:
        pdf = monthly_report(session, Actor(), Period.month(2026, 11), "pdf")
        docx = monthly_report(session, Actor(), Period.month(2026, 11), "docx")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "矛盾纠纷月度分析报告" in text and "人民调解工作统计报表" in text
    images = [name for page in reader.pages for name in (page.images.keys() if hasattr(page.images, "keys") else [])]
    assert images == []  # charts are drawn as vectors, not pasted as pictures
    media = [n for n in zipfile.ZipFile(io.BytesIO(docx)).namelist() if n.startswith("word/media/")]
    assert len(media) == 4


def test_empty_month_is_a_zero_report(fixture_db: Database) -> None:
    with fixture_db.read() as session:
        ctx = report_context(session, StatQuery(Period.month(2026, 6)))
    assert ctx.zero_report and ctx.summary == ("2026年6月，本中心未收到矛盾纠纷，无督办和防激化事项。",)


def test_report_cli_writes_the_file_or_one_line(cli_as: Cli, demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "月报.docx"
    code, stdout, err = cli_as(Role.LEADER, "report", "monthly", "--db", demo_url, "--month", "2026-11",
                               "-o", str(out))
    assert code == 0, err
    assert out.stat().st_size > 10_000 and "已生成" in stdout
    code, _, err = cli_as(Role.LEADER, "report", "monthly", "--db", demo_url, "--month", "2026-13",
                          "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and err.startswith("错误：月份格式应为 YYYY-MM") and not (tmp_path / "x.pdf").exists()
