"""Time a year's statistics with every breakdown, the dashboard's queries and the monthly report on
a given database (issue #14). Usage: python bench/bench_analysis.py sqlite:///FILE.db [--year 2025]"""

from __future__ import annotations

import argparse
import time

from models.analysis.charts import dashboard_charts
from models.analysis.report import monthly_report
from models.analysis.scope import Period, StatQuery
from models.analysis.stats import GROUPS, compare
from models.db import open_database
from models.dto import Actor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    db = open_database(args.url)
    year = StatQuery(Period(Period.month(args.year, 1).start, Period.month(args.year, 12).end))
    month = Period.month(args.year, 11)
    with db.read() as session:
        for label, work in (
            ("year, figures + 环比 + 同比 + every breakdown", lambda: compare(session, year, breakdowns=tuple(GROUPS))),
            ("dashboard queries (one month)", lambda: dashboard_charts(session, StatQuery(month))),
            ("monthly report PDF", lambda: monthly_report(session, Actor(), month, "pdf")),
            ("monthly report DOCX", lambda: monthly_report(session, Actor(), month, "docx")),
        ):
            started = time.perf_counter()
            work()
            print(f"{label}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
