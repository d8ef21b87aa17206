"""Ledger import from Excel: time and peak memory for N generated rows (issue #14: 100,000 rows
≤ 60 s, memory flat in the rows). The workbook is written once per size beside the output
database. Usage: python bench/bench_import.py OUT_DIR [--rows N]"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from forms.ledger_import import import_ledger
from models.cases.catalog import DISPUTE_TYPES, SOURCE_CHANNELS
from models.db import open_database
from models.demo import fakedata
from models.demo.cases import seed_demo
from models.dto import Actor

HEADER = ("案件编号", "登记日期", "来源", "甲方姓名", "联系电话", "身份证号", "乙方姓名", "纠纷类型", "纠纷简况", "涉及金额", "化解结果")


def write_ledger(path: Path, rows: int) -> None:
    rng = random.Random(7)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    names = [name for _, name, parent in DISPUTE_TYPES if parent is None]
    for i in range(rows):
        a: dict[str, Any] = fakedata.person(rng)
        b: dict[str, Any] = fakedata.person(rng)
        masked = rng.random() < 0.3
        sheet.append((f"旧调字{2015 + i % 8}-{i:06d}", f"{2015 + i % 8}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                      rng.choice(SOURCE_CHANNELS), a["name"], a["phone"],
                      a["id_number"][:6] + "********" + a["id_number"][14:] if masked else a["id_number"],
                      b["name"], rng.choice(names), "双方因琐事发生纠纷", rng.randrange(0, 50_000),
                      rng.choice(("书面协议", "口头协议", None, None))))
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    ledger = args.out / f"analysis-ledger-{args.rows}.xlsx"
    if not ledger.exists():
        started = time.perf_counter()
        write_ledger(ledger, args.rows)
        print(f"wrote {ledger} in {time.perf_counter() - started:.1f} s")
    target = args.out / f"analysis-import-{args.rows}.db"
    target.unlink(missing_ok=True)
    db = open_database(f"sqlite:///{target}")
    with db.write.begin() as session:
        seed_demo(session, cases=0)
    started = time.perf_counter()
    summary = import_ledger(db, Actor(), ledger)
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{summary.text()}\n{args.rows:,} rows in {elapsed:.1f} s ({args.rows / elapsed:,.0f} rows/s), peak RSS {rss:.0f} MB")
    started = time.perf_counter()
    again = import_ledger(db, Actor(), ledger)
    print(f"re-import: {again.added} added in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
