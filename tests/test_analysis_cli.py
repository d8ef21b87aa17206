"""`mediation-desk stats` and `prevention add` end to end on the demo database."""

from __future__ import annotations

import json

from models.org.entities import Role
from tests.conftest import Cli
from tests.support.cli_signin import assign_to_cli_mediator

LEADER = Role.LEADER  # 包案领导: 查看统计分析
M = Role.MEDIATOR  # records a prevention on a case (记录办理结果)


def test_stats_json_has_figures_comparisons_and_breakdowns(cli_as: Cli, demo_url: str) -> None:
    code, out, err = cli_as(LEADER, "stats", "--db", demo_url, "--from", "2026-11-01", "--to", "2026-11-30",
                            "--by", "type", "--by", "desk", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["figures"]["received"] == sum(r["counts"]["received"] for r in data["breakdowns"]["type"])
    assert data["环比"]["period"] == ["2026-10-01", "2026-10-31"]
    assert data["同比"]["period"] == ["2025-11-01", "2025-11-30"]


def test_official_report_and_zero_report(cli_as: Cli, demo_url: str) -> None:
    code, out, _ = cli_as(LEADER, "stats", "--db", demo_url, "--from", "2000-01-01", "--to", "2000-01-31",
                          "--official")
    assert code == 0 and "零报告" in out and "防止民转刑" in out
    code, out, _ = cli_as(LEADER, "stats", "--db", demo_url, "--from", "2026-11-01", "--to", "2026-11-30",
                          "--official")
    assert code == 0 and "零报告" not in out and "调解纠纷总数" in out


def test_prevention_is_counted_by_its_day(cli_as: Cli, demo_url: str) -> None:
    out = cli_as(M, "cases", "list", "--db", demo_url, "--json")[1]
    number = json.loads(out)["cases"][0]["number"]
    assign_to_cli_mediator(demo_url, number)  # a mediator records on the cases assigned to them
    assert cli_as(M, "prevention", "add", "--db", demo_url, number, "防止自杀", "--persons", "2",
                  "--date", "2026-11-20")[0] == 0
    out = cli_as(LEADER, "stats", "--db", demo_url, "--from", "2026-11-01", "--to", "2026-11-30", "--json")[1]
    rows = {p["kind"]: (p["cases"], p["persons"]) for p in json.loads(out)["prevention"]}
    assert rows["防止自杀"] == (1, 2)


def test_bad_input_gets_one_chinese_line(cli_as: Cli, demo_url: str) -> None:
    code, _, err = cli_as(LEADER, "stats", "--db", demo_url, "--from", "2026-12-01", "--to", "2026-11-01")
    assert code == 2 and err.startswith("错误：统计期间无效")
    code, _, err = cli_as(LEADER, "stats", "--db", demo_url, "--from", "2026-11-01", "--to", "2026-11-30",
                          "--desk", "无此窗口")
    assert code == 2 and "找不到窗口" in err
    code, _, err = cli_as(LEADER, "stats", "--db", demo_url, "--from", "2026-11-01", "--to", "2026-11-30",
                          "--level", "无此镇")
    assert code == 2 and "找不到该层级单位" in err
    code, _, err = cli_as(LEADER, "stats", "--db", demo_url)
    assert code == 2 and "--from" in err
    code, _, err = cli_as(M, "prevention", "add", "--db", demo_url, "不存在的编号", "防止自杀", "--persons", "0")
    assert code == 2 and err.count("\n") == 1


def test_definitions_are_printed(cli: Cli) -> None:
    code, out, _ = cli("stats", "--definitions")
    assert code == 0 and "调解成功率 = 调解成功 ÷ 调解终结" in out
