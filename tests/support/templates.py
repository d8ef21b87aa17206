"""Shared helpers for the templates tests: text extraction from PDF and DOCX."""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    """All page text, page numbers removed, whitespace removed."""
    return squash(PAGE_NUMBER.sub("", "\n".join(pdf_pages(data))))


def docx_text(data: bytes) -> str:
    """Body text of a DOCX in document order, whitespace removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return squash("".join(node.text or "" for node in root.iter(f"{W}t")))


def docx_xml(data: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(squash(needle), position)
        assert found >= 0, f"missing or out of order: {needle!r}"
        position = found + len(squash(needle))
