"""The reader of the held text's Japanese, on real phrases of the held text (each read in the
paragraph it lies in, as the field contract reads it): parsed value, precision and span."""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml
from conftest import HELD_TEXT, REPO

from bluebook.data.heldtext import load_held_text, normalize, sha256_of
from bluebook.reader import Gazetteer, read, read_text
from bluebook.reader.text import normalize_mapped


@cache
def names() -> Gazetteer:
    return Gazetteer(yaml.safe_load((REPO / "snapshots" / "entities.yaml").read_text(encoding="utf-8")))


def read_real(quote: str):
    """Read a quote of the held text in its paragraph, the year the text reviews being 2025."""
    held = load_held_text(HELD_TEXT, sha256_of(HELD_TEXT))
    found = held.locate(quote)
    assert found, f"not a phrase of the held text: {quote}"
    p = found[0]
    reading = read(quote, p.raw, p.section, 2025, names())
    assert reading.located
    return reading


def span(quote: str, words: str) -> tuple[int, int]:
    start = quote.index(words)
    return start, start + len(words)


# --- dates: (quote, the words, value, end, precision, part, relation) -------------------------------
DATES = [
    ("2022年2月に始まったロシアによるウクライナ侵略", "2022年2月", "2022-02", None, "month", None, None),
    ("2025年1月から12月の日露間の貿易は約1兆1,951億円", "2025年1月から12月", "2025-01", "2025-12", "month", None, None),
    ("（8月27日、ウズベキスタン・タシケント）", "8月27日", "2025-08-27", None, "day", None, None),
    ("(8月25日、カザフスタン・アスタナ)", "8月25日", "2025-08-25", None, "day", None, None),
    ("日・キルギス外相会談(12月19日、東京)", "12月19日", "2025-12-19", None, "day", None, None),
    ("12月20日、東京において", "12月20日", "2025-12-20", None, "day", None, None),
    ("同年6月にはベトナムのパートナー国入りを公表した", "同年6月", "2025-06", None, "month", None, None),
    (
        "また、同年9月、ロシア政府は、自由訪問及び四島交流に係る合意の効力を停止する",
        "同年9月",
        "2022-09",
        None,
        "month",
        None,
        None,
    ),
    ("なお、閉鎖の決定を行うに際しては、同年1月のロシア政府による", "同年1月", "2025-01", None, "month", None, None),
    ("同月、岩屋外務大臣がウズベキスタンを訪問し", "同月", "2025-08", None, "month", None, None),
    (
        "また、同月に東京で、日・タジキスタン経済・技術・科学協力政府間委員会第3回会合が開催された",
        "同月",
        "2025-06",
        None,
        "month",
        None,
        None,
    ),
    (
        "8月末から9月にかけては、プーチン大統領が中国を訪問し",
        "8月末から9月にかけて",
        "2025-08",
        "2025-09",
        "month",
        "end",
        None,
    ),
    (
        "1月から2月にかけて長島昭久内閣総理大臣補佐官が総理特使として",
        "1月から2月にかけて",
        "2025-01",
        "2025-02",
        "month",
        None,
        None,
    ),
    ("中露海軍が8月1日から5日に日本海で共同演習", "8月1日から5日", "2025-08-01", "2025-08-05", "day", None, None),
    ("4月末、露朝双方が", "4月末", "2025-04", None, "month", "end", None),
    ("2027年1月以降のロシア産液化天然ガス（LNG）の輸入禁止", "2027年1月以降", "2027-01", None, "month", None, "since"),
    ("2020年以降実施できていない", "2020年以降", "2020", None, "year", None, "since"),
    ("EU加盟プロセスを2028年末まで開始しない", "2028年末まで", "2028", None, "year", "end", "until"),
    ("5月には2022年以来となるロシアとウクライナの直接協議", "2022年以来", "2022", None, "year", None, "since"),
    (
        "2022年12月からロシア産原油、2023年2月からはロシア産石油製品",
        "2023年2月から",
        "2023-02",
        None,
        "month",
        None,
        "since",
    ),
    ("侵略開始前の2021年同期比で50.5%の減少となった", "2021年同期", "2021", None, "year", None, None),
    ("これは前年比の2倍以上となった", "前年", "2024", None, "year", None, None),
    ("ウクライナ侵略以降初めて国防費の額面が前年を下回った", "前年", "2025", None, "year", None, None),
    # 2024年 opens the sentence, but the ministry revised its forecast in September 2025: a year alone
    # does not date a later bare month
    (
        "2024年には4%を超えていた実質GDP成長率について、ロシア経済発展省は9月",
        "9月",
        "2025-09",
        None,
        "month",
        None,
        None,
    ),
    (
        "2024年9月にロシア軍機が北海道礼文島北方の日本の領海の上空において",
        "2024年9月",
        "2024-09",
        None,
        "month",
        None,
        None,
    ),
    ("(2023年12月IMO決議A.1192 (33) para.1)", "2023年12月", "2023-12", None, "month", None, None),
    (
        "12月9日には中露の爆撃機が東シナ海及び太平洋で共同飛行を実施した",
        "12月9日",
        "2025-12-09",
        None,
        "day",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("quote", "words", "value", "end", "precision", "part", "relation"), DATES, ids=[d[1] for d in DATES]
)
def test_dates(quote, words, value, end, precision, part, relation):
    reading = read_real(quote)
    found = [d for d in reading.dates if d.text == words]
    assert found, [d.describe() for d in reading.dates]
    d = found[0]
    assert (d.value, d.end, d.precision, d.part, d.relation) == (value, end, precision, part, relation)
    assert d.span == span(quote, words)


def test_same_year_takes_the_last_year_named_before_it_in_the_paragraph():
    d = read_real("2025年1月に…同年6月にはベトナムのパートナー国入りを公表した").dates
    assert [(x.value, x.year_from) for x in d] == [("2025-01", "text"), ("2025-06", "same-year")]


def test_a_bare_month_takes_the_year_of_a_year_and_month_earlier_in_its_sentence():
    # 2022年3月 … 措置を発表した。 ends the sentence; 同年9月 is explicit; a bare month in the same
    # sentence as 2024年8月 would be 2024's (none is in the text, so this reads a sentence of its own)
    r = read("2024年8月に始まり、12月に終わった", year=2025)
    assert [x.value for x in r.dates] == ["2024-08", "2024-12"]
    assert r.dates[1].year_from == "sentence"


def test_era_years_relative_years_and_parts_of_a_month():
    # The held text has no era years, 本年, 昨年, 同日 or 上旬/中旬/下旬; the reader reads them all the same.
    r = read("令和7年3月1日に署名し、同日発効した。本年11月上旬、昨年12月下旬、令和元年", year=2025)
    got = [(d.text, d.value, d.precision, d.part, d.year_from) for d in r.dates]
    assert got == [
        ("令和7年3月1日", "2025-03-01", "day", None, "era"),
        ("同日", "2025-03-01", "day", None, "same-year"),
        ("本年11月上旬", "2025-11", "month", "early", "relative"),
        ("昨年12月下旬", "2024-12", "month", "late", "relative"),
        ("令和元年", "2019", "year", None, "era"),
    ]


def test_spans_are_offsets_in_the_quote_as_given_full_width_included():
    quote = "（８月２７日、ウズベキスタン・タシケント）"
    r = read(quote, year=2025, names=names())
    assert r.dates[0].value == "2025-08-27"
    assert r.dates[0].span == (1, 6) and quote[1:6] == "８月２７日"


# --- figures: (quote, the words, value, unit, kind, qualifier, tolerance) -----------------------------
FIGURES = [
    (
        "2025年1月から12月の日露間の貿易は約1兆1,951億円",
        "約1兆1,951億円",
        1_195_100_000_000,
        "JPY",
        "amount",
        "about",
        5e7,
    ),
    (
        "（同期間の日露間の貿易額は、約2兆4,139億円）",
        "約2兆4,139億円",
        2_413_900_000_000,
        "JPY",
        "amount",
        "about",
        5e7,
    ),
    ("侵略開始前の2021年同期比で50.5%の減少となった", "50.5%の減少", -50.5, "percent", "percent", None, 0.05),
    ("ロシアから日本への輸入額は2021年同期比で46.6%減少し", "46.6%減少", -46.6, "percent", "percent", None, 0.05),
    ("日本からロシアへの輸出額も2021年同期比で57.5%減少した", "57.5%減少", -57.5, "percent", "percent", None, 0.05),
    ("2025年の予測を前年比2.5%増から1%増と下方修正した", "2.5%増", 2.5, "percent", "percent", None, 0.05),
    ("2025年の予測を前年比2.5%増から1%増と下方修正した", "1%増", 1, "percent", "percent", None, 0.5),
    ("2024年には4%を超えていた実質GDP成長率", "4%を超えていた", 4, "percent", "percent", "over", 0.5),
    ("引き続き予算全体の約3割を占めており", "約3割", 30, "percent", "percent", "about", 5),
    ("付加価値税の税率を20%から22%に引き上げる", "22%", 22, "percent", "percent", None, 0.5),
    ("インドに対し、25%の追加関税（いわゆる「二次関税」）を課し", "25%", 25, "percent", "percent", None, 0.5),
    ("「作戦」参加者が800人以上当選し", "800人以上", 800, "count", "count", "at_least", 0.5),
    ("これは前年比の2倍以上となった", "2倍以上", 2, "ratio", "ratio", "at_least", 0.5),
    ("3度にわたり領空侵犯した", "3度", 3, "count", "count", None, 0.5),
    ("これまでオンラインを含め10回の外相会合", "10回", 10, "count", "count", None, 0.5),
    ("外務省は中央アジア5か国の法執行当局関係者を日本に招待し", "5か国", 5, "count", "count", None, 0.5),
    ("1月の大統領選挙でルカシェンコ大統領が7選目を果たした", "7選目", 7, "count", "ordinal", None, 0.5),
    ("CA+JADを発足させてから21年が経ち", "21年", 21, "years", "duration", None, 0.5),
    (
        "30年以上にわたる紛争を終結させるための和平に向けた共同宣言",
        "30年以上",
        30,
        "years",
        "duration",
        "at_least",
        0.5,
    ),
    ("「作戦」）が3年を超える中", "3年を超える", 3, "years", "duration", "over", 0.5),
    ("8月には約4年ぶりとなる対面での米露首脳会談", "約4年", 4, "years", "duration", "about", 0.5),
    ("独立国家共同体 (10)", "(10)", 10, "count", "number", None, 0.5),
    ("官民合わせて150件以上の文書が署名・披露されました", "150件以上", 150, "count", "count", "at_least", 0.5),
    ("ロシアの石油大手2社に対する追加の制裁を導入した", "2社", 2, "count", "count", None, 0.5),
    ("対ドイツ戦勝利80周年を記念する軍事パレード", "80周年", 80, "years", "anniversary", None, 0.5),
]


@pytest.mark.parametrize(
    ("quote", "words", "value", "unit", "kind", "qualifier", "tolerance"), FIGURES, ids=[f[1] for f in FIGURES]
)
def test_figures(quote, words, value, unit, kind, qualifier, tolerance):
    reading = read_real(quote)
    found = [f for f in reading.figures if f.text == words]
    assert found, [f.describe() for f in reading.figures]
    f = found[0]
    assert (f.value, f.unit, f.kind, f.qualifier) == (value, unit, kind, qualifier)
    assert f.tolerance == pytest.approx(tolerance)
    assert f.span == span(quote, words)


def test_figures_leave_dates_alone_and_read_full_width_digits():
    r = read("２０２５年に３度、約１兆１，９５１億円", year=2025)
    assert [(f.text, f.value) for f in r.figures] == [("３度", 3), ("約１兆１，９５１億円", 1_195_100_000_000)]
    assert [d.value for d in r.dates] == ["2025"]


# --- names: (quote, the words, entities, offices, office country) ------------------------------------
NAMES = [
    ("2025年1月から12月の日露間の貿易", "日露", ("JPN", "RUS"), (), None),
    ("日・タジキスタン投資協定への署", "日・", ("JPN",), (), None),
    ("日・タジキスタン投資協定への署", "タジキスタン", ("TJK",), (), None),
    ("首脳間では、8月の露朝首脳電話会談に続き", "露朝", ("RUS", "PRK"), (), None),
    ("12月9日には中露の爆撃機が東シナ海及び太平洋で共同飛行を実施した", "中露", ("CHN", "RUS"), (), None),
    (
        "同月、岩屋外務大臣がウズベキスタンを訪問し",
        "岩屋外務大臣",
        ("person.iwaya-takeshi", "JPN"),
        ("foreign_minister",),
        "JPN",
    ),
    (
        "サイドフ外相と両国間で初めてとなる外相戦略対話を実施",
        "サイドフ外相",
        ("person.saidov-bakhtiyor", "UZB"),
        ("foreign_minister",),
        "UZB",
    ),
    (
        "岩屋外務大臣によるトカエフ・カザフスタン大統領への表敬",
        "トカエフ・カザフスタン大統領",
        ("person.tokayev-kassym-jomart", "KAZ"),
        ("president",),
        "KAZ",
    ),
    (
        "ミルジヨーエフ・ウズベキスタン大統領が参加しました",
        "ミルジヨーエフ・ウズベキスタン大統領",
        ("person.mirziyoyev-shavkat", "UZB"),
        ("president",),
        "UZB",
    ),
    (
        "3月にヌルトレウ・副首相兼外相が外務省賓客として訪日し",
        "ヌルトレウ・副首相兼外相",
        ("person.nurtleu-murat", "KAZ"),
        ("deputy_prime_minister", "foreign_minister"),
        "KAZ",
    ),
    (
        "<sup>チェソンヒ</sup>崔善姬北朝鮮外相のベラルーシ訪問",
        "崔善姬北朝鮮外相",
        ("person.choe-son-hui", "PRK"),
        ("foreign_minister",),
        "PRK",
    ),
    ("習近平国家主席は主賓として出席した", "習近平国家主席", ("person.xi-jinping", "CHN"), ("president",), "CHN"),
    ("BRICS<sup>(3)</sup>、上海協力機構（SCO）<sup>(4)</sup>等多国間枠組み", "上海協力機構", ("SCO",), (), None),
    ("BRICS<sup>(3)</sup>、上海協力機構（SCO）<sup>(4)</sup>等多国間枠組み", "BRICS", ("BRICS",), (), None),
    ("「中央アジア+日本」対話（CA + JAD）の初めての首脳会合が開催されました", "CA+JAD", ("CAJAD",), (), None),
    ("日本は、国際秩序の根幹を揺るがす暴挙には高い代償が伴うことを示すため", "日本", ("JPN",), (), None),
    ("2025年においても、日本は対露制裁を継続する", "対露", ("RUS",), (), None),
    ("ホリクゾダ第一副首相が訪日した", "訪日", ("JPN",), (), None),
    (
        "外務省は中央アジア5か国の法執行当局関係者を日本に招待し",
        "中央アジア5か国",
        ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
        (),
        None,
    ),
    (
        "岩屋外務大臣によるミルジョーエフ・ウズベキスタン大統領への表敬（8月27日、ウズベキスタン・タシケント）",
        "タシケント",
        ("UZB",),
        (),
        None,
    ),
]


@pytest.mark.parametrize(("quote", "words", "entities", "offices", "country"), NAMES, ids=[n[1] for n in NAMES])
def test_names(quote, words, entities, offices, country):
    reading = read_real(quote)
    found = [n for n in reading.names if n.text == words]
    assert found, [n.describe() for n in reading.names]
    n = found[0]
    assert (n.entities, n.offices, n.office_country) == (entities, offices, country)
    assert n.span == span(quote, words if words in quote else "CA + JAD")  # a message shows it without spaces


def test_sea_of_japan_is_no_mention_of_japan():
    r = read_real("中露海軍が8月1日から5日に日本海で共同演習「海上協力-2025」を実施し")
    assert r.entity_ids() == {"CHN", "RUS"}


# --- status words: (quote, the words, domain, value, denied) ------------------------------------------
STATUSES = [
    ("イランは2023年にSCOに正式加盟", "正式加盟", "membership", "member", False),
    ("トルクメニスタンは2005年からCIS準加盟国", "準加盟", "membership", "associate", False),
    ("アルメニアは2024年にCSTO参加凍結を表明", "参加凍結", "membership", "frozen", False),
    ("ウズベキスタンは2012年にCSTOへの参加停止を決定", "参加停止", "membership", "suspended", False),
    ("同年6月にはベトナムのパートナー国入りを公表した", "パートナー国", "membership", "partner", False),
    (
        "2023年12月に欧州理事会によりジョージアに対してEU加盟候補国のステータスが付与された",
        "加盟候補国",
        "membership",
        "candidate",
        False,
    ),
    ("2025年にはインドネシアが加盟", "加盟", "membership", "member", False),
    ("3月に国境に関する条約が署名された", "署名", "agreement", "signed", False),
    ("また、11月に日・トルクメニスタン租税条約が発効した", "発効", "agreement", "in_force", False),
    ("同条約は期限を満了し、失効した", "失効", "agreement", "expired", False),
    ("日本センターに係る日露政府間覚書の適用終了に関する一方的な決定", "適用終了", "agreement", "terminated", False),
    (
        "自由訪問及び四島交流に係る合意の効力を停止するとの政府令を発表した",
        "効力を停止",
        "agreement",
        "suspended",
        False,
    ),
    ("重点協力3分野とした共同宣言（東京宣言）を採択した", "採択", "agreement", "adopted", False),
    ("会談の成果として共同プレスリリースが発表された", "発表", "agreement", "issued", False),
    (
        "航空協定締結に向けた協議を開始することで一致した",
        "協議を開始することで一致",
        "agreement",
        "consultations_agreed",
        False,
    ),
    ("平和条約交渉を継続しない", "交渉", "agreement", "negotiating", True),
    (
        "10月、米国は、トランプ政権2期目初となるロシアへの直接的な制裁としてロシアの石油大手2社に対する追加の制裁を導入した",
        "導入",
        "measure",
        "imposed",
        False,
    ),
    ("米国が対ベラルーシ制裁を一部解除するなどの変化も見られた", "一部解除", "measure", "eased", False),
    ("政府はガソリン輸出の全面的な禁輸措置や取引制限の延長などの対策を行った", "延長", "measure", "extended", False),
    ("「影の船団」<sup>(2)</sup>への対応強化", "強化", "measure", "tightened", False),
]


@pytest.mark.parametrize(("quote", "words", "domain", "value", "denied"), STATUSES, ids=[s[1] for s in STATUSES])
def test_status_words(quote, words, domain, value, denied):
    reading = read_real(quote)
    found = [s for s in reading.statuses if s.text == words]
    assert found, [s.describe() for s in reading.statuses]
    s = found[0]
    assert (s.domain, s.value, s.negated) == (domain, value, denied)
    assert s.span == span(quote, words)


def test_accession_process_is_no_membership():
    r = read_real("EU加盟プロセスを2028年末まで開始しない")
    assert [s for s in r.statuses if s.domain == "membership"] == []


def test_lifting_and_abolition():
    assert [(s.text, s.value) for s in read("制裁を解除し、関税を撤廃した").statuses] == [
        ("解除", "lifted"),
        ("撤廃", "lifted"),
    ]


# --- the text as a whole ---------------------------------------------------------------------------
def test_mapped_normalization_equals_grounding_normalization_on_every_paragraph():
    for p in load_held_text(HELD_TEXT, sha256_of(HELD_TEXT)).paragraphs:
        mapped = normalize_mapped(p.raw)
        assert mapped.norm == normalize(p.raw)
        marks = [range(m.start(), m.end()) for m in re.finditer(r"<sup>.*?</sup>", p.raw, re.S)]
        assert not any(i in r for i in mapped.origin for r in marks)  # no character comes from a ruby or footnote mark


def test_a_quote_split_by_a_page_break_reads_the_name_it_splits():
    # バイサ / ロフ: a photo caption stands between the two halves of the name in the held text
    r = read_real("6月のキルギスの大阪・関西万博のナショナルデーに併せてバイサ…ロフ内閣副議長が訪日した")
    baisalov = [n for n in r.names if "person.baisalov-edil" in n.entities]
    assert baisalov and baisalov[0].offices == ("deputy_chairman_cabinet",)
    assert baisalov[0].text == "バイサ…ロフ内閣副議長"


def test_without_a_paragraph_each_fragment_is_read_alone():
    r = read("同年6月に…加盟", year=2025)
    assert r.dates == [] and [s.value for s in r.statuses] == ["member"]
    assert not r.located


def test_every_paragraph_is_read_without_error():
    held = load_held_text(HELD_TEXT, sha256_of(HELD_TEXT))
    readings = [read_text(p.raw, 2025, names()) for p in held.paragraphs]
    assert sum(len(r.dates) for r in readings) > 100
    assert sum(len(r.names) for r in readings) > 400
