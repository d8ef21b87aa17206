"""Registry of document kinds and the two entry points used by models/: render and render_to_file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Literal

from templates.blocks import Document, LedgerTable
from templates.context import (
    AgreementContext,
    ConfirmationApplicationContext,
    DossierContext,
    FollowUpContext,
    IntakeContext,
    LedgerContext,
    MediationRecordContext,
    OralAgreementContext,
    RejectionNoticeContext,
    RightsNoticeContext,
    TerminationNoticeContext,
)
from templates.docx_render import render_docx
from templates.fonts import FontSet
from templates.kinds import (
    agreement,
    confirmation_application,
    dossier,
    follow_up,
    intake_form,
    ledger,
    mediation_record,
    monthly_report,
    notices,
    oral_agreement,
)
from templates.ledger_docx import render_ledger_docx
from templates.ledger_pdf import render_ledger_pdf
from templates.pdf import render_pdf
from templates.pdf_flow import RenderCancelled
from templates.xlsx import render_ledger_xlsx

Format = Literal["pdf", "docx", "xlsx"]  # xlsx: the ledger only
Progress = Callable[[int, int], None]

# kind -> (context class, builder)
KINDS: dict[str, tuple[type, Callable[[Any], Document]]] = {
    "agreement": (AgreementContext, agreement.build),
    "oral-agreement": (OralAgreementContext, oral_agreement.build),
    "intake-form": (IntakeContext, intake_form.build),
    "mediation-record": (MediationRecordContext, mediation_record.build),
    "follow-up": (FollowUpContext, follow_up.build),
    "confirmation-application": (ConfirmationApplicationContext, confirmation_application.build),
    "dossier": (DossierContext, dossier.build),
    "rights-notice": (RightsNoticeContext, notices.build_rights),
    "rejection-notice": (RejectionNoticeContext, notices.build_rejection),
    "termination-notice": (TerminationNoticeContext, notices.build_termination),
    "ledger": (LedgerContext, ledger.build),
    "monthly-report": (monthly_report.MonthlyReportContext, monthly_report.build),
}

__all__ = ["KINDS", "RenderCancelled", "build", "render", "render_to_file"]


def build(kind: str, context: object) -> Document:
    """The neutral document for `kind`; raises ValueError/TypeError on a wrong kind or context."""
    try:
        context_type, builder = KINDS[kind]
    except KeyError:
        raise ValueError(f"未知的文书类型：{kind}") from None
    if not isinstance(context, context_type):
        raise TypeError(f"文书类型 {kind} 需要 {context_type.__name__}，收到 {type(context).__name__}")
    return builder(context)


def render(
    kind: str,
    context: object,
    fmt: Format,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    fonts: FontSet | None = None,
    double_sided: bool = False,
) -> bytes:
    """Render one document to PDF or DOCX (a ledger also to XLSX) bytes. Pure: no files, no global
    state besides font caches.

    `double_sided` puts page numbers odd right / even left (GB/T 9704 §7.5) instead of centred."""
    if fmt == "xlsx":
        if not isinstance(context, LedgerContext):
            raise ValueError("只有台账可以导出为 Excel")
        data = render_ledger_xlsx(ledger.build_for(context, "full"), progress=progress, cancelled=cancelled)
    else:
        data = _render_document(build(kind, context), fmt, fonts, progress, cancelled, double_sided)
    if progress is not None:
        progress(1, 1)
    return data


def _render_document(document: Document, fmt: str, fonts: FontSet | None, progress: Progress | None,
                     cancelled: Callable[[], bool] | None, double_sided: bool) -> bytes:
    ledger_table = any(isinstance(block, LedgerTable) for block in document.blocks)
    if fmt == "pdf" and ledger_table:
        data = render_ledger_pdf(document, fonts=fonts, progress=progress, cancelled=cancelled)
    elif fmt == "pdf":
        data = render_pdf(document, fonts=fonts, progress=progress, cancelled=cancelled, double_sided=double_sided)
    elif fmt == "docx" and ledger_table:
        data = render_ledger_docx(document, progress=progress, cancelled=cancelled)
    elif fmt == "docx":
        data = render_docx(document, progress=progress, cancelled=cancelled, double_sided=double_sided)
    else:
        raise ValueError(f"不支持的格式：{fmt}")
    return data


def render_to_file(
    kind: str,
    context: object,
    fmt: Format,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    fonts: FontSet | None = None,
) -> Path:
    """Render and write atomically: a temp file in the same directory, then os.replace.

    On any failure (including cancellation) no file is left behind and an existing file at
    `path` is untouched.
    """
    data = render(kind, context, fmt, progress, cancelled, fonts)
    return write_atomically(path, data)


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A stream onto a temp file in the same directory, fsynced, then os.replace'd onto `path`:
    readers see the old file or the whole new one, never half of it; on failure the temp file is
    removed. For writers that stream (a merged PDF); `write_atomically` for bytes in hand."""
    target = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """`data` written to `path` through `atomic_output`."""
    with atomic_output(path) as stream:
        stream.write(data)
    return Path(path)
