"""Worker for the numbering race test: registers N cases, one transaction each, then exits.

Run as `python -m tests.support.concurrent_writer URL COMMITTEE_ID N`."""

from __future__ import annotations

import sys

from models.cases.service import register_case
from models.db import open_database
from tests.support.factories import ACTOR, draft


def main(url: str, committee_id: int, count: int) -> None:
    db = open_database(url, upgrade=False)
    for _ in range(count):
        with db.write.begin() as session:
            register_case(session, draft(committee_id), ACTOR)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
