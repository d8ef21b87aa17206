"""Escalation, 会诊, arbitration and 督办 from the command line, each checked in the database and in
`case show` (the case's level, its moves and the records on the timeline)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import create_engine, select

from models import clock
from models.cases.entities import Case
from models.org.entities import OrgUnit, Role
from models.workflow.entities import ArbitrationRecord, CourtReferral, SupervisionOrder
from tests.conftest import Cli
from tests.support.cli_signin import assign_to_cli_mediator

M = Role.MEDIATOR  # escalation, 会诊, arbitration, replying to a 督办单
LEADER = Role.LEADER  # 包案领导 issues and follows 督办


def _one(url: str, query):
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(query).first()
    engine.dispose()
    return value


def _case(url: str, *conditions) -> str:
    row = _one(url, select(Case.number).where(Case.id.not_in(select(CourtReferral.case_id)),
                                              Case.id.not_in(select(ArbitrationRecord.case_id)), *conditions)
               .order_by(Case.id).limit(1))
    assert row, "the demo has such a case"
    assign_to_cli_mediator(url, str(row[0]))  # the mediator acts on a case assigned to them
    return str(row[0])


def test_mediator_escalates_village_to_township_and_back_and_records_a_consultation(cli_as: Cli, demo_url: str) -> None:
    grids = select(OrgUnit.id).where(OrgUnit.level == "网格")
    number = _case(demo_url, Case.stage == "调", Case.org_unit_id.in_(grids))
    code, out, _ = cli_as(M, "--db", demo_url, "level", "targets", number)
    ups = [line.split() for line in out.splitlines() if line.startswith("上提")]
    village, township = next(u[1] for u in ups if u[2] == "村"), next(u[1] for u in ups if u[2] == "乡镇")
    assert cli_as(M, "--db", demo_url, "level", "move", number, "--to", village, "--reason", "网格员化解不了，报村调委会")[0] == 0
    code, out, err = cli_as(M, "--db", demo_url, "level", "move", number, "--to", township, "--reason", "村级两次调解未果")
    assert code == 0 and "上提" in out, err
    assert _one(demo_url, select(OrgUnit.level).join(Case, Case.org_unit_id == OrgUnit.id)
                .where(Case.number == number))[0] == "乡镇"
    code, _, err = cli_as(M, "--db", demo_url, "level", "move", number, "--to", township, "--reason", "x")
    assert code == 2 and "已在" in err
    code, out, err = cli_as(M, "--db", demo_url, "level", "move", number, "--to", village, "--reason", "镇里统筹后交村里落实")
    assert code == 0 and "下沉" in out, err
    code, _, err = cli_as(M, "--db", demo_url, "consult", number, "--held-on", clock.today().isoformat(), "--host", "李主任",
                       "--departments", "司法所", "--topic", "联合化解")
    assert code == 2 and "两个参加部门" in err
    code, _, err = cli_as(M, "--db", demo_url, "consult", number, "--held-on", clock.today().isoformat(), "--host", "李主任",
                       "--departments", "司法所、派出所、镇政府", "--topic", "联合化解", "--conclusion", "十日内召开联合调解会")
    assert code == 0, err
    code, out, _ = cli_as(M, "--db", demo_url, "case", "show", number)
    assert f"层级：{village}" in out and "上提/下沉 3 次" in out
    assert "上提（乡镇级）" in out and "下沉（村级）" in out and "会诊" in out and "司法所、派出所、镇政府" in out


def test_commercial_arbitration_refused_for_support_dispute_whichever_way(cli_as: Cli, demo_url: str) -> None:
    number = _case(demo_url, Case.stage == "诊", Case.dispute_type_code == "0103")
    code, _, err = cli_as(M, "--db", demo_url, "arbitration", "apply", number, "--track", "商事仲裁", "--commission",
                       "酒泉仲裁委员会", "--agreement")
    assert code == 2 and "赡养" in err
    assert _one(demo_url, select(ArbitrationRecord.id).join(Case).where(Case.number == number)) is None
    assert _one(demo_url, select(Case.stage).where(Case.number == number))[0] == "诊"


def test_labour_arbitration_acceptance_starts_its_45_day_clock(cli_as: Cli, demo_url: str) -> None:
    # a track is chosen while the case is at 诊 or 调 (the outcome table, models/cases/outcomes.py)
    number = _case(demo_url, Case.dispute_type_code.startswith("10"), Case.stage.in_(("诊", "调")))
    today = clock.today()
    code, _, err = cli_as(M, "--db", demo_url, "arbitration", "apply", number, "--track", "劳动人事争议仲裁",
                       "--commission", "玉门市劳动人事争议仲裁委员会")
    assert code == 2 and "劳动关系" in err
    assert cli_as(M, "--db", demo_url, "arbitration", "apply", number, "--track", "劳动人事争议仲裁", "--commission",
               "玉门市劳动人事争议仲裁委员会", "--employment", "--applied-on", (today - timedelta(days=3)).isoformat())[0] == 0
    code, out, err = cli_as(M, "--db", demo_url, "arbitration", "record", number, "--accepted-on",
                         (today - timedelta(days=1)).isoformat(), "--case-number", "玉劳人仲案字〔2026〕88号")
    assert code == 0, err
    code, out, _ = cli_as(M, "--db", demo_url, "arbitration", "show", number, "--json")
    clocks = {c["rule_code"]: c for c in json.loads(out)[0]["clocks"]}
    award = clocks["labour_award"]
    assert award["trigger_date"] == (today - timedelta(days=1)).isoformat()
    assert award["due_date"] >= (today + timedelta(days=43)).isoformat()  # 45 days, moved off a holiday


def test_leader_issues_a_supervision_order_and_the_mediator_replies(cli_as: Cli, demo_url: str) -> None:
    number = _case(demo_url, Case.stage == "调")
    due = (clock.today() + timedelta(days=3)).isoformat()
    code, out, err = cli_as(LEADER, "--db", demo_url, "supervise", "issue", number, "--level", "黄", "--requirement",
                         "三日内报告调解进展", "--reply-due", due)
    assert code == 0, err
    found = re.search(r"督办〔\d+〕\d+号", out)
    assert found
    order = found.group(0)
    code, out, _ = cli_as(LEADER, "--db", demo_url, "supervise", "list", "--open")
    assert order in out and "待回复" in out
    code, out, err = cli_as(M, "--db", demo_url, "supervise", "reply", order, "--reply", "已约双方周三到中心调解")
    assert code == 0, err
    reply = _one(demo_url, select(SupervisionOrder.reply).where(SupervisionOrder.number == order))[0]
    assert reply == "已约双方周三到中心调解"
    code, out, _ = cli_as(M, "--db", demo_url, "case", "show", number)
    assert f"{order}（黄）：已回复" in out and "督办回复" in out and "督办单（黄）" in out
