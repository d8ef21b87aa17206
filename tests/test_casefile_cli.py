"""`mediation-desk casefile …` and `render dossier` over the demo database: a file added, a wrong
one refused in one line with nothing written, the checklist, the dossier PDF, the purge list."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from models.casefile.checklist import COURT_SOURCES
from models.casefile.entities import AgreementSigning
from models.cases.agreements import Agreement
from models.cases.entities import Case
from models.db import Database
from models.org.entities import Role
from tests.support.casefile import jpeg, pdf
from tests.support.documents import db_url, written_case


def _unsigned_written_case(db: Database) -> str:
    """A demo case (not court-referred) whose written agreement has no signed copy yet: archived demo
    cases have a complete 卷宗, so the first written agreement no longer shows a missing item."""
    with db.read() as s:
        number = s.scalars(select(Case.number).join(Agreement, Agreement.case_id == Case.id).where(
            Agreement.oral.is_(False), Agreement.id.not_in(select(AgreementSigning.agreement_id)),
            Case.source_channel.not_in(COURT_SOURCES))
            .order_by(Agreement.id)).first()
    assert number is not None, "the demo has written agreements still waiting for their signed copy"
    return number


def test_casefile_commands(cli_as, demo_db: Database, tmp_path: Path) -> None:
    url, number = db_url(demo_db), _unsigned_written_case(demo_db)
    (tmp_path / "证据.pdf").write_bytes(pdf("CLI", 2))
    (tmp_path / "伪装.pdf").write_bytes(jpeg())
    code, out, _ = cli_as(Role.MEDIATOR, "casefile", "add", "--db", url, number, str(tmp_path / "证据.pdf"),
                          "--category", "证据材料", "--description", "现场照片说明")
    assert code == 0 and "2 页" in out
    code, out, err = cli_as(Role.MEDIATOR, "casefile", "add", "--db", url, number, str(tmp_path / "伪装.pdf"),
                            "--category", "证据材料")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "与文件名所示的PDF 文件不符" in err
    code, out, _ = cli_as(Role.MEDIATOR, "casefile", "list", "--db", url, number)
    assert code == 0 and "证据.pdf" in out and "伪装.pdf" not in out  # the refused file left nothing behind
    code, out, _ = cli_as(Role.MEDIATOR, "casefile", "checklist", "--db", url, number)
    assert code == 0 and "结案方式：书面协议" in out and "✗ 缺少\u3000人民调解协议书（各方签字本）" in out
    target = tmp_path / "卷宗.pdf"
    code, out, err = cli_as(Role.MEDIATOR, "render", "dossier", "--db", url, number, "-o", str(target))
    assert code == 0, err
    assert f"共 {len(PdfReader(target).pages)} 页" in out
    code, out, err = cli_as(Role.SYSTEM_ADMIN, "casefile", "purge", "--db", url)
    assert code == 0 and "超过保管期限" in out
    code, _, err = cli_as(Role.MEDIATOR, "casefile", "purge", "--db", url)
    assert code == 2 and "无权清理过期材料" in err


def test_audit_verify_reports_an_attachment_whose_file_is_gone(cli, demo_db: Database) -> None:
    from sqlalchemy import delete

    from models.casefile.attachments import add_attachment
    from models.files.store import StoredBlob
    from tests.support.casefile import ACTOR

    case_id = written_case(demo_db).id
    with demo_db.write.begin() as s:
        view = add_attachment(s, case_id, filename="lost.pdf", data=pdf("LOST"), category="证据材料", actor=ACTOR)
    assert cli("--db", db_url(demo_db), "audit", "verify")[0] == 0
    with demo_db.write.begin() as s:
        s.execute(delete(StoredBlob).where(StoredBlob.sha256 == view.sha256))
    code, _, err = cli("--db", db_url(demo_db), "audit", "verify")
    assert code == 1 and f"卷宗材料 {view.id}" in err and "已丢失" in err
