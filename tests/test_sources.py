"""Grounding against the real held text: its artifacts must be survived, not papered over."""

from __future__ import annotations

import pytest
from conftest import HELD_TEXT

from bluebook.data.heldtext import heading_level, load_held_text, normalize, parse_held_text, sha256_of, split_quote


@pytest.fixture(scope="module")
def held():
    return load_held_text(HELD_TEXT, sha256_of(HELD_TEXT))


@pytest.mark.parametrize(
    "quote",
    [
        "遺体交換等",  # page break inside the word: 遺体交 / 換等
        "インドなどのグローバル・サウス諸国との連携強化を引き続き模索している",  # footnotes (1)(2) mid-sentence
        "強靱化",  # ruby: 強<sup>じん</sup>靱化
        "BRICS、上海協力機構（SCO）",  # BRICS<sup>(3)</sup> footnote mark dropped, full-width brackets
        "電話会談を实施し",  # the text's own typo, and a page break (实 / 施)
        "脆弱層の自立支援計画",  # captions and footnote (10) between 脆弱 and 層
        "ロシアは5月…習近平国家主席は主賓として出席した",  # fragments in order within one paragraph
    ],
)
def test_real_quotes_are_found(held, quote):
    assert held.locate(quote), quote


def test_brics_footnote_mark_is_not_text(held):
    assert not held.locate("BRICS(3)")
    assert held.locate("BRICS<sup>(3)</sup>、上海協力機構")  # a quote copied with the mark still matches


@pytest.mark.parametrize(
    "quote",
    [
        "遺体交換等が実現しなかった",  # the text says the opposite
        "習近平国家主席は主賓として出席した…ロシアは5月",  # fragments out of order
        "インドなどのグ(1)一定の価格",  # footnote text is not part of the sentence
        "実施し、米国が対ベラルーシ制裁を全て解除",  # 'partly' is not 'entirely'
    ],
)
def test_wrong_quotes_are_not_found(held, quote):
    assert not held.locate(quote), quote


def test_fragments_must_be_in_one_paragraph(held):
    assert not held.locate("遺体交換等…日本センター")


def test_section_tree_comes_from_numbering_not_hashes(held):
    levels = {h.text: h.level for h in held.headings}
    assert levels["ウ ロシア経済"] == levels["ア ロシア内政"] == 3  # `##` beside `####`
    assert levels["(2) 日露関係"] == levels["(1) ロシア情勢"] == 2
    assert levels["(2) 中央アジア諸国"] == 2 and levels["3 中央アジア・コーカサス諸国"] == 1
    paragraph = held.locate("ガソリン輸出の全面的な禁輸措置")[0]
    assert paragraph.sections[-3:] == ("2 ロシア・ベラルーシ", "(1) ロシア情勢", "ウ ロシア経済")
    paragraph = held.locate("日本センターは、設立から30年以上が経過し")[0]
    assert paragraph.sections[-2:] == ("(2) 日露関係", "ア 総論")


def test_typo_heading_is_a_level_three_heading(held):
    assert heading_level("㊦ 日露経済関係") == 3
    assert held.locate("日露間の貿易は約1兆1,951億円", "㊦ 日露経済関係")


def test_footnote_belongs_to_the_section_of_its_mark(held):
    brics = held.locate("同年6月にはベトナムのパートナー国入りを公表した")[0]
    assert brics.kind == "footnote" and brics.section == "イ ロシア外政"  # printed under ウ ロシア経済


def test_captions_and_footnotes_are_not_body_paragraphs(held):
    kinds = {p.kind for p in held.paragraphs}
    assert kinds == {"body", "footnote", "note", "caption"}
    caption = held.locate("岩屋外務大臣によるトカエフ・カザフスタン大統領への表敬(8月25日、カザフスタン・アスタナ)")
    assert [p.kind for p in caption] == ["caption"]  # quotable on its own, never inside a sentence
    assert not held.locate("脆弱岩屋外務大臣")


def test_normalize_is_nfkc_and_strips_marks_and_space():
    assert normalize("強<sup>じん</sup>靱化") == "強靱化"
    assert normalize("（ＣＡ + ＪＡＤ）") == "(CA+JAD)"
    assert split_quote("a…b") == ["a", "b"]


def test_sentence_runs_on_across_a_page_break():
    text = "## 1 概観\n\n前半の文は遺体交\n\n(1) 脚注の文。\n\n換等が実現した。\n"
    held = parse_held_text(text)
    body = [p for p in held.paragraphs if p.kind == "body"]
    assert len(body) == 1 and "遺体交換等" in body[0].text
    assert held.locate("遺体交換等")
