"""Registering cases, numbering, moving them through the stage table, and reading them back."""

from __future__ import annotations

from datetime import date

import pytest

from models.cases.numbering import check_pattern, format_number
from models.cases.queries import CaseFilter, case_detail, count_cases, list_cases
from models.cases.service import advance_stage, record, register_case
from models.db import Database
from models.demo.casefile import complete_dossier
from models.dto import CaseRow
from models.errors import NotFound, TransitionRefused, ValidationFailed
from tests.support.factories import ACTOR, committee, draft, refer


def test_numbers_follow_the_pattern_per_committee_and_year(db: Database) -> None:
    with db.write.begin() as s:
        yumen, other = committee(s, "玉门"), committee(s, "花调")
        numbers = [register_case(s, draft(yumen), ACTOR).number for _ in range(3)]
        numbers.append(register_case(s, draft(other), ACTOR).number)
        numbers.append(register_case(s, draft(yumen, received=date(2026, 1, 2)), ACTOR).number)
    assert numbers == [
        "玉门人调字〔2025〕1号", "玉门人调字〔2025〕2号", "玉门人调字〔2025〕3号",
        "花调人调字〔2025〕1号", "玉门人调字〔2026〕1号",
    ]


def test_configurable_pattern_with_padding_and_di(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s, "泰", pattern="（{YYYY}）{代字}调字第{n:03d}号")
        assert register_case(s, draft(cid), ACTOR).number == "（2025）泰调字第001号"


@pytest.mark.parametrize("pattern", ["{代字}〔{YYYY}〕号", "{x}{n}", "{n", "{代字}{n:%d}"])
def test_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValidationFailed):
        check_pattern(pattern)
    assert format_number("{代字}人调字〔{YYYY}〕{n}号", "玉门", 2025, 12) == "玉门人调字〔2025〕12号"


def test_rolled_back_registration_gives_its_number_back(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
    with pytest.raises(RuntimeError), db.write.begin() as s:
        register_case(s, draft(cid), ACTOR)
        raise RuntimeError("user cancelled")
    with db.write.begin() as s:
        assert register_case(s, draft(cid), ACTOR).number == "玉门人调字〔2025〕1号"


def test_court_referred_case_enters_at_mediation(db: Database) -> None:
    with db.write.begin() as s:
        ref = register_case(s, draft(committee(s), source="法院委派"), ACTOR)
    assert ref.stage == "调"


def test_invalid_draft_lists_every_problem(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        bad = draft(cid, source="飞鸽传书")
        bad = type(bad)(**{**vars(bad), "summary": " ", "dispute_type_code": "X"})
        with pytest.raises(ValidationFailed) as info:
            register_case(s, bad, ACTOR)
    assert set(info.value.fields) == {"source_channel", "summary", "dispute_type_code"}


def test_full_path_to_archive_with_event_history(db: Database) -> None:
    with db.write.begin() as s:
        ref = register_case(s, draft(committee(s)), ACTOR)
    with db.write.begin() as s:
        with pytest.raises(TransitionRefused) as refused:
            advance_stage(s, ref.id, "close_mediation", ACTOR)
        assert "当前处于“诊”" in refused.value.blockers[0]
        refer(s, ref.id, ACTOR)
        with pytest.raises(TransitionRefused) as refused:
            advance_stage(s, ref.id, "close_mediation", ACTOR)
        assert refused.value.blockers == ["尚未记录调解结果"]
        record(s, ref.id, "mediation_outcome", "书面协议", ACTOR)
        advance_stage(s, ref.id, "close_mediation", ACTOR)
        record(s, ref.id, "followup_satisfaction", "不满意", ACTOR)
        advance_stage(s, ref.id, "reopen", ACTOR, "对方未按期履行")
        record(s, ref.id, "mediation_outcome", "口头协议", ACTOR)
        advance_stage(s, ref.id, "close_mediation", ACTOR)
        record(s, ref.id, "followup_satisfaction", "满意", ACTOR)
        complete_dossier(s, ref.id, ACTOR)  # 归档 needs a complete 卷宗 (tests/test_casefile_archive.py)
        advance_stage(s, ref.id, "archive", ACTOR)
    with db.read() as s:
        detail = case_detail(s, number=ref.number)
    moves = [(e.from_stage, e.to_stage) for e in detail.events if e.from_stage != e.to_stage]
    assert moves == [(None, "诊"), ("诊", "调"), ("调", "办结"), ("办结", "调"), ("调", "办结"), ("办结", "归档")]
    assert detail.stage == "归档" and detail.allowed_actions == ()
    assert [p.name for p in detail.parties] == ["张三", "李四"]


def test_record_rejects_unknown_values(db: Database) -> None:
    with db.write.begin() as s:
        ref = register_case(s, draft(committee(s)), ACTOR)
        with pytest.raises(ValidationFailed):
            record(s, ref.id, "mediation_outcome", "大概成了", ACTOR)


def test_search_by_short_name_phone_id_and_number(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        first = register_case(s, draft(cid), ACTOR)
        other = draft(cid)
        other = type(other)(**{**vars(other), "parties": other.parties[1:]})
        register_case(s, other, ACTOR)
    with db.read() as s:
        def hits(text: str) -> int:
            return count_cases(s, CaseFilter(search=text))

        assert hits("张") == 1 and hits("张三") == 1 and hits("李四") == 2
        assert hits("5678") == 1 and hits("１３８１２") == 1 and hits("1002x") == 1
        assert hits(first.number) == 1 and hits("〔2025〕2") == 1
        assert hits("王") == 0 and hits("三李") == 0 and hits("!!") == 0


def test_keyset_pages_match_offset_pages(demo_db: Database) -> None:
    with demo_db.read() as s:
        everything = list_cases(s, limit=1000).rows
        pages: list[CaseRow] = []
        cursor = None
        while True:
            page = list_cases(s, limit=37, after=cursor)
            pages.extend(page.rows)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert [r.id for r in pages] == [r.id for r in everything]
        assert [r.id for r in list_cases(s, offset=74, limit=37).rows] == [r.id for r in everything[74:111]]
        by_number = list_cases(s, sort="number", descending=False, limit=1000).rows
        assert len(by_number) == len(everything) == count_cases(s, CaseFilter())


def test_filters_agree_with_counts(demo_db: Database) -> None:
    with demo_db.read() as s:
        for stage in ("诊", "调", "裁", "诉", "办结", "归档"):
            rows = list_cases(s, CaseFilter(stage=stage), limit=1000).rows
            assert rows, f"demo has no case at {stage}"
            assert all(r.stage == stage for r in rows)
            assert len(rows) == count_cases(s, CaseFilter(stage=stage))
        labour = list_cases(s, CaseFilter(dispute_type_code="10"), limit=1000).rows
        assert labour and all("劳动" in r.dispute_type or "工资" in r.dispute_type for r in labour)


def test_unknown_case_number(db: Database) -> None:
    with db.read() as s, pytest.raises(NotFound):
        case_detail(s, number="不存在的案号")


def test_jumps_land_on_the_same_rows_as_offsets(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.cases import queries

    monkeypatch.setattr(queries, "JUMP_STRIDE", 7)  # many bookmarks on the small demo list
    with demo_db.read() as s:
        for flt, sort, descending in ((CaseFilter(), "received", True), (CaseFilter(stage="调"), "number", False)):
            everything = list_cases(s, flt, sort=sort, descending=descending, limit=10_000).rows
            jumps = queries.Jumps(flt, sort, descending)
            for row in (0, 6, 7, 8, 20, 49, 8, len(everything) - 3, len(everything) + 5):
                assert jumps.page(s, row, limit=5).rows == everything[row : row + 5], (flt, row)
