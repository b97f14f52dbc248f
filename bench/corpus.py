"""A synthetic Bluebook at the scale of the whole book: many editions of ~10,000 facts each, in the
real format, with a known set of changes between successive years.

What it writes under ROOT (a folder that is never committed):

  snapshots/<year>/snapshot.yaml and the six table files   canonical YAML (as `bluebook fmt` writes)
  snapshots/entities.yaml, sources/sources.yaml            registries that every reference resolves in
  sources/synthetic-bluebook.ja.md                         the held text every `stated` quote is found in
  expectations/*.json                                      the project's suites, row-count bounds scaled
  known-changes.json                                       per pair of years: every change, by kind

The facts are invented (clearly synthetic names: ORG-A01, person.fam0001-giv); the countries are the
real ISO 3166 codes so that the registry's contracts run as they do on the real data. Ids are stable
across years; about 2 % of the state facts change from one year to the next (added, ended, status
changed, revised, provenance only, succeeded in office, retired); events and indicators are per-year
records, as in the real snapshots. Every file is canonical and every contract holds, so `bluebook check
--no-expectations` exits 0 and `bluebook diff` must report exactly the changes in known-changes.json.

  .venv/bin/python bench/corpus.py ROOT --years 70 --facts 10000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = "synthetic-bluebook"
CITED = "synthetic-bluebook-web"
HELD = "synthetic-bluebook.ja.md"
FIRST_YEAR = 1956

# Share of each year's facts by table: state tables carry over, events and indicators are per year.
SHARES = {
    "memberships": 0.30,
    "agreements": 0.15,
    "officeholders": 0.10,
    "measures": 0.20,
    "events": 0.18,
    "indicators": 0.07,
}
# Changes per year, as shares of the year's facts (together about 2 % of the state facts).
CHANGES = {
    "added": 0.0035,
    "ended": 0.0035,
    "status_changed": 0.003,
    "revised": 0.002,
    "provenance": 0.002,
    "succeeded": 0.0015,
}
SECTIONS = {
    "memberships": "1 加盟",
    "agreements": "2 条約・協定",
    "officeholders": "3 要人",
    "measures": "4 措置",
    "events": "5 動き",
    "indicators": "6 指標",
}
MEMBERSHIP_STATUSES = ["member", "observer", "partner"]


@dataclass
class Corpus:
    """The facts of every year, built in memory, and the changes between successive years."""

    years: list[str]
    tables: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # year → table → records
    known: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)  # "a-b" → kind → [[table, id]]
    events_listed: dict[str, int] = field(default_factory=dict)
    sentences: dict[str, dict[str, None]] = field(default_factory=dict)  # section → quotes (ordered set)


class Generator:
    def __init__(self, facts: int, years: int, seed: int, first_year: int = FIRST_YEAR):
        self.rng = random.Random(seed)
        self.facts = facts
        self.year_list = [str(first_year + i) for i in range(years)]
        self.countries = _countries()
        self.orgs = [f"ORG-{i:04d}" for i in range(1, max(40, facts // 250) + 1)]
        self.counter = 0
        # A pool of quotes per section: facts share them as real facts share a sentence of the text.
        self.pool_size = max(50, min(facts // 6, 4000))
        self.corpus = Corpus(self.year_list)
        for t in SHARES:
            self.corpus.sentences[SECTIONS[t]] = {}
        self.persons: list[tuple[str, str]] = []  # (person id, country)

    # --- quotes -----------------------------------------------------------------------------------
    def quote(self, table: str, n: int | None = None) -> str:
        """One sentence of the held text in the table's section (registered so the text holds it)."""
        n = self.rng.randrange(self.pool_size) if n is None else n % self.pool_size
        # (no status word of the reader's lexicon, such as 加盟, may appear in a synthetic quote)
        words = {
            "memberships": "構成状況",
            "agreements": "協定文書",
            "officeholders": "要人動向",
            "measures": "措置内容",
            "events": "会談記録",
            "indicators": "統計数値",
        }[table]
        text = f"{words}第{n}号に関する記述では各国の立場が確認された"
        self.corpus.sentences[SECTIONS[table]][text] = None
        return text

    def provenance(self, table: str, record: dict, stated_share: float = 0.85) -> dict:
        if self.rng.random() < stated_share:
            record.update(basis="stated", source=SOURCE, section=SECTIONS[table], evidence=self.quote(table))
        else:
            record.update(basis="cited", source=CITED)
        return record

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    # --- records ----------------------------------------------------------------------------------
    def membership(self, year: int, pairs: set, status: str | None = None) -> dict:
        while True:
            org, member = self.rng.choice(self.orgs), self.rng.choice(self.countries)[0]
            if (org, member) not in pairs:
                pairs.add((org, member))
                break
        status = status or self.rng.choice(MEMBERSHIP_STATUSES)
        r = {"id": f"{org.lower()}.{member.lower()}", "organization": org, "member": member, "status": status}
        if status != "member" or self.rng.random() < 0.5:
            r["since"] = f"{year - self.rng.randrange(0, 5)}-{self.rng.randrange(1, 13):02d}"
        return self.provenance("memberships", r)

    def agreement(self, year: int, status: str | None = None) -> dict:
        n = self.next_id()
        status = status or self.rng.choice(["signed", "in_force", "in_force", "negotiating"])
        parties = sorted(self.rng.sample([c for c, _ in self.countries], self.rng.randrange(1, 4)))
        r = {
            "id": f"agreement-{n:06d}",
            "title_en": f"Synthetic Agreement {n}",
            "title_ja": f"合成協定第{n}号",
            "kind": self.rng.choice(["treaty", "agreement", "memorandum", "programme"]),
            "parties": parties,
            "status": status,
        }
        if status in ("signed", "in_force"):
            r["signed"] = f"{year - self.rng.randrange(1, 4)}-{self.rng.randrange(1, 13):02d}"
        if status == "in_force":
            r["in_force"] = f"{year}-{self.rng.randrange(1, 13):02d}"
        return self.provenance("agreements", r)

    def person(self) -> tuple[str, str]:
        n = len(self.persons) + 1
        country = self.rng.choice(self.countries)[0]
        self.persons.append((f"person.fam{n:05d}-giv", country))
        return self.persons[-1]

    def officeholder(self, year: int, office: str | None = None, since: str | None = None) -> dict:
        pid, country = self.person()
        office = office or f"{country}.minister_{self.next_id()}"
        if not office.startswith(country + "."):  # the holder of an office is of its country
            self.persons[-1] = (pid, office.split(".")[0])
        r = {
            "id": f"{office.split('.')[0].lower()}.{office.split('.')[1].replace('_', '-')}.{pid[7:]}",
            "office": office,
            "person": pid,
            "since": since or f"{year - self.rng.randrange(0, 6)}-{self.rng.randrange(1, 13):02d}",
        }
        return self.provenance("officeholders", r)

    def measure(self, year: int) -> dict:
        n = self.next_id()
        imposer, target = (c for c, _ in self.rng.sample(self.countries, 2))
        r = {
            "id": f"measure-{n:06d}",
            "imposer": imposer,
            "target": target,
            "kind": self.rng.choice(["sanctions", "asset_freeze", "export_ban", "import_ban", "tariff"]),
            "action": "imposed",
            "date": f"{year}-{self.rng.randrange(1, 13):02d}-{self.rng.randrange(1, 29):02d}",
            "title_en": f"Synthetic measure {n}",
        }
        return self.provenance("measures", r)

    def event(self, year: int, k: int) -> dict:
        month = 1 + k % 12
        r = {
            "id": f"{year}-{month:02d}.event-{k:05d}",
            "date": f"{year}-{month:02d}-{1 + k % 28:02d}",
            "kind": self.rng.choice(["meeting", "visit", "talks", "call", "summit"]),
            "title_en": f"Synthetic meeting {year}-{k}",
            "participants": sorted(c for c, _ in self.rng.sample(self.countries, 2)),
            "country": self.rng.choice(self.countries)[0],
        }
        return self.provenance("events", r)

    def indicator(self, year: int, k: int) -> dict:
        n = len(self.countries)  # a distinct (subject, counterpart) pair for each k of the year
        subject, counterpart = self.countries[k % n][0], self.countries[(k % n + 1 + k // n) % n][0]
        r = {
            "id": f"trade.{subject.lower()}-{counterpart.lower()}.k{k:05d}.{year}",
            "metric": "trade.total",
            "subject": subject,
            "counterpart": counterpart,
            "period": str(year),
            "value": self.rng.randrange(10**6, 10**13),
            "unit": "JPY",
        }
        return self.provenance("indicators", r)

    # --- years ------------------------------------------------------------------------------------
    def build(self) -> Corpus:
        n = {t: max(1, round(self.facts * s)) for t, s in SHARES.items()}
        first = int(self.year_list[0])
        pairs: set = set()
        state = {
            "memberships": [self.membership(first, pairs) for _ in range(n["memberships"])],
            "agreements": [self.agreement(first) for _ in range(n["agreements"])],
            "officeholders": [self.officeholder(first) for _ in range(n["officeholders"])],
            "measures": [self.measure(first) for _ in range(n["measures"])],
        }
        ended_last: list[tuple[str, str]] = []  # (table, id) ended in the previous year: they retire now
        for i, year in enumerate(self.year_list):
            y = int(year)
            if i:
                known = {
                    k: [] for k in ("added", "succeeded", "status_changed", "ended", "revised", "retired", "provenance")
                }
                state, ended_last = self.evolve(y, state, pairs, ended_last, known)
                self.corpus.known[f"{self.year_list[i - 1]}-{year}"] = known
            year_tables = {t: [dict(r) for r in rows] for t, rows in state.items()}
            year_tables["events"] = [self.event(y, k) for k in range(n["events"])]
            year_tables["indicators"] = [self.indicator(y, k) for k in range(n["indicators"])]
            self.corpus.tables[year] = year_tables
            if i:
                self.corpus.known[f"{self.year_list[i - 1]}-{year}"]["added"] += [
                    ["indicators", r["id"]] for r in year_tables["indicators"]
                ]
                self.corpus.events_listed[f"{self.year_list[i - 1]}-{year}"] = len(year_tables["events"])
        return self.corpus

    def evolve(self, y: int, state: dict, pairs: set, ended_last: list, known: dict):
        rng = self.rng
        count = {k: max(1, round(self.facts * s)) for k, s in CHANGES.items()}
        state = {t: [dict(r) for r in rows] for t, rows in state.items()}
        # retired: what ended last year leaves the snapshot now
        gone = set(ended_last)
        for table in ("memberships", "agreements"):
            state[table] = [r for r in state[table] if (table, r["id"]) not in gone]
        known["retired"] += [list(x) for x in sorted(gone)]
        touched: set[tuple[str, str]] = set()
        ended_now: list[tuple[str, str]] = []

        def pick(table: str, ok) -> dict:
            for _ in range(10_000):
                r = rng.choice(state[table])
                if (table, r["id"]) not in touched and ok(r):
                    touched.add((table, r["id"]))
                    return r
            raise RuntimeError(f"no {table} record left to change")

        month = f"{y}-{rng.randrange(1, 13):02d}"
        for k in range(count["ended"]):
            if k % 2:
                r = pick("memberships", lambda r: "until" not in r)
                r["until"] = month
                if "since" in r and r["since"] > month:
                    r["since"] = f"{y}-01"
            else:
                r = pick("agreements", lambda r: r["status"] == "in_force")
                r.update(status="expired", ended=month)
            table = "memberships" if k % 2 else "agreements"
            known["ended"].append([table, r["id"]])
            ended_now.append((table, r["id"]))
        for k in range(count["status_changed"]):
            if k % 2:
                r = pick("memberships", lambda r: r["status"] == "observer" and "until" not in r)
                r.update(status="member", since=f"{y}-{rng.randrange(1, 13):02d}")
                known["status_changed"].append(["memberships", r["id"]])
            else:
                r = pick("agreements", lambda r: r["status"] == "signed")
                r.update(status="in_force", in_force=f"{y}-{rng.randrange(1, 13):02d}")
                known["status_changed"].append(["agreements", r["id"]])
        for _ in range(count["revised"]):
            r = pick("measures", lambda r: True)
            r["title_en"] = f"{r['title_en']} (revised {y})"
            known["revised"].append(["measures", r["id"]])
        for _ in range(count["provenance"]):
            r = pick("measures", lambda r: r["basis"] == "stated")
            old = r["evidence"]
            while r["evidence"] == old:  # another sentence of the same section
                r["evidence"] = self.quote("measures")
            known["provenance"].append(["measures", r["id"]])
        for _ in range(count["succeeded"]):
            old = pick("officeholders", lambda r: "until" not in r)
            handover = f"{y}-{rng.randrange(1, 13):02d}"
            if old["since"] > handover:  # a term began this year: hand over at its end
                handover = f"{y}-12"
            old["until"] = handover
            new = self.officeholder(y, old["office"], since=handover)
            state["officeholders"].append(new)
            touched.add(("officeholders", new["id"]))
            known["succeeded"].append(["officeholders", new["id"]])
        for k in range(count["added"]):
            table = ("memberships", "agreements", "measures")[k % 3]
            # new facts start where the changes of later years take them from: observers, signed
            r = {
                "memberships": lambda: self.membership(y, pairs, "observer"),
                "agreements": lambda: self.agreement(y, "signed"),
                "measures": lambda: self.measure(y),
            }[table]()
            state[table].append(r)
            known["added"].append([table, r["id"]])
        return state, ended_now


def _countries() -> list[tuple[str, str]]:
    import pycountry

    return sorted((c.alpha_3, c.name) for c in pycountry.countries)


# --- writing ----------------------------------------------------------------------------------------


def _scalar(value) -> str:
    return str(value)


# A synthetic quote carries none of its fact's fields (no date, figure, name or status word), so
# every stated fact declares the fields the reader checks as `unquoted`, with a note: field grounding
# then reads every quote, as on real data, and finds each declaration honest.
UNQUOTED_NOTE = "The synthetic quote carries none of these fields."


def with_declarations(record: dict, table: str, year: str | None = None) -> dict:
    """A stated record with `unquoted` naming each of its fields the reader checks, and the note. A
    date that is the reviewed year itself is carried (by the section: the reader knows it)."""
    from bluebook.contracts.fields import FIELDS

    if record.get("basis") != "stated" or table not in FIELDS:
        return record
    fields = [f for f in FIELDS[table] if f in record and record[f] != year]
    return {**record, "note": UNQUOTED_NOTE, "unquoted": fields}


def dump_records(records: list[dict], table: str, year: str | None = None) -> str:
    """The canonical text of a table, written directly (the values are plain-safe by construction;
    tests/test_corpus.py asserts it equals what the canonical dumper writes)."""
    from bluebook import vocabulary

    order = vocabulary.columns(table)
    out = []
    for r in (with_declarations(r, table, year) for r in records):
        first = True
        for key in order:
            if key not in r:
                continue
            value = r[key]
            text = "[" + ", ".join(value) + "]" if isinstance(value, list) else _scalar(value)
            out.append(("- " if first else "  ") + f"{key}: {text}")
            first = False
    return "\n".join(out) + "\n" if out else "[]\n"


def write(corpus: Corpus, gen: Generator, root: Path) -> dict:
    from bluebook.data.canonical import dump_mapping, dump_table

    if root.exists():
        shutil.rmtree(root)
    (root / "snapshots").mkdir(parents=True)
    (root / "sources").mkdir()
    held = held_text(corpus)
    (root / "sources" / HELD).write_text(held, encoding="utf-8")
    sha = hashlib.sha256(held.encode("utf-8")).hexdigest()
    sources = [
        {
            "id": SOURCE,
            "title": "合成外交青書（ベンチマーク用）",
            "publisher": "bluebook benchmark",
            "edition": "Synthetic Bluebook",
            "language": "ja",
            "path": HELD,
            "sha256": sha,
            "license": "generated for the benchmark; no rights reserved",
        },
        {
            "id": CITED,
            "title": "Synthetic Bluebook on the web",
            "publisher": "bluebook benchmark",
            "edition": "Synthetic Bluebook",
            "language": "en",
            "url": "https://example.org/synthetic-bluebook",
            "license": "generated for the benchmark; no rights reserved",
        },
    ]
    (root / "sources" / "sources.yaml").write_text(dump_table(sources, "sources"), encoding="utf-8")
    entities = [
        {"id": c, "kind": "country", "name_en": name, "name_ja": f"国名{i:03d}"}
        for i, (c, name) in enumerate(gen.countries)
    ]
    entities += [{"id": o, "kind": "organization", "name_en": f"Synthetic Organization {o}"} for o in gen.orgs]
    entities += [
        {"id": p, "kind": "person", "name_en": f"Person {p[7:]}", "name_ja": f"人物{i:05d}", "country": c}
        for i, (p, c) in enumerate(gen.persons)
    ]
    (root / "snapshots" / "entities.yaml").write_text(dump_records(entities, "entities"), encoding="utf-8")
    facts = 0
    for year in corpus.years:
        folder = root / "snapshots" / year
        folder.mkdir()
        meta = {
            "year": year,
            "as_of": f"{int(year) + 1}-03",
            "edition": "Synthetic Bluebook",
            "sources": [SOURCE, CITED],
            "note": f"Synthetic snapshot of {year} for the scale benchmark.",
        }
        (folder / "snapshot.yaml").write_text(dump_mapping(meta, "snapshot"), encoding="utf-8")
        for table, records in corpus.tables[year].items():
            (folder / f"{table}.yaml").write_text(dump_records(records, table, year), encoding="utf-8")
            facts += len(records)
    _write_suites(root, max(len(rs) for tables in corpus.tables.values() for rs in tables.values()))
    known = {"years": corpus.years, "facts": facts, "pairs": {}}
    for pair, kinds in corpus.known.items():
        summary = {k: len(v) for k, v in kinds.items()}
        summary["events"] = corpus.events_listed[pair]
        known["pairs"][pair] = {"summary": summary, "changes": kinds}
    (root / "known-changes.json").write_text(json.dumps(known, ensure_ascii=False), encoding="utf-8")
    (root / ".gitignore").write_text("*\n", encoding="utf-8")
    return known


def held_text(corpus: Corpus) -> str:
    """The held text: one numbered section per table, its quotes in paragraphs of five sentences."""
    lines = ["# 第1節 合成外交青書", "", "ベンチマークのために生成された本文である。", ""]
    for section, quotes in corpus.sentences.items():
        lines += [f"## {section}", ""]
        sentences = [q + "。" for q in quotes]
        for i in range(0, len(sentences), 5):
            lines += ["".join(sentences[i : i + 5]), ""]
    return "\n".join(lines)


def _write_suites(root: Path, largest: int) -> None:
    """The project's suites, with the row-count bounds of one section raised to this corpus."""
    dest = root / "expectations"
    dest.mkdir()
    for path in sorted((REPO / "expectations").glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for e in suite.get("expectations", []):
            if e.get("type") == "expect_table_row_count_to_be_between":
                e["kwargs"]["max_value"] = max(e["kwargs"].get("max_value") or 0, 2 * largest)
        (dest / path.name).write_text(json.dumps(suite, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def generate(root: Path, facts: int = 10_000, years: int = 70, seed: int = 16, first_year: int = FIRST_YEAR) -> dict:
    gen = Generator(facts, years, seed, first_year)
    corpus = gen.build()
    return write(corpus, gen, root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--facts", type=int, default=10_000, help="facts per year (about)")
    parser.add_argument("--years", type=int, default=70)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    args = parser.parse_args()
    known = generate(args.root, args.facts, args.years, args.seed, args.first_year)
    print(f"{args.root}: {len(known['years'])} years, {known['facts']:,} facts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
