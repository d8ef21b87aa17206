"""卷宗: the cover page, then the 卷内目录 table (research §3.0)."""

from __future__ import annotations

from templates.blocks import Blank, Block, Document, PageBreak, Paragraph, Subtitle, Table, Title
from templates.context import DossierContext
from templates.kinds.common import date_text, names
from templates.wording import Words, load


def build(context: DossierContext) -> Document:
    w = load("dossier")
    return Document(title=w["cover_title"], blocks=(*_cover(context, w), PageBreak(), *_contents(context, w)))


def _cover(context: DossierContext, w: Words) -> list[Block]:
    period = w["period_value"].format(start=date_text(context.mediation_start), end=date_text(context.mediation_end))
    fields = [
        (w["volume_name"], context.volume_name),
        (w["volume_number"], context.volume_number),
        (w["mediators"], names(context.mediators)),
        (w["period"], period),
        (w["filer"], context.filer),
        (w["filing_date"], date_text(context.filing_date)),
        (w["retention"], context.retention),
        (w["remark"], context.remark),
    ]
    lines: list[Block] = [Blank(2), Subtitle(w["cover_committee"].format(committee=context.committee_name))]
    lines += [Blank(1), Title(w["cover_title"]), Blank(3)]
    lines += [Paragraph(f"{label}：{value}", align="left") for label, value in fields]
    return lines


def _contents(context: DossierContext, w: Words) -> list[Block]:
    rows = tuple((str(i), e.title, e.pages, e.remark) for i, e in enumerate(context.entries, start=1))
    table = Table(
        header=tuple(w["contents_header"]),
        rows=rows,
        col_widths=tuple(w["contents_widths"]),
        size=14.0,
        center_columns=frozenset({0, 2}),
    )
    return [Title(w["contents_title"]), table]
