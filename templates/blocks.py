"""Format-neutral document model: builders emit blocks, the PDF and DOCX renderers draw them.

Both renderers print exactly the strings held here (after `text.clean_text`), which is what keeps
the PDF and the DOCX of one document textually identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from templates.money import chinese_numeral

Align = Literal["left", "center", "right", "justify"]
Orientation = Literal["portrait", "landscape"]


@dataclass(frozen=True)
class Title:
    """Centred document title (2号, bold)."""

    text: str


@dataclass(frozen=True)
class Subtitle:
    """Centred line under the title (e.g. the committee name on a cover)."""

    text: str


@dataclass(frozen=True)
class DocNumber:
    """Right-aligned document number line, e.g. 编号：玉社调字〔2025〕12号."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A bold section label such as 纠纷主要事实、争议事项：."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text; newlines start new paragraphs. `indent` = the 2-character first-line indent."""

    text: str
    indent: bool = True
    align: Align = "justify"
    size: float | None = None  # None = the document's body size


@dataclass(frozen=True)
class NumberedItems:
    """Numbered clauses: 1、… (arabic) or 一、… (chinese). The numbers are part of the text."""

    items: tuple[str, ...]
    style: Literal["arabic", "chinese"] = "arabic"


@dataclass(frozen=True)
class PartyBlock:
    """A party: `role`：`description`, then one line per agent/representative."""

    role: str
    description: str
    extra_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One cell of a KeyValueRows form table."""

    text: str
    span: int = 1
    label: bool = False  # labels are bold and centred
    min_lines: int = 1  # reserve height for hand-filled boxes
    align: Align = "left"


@dataclass(frozen=True)
class KeyValueRows:
    """Form-like bordered table; every row's spans must add up to len(col_widths)."""

    rows: tuple[tuple[Cell, ...], ...]
    col_widths: tuple[float, ...]  # fractions of the text width, summing to 1
    size: float | None = None


@dataclass(frozen=True)
class Table:
    """Data table with a header repeated on every page. `rows` may be a lazy Sequence."""

    header: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    col_widths: tuple[float, ...]
    size: float = 9.0
    center_columns: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Signer:
    """One signature line; `fingerprint` leaves room for a red fingerprint."""

    label: str  # e.g. 当事人（签名盖章或按指印）：
    name: str = ""  # printed name, if any
    fingerprint: bool = False


@dataclass(frozen=True)
class SignatureBlock:
    signers: tuple[Signer, ...]
    columns: int = 2


@dataclass(frozen=True)
class SealArea:
    """Right-aligned seal caption, e.g. （人民调解委员会印）, with space for the red seal."""

    text: str


@dataclass(frozen=True)
class DateLine:
    """Right-aligned date, 右空四字."""

    text: str


@dataclass(frozen=True)
class Blank:
    """Vertical space measured in body lines."""

    lines: float = 1.0


@dataclass(frozen=True)
class Note:
    """Small print (footnotes, integrity anchors)."""

    text: str


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Picture:
    """A chart: SVG for the PDF (drawn as vectors), PNG for the DOCX; `width` is a fraction of the
    text width and `aspect` height ÷ width."""

    svg: bytes
    png: bytes
    width: float = 1.0
    aspect: float = 0.5
    font_family: str = ""  # the family the SVG's text names (mapped to the PDF's font)


@dataclass(frozen=True)
class LedgerColumn:
    """One column of the 台账 grid. `fit` is the longest run the column must hold on one line
    (an ID, an amount, a date): the renderers size the column from it so no number is broken;
    `flex` shares out the width left over. `kind` types the XLSX cell; `party` columns hold one
    value per party, printed line by line and aligned across the party columns."""

    key: str
    title: str
    fit: str = "四个字"
    flex: float = 0.0
    align: Align = "left"
    kind: Literal["text", "int", "date", "amount"] = "text"
    party: bool = False


LedgerValue = str | int | date | Decimal | tuple[str, ...] | None


@dataclass(frozen=True)
class LedgerTable:
    """The 台账 grid: header repeated on every page, rows split across pages (never cut).
    `rows` may be a lazy Sequence; a row holds one LedgerValue per column."""

    columns: tuple[LedgerColumn, ...]
    rows: Sequence[Sequence[LedgerValue]]
    size: float = 9.0
    paper: Literal["A4", "A3"] = "A4"


Block = (
    Title
    | Subtitle
    | DocNumber
    | Heading
    | Paragraph
    | NumberedItems
    | PartyBlock
    | KeyValueRows
    | Table
    | SignatureBlock
    | SealArea
    | DateLine
    | Blank
    | Note
    | PageBreak
    | Picture
    | LedgerTable
)


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    orientation: Orientation = "portrait"
    body_size: float = 16.0


def item_label(index: int, style: str) -> str:
    """1、 or 一、 for the index-th item (1-based)."""
    if style == "chinese":
        return f"{chinese_numeral(index)}、"
    return f"{index}、"


def numbered_texts(block: NumberedItems) -> list[str]:
    return [item_label(i, block.style) + text for i, text in enumerate(block.items, start=1)]


def block_texts(block: Block) -> list[str]:
    """The strings a block prints, in reading order (used by tests and search indexing)."""
    if isinstance(block, NumberedItems):
        return numbered_texts(block)
    if isinstance(block, PartyBlock):
        return [f"{block.role}：{block.description}", *block.extra_lines]
    if isinstance(block, KeyValueRows):
        return [cell.text for row in block.rows for cell in row]
    if isinstance(block, Table):
        return [*block.header, *(cell for row in block.rows for cell in row)]
    if isinstance(block, SignatureBlock):
        return [signer.label + signer.name for signer in block.signers]
    if isinstance(block, LedgerTable):
        return [c.title for c in block.columns]
    if isinstance(block, PageBreak | Blank | Picture):
        return []
    return [block.text]
