"""Generate the 1,000,000-case database for the analysis benchmarks (issue #14): the cases of
bench/generate_cases.py, then every table the statistics read, in realistic proportions, filled by
SQL on the cases so that the facts agree with each case's stage:

- closed cases (办结/归档): mediation outcome 书面协议 55 %, 口头协议 25 %, 调解不成 10 % (then an award
  or a judgment), 撤回 10 %; an agreement row for each success with the case's amount;
- 回访: every 归档 case (满意/基本满意), half of the 办结 cases (8 % of them 不满意), 1 % re-opened;
- one 人民调解 deadline per case (30 days; closed cases finish 10–45 days after receipt, so some late);
- 诉调对接 register rows for the 诉 cases, half with a 司法确认 application, 30 % of those confirmed;
- 督办 on 3 % of cases (70 % replied); 双派单 on 8 % (主办 + 属地监督, feedback 1–9 days later);
- 防激化 records on 0.5 % of cases.

Usage: python bench/generate_analysis.py bench/out/analysis-1m.db [--cases N]"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from generate_cases import load  # run as a script: bench/ is on sys.path

from models.db import open_database
from models.demo.cases import seed_demo, set_demo_passwords

R = "(abs(random()) % 100)"  # a fresh percentage per row
FILLS: tuple[tuple[str, str], ...] = (
    ("outcomes", f"""UPDATE cases SET mediation_outcome = CASE WHEN {R} < 55 THEN '书面协议' WHEN {R} < 55 THEN '口头协议'
        WHEN {R} < 50 THEN '调解不成' ELSE '撤回' END, closed_at = datetime(received_date, '+' || (10 + {R} * 35 / 100) || ' days')
        WHERE stage IN ('办结', '归档')"""),
    ("outcomes in 调", f"UPDATE cases SET mediation_outcome = '调解不成' WHERE stage IN ('裁', '诉') OR (stage = '调' AND {R} < 10)"),
    ("awards", f"""UPDATE cases SET arbitration_track = '劳动人事争议仲裁', arbitration_result = '裁决'
        WHERE mediation_outcome = '调解不成' AND stage IN ('办结', '归档') AND {R} < 50"""),
    ("judgments", """UPDATE cases SET court_outcome = '判决' WHERE mediation_outcome = '调解不成'
        AND stage IN ('办结', '归档') AND arbitration_result IS NULL"""),
    ("follow-ups", f"""UPDATE cases SET followup_satisfaction = CASE WHEN stage = '归档' THEN
        (CASE WHEN {R} < 75 THEN '满意' ELSE '基本满意' END) WHEN {R} < 50 THEN
        (CASE WHEN {R} < 70 THEN '满意' WHEN {R} < 73 THEN '基本满意' ELSE '不满意' END) END
        WHERE stage IN ('办结', '归档')"""),
    ("re-opened", f"""INSERT INTO stage_events(case_id, action, from_stage, to_stage, at, user_id, reason)
        SELECT id, 'reopen', '办结', '调', registered_at, mediator_id, '回访不满意' FROM cases
        WHERE followup_satisfaction = '不满意' AND {R} < 20"""),
    ("agreements", """INSERT INTO agreements(case_id, number, oral, items, performance, performance_deadline, amount,
        signed_on, confirmation_notice, created_at, version)
        SELECT id, 'XY' || id, mediation_outcome = '口头协议', '["按协议履行"]', '', NULL, amount,
        date(received_date, '+12 days'), 1, registered_at, 1 FROM cases WHERE mediation_outcome IN ('书面协议', '口头协议')"""),
    ("deadlines", """INSERT INTO case_deadlines(case_id, rule_code, trigger_date, due_date, base_due, completed_on)
        SELECT id, 'mediation_general', received_date, date(received_date, '+30 days'), date(received_date, '+30 days'),
        CASE WHEN closed_at IS NOT NULL THEN date(closed_at) END FROM cases"""),
    ("referrals", f"""INSERT INTO court_referrals(case_id, court, kind, cause, referred_on, confirmation_applied_on,
        failure_report, version)
        SELECT id, '玉门市人民法院', '委派', '民间借贷纠纷', date(received_date, '+5 days'),
        CASE WHEN {R} < 50 THEN date(received_date, '+20 days') END, '', 1 FROM cases WHERE stage = '诉'"""),
    ("confirmed", f"""UPDATE cases SET court_outcome = '司法确认有效' WHERE stage = '诉' AND {R} < 30 AND id IN
        (SELECT case_id FROM court_referrals WHERE confirmation_applied_on IS NOT NULL)"""),
    ("supervision", f"""INSERT INTO supervision_orders(number, year, seq, case_id, level, issued_on, issued_by_name,
        requirement, reply_due, reply, replied_on, version)
        SELECT '督办〔' || year || '〕' || id || '号', year, id, id, CASE WHEN {R} < 50 THEN '黄' ELSE '红' END,
        date(received_date, '+20 days'), '中心主任', '限期化解', date(received_date, '+27 days'),
        CASE WHEN {R} < 70 THEN '已化解' END, NULL, 1 FROM cases WHERE {R} < 3"""),
    ("supervision replies", "UPDATE supervision_orders SET replied_on = date(issued_on, '+5 days') WHERE reply IS NOT NULL"),
    ("dispatches", f"""INSERT INTO dispatches(case_id, created_at, created_by_id, note, status, version)
        SELECT id, registered_at, first_handler_id, '', '已评价', 1 FROM cases WHERE {R} < 8"""),
    ("dispatch targets", """INSERT INTO dispatch_targets(dispatch_id, role, unit_name, deadline)
        SELECT id, '主办', CASE id % 5 WHEN 0 THEN '玉门镇人民政府' WHEN 1 THEN '赤金镇人民政府' WHEN 2 THEN '花海镇人民政府'
        WHEN 3 THEN '玉门市住房和城乡建设局' ELSE '玉门市人力资源和社会保障局' END, date(created_at, '+7 days') FROM dispatches"""),
    ("dispatch feedback", f"""INSERT INTO dispatch_events(dispatch_id, action, step, from_status, to_status, at, text)
        SELECT id, 'feedback', '处置', '已派遣', '已反馈', datetime(created_at, '+' || (1 + {R} % 9) || ' days'), '已处置'
        FROM dispatches"""),
    ("dispatch evaluation", f"""INSERT INTO dispatch_events(dispatch_id, action, step, from_status, to_status, at, text,
        satisfaction) SELECT id, 'evaluate', '评价', '已核查', '已评价', datetime(created_at, '+12 days'), '',
        CASE WHEN {R} < 90 THEN '满意' ELSE '基本满意' END FROM dispatches"""),
    ("prevention", f"""INSERT INTO prevention_records(case_id, kind, persons, recorded_on, note, at)
        SELECT id, CASE id % 4 WHEN 0 THEN '防止民转刑' WHEN 1 THEN '防止自杀' WHEN 2 THEN '防止群体性上访'
        ELSE '防止群体性械斗' END, 1 + {R} % 20, date(received_date, '+3 days'), '', registered_at
        FROM cases WHERE abs(random()) % 1000 < 5"""),
)


def fill(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    for label, sql in FILLS:
        started = time.perf_counter()
        count = conn.execute(sql).rowcount
        print(f"{label}: {count:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    args.out.unlink(missing_ok=True)
    db = open_database(f"sqlite:///{args.out}")
    with db.write.begin() as session:
        seed_demo(session, cases=0)
        set_demo_passwords(session)
    db.engine.dispose()
    started = time.perf_counter()
    load(args.out, args.cases)
    print(f"{args.cases:,} cases in {time.perf_counter() - started:.1f} s", flush=True)
    fill(args.out)
    print(f"done in {time.perf_counter() - started:.1f} s; {args.out.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
