"""What a file is, read from its first bytes (never from its name), and how many pages it takes.

Accepted: JPEG, PNG, PDF, and DOCX (a zip holding word/document.xml). Everything else — and a file
whose name promises one type while the content is another — is refused with one Chinese line."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from models.errors import ValidationFailed

JPEG, PNG, PDF, DOCX = "jpeg", "png", "pdf", "docx"
TYPE_NAMES = {JPEG: "JPEG 图片", PNG: "PNG 图片", PDF: "PDF 文件", DOCX: "Word 文档（DOCX）"}
SUFFIXES = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF, ".docx": DOCX}
IMAGE_TYPES = (JPEG, PNG)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # one scan or photo; the store's own bound is larger
MAX_PDF_PAGES = 500


def sniff(data: bytes) -> str | None:
    """The type the content really is, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return DOCX if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    return None


def check_file(filename: str, data: bytes) -> str:
    """The media type of an acceptable file; refuses empty, too large, unknown or mislabelled files."""
    name = PurePath(filename).name or "文件"
    if not data:
        raise ValidationFailed(f"“{name}”是空文件，未添加")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(f"“{name}”过大（{len(data) / 1048576:.1f} MB），单个材料不得超过 "
                               f"{MAX_ATTACHMENT_BYTES // 1048576} MB，未添加")
    found = sniff(data)
    claimed = SUFFIXES.get(PurePath(name).suffix.lower())
    if found is None:
        raise ValidationFailed(f"“{name}”不是可接受的图片、PDF 或 Word（DOCX）文件，未添加")
    if claimed is not None and claimed != found:
        raise ValidationFailed(f"“{name}”的内容是{TYPE_NAMES[found]}，与文件名所示的{TYPE_NAMES[claimed]}不符，未添加")
    return found


def page_count(media_type: str, data: bytes, name: str = "文件") -> int:
    """Pages the file takes in the dossier: a PDF its own, an image one A4 page, a DOCX one notice page."""
    if media_type != PDF:
        return 1
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationFailed(f"“{name}”是加密的 PDF，无法编入卷宗，请提供未加密的文件，未添加")
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ValidationFailed(f"“{name}”已损坏，无法读取 PDF 页面，未添加") from exc
    if not 0 < pages <= MAX_PDF_PAGES:
        raise ValidationFailed(f"“{name}”有 {pages} 页，单个 PDF 须为 1 至 {MAX_PDF_PAGES} 页，未添加")
    return pages


def check_image(data: bytes, name: str) -> None:
    """An image the dossier can place on a page (a truncated JPEG is refused now, not at archiving)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(f"“{name}”图片已损坏，无法读取，未添加") from exc
