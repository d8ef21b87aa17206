"""Font selection for the PDF renderer.

Order: an explicitly configured TrueType file (parameter or MEDIATION_PDF_FONT), then a CJK
TrueType font found on the system (宋体/仿宋 on Windows, WenQuanYi/AR PL/Droid on Linux), then
reportlab's built-in CID font STSong-Light (not embedded). A candidate is rejected when reportlab
cannot load it (CFF/OTF outlines) or when it lacks ASCII digits, ¥ or common hanzi.

Per character, `FontSet.font_for` falls back from the TrueType font to STSong-Light (BMP only);
characters no font can draw are printed as the 缺字 mark 〓 instead of an empty box.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENV_VAR = "MEDIATION_PDF_FONT"
CID_FONT = "STSong-Light"
MISSING_MARK = "〓"
REQUIRED_CHARS = "0123456789¥,.()，。、：人民调解协议书当事人签名盖章年月日纠纷"
# Preference order: serif/仿宋 faces first because official documents use 仿宋/宋体.
PREFERRED_FILES = (
    "simfang.ttf",
    "simsun.ttc",
    "simsunb.ttf",
    "simkai.ttf",
    "simhei.ttf",
    "msyh.ttc",
    "msyh.ttf",
    "uming.ttc",
    "ukai.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
)


@dataclass(frozen=True)
class FontSet:
    """The fonts one PDF is drawn with; `primary` is a registered reportlab font name."""

    primary: str
    mode: str  # "ttf" or "cid"
    path: str | None = None
    coverage: frozenset[int] = field(default_factory=frozenset, repr=False)
    _widths: dict[str, float] = field(default_factory=dict, repr=False, compare=False, hash=False)

    def font_for(self, ch: str) -> str | None:
        """Font that can draw `ch`, or None when only the 缺字 mark can stand in for it."""
        code = ord(ch)
        if self.mode == "ttf" and code in self.coverage:
            return self.primary
        return CID_FONT if code <= 0xFFFF else None

    def char_width(self, ch: str) -> float:
        """Advance width of `ch` at 1 pt (cached per font set: it is called for every character)."""
        width = self._widths.get(ch)
        if width is None:
            name = self.font_for(ch)
            width = self._widths[ch] = 1.0 if name is None else pdfmetrics.stringWidth(ch, name, 1.0)
        return width

    def missing(self, text: str) -> set[str]:
        """Characters of `text` that will print as 〓 (so the UI can warn before issuing)."""
        return {ch for ch in text if self.font_for(ch) is None}


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
def find_system_font_files() -> tuple[Path, ...]:
    """Known CJK TrueType files present on this machine, best first."""
    found: dict[str, Path] = {}
    wanted = {name.lower() for name in PREFERRED_FILES}
    for directory in search_dirs():
        if directory.is_dir():
            for root, _dirs, files in os.walk(directory):
                for name in files:
                    if name.lower() in wanted:
                        found.setdefault(name.lower(), Path(root) / name)
    return tuple(found[name.lower()] for name in PREFERRED_FILES if name.lower() in found)


@cache
def load_ttf(path: str) -> FontSet | None:
    """Register a TrueType file; None when it cannot be used (CFF outlines, missing glyphs)."""
    name = "MD-" + hashlib.sha1(path.encode()).hexdigest()[:10]
    try:
        font = TTFont(name, path, subfontIndex=0)
    except (TTFError, OSError, ValueError, KeyError):
        return None
    coverage = frozenset(font.face.charToGlyph)
    if any(ord(ch) not in coverage for ch in REQUIRED_CHARS):
        return None
    pdfmetrics.registerFont(font)
    return FontSet(primary=name, mode="ttf", path=path, coverage=coverage)


@cache
def cid_fontset() -> FontSet:
    """The always-available built-in font (not embedded; viewers supply the glyphs)."""
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return FontSet(primary=CID_FONT, mode="cid")


def get_fontset(font_path: str | None = None, use_system: bool = True) -> FontSet:
    """The font set to draw with; see the module docstring for the order."""
    cid_fontset()  # per-character fallback needs it registered in every mode
    configured = font_path or os.environ.get(ENV_VAR)
    if configured:
        fonts = load_ttf(str(configured))
        if fonts is not None:
            return fonts
    if use_system:
        for candidate in find_system_font_files():
            fonts = load_ttf(str(candidate))
            if fonts is not None:
                return fonts
    return cid_fontset()
