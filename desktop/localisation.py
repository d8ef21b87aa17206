"""Chinese on every screen: Qt's own strings (OK/Cancel, the file dialog, the calendar's month and
day names) come from the translations PySide6 ships (qtbase_zh_CN.qm), and the default locale is
zh_CN so numbers and dates read the Chinese way.

Dates the user types or reads are always shown as yyyy-MM-dd (DATE_FORMAT), whatever the locale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

DATE_FORMAT = "yyyy-MM-dd"
LOCALE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)

#: Qt 6 source strings the qtbase_zh_CN.qm that PySide6 ships has no entry for (it predates
#: the mnemonic being added), so the file dialog would still say "Look in".
MISSING_QT_STRINGS = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}

_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer to each translator


def install(app: QCoreApplication, locale: QLocale = LOCALE) -> bool:
    """Load Qt's translations for `locale` once per process; True when Qt's own strings are
    translated (False means the PySide6 install lacks the .qm files)."""
    QLocale.setDefault(locale)
    if _installed:
        return True
    qt = QTranslator(app)
    found = qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if found:
        app.installTranslator(qt)
        _installed.append(qt)
    patch = _GapTranslator(app)
    app.installTranslator(patch)  # installed last, so asked first
    _installed.append(patch)
    return found


class _GapTranslator(QTranslator):
    """Answers only the few strings in MISSING_QT_STRINGS; everything else falls through to qtbase."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return MISSING_QT_STRINGS.get((context, source))  # None: "not mine", ask the next translator

    def isEmpty(self) -> bool:
        return False
