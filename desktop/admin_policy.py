"""安全策略 — the security administrator's screen: the password and lockout policy (stored in the
`security_policy` row that sign-in, password changes and the idle lock read, so a saved change
applies from the next sign-in or password change without a restart), and the masking policy,
shown read-only with the reason it is not a setting.

The policy is edited through `set_policy` (POLICY_EDIT, held by the 安全管理员 only), which checks
every limit again; another role sees the same screen with every field disabled. A preset (标准,
等保) fills the fields; any other combination is saved as 自定义."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QSpinBox, QTableView, QVBoxLayout, QWidget

from desktop.admin_users import held_permissions, holders
from desktop.context import DeskContext
from desktop.form_dialog import FormDialog
from desktop.password_dialog import policy_hint
from desktop.rows_table_model import RowsTableModel
from desktop.screen import fit_to_screen
from models.security.accounts import POLICY_LIMITS, PROFILES, PolicyValues, current_policy, set_policy
from models.security.masking import PERSONAL_FIELDS, REVEALING, shown
from models.security.permissions import Permission

CUSTOM = "自定义"
PROFILE_NOTES = {
    "标准": "标准：按 OWASP ASVS，重长度、不强制字符组合、不强制定期更换",
    "等保": "等保：按等级保护测评常见要求，至少 8 位、含 3 类字符、90 天更换",
    CUSTOM: "自定义：以上各项由安全管理员逐项设定",
}
FIELD_LABELS = {"id_number": "证件号码", "phone": "联系电话"}
#: Made-up numbers, only to show what each mask keeps.
EXAMPLES = {"id_number": "62098119" + "9001011236", "phone": "13812345678"}
MASKING_REASON = (
    "遮蔽规则由程序固定，不在此处设置：依《个人信息保护法》第五十一条（采取去标识化等安全技术措施），"
    "列表、台账、导出和审计记录中的证件号码、电话默认遮蔽；遮蔽后的证件号旁不显示出生日期、出生年份或年龄"
    "（被遮蔽的 8 位正是出生日期）。屏幕、台账和文书共用同一遮蔽方式，以免一处遮、一处露。"
    "查看完整号码须持有“{unmask}”权限（{unmask_roles}）并填写理由，每次记入审计；"
    "协议书、司法确认申请书依法须载明完整号码，由持“{issue}”权限者（{issue_roles}）出具。"
)


class PolicyDialog(FormDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__("安全策略", parent, intro="密码与登录锁定策略：保存后，下次登录或修改密码时生效。")
        self.ctx = ctx
        self.editable = Permission.POLICY_EDIT in held_permissions(ctx)
        with ctx.db.read() as session:
            current = current_policy(session)
        self.profile = QComboBox(objectName="profile")
        self.profile.addItems([*PROFILES, CUSTOM])
        self.profile.setCurrentText(current.profile if current.profile in PROFILES else CUSTOM)
        self.spins = {key: QSpinBox(objectName=key, minimum=low, maximum=high, value=getattr(current, key))
                      for key, (_label, low, high) in POLICY_LIMITS.items()}
        self.note = QLabel(objectName="profileNote", wordWrap=True)
        self.hint = QLabel(objectName="policyHint", wordWrap=True)
        self.form.addRow("方案", self.profile)
        self.form.addRow("", self.note)
        for key, (label, _low, _high) in POLICY_LIMITS.items():
            self.form.addRow(label, self.spins[key])
        self.form.addRow("用户看到的要求", self.hint)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.error), self._masking_box())  # below the form, above the buttons
        fit_to_screen(self, 900, self.sizeHint().height())  # as tall as its content, no blank band
        self.profile.currentTextChanged.connect(self._profile_chosen)
        for spin in self.spins.values():
            spin.valueChanged.connect(lambda *_: self._values_edited())
        self._describe()
        self._apply_permission()

    def _masking_box(self) -> QGroupBox:
        box = QGroupBox("个人信息遮蔽策略（只读）", objectName="maskingBox")
        model = RowsTableModel(("字段", "默认显示", "示例", "同时不显示"), self)
        model.set_rows([(FIELD_LABELS.get(field, field), _mask_rule(field), shown(field, EXAMPLES.get(field, "")),
                         _withheld() if field == "id_number" else "")
                        for field in PERSONAL_FIELDS])
        table = QTableView(objectName="maskingTable")
        table.setModel(model)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.resizeColumnsToContents()
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                             + sum(table.rowHeight(row) for row in range(model.rowCount())))
        reason = QLabel(MASKING_REASON.format(
            unmask=Permission.PI_UNMASK.value, unmask_roles=holders(Permission.PI_UNMASK),
            issue=Permission.DOC_ISSUE.value, issue_roles=holders(Permission.DOC_ISSUE)),
            objectName="maskingReason", wordWrap=True)
        layout = QVBoxLayout(box)
        layout.addWidget(table)
        layout.addWidget(reason)
        return box

    def _apply_permission(self) -> None:
        if self.editable:
            return
        for widget in (self.profile, *self.spins.values()):
            widget.setEnabled(False)
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        ok.setEnabled(False)
        ok.setToolTip(f"需要“{Permission.POLICY_EDIT.value}”权限（{holders(Permission.POLICY_EDIT)}）")
        self.error.setText(f"只有{holders(Permission.POLICY_EDIT)}可以修改安全策略；您可以查看。")

    def _profile_chosen(self, name: str) -> None:
        preset = PROFILES.get(name)
        if preset is not None:
            for key, spin in self.spins.items():
                spin.blockSignals(True)
                spin.setValue(getattr(preset, key))
                spin.blockSignals(False)
        self._describe()

    def _values_edited(self) -> None:
        """A value edited by hand: the preset whose values these are, else 自定义."""
        values = self.value()
        matching = next((name for name, p in PROFILES.items() if _same(p, values)), CUSTOM)
        self.profile.blockSignals(True)
        self.profile.setCurrentText(matching)
        self.profile.blockSignals(False)
        self._describe()

    def _describe(self) -> None:
        self.note.setText(PROFILE_NOTES.get(self.profile.currentText(), ""))
        self.hint.setText(policy_hint(self.value()))

    def value(self) -> PolicyValues:
        return PolicyValues(self.profile.currentText(), **{key: spin.value() for key, spin in self.spins.items()})

    def submit(self) -> None:
        values, actor = self.value(), self.ctx.actor()
        outcome = self.ctx.runner.run(lambda s: set_policy(s, actor, values), quiet=True)
        if outcome.error is not None:
            return self.fail(outcome.error.message)
        self.accept()


def _same(a: PolicyValues, b: PolicyValues) -> bool:
    return all(getattr(a, key) == getattr(b, key) for key in POLICY_LIMITS)


def _withheld() -> str:
    """The columns masking.py withholds beside a masked ID, in Chinese."""
    labels = {"birth_date": "出生日期", "birth_year": "出生年份", "age": "年龄"}
    ordered = [column for column in labels if column in REVEALING] + sorted(REVEALING - labels.keys())
    return "、".join(labels.get(column, column) for column in ordered)


def _mask_rule(field: str) -> str:
    return {"id_number": "保留前 6 位和后 4 位", "phone": "手机保留前 3 位和后 4 位，固话保留后 4 位"}.get(field, "遮蔽")
