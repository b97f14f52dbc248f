"""The words the reader knows, as data: status words, office titles, country abbreviations in
compounds, groups of countries the text names as one, places that name their country, units and
qualifiers of figures. Every entry is a word of the held text's Japanese (in its normalized form:
NFKC, so ASCII digits and brackets) and what it states; the names of countries, organizations and
persons come from `snapshots/entities.yaml`, not from here.
"""

from __future__ import annotations

# --- status words -------------------------------------------------------------------------------
# (word, domain, value). Matched longest first, so 加盟候補国 wins over 加盟 and 一部解除 over 解除. A
# value of None consumes the word without stating a status (加盟プロセス is a process, not a
# membership). The domain is the table whose status column the value belongs to.
STATUS_WORDS: tuple[tuple[str, str, str | None], ...] = (
    # memberships
    ("正式加盟", "membership", "member"),
    ("準加盟", "membership", "associate"),
    ("加盟候補国", "membership", "candidate"),
    ("加盟プロセス", "membership", None),
    ("加盟を支持", "membership", None),
    ("加盟を外交の優先課題", "membership", None),
    ("加盟国", "membership", "member"),
    ("加盟", "membership", "member"),
    ("パートナー国", "membership", "partner"),
    ("オブザーバー", "membership", "observer"),
    ("参加を凍結", "membership", "frozen"),
    ("参加凍結", "membership", "frozen"),
    ("参加を停止", "membership", "suspended"),
    ("参加停止", "membership", "suspended"),
    ("脱退", "membership", "withdrawn"),
    ("招待", "membership", "invited"),
    ("構成される", "membership", "member"),  # 〜の国々から構成されるグループ: the group's members
    ("によって設立", "membership", "member"),  # founded by: the founders are members
    ("参加した", "membership", "member"),  # 2011年に南アフリカが参加した (joined)
    ("の枠組みを立ち上げ", "membership", "member"),  # 日本は2004年、「中央アジア+日本」対話…の枠組みを立ち上げ
    # agreements
    ("署名", "agreement", "signed"),
    ("発効", "agreement", "in_force"),
    ("失効", "agreement", "expired"),
    ("期限を満了", "agreement", "expired"),
    ("適用終了", "agreement", "terminated"),
    ("終了", "agreement", "terminated"),
    ("効力を停止", "agreement", "suspended"),
    ("停止", "agreement", "suspended"),
    ("採択", "agreement", "adopted"),
    ("発表", "agreement", "issued"),
    ("発出", "agreement", "issued"),
    ("協議を開始することで一致", "agreement", "consultations_agreed"),
    ("交渉", "agreement", "negotiating"),
    # measures (the `action` of a measure)
    ("導入", "measure", "imposed"),
    ("を課し", "measure", "imposed"),
    ("を課す", "measure", "imposed"),
    ("が課され", "measure", "imposed"),
    ("禁輸", "measure", "imposed"),
    ("輸入禁止", "measure", "imposed"),
    ("輸出禁止", "measure", "imposed"),
    ("措置を発表", "measure", "imposed"),
    ("強化", "measure", "tightened"),
    ("追加制裁", "measure", "tightened"),  # additional sanctions tighten those in place
    ("追加の制裁", "measure", "tightened"),
    ("強めている", "measure", "tightened"),
    ("引下げ", "measure", "tightened"),
    ("引き下げ", "measure", "tightened"),
    ("延長", "measure", "extended"),
    ("一部解除", "measure", "eased"),
    ("緩和", "measure", "eased"),
    ("解除", "measure", "lifted"),
    ("撤廃", "measure", "lifted"),
)

# Status words that state a status only before what follows them (a regular expression lookahead):
# 日本を含むG7 says Japan is in the G7; 軍関係者を含むロシア says nothing of a membership.
STATUS_PATTERNS: tuple[tuple[str, str, str, str], ...] = (("を含む", r"(?=[A-Z][A-Z0-9]+)", "membership", "member"),)

# A status word followed, before the next comma or full stop, by one of these is denied, not stated
# (平和条約交渉を継続しない, 同協定の下での操業の再開には至っていない).
NEGATIONS = ("しない", "せず", "していない", "できていない", "至っていない", "ないと")

# --- offices ------------------------------------------------------------------------------------
# Title word → (office slugs it names, the country the title itself implies or None). Japanese
# titles (外務大臣, 総理大臣) name Japan's offices; foreign ministers are 外相, prime ministers 首相.
OFFICE_TITLES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "大統領": (("president",), None),
    "国家主席": (("president",), "CHN"),
    "委員長": (("chairman_state_affairs",), None),
    "首相": (("prime_minister",), None),
    "総理大臣": (("prime_minister",), "JPN"),
    "内閣総理大臣": (("prime_minister",), "JPN"),
    "総理": (("prime_minister",), "JPN"),
    "外相": (("foreign_minister",), None),
    "外務大臣": (("foreign_minister",), "JPN"),
    "副首相兼外相": (("deputy_prime_minister", "foreign_minister"), None),
    "副首相": (("deputy_prime_minister",), None),
    "第一副首相": (("first_deputy_prime_minister",), None),
    "官房長官": (("chief_cabinet_secretary",), "JPN"),
    "内閣総理大臣補佐官": (("special_adviser_to_pm",), "JPN"),
    "外務副大臣": (("state_minister_foreign_affairs",), "JPN"),
    "国際博覧会担当大臣": (("expo_minister",), "JPN"),
    "スポーツ庁長官": (("sports_agency_commissioner",), "JPN"),
    "スポーツ相": (("sports_minister",), None),
    "大統領補佐官": (("presidential_assistant",), None),
    "大統領府創造経済・観光局長": (("presidential_administration_creative_economy_tourism_head",), None),
    "貿易・統合相": (("trade_integration_minister",), None),
    "内閣副議長": (("deputy_chairman_cabinet",), None),
    "国防相": (("defence_minister",), None),
}

# --- countries in compounds -------------------------------------------------------------------
# One-character names of countries in compounds: 日露, 米露, 中露, 露朝, 日ソ (the Soviet Union, not
# an entity here: it stands for itself, and a record that names its successor says so).
ABBREVIATIONS: dict[str, str | None] = {"日": "JPN", "露": "RUS", "米": "USA", "中": "CHN", "朝": "PRK", "ソ": None}
# A compound is two or three of these followed by one of these (日露間, 中露首脳会談, 露朝双方, 日ソ地先).
COMPOUND_FOLLOWERS = (
    "間",
    "首脳",
    "関係",
    "外相",
    "両国",
    "海軍",
    "の",
    "政府",
    "協力",
    "双方",
    "が",
    "地先",
    "漁業",
    "軍",
)
# Words that say a country without naming it: 対露 (against Russia), 訪日 (a visit to Japan).
IMPLIED_COUNTRY = {"対露": "RUS", "訪日": "JPN", "来日": "JPN", "訪露": "RUS"}
# Words that contain a country's name but are not about the country.
NOT_NAMES = ("日本海",)

# Groups the text names as one: the five Central Asian states, the three Caucasus states.
CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
CAUCASUS = ("ARM", "AZE", "GEO")
GROUPS: dict[str, tuple[str, ...]] = {
    "中央アジア・コーカサス諸国": CENTRAL_ASIA + CAUCASUS,
    "中央アジア5か国": CENTRAL_ASIA,
    "中央アジア諸国": CENTRAL_ASIA,
    "中央アジア各国": CENTRAL_ASIA,
    "コーカサス諸国": CAUCASUS,
}

# Places that name their country (capitals and cities of the text).
PLACES: dict[str, str] = {
    "東京": "JPN",
    "大阪": "JPN",
    "北京": "CHN",
    "タシケント": "UZB",
    "アスタナ": "KAZ",
    "ドゥシャンベ": "TJK",
    "イスタンブール": "TUR",
    "アラスカ": "USA",
    "バクー": "AZE",
    "エレバン": "ARM",
    "トビリシ": "GEO",
    "ビシュケク": "KGZ",
    "アシガバット": "TKM",
    "モスクワ": "RUS",
    "ミンスク": "BLR",
}

# --- figures ------------------------------------------------------------------------------------
# Unit word → (unit, kind, factor). `factor` turns the figure into the unit (3割 = 30 percent).
UNITS: dict[str, tuple[str, str, int]] = {
    "円": ("JPY", "amount", 1),
    "ドル": ("USD", "amount", 1),
    "ルーブル": ("RUB", "amount", 1),
    "ユーロ": ("EUR", "amount", 1),
    "%": ("percent", "percent", 1),
    "パーセント": ("percent", "percent", 1),
    "割": ("percent", "percent", 10),
    "倍": ("ratio", "ratio", 1),
    "人": ("count", "count", 1),
    "名": ("count", "count", 1),
    "件": ("count", "count", 1),
    "回": ("count", "count", 1),
    "度": ("count", "count", 1),
    "か国": ("count", "count", 1),
    "カ国": ("count", "count", 1),
    "ヵ国": ("count", "count", 1),
    "ケ国": ("count", "count", 1),
    "社": ("count", "count", 1),
    "分野": ("count", "count", 1),
    "本柱": ("count", "count", 1),
    "選目": ("count", "ordinal", 1),
    "期目": ("count", "ordinal", 1),
    "周年": ("years", "anniversary", 1),
    "年間": ("years", "duration", 1),
    "年": ("years", "duration", 1),
    "か月": ("months", "duration", 1),
    "カ月": ("months", "duration", 1),
    "ページ": ("page", "page", 1),
}
# Qualifier words → the record's `qualifier` (約 about; 以上 "or more" is at_least, 超 "more than" over).
QUALIFIERS_BEFORE = {"約": "about", "およそ": "about", "少なくとも": "at_least", "最大": "at_most"}
QUALIFIERS_AFTER = {
    "以上": "at_least",
    "超": "over",
    "を超える": "over",
    "を超えていた": "over",
    "を超えた": "over",
    "を超え": "over",
    "未満": "under",
    "以下": "at_most",
    "程度": "about",
    "余り": "about",
    "近く": "about",
}
# Words after a figure that sign it (50.5%の減少 is −50.5 %).
DECREASE = ("の減少", "減少", "の減", "減", "の低下", "低下", "の下落", "下落")
INCREASE = ("の増加", "増加", "の増", "増", "の上昇", "上昇")
# Japanese era names and the Western year of their first year (令和元年 = 2019).
ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
