"""Font selection for the PDF renderer (DOMAIN.md §6, GB/T 9704; the choice is in docs/DECISIONS.md).

Body: an explicitly configured TrueType file (parameter or MEDIATION_PDF_FONT), else the best
official face the machine has — 仿宋 (simfang) on Windows, else 宋体 (simsun), else the serif 明 face
AR PL UMing on Linux. Sans faces (黑体, 雅黑, 文泉驿, Droid) are never used: GB/T 9704 sets 仿宋 body
and 小标宋 titles, and a serif 宋/明 is the nearest free face. Title: 方正小标宋 or 宋体 when present,
else the body face. Per character the text falls back to faces covering CJK Ext-A/B (HanaMin,
SimSun-ExtB), loaded only when a character needs them; then, in previews only, to reportlab's
built-in CID font STSong-Light (not embedded). An issued document is drawn with `embedded_only`:
the CID font never appears and a character no embedded face has prints as the 缺字 mark 〓 —
`FontSet.missing` names those characters so the user confirms before issuing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENV_VAR = "MEDIATION_PDF_FONT"
CID_FONT = "STSong-Light"
MISSING_MARK = "〓"
REQUIRED_CHARS = "0123456789¥,.()，。、：人民调解协议书当事人签名盖章年月日纠纷"
# Body faces, best first: 仿宋, then 宋体, then the serif 明 face free Linux systems have.
BODY_FILES = ("simfang.ttf", "fangsong.ttf", "simsun.ttc", "uming.ttc")
# Title faces: 方正小标宋简体, then 宋体, then the body face's family.
TITLE_FILES = ("fzxbsjw.ttf", "simsun.ttc", "uming.ttc")
# Per-character fallbacks: CJK Ext-A/B for rare names (HanaMin A = BMP + Ext-A, B = Ext-B and up).
FALLBACK_FILES = ("simsun.ttc", "simsunb.ttf", "uming.ttc", "HanaMinA.ttf", "HanaMinB.ttf")
PREFERRED_FILES = tuple(dict.fromkeys((*BODY_FILES, *TITLE_FILES, *FALLBACK_FILES)))


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap with characters beyond the BMP written as UTF-16 surrogate pairs:
    reportlab writes <2020C>, an odd-length string readers reject, so 𠈌 vanished from the text layer."""
    entries = []
    for index, code in enumerate(subset):
        utf16 = chr(code).encode("utf-16-be").hex().upper() if 0 <= code <= 0x10FFFF else f"{code:04X}"
        entries.append(f"<{index:02X}> <{utf16}>")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar", *entries, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # the subsetter looks the function up at call time


class NoEmbeddableFont(ValueError):
    """No TrueType face to embed: the document may be previewed but not issued."""


@dataclass(frozen=True)
class Face:
    """One registered TrueType face."""

    name: str  # the reportlab font name
    path: str
    coverage: frozenset[int] = field(repr=False)


@dataclass(frozen=True)
class FontSet:
    """The fonts one PDF is drawn with; `primary` is a registered reportlab font name.

    `fallbacks` are font files tried per character (loaded on first need); `use_cid` allows the
    unembedded built-in font as the last resort (previews only)."""

    primary: str
    mode: str  # "ttf" or "cid"
    path: str | None = None
    coverage: frozenset[int] = field(default_factory=frozenset, repr=False)
    fallbacks: tuple[str, ...] = ()
    use_cid: bool = True
    title_path: str | None = None
    _widths: dict[str, float] = field(default_factory=dict, repr=False, compare=False, hash=False)
    _chosen: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False, hash=False)

    def font_for(self, ch: str) -> str | None:
        """Font that can draw `ch`, or None when only the 缺字 mark can stand in for it."""
        code = ord(ch)
        if self.mode == "ttf" and code in self.coverage:
            return self.primary
        if ch in self._chosen:
            return self._chosen[ch]
        chosen = self._fallback_for(code)
        self._chosen[ch] = chosen
        return chosen

    def _fallback_for(self, code: int) -> str | None:
        for path in self.fallbacks:
            face = load_face(path)
            if face is not None and code in face.coverage:
                return face.name
        return CID_FONT if self.use_cid and code <= 0xFFFF else None

    def char_width(self, ch: str) -> float:
        """Advance width of `ch` at 1 pt (cached per font set: it is called for every character)."""
        width = self._widths.get(ch)
        if width is None:
            name = self.font_for(ch)
            width = self._widths[ch] = 1.0 if name is None else pdfmetrics.stringWidth(ch, name, 1.0)
        return width

    def missing(self, text: str) -> set[str]:
        """Characters of `text` that will print as 〓 (so the UI can warn before issuing)."""
        return {ch for ch in text if not ch.isspace() and self.font_for(ch) is None}

    @property
    def embedded(self) -> bool:
        """True when every face this set can use is embedded in the PDF."""
        return self.mode == "ttf" and not self.use_cid

    def for_title(self) -> FontSet:
        """The same set with the title face as primary (宋/小标宋 where the machine has one)."""
        return _title_set(self)


@cache
def _title_set(fonts: FontSet) -> FontSet:
    face = load_face(fonts.title_path) if fonts.title_path else None
    if face is None or face.name == fonts.primary:
        return fonts
    fallbacks = tuple(p for p in (fonts.path, *fonts.fallbacks) if p)
    return dataclasses.replace(fonts, primary=face.name, path=face.path, coverage=face.coverage,
                               fallbacks=fallbacks, title_path=None, _widths={}, _chosen={})


def search_dirs() -> list[Path]:
    """Directories where operating systems keep fonts."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]


@cache
def _installed() -> dict[str, Path]:
    found: dict[str, Path] = {}
    wanted = {name.lower() for name in PREFERRED_FILES}
    for directory in search_dirs():
        if directory.is_dir():
            for root, _dirs, files in os.walk(directory):
                for name in files:
                    if name.lower() in wanted:
                        found.setdefault(name.lower(), Path(root) / name)
    return found


def _present(names: tuple[str, ...]) -> tuple[Path, ...]:
    found = _installed()
    return tuple(found[name.lower()] for name in names if name.lower() in found)


def find_system_font_files() -> tuple[Path, ...]:
    """Known CJK TrueType files present on this machine, best body face first."""
    return _present(PREFERRED_FILES)


@cache
def load_face(path: str) -> Face | None:
    """Register a TrueType file with reportlab; None when it cannot be used (CFF outlines)."""
    name = "MD-" + hashlib.sha1(path.encode()).hexdigest()[:10]
    try:
        font = TTFont(name, path, subfontIndex=0)
    except (TTFError, OSError, ValueError, KeyError):
        return None
    pdfmetrics.registerFont(font)
    return Face(name, path, frozenset(font.face.charToGlyph))


def _usable_body(path: str) -> Face | None:
    face = load_face(path)
    if face is None or any(ord(ch) not in face.coverage for ch in REQUIRED_CHARS):
        return None
    return face


@cache
def load_ttf(path: str) -> FontSet | None:
    """A font set with `path` as body face; None when it cannot be used (CFF, missing glyphs)."""
    face = _usable_body(path)
    if face is None:
        return None
    return FontSet(primary=face.name, mode="ttf", path=face.path, coverage=face.coverage)


@cache
def cid_fontset() -> FontSet:
    """The always-available built-in font (not embedded; viewers supply the glyphs)."""
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return FontSet(primary=CID_FONT, mode="cid")


def _title_path(body: str) -> str | None:
    for candidate in _present(TITLE_FILES):
        if _usable_body(str(candidate)) is not None:
            return str(candidate)
    return body


def _complete(body: FontSet, embedded_only: bool) -> FontSet:
    fallbacks = tuple(str(p) for p in _present(FALLBACK_FILES) if str(p) != body.path)
    return dataclasses.replace(body, fallbacks=fallbacks, use_cid=not embedded_only,
                               title_path=_title_path(body.path or ""), _widths={}, _chosen={})


def get_fontset(font_path: str | None = None, use_system: bool = True, *, embedded_only: bool = False) -> FontSet:
    """The font set to draw with; see the module docstring for the order.

    With `embedded_only` (issuing) the CID font is never used and NoEmbeddableFont is raised when the
    machine has no usable TrueType face."""
    cid_fontset()  # per-character fallback needs it registered in every mode
    configured = font_path or os.environ.get(ENV_VAR)
    if configured:
        fonts = load_ttf(str(configured))
        if fonts is not None:
            return _cached_complete(fonts, embedded_only)
    if use_system:
        for candidate in _present(BODY_FILES):
            fonts = load_ttf(str(candidate))
            if fonts is not None:
                return _cached_complete(fonts, embedded_only)
    if embedded_only:
        raise NoEmbeddableFont("本机没有可嵌入的宋体或仿宋字体，不能出具文书；请安装字体（如 AR PL UMing）后再试")
    return cid_fontset()


_COMPLETED: dict[tuple[str, bool], FontSet] = {}


def _cached_complete(body: FontSet, embedded_only: bool) -> FontSet:
    """One FontSet per (body face, mode), so the width and fallback caches live across documents."""
    key = (body.path or "", embedded_only)
    found = _COMPLETED.get(key)
    if found is None:
        found = _COMPLETED[key] = _complete(body, embedded_only)
    return found


def issuing_fontset(font_path: str | None = None) -> FontSet:
    """The embedded-only font set an issued document is drawn with (raises NoEmbeddableFont)."""
    return get_fontset(font_path, embedded_only=True)
