"""The 卷宗 vocabulary: its sections in the order the Ministry of Justice forms prescribe (research
§3.0; see docs/ARCHITECTURE.md, "Sources"), the attachment categories filed under them with their
保管期限, and the items each way a case ends must hold before it may be archived.

Rules as data: the archive checklist, the dossier order and the purge all read these tables."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One line kind of the 卷内目录, in archival order."""

    key: str  # the attachment category filed here (one spelling, stored in attachments.category)
    title: str  # 文书名称 in the 卷内目录
    kinds: tuple[str, ...] = ()  # issued document kinds filed here (models/documents KIND_TITLES)
    retention_years: int = 30  # 保管期限 of what is filed here, counted from the case's closing
    personal: bool = False  # ID-card scans and the like: shown only to users allowed to unmask


ID_PROOF = "当事人身份证明"
SIGNED_AGREEMENT = "人民调解协议书"
LONG_TERM = 30  # 长期 (research §3.0 gives 永久 / 长期 / 短期; the centre may change the table)
PERSONAL_DATA_YEARS = 3  # 个人信息保护法 Art. 19: kept no longer than the purpose needs

SECTIONS: tuple[Section, ...] = (
    Section("法院委派（委托）调解函", "法院委派（委托）调解函"),
    Section("人民调解申请书", "人民调解申请书或受理登记表", ("intake-form",)),
    Section("权利义务告知书", "人民调解当事人权利义务告知书"),
    Section(ID_PROOF, ID_PROOF, retention_years=PERSONAL_DATA_YEARS, personal=True),
    Section("授权委托书", "授权委托书", retention_years=PERSONAL_DATA_YEARS, personal=True),
    Section("调查记录", "人民调解调查记录"),
    Section("证据材料", "人民调解证据材料", retention_years=10),
    Section("人民调解记录", "人民调解记录", ("mediation-record",)),
    Section(SIGNED_AGREEMENT, "人民调解协议书", ("agreement", "oral-agreement")),
    Section("履行凭证", "收条或汇款单等履行凭证", retention_years=10),
    Section("回访记录", "人民调解回访记录", ("follow-up",)),
    Section("司法确认材料", "司法确认有关材料", ("confirmation-application",)),
    Section("卷宗情况说明", "卷宗情况说明"),
)
BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
CATEGORIES: tuple[str, ...] = tuple(s.key for s in SECTIONS)
BACK_COVER = "封底"  # generated with the dossier (本卷共 N 页), so never missing


def section_of_kind(kind: str) -> Section | None:
    return next((s for s in SECTIONS if kind in s.kinds), None)


def check_category(category: str) -> Section:
    from models.errors import ValidationFailed

    section = BY_KEY.get(category)
    if section is None:
        raise ValidationFailed(f"未知的卷宗材料类别：{category}（可选：{'、'.join(CATEGORIES)}）",
                               {"category": "请选择材料类别"})
    return section


# --- what each way of ending needs before 归档 --------------------------------------------------

WRITTEN, ORAL, TERMINATED, REJECTED, COURT, OTHER = (
    "书面协议", "口头协议", "终止调解", "不予受理", "法院委派（委托）调解", "其他方式办结")


@dataclass(frozen=True)
class Requirement:
    label: str  # what the checklist says is missing
    sections: tuple[str, ...]  # any of these sections holding something satisfies it
    signed: bool = False  # the written agreement's signed copy (signatures + scan) must be recorded


_INTAKE = Requirement("人民调解申请书或受理登记表", ("人民调解申请书",))
_NOTICE = Requirement("人民调解当事人权利义务告知书", ("权利义务告知书",))
_ID = Requirement("当事人身份证明", (ID_PROOF,))
_RECORD = Requirement("人民调解记录", ("人民调解记录",))
_SIGNED = Requirement("人民调解协议书（各方签字本）", (SIGNED_AGREEMENT,), signed=True)
_ORAL = Requirement("人民调解口头协议登记表", (SIGNED_AGREEMENT,))
_REFERRAL = Requirement("法院委派（委托）调解函", ("法院委派（委托）调解函",))

REQUIRED: dict[str, tuple[Requirement, ...]] = {
    WRITTEN: (_INTAKE, _NOTICE, _ID, _RECORD, _SIGNED),
    ORAL: (_INTAKE, _NOTICE, _ID, _RECORD, _ORAL),
    TERMINATED: (_INTAKE, _NOTICE, _ID, _RECORD),
    REJECTED: (_INTAKE,),
    COURT: (_REFERRAL, _ID, _RECORD),
    OTHER: (_INTAKE,),
}
