"""考核: scoring by the centre's weights, weights editable only by its administrator, the ranking in
XLSX, and the CLI on the demo database."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.analysis.assessment import Ranked, ranking_xlsx, score, set_weights, weights
from models.db import Database
from models.dto import Actor
from models.errors import ValidationFailed
from models.org.entities import Role, User
from models.security.permissions import PermissionDenied
from tests.conftest import Cli

EQUAL = {k: Decimal(1) for k in ("handled", "on_time_rate", "reopened", "supervised", "satisfaction", "feedback_days")}


def _values(handled: int, on_time: float | None, reopened: int) -> dict[str, float | None]:
    return {"handled": handled, "on_time_rate": on_time, "reopened": reopened, "supervised": 0,
            "satisfaction": None, "feedback_days": None}


def test_score_scales_each_indicator_across_subjects() -> None:
    ranked = score({"甲": _values(10, 1.0, 0), "乙": _values(5, 0.5, 2)}, EQUAL)
    # 甲: handled 1, on time 1, reopened 1 (fewer is better), supervised/satisfaction/feedback tie or missing
    assert [(r.name, r.score) for r in ranked] == [("甲", pytest.approx(100 * (3 + 1 + 0.5 + 0.5) / 6, abs=0.1)),
                                                   ("乙", pytest.approx(100 * (0 + 0 + 0 + 1 + 0.5 + 0.5) / 6, abs=0.1))]
    only_reopened = {**{k: Decimal(0) for k in EQUAL}, "reopened": Decimal(1)}
    assert [r.name for r in score({"甲": _values(10, 1.0, 3), "乙": _values(5, 0.5, 0)}, only_reopened)] == ["乙", "甲"]


def test_weights_are_stored_and_only_the_administrator_changes_them(db: Database) -> None:
    with db.write.begin() as session:
        assert set_weights(session, Actor(), {"on_time_rate": "40"})["on_time_rate"] == Decimal(40)
        mediator = User(username="tj", display_name="调解员甲", role="调解员")
        admin = User(username="sa", display_name="管理员", role="系统管理员")
        session.add_all([mediator, admin])
        session.flush()
        with pytest.raises(PermissionDenied):
            set_weights(session, Actor(mediator.id), {"handled": "5"})
        with pytest.raises(ValidationFailed, match="0–100"):
            set_weights(session, Actor(admin.id), {"handled": "-1"})
        with pytest.raises(ValidationFailed, match="全部为 0"):
            set_weights(session, Actor(admin.id), {k: "0" for k in EQUAL})
        set_weights(session, Actor(admin.id), {"handled": "5"})
    with db.read() as session:
        assert weights(session)["handled"] == Decimal(5) and weights(session)["on_time_rate"] == Decimal(40)


def test_ranking_xlsx_lists_every_subject_in_rank_order() -> None:
    ranked = [Ranked(1, "窗口甲", _values(3, 1.0, 0), 80.0), Ranked(2, "窗口乙", _values(1, None, 1), 20.0)]
    sheet = load_workbook(io.BytesIO(ranking_xlsx(ranked, "窗口考核排名"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "窗口考核排名" and rows[1][:2] == ("名次", "对象")
    assert [r[:3] for r in rows[2:]] == [(1, "窗口甲", 3), (2, "窗口乙", 1)] and rows[3][3] == "—"


def test_assess_cli_ranks_and_exports(cli_as: Cli, demo_url: str, tmp_path: Path) -> None:
    code, out, err = cli_as(Role.LEADER, "assess", "rank", "--db", demo_url, "--from", "2026-01-01",
                            "--to", "2026-11-30", "--by", "mediator", "--json")
    assert code == 0, err
    ranked = json.loads(out)
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1)) and len(ranked) > 2
    assert ranked == sorted(ranked, key=lambda r: -r["score"])
    target = tmp_path / "排名.xlsx"
    code, out, _ = cli_as(Role.LEADER, "assess", "rank", "--db", demo_url, "--from", "2026-01-01",
                          "--to", "2026-11-30", "--by", "department", "--xlsx", str(target))
    assert code == 0 and target.exists()
    code, _, err = cli_as(Role.SYSTEM_ADMIN, "assess", "weights", "--db", demo_url, "--set", "handled")
    assert code == 2 and "指标=权重" in err
