"""卷宗 assembly: the 卷内目录 from the issued documents (one row per document, not per format) and
the attachments in the prescribed order with real page counts, and the dossier PDF — cover,
卷内目录, every item, the back cover — with each item page stamped with the 页号 the 卷内目录 gives.

Memory: items are produced one at a time into a temporary folder (a blob is read, converted to
PDF pages and dropped), then merged page by page; the finished file is written beside the target
and renamed, so a failure leaves no half file."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import clock
from models.casefile.categories import BACK_COVER, BY_KEY, SECTIONS, Section
from models.casefile.content import DOCX, IMAGE_TYPES, PDF, TYPE_NAMES
from models.casefile.entities import Attachment
from models.cases.agreements import IssuedDocument
from models.cases.service import load_case
from models.dto import Actor
from models.errors import ValidationFailed
from models.files.store import get_blob, has_blob
from models.security.audit import record_event
from models.security.permissions import Permission, require
from templates import blocks as b
from templates.context import DossierContext, DossierEntry
from templates.pdf import render_pdf
from templates.render import atomic_output, render

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DossierItem:
    """One line of the 卷内目录 and what prints under it."""

    title: str
    remark: str = ""
    attachment_id: int | None = None
    media_type: str = PDF
    sha256: str = ""
    pages: int | None = None  # known for attachments; an issued document's once rendered
    kind: str = ""  # an issued document's kind
    issued_ids: tuple[int, ...] = ()  # its register rows (PDF and DOCX of one document)
    personal: bool = False


@dataclass(frozen=True)
class DossierResult:
    path: Path
    pages: int  # all pages of the file (cover and 卷内目录 included)
    entries: tuple[DossierEntry, ...]
    front_pages: int  # cover + 卷内目录 (not numbered; the item pages start at 页号 1)
    sha256: str


def dossier_items(session: Session, case_id: int) -> list[DossierItem]:
    """The 卷内目录 lines in archival order: per section, its issued documents then its attachments."""
    issued = _issued_groups(session, case_id)
    attachments = session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)).all()
    found: list[DossierItem] = []
    for section in SECTIONS:
        for kind in section.kinds:
            found += [_issued_item(section, kind, rows) for (k, _n), rows in issued.items() if k == kind]
        found += [_attachment_item(section, a) for a in attachments if a.category == section.key]
    return found


def _issued_groups(session: Session, case_id: int) -> dict[tuple[str, str], list[IssuedDocument]]:
    groups: dict[tuple[str, str], list[IssuedDocument]] = {}
    query = select(IssuedDocument).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.id)
    for row in session.scalars(query):
        groups.setdefault((row.kind, row.number), []).append(row)
    return groups


def _issued_item(section: Section, kind: str, rows: list[IssuedDocument]) -> DossierItem:
    latest = rows[-1]
    remark = latest.number + ("（更正）" if latest.corrects_id else "")
    return DossierItem(section.title, remark, kind=kind, issued_ids=tuple(r.id for r in rows))


def _attachment_item(section: Section, row: Attachment) -> DossierItem:
    what = row.description or row.filename
    title = f"{section.title}（{what}）" if what else section.title
    remark = "Word 原件另存" if row.media_type == DOCX else ""
    return DossierItem(title, remark, attachment_id=row.id, media_type=row.media_type, sha256=row.sha256,
                       pages=row.pages, personal=section.personal)


def page_ranges(items: list[DossierItem], pages: list[int]) -> list[str]:
    """页号 of each item: "3" or "3-5", counted from 1 after the 卷内目录."""
    found, start = [], 1
    for count in pages:
        found.append(str(start) if count == 1 else f"{start}-{start + count - 1}")
        start += count
    return found


def retention_text(session: Session, case_id: int) -> str:
    categories = set(session.scalars(select(Attachment.category).where(Attachment.case_id == case_id)))
    years = max([BY_KEY[c].retention_years for c in categories if c in BY_KEY] + [SECTIONS[1].retention_years])
    return f"{years}年"


# --- the PDF ---------------------------------------------------------------------------------------

def build_dossier(session: Session, case_id: int, target: str | os.PathLike[str], actor: Actor, *,
                  today: date | None = None, progress: Progress | None = None) -> DossierResult:
    """Write the whole 卷宗 as one PDF to `target` (atomically) and audit it."""
    require(session, actor, Permission.DOC_ISSUE)
    from models.documents.service import check_writable, document_context  # documents imports the register

    target_path = check_writable(target)
    case = load_case(session, case_id)
    items = dossier_items(session, case_id)
    if any(i.personal for i in items):  # ID-card scans print in full: as an unmasked ID number
        require(session, actor, Permission.PI_UNMASK)
        record_event(session, actor, "unmask", "case_attachments", None, field="attachment", purpose="卷宗",
                     case_id=case_id, reason="卷宗编入当事人身份证明材料")
    today = today or clock.today()
    with tempfile.TemporaryDirectory(prefix="dossier-", dir=target_path.parent) as folder:
        paths, counts = [], []
        for index, item in enumerate(items):
            path = Path(folder) / f"{index:04d}.pdf"
            path.write_bytes(_item_pdf(session, case_id, item, today, document_context, Path(folder)))
            paths.append(path)
            counts.append(_pages_of(path))
            if progress is not None:
                progress(index + 1, len(items) + 2)
        entries = [DossierEntry(i.title, pages, i.remark) for i, pages in zip(items, page_ranges(items, counts),
                                                                                strict=True)]
        total_items = sum(counts)
        entries.append(DossierEntry(BACK_COVER, str(total_items + 1)))
        context = document_context(session, "dossier", case_id, today=today)
        assert isinstance(context, DossierContext)
        context = dataclasses.replace(context, entries=tuple(entries), retention=retention_text(session, case_id))
        front = render("dossier", context, "pdf")
        back = _back_cover(context, total_items + 1, sum(1 for i in items if i.attachment_id), today)
        written, front_pages, all_pages = _merge(front, paths, back, target_path)
    if progress is not None:
        progress(len(items) + 2, len(items) + 2)
    _register(session, case.id, case.number, entries, written, target_path.stat().st_size, actor)
    record_event(session, actor, "dossier", "cases", case.id, case_number=case.number, pages=all_pages,
                 items=len(items), sha256=written)
    return DossierResult(target_path, all_pages, tuple(entries), front_pages, written)


def _register(session: Session, case_id: int, number: str, entries: list[DossierEntry], sha256: str, size: int,
              actor: Actor) -> None:
    """File the dossier in the register of issued documents: its 卷内目录 and the file's hash."""
    snapshot = {"entries": [dataclasses.asdict(e) for e in entries]}
    session.add(IssuedDocument(case_id=case_id, kind="dossier", number=number, file_format="pdf",
                               snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True), sha256=sha256,
                               size=size, issued_by_id=actor.user_id))
    session.flush()


def _pages_of(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _item_pdf(session: Session, case_id: int, item: DossierItem, today: date,
              document_context: Callable[..., object], folder: Path) -> bytes:
    if item.attachment_id is None:
        return _issued_pdf(session, case_id, item, today, document_context)
    data = get_blob(session, item.sha256)
    if item.media_type == PDF:
        return data
    if item.media_type in IMAGE_TYPES:
        return image_page(data, folder)
    return _notice_page(item, len(data))


def _issued_pdf(session: Session, case_id: int, item: DossierItem, today: date,
                document_context: Callable[..., object]) -> bytes:
    """The issued PDF (or the PDF twin of an issued DOCX) when its bytes are stored; otherwise the
    document rendered to PDF from its context."""
    rows = [session.get_one(IssuedDocument, i) for i in item.issued_ids]
    kept = [r.sha256 if r.file_format == "pdf" else r.pdf_twin_sha256 for r in rows]  # a DOCX's PDF twin
    stored = [key for key in kept if key and has_blob(session, key)]
    if stored:
        return get_blob(session, stored[-1])
    return render(item.kind, document_context(session, item.kind, case_id, today=today), "pdf")


A4_W, A4_H = 595.2756, 841.8898  # points
MARGIN = 56.7  # 20 mm: room for binding and the 页号 stamp


def image_page(data: bytes, folder: Path | None = None) -> bytes:
    """An image placed on an A4 page (landscape when it is wider than tall), scaled to fit. A JPEG
    given as a file is embedded as it is (no decoding and re-compressing), hence `folder`."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    page_w, page_h = (A4_H, A4_W) if width > height else (A4_W, A4_H)
    scale = min((page_w - 2 * MARGIN) / width, (page_h - 2 * MARGIN) / height)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(page_w, page_h))
    w, h = width * scale, height * scale
    source: Any = ImageReader(io.BytesIO(data))
    if folder is not None and data.startswith(b"\xff\xd8"):
        source = str(folder / "image.jpg")
        Path(source).write_bytes(data)
    pdf.drawImage(source, (page_w - w) / 2, (page_h - h) / 2, w, h)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _notice_page(item: DossierItem, size: int) -> bytes:
    """A Word file has no page layout of its own here: one page names it and pins its content."""
    lines = (f"材料：{item.title}", f"原件为{TYPE_NAMES[DOCX]}，{size:,} 字节，随电子卷宗保存。",
             f"SHA-256：{item.sha256}")
    document = b.Document(title=item.title, blocks=(b.Title("卷宗材料说明"), b.Blank(1),
                                                   *(b.Paragraph(line, align="left") for line in lines)))
    return render_pdf(document)


def _back_cover(context: DossierContext, total: int, exhibits: int, today: date) -> bytes:
    lines = (f"本卷共 {total} 页，附证物 {exhibits} 件。", f"立卷人：{context.filer}", "检查人：",
             f"立卷日期：{today.year}年{today.month}月{today.day}日")
    document = b.Document(title=BACK_COVER, blocks=(b.Title("卷宗封底"), b.Blank(2),
                                                   *(b.Paragraph(line, align="left") for line in lines)))
    return render_pdf(document)


STAMP_FONT = "/FDossierPageNo"


def _stamp(writer: Any, page: Any, number: int) -> None:
    """Draw the 页号 at the top right of `page` (archival practice) straight into its content: the
    page's own drawing is wrapped in q … Q so its graphics state cannot move the number."""
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    resources = page.get("/Resources")
    if resources is None:
        page[NameObject("/Resources")] = resources = DictionaryObject()
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        resources[NameObject("/Font")] = fonts = DictionaryObject()
    fonts.get_object()[NameObject(STAMP_FONT)] = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica-Bold")})
    box = page.mediabox
    x, y = float(box.right) - 36 - 8.4 * len(str(number)), float(box.top) - 36
    content = page.get_contents()
    original = content.get_data() if content is not None else b""
    stamp = f"q BT {STAMP_FONT} 14 Tf 1 0 0 1 {x:.1f} {y:.1f} Tm ({number}) Tj ET Q".encode()
    stream = ContentStream(None, writer)
    stream.set_data(b"q\n" + original + b"\nQ\n" + stamp)
    page.replace_contents(stream)


def _merge(front: bytes, items: list[Path], back: bytes, target: Path) -> tuple[str, int, int]:
    """Cover and 卷内目录, then every item page stamped with its 页号, then the back cover; written
    to a temporary file beside `target` and renamed. Returns (SHA-256, front pages, all pages)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    front_reader = PdfReader(io.BytesIO(front))
    for page in front_reader.pages:
        writer.add_page(page)
    number = 0
    sources: list[Path | io.BytesIO] = [*items, io.BytesIO(back)]
    for source in sources:
        for page in PdfReader(source).pages:
            number += 1
            added = writer.add_page(page)  # pypdf changes only a page its writer owns
            _stamp(writer, added, number)
            added.compress_content_streams()
    with atomic_output(target) as stream:  # nothing written half
        writer.write(stream)
    with target.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return digest, len(front_reader.pages), len(front_reader.pages) + number


def contents_preview(session: Session, case_id: int) -> list[DossierEntry]:
    """The 卷内目录 as far as known without rendering (attachments' pages; issued documents' pages
    appear once the dossier is built)."""
    return [DossierEntry(i.title, str(i.pages) + "页" if i.pages else "", i.remark)
            for i in dossier_items(session, case_id)]


def refuse_docx(fmt: str) -> None:
    if fmt != "pdf":
        raise ValidationFailed("卷宗只生成 PDF（封面、卷内目录和全部材料合为一个文件）")
