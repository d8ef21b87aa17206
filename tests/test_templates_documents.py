"""Every document kind renders to PDF and DOCX with the same text; agreement rules (Art. 29)."""

from __future__ import annotations

import dataclasses

import pytest

from templates import blocks as b
from templates.render import KINDS, build, render
from templates.samples import SAMPLES, agreement, case, ledger, parties
from tests.support.templates import assert_in_order, docx_text, pdf_text


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_pdf_and_docx_print_the_same_content(kind: str) -> None:
    context = SAMPLES[kind]()
    expected = [t for block in build(kind, context).blocks for t in b.block_texts(block) if t.strip()]
    assert expected, "a document without text"
    assert_in_order(pdf_text(render(kind, context, "pdf")), expected)
    assert_in_order(docx_text(render(kind, context, "docx")), expected)


def test_agreement_carries_article_29_items_in_statutory_order() -> None:
    context = agreement()
    facts = context.case.facts
    in_order = [
        "人民调解协议书",
        "编号：玉社调字〔2025〕12号",
        "申请人：张建国",
        "被申请人：李秀英",
        "委托代理人：王志强",  # (一) 当事人的基本情况
        "纠纷主要事实、争议事项：",
        facts,
        context.case.issues,  # (二) 事实、争议事项
        "各方当事人的责任：",
        context.responsibilities,  # (二) 各方当事人的责任
        "经调解，自愿达成如下协议：",
        "1、被申请人李秀英于2025年3月31日前",  # (三) 协议内容
        "履行方式、时限：",
        "履行方式：被申请人以银行转账方式",
        "履行时限：2025年3月31日前履行完毕",
        "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。",
        "本协议一式三份",
        "当事人（签名盖章或按指印）：",
        "人民调解员（签名）：",
        "记录人（签名）：",
        "（玉门市社会治理服务中心人民调解委员会印）",
        "2025年3月18日",
    ]
    for data in (pdf_text(render("agreement", context, "pdf")), docx_text(render("agreement", context, "docx"))):
        assert_in_order(data, in_order)


@pytest.mark.parametrize(("party_count", "numeral"), [(2, "三"), (3, "四"), (11, "十二")])
def test_copies_equal_parties_plus_one_in_chinese_numerals(party_count: int, numeral: str) -> None:
    people = (parties() * 6)[:party_count]
    context = dataclasses.replace(agreement(), case=dataclasses.replace(case(), parties=people))
    assert context.copies == party_count + 1
    assert f"本协议一式{numeral}份" in pdf_text(render("agreement", context, "pdf"))


def test_amount_in_words_and_figures_replaces_the_token() -> None:
    text = pdf_text(render("agreement", agreement(), "pdf"))
    assert "共计人民币壹万贰仟元整（¥12,000.00）。" in text
    assert "协议金额：人民币壹万贰仟元整（¥12,000.00）" in text
    assert "{amount}" not in text


def test_judicial_notice_is_optional() -> None:
    with_notice = pdf_text(render("agreement", agreement(), "pdf"))
    without = pdf_text(render("agreement", dataclasses.replace(agreement(), judicial_confirmation_notice=False), "pdf"))
    assert "申请司法确认" in with_notice
    assert "申请司法确认" not in without


def test_full_id_and_phone_in_agreement_and_confirmation_application() -> None:
    for kind in ("agreement", "confirmation-application"):
        text = pdf_text(render(kind, SAMPLES[kind](), "pdf"))
        assert "620981196805061236" in text
        assert "13893712345" in text


def test_ledger_masks_by_default_and_prints_in_full_on_request() -> None:
    row = ledger(1).rows[0]
    masked = pdf_text(render("ledger", ledger(3), "pdf"))
    full = pdf_text(render("ledger", ledger(3, unmasked=True), "pdf"))
    masked_docx = docx_text(render("ledger", ledger(3), "docx"))
    assert row.id_numbers[0] not in masked and row.id_numbers[0] not in masked_docx
    assert row.id_numbers[0][:6] + "********" + row.id_numbers[0][-4:] in masked
    assert row.phones[0][:3] + "****" + row.phones[0][-4:] in masked
    assert row.id_numbers[0] in full and row.phones[0] in full


def test_ledger_has_reporting_fields_and_row_numbers() -> None:
    text = pdf_text(render("ledger", ledger(12), "pdf"))
    assert_in_order(
        text,
        [
            "填报单位：玉门市社会治理服务中心",
            "填报人：孙丽",
            "填报日期：2025年4月1日",
            "筛选条件：期间：2025年1月1日至2025年3月31日",
            "序号",
            "1玉社调字〔2025〕1号",
            "12玉社调字〔2025〕12号",
            "共12件",
        ],
    )


def test_wrong_context_or_kind_is_refused() -> None:
    with pytest.raises(TypeError):
        render("agreement", ledger(1), "pdf")
    with pytest.raises(ValueError, match="未知"):
        render("no-such-kind", agreement(), "pdf")
    with pytest.raises(ValueError, match="格式"):
        render("agreement", agreement(), "odt")  # type: ignore[arg-type]  # an unknown format, on purpose


def test_agreement_without_amount_prints_no_amount_line() -> None:
    context = dataclasses.replace(agreement(), amount=None, items=("双方和好。",))
    assert "协议金额" not in pdf_text(render("agreement", context, "pdf"))
