"""Reference tables seeded with defaults and editable by an administrator: dispute types
(research §5 two-level code table; see docs/ARCHITECTURE.md, "Sources"), source channels, desks and the "3+8" committees."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class DisputeType(Base):
    __tablename__ = "dispute_types"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("dispute_types.code"))
    legacy_alias: Mapped[str | None] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


# (code, name, parent) — the research's recommended table; sub-codes after their parent.
DISPUTE_TYPES: tuple[tuple[str, str, str | None], ...] = (
    ("01", "婚姻家庭纠纷", None),
    ("0101", "婚姻纠纷", "01"),
    ("0102", "继承纠纷", "01"),
    ("0103", "赡养纠纷", "01"),
    ("0104", "抚养纠纷", "01"),
    ("0105", "扶养纠纷", "01"),
    ("0199", "其他婚姻家庭纠纷", "01"),
    ("02", "邻里纠纷", None),
    ("03", "房屋宅基地纠纷", None),
    ("04", "合同纠纷", None),
    ("0401", "民间借贷纠纷", "04"),
    ("0402", "买卖合同纠纷", "04"),
    ("0403", "租赁合同纠纷", "04"),
    ("0404", "承揽合同纠纷", "04"),
    ("0499", "其他合同纠纷", "04"),
    ("05", "生产经营纠纷", None),
    ("06", "损害赔偿纠纷", None),
    ("07", "山林土地纠纷", None),
    ("0701", "土地承包经营纠纷", "07"),
    ("08", "征地拆迁纠纷", None),
    ("09", "环境污染纠纷", None),
    ("10", "劳动争议纠纷", None),
    ("1001", "拖欠农民工工资纠纷", "10"),
    ("1099", "其他劳动争议纠纷", "10"),
    ("11", "消费纠纷", None),
    ("1101", "旅游纠纷", "11"),
    ("1102", "电子商务纠纷", "11"),
    ("1199", "其他消费纠纷", "11"),
    ("12", "医疗纠纷", None),
    ("13", "道路交通事故纠纷", None),
    ("14", "物业纠纷", None),
    ("15", "村务管理纠纷", None),
    ("16", "知识产权纠纷", None),
    ("17", "金融纠纷", None),
    ("99", "其他纠纷", None),
)

SOURCE_CHANNELS: tuple[str, ...] = (
    "来访", "网格上报", "12345热线", "警情移交", "信访转办", "检察移送",
    "法院委派", "法院委托", "主动排查", "上级交办", "线上申请",
)

# The five sub-centres of the 玉门 model, then the research's desk catalogue as extras.
SUB_CENTRES: tuple[str, ...] = (
    "公共法律服务中心", "群众来访接待中心", "矛盾纠纷调解中心", "人民法院诉调对接中心", "综治中心(网格管理中心)",
)
DESK_CATALOGUE: tuple[str, ...] = (
    "综合受理窗口", "人民调解窗口", "诉调对接窗口", "劳动人事争议仲裁窗口", "农村土地承包仲裁窗口",
    "信访接待窗口", "警调窗口", "检察服务窗口", "法律援助窗口", "行政复议窗口", "心理服务室", "网格指挥调度",
)

PROFESSIONAL_COMMITTEES: tuple[tuple[str, str], ...] = (
    ("物业纠纷人民调解委员会", "物调"),
    ("婚姻家庭纠纷人民调解委员会", "婚调"),
    ("医疗纠纷人民调解委员会", "医调"),
    ("道路交通事故纠纷人民调解委员会", "交调"),
    ("劳动争议人民调解委员会", "劳调"),
    ("消费纠纷人民调解委员会", "消调"),
    ("征地拆迁纠纷人民调解委员会", "征调"),
    ("金融纠纷人民调解委员会", "金调"),
)

PARTY_SIDES: tuple[str, ...] = ("申请方", "被申请方", "第三方")
RISK_COLOURS: tuple[str, ...] = ("红", "黄", "蓝")
MEDIATION_KINDS: tuple[str, ...] = ("人民调解", "行政调解", "行业性专业性调解", "司法调解")
DOCKING_CHANNELS: tuple[str, ...] = ("诉调", "警调", "访调", "检调")
MASS_INCIDENT_THRESHOLD = 5  # 群体性纠纷: five or more people involved
