"""`bluebook check` at the scale of the whole Bluebook: the same contracts as `run_check`, cut into
units of work that each read a known set of files, so that a unit is computed once per content of
its inputs (bluebook/data/cache.py) and the units of many years run in worker processes.

  file      one table file: its records, load violations, Pandera schema and canonical form
            (the contracts that read only that file)
  registry  entities.yaml, sources.yaml and the held texts: their schema, sha256, canonical form
  year      one year: its files (through `file`), snapshot.yaml, references, grounding, time
  pair      two successive years: the contracts across years
  gx        the Great Expectations suites over the registry, and over one year

A unit's key is the sha256 of every file it reads (through the keys of the units it builds on), the
year(s) it is about and the code version. Warm (nothing changed) the check reads one small entry per
unit and loads no record at all. The result is the one `run_check` returns, violation for violation
(tests/test_incremental.py compares them, with and without the cache, in one process and in two).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path

from bluebook import vocabulary
from bluebook.contracts import grounding as ground
from bluebook.data import cache as cache_mod
from bluebook.data.cache import Cache, code_version, file_digest, key_of
from bluebook.data.load import MAX_FILE_BYTES, LoadedFile, load_mapping
from bluebook.data.project import Layout, Project, Snapshot
from bluebook.violations import ERROR, WARNING, Violation

_FIELDS = tuple(f.name for f in fields(Violation))


def to_plain(v: Violation) -> dict:
    d = {k: getattr(v, k) for k in _FIELDS if k != "extra"}
    if v.extra:
        d["extra"] = dict(v.extra)
    return d


def from_plain(d: dict) -> Violation:
    return Violation(**d)


@dataclass
class Summary:
    """What `check` reports: the years, every violation (sorted, without repeats) and the counts."""

    years: list[str]
    violations: list[Violation]
    facts: int
    files: list[str]  # the table files of the checked years (for JUnit)
    computed: dict[str, int] = field(default_factory=dict)  # units computed (not read from the cache), by kind

    @property
    def errors(self) -> int:
        return sum(v.severity == ERROR for v in self.violations)

    @property
    def warnings(self) -> int:
        return sum(v.severity == WARNING for v in self.violations)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0


# --- the plan: every unit and its key ------------------------------------------------------------

@dataclass
class Plan:
    root: Path
    years: list[str]
    expectations: bool
    across: bool
    max_bytes: int
    digests: dict[str, str]  # rel → sha256
    keys: dict[str, str]  # unit id → key

    @property
    def layout(self) -> Layout:
        return Layout(self.root)


def year_files(layout: Layout, year: str) -> list[str]:
    folder = layout.year_dir(year)
    return [layout.rel(folder / "snapshot.yaml")] + [layout.rel(folder / f"{t}.yaml") for t in vocabulary.FACT_TABLE_NAMES]


def make_plan(root: Path, years: list[str], expectations: bool, across: bool, max_bytes: int) -> Plan:
    layout = Layout(root)
    code = code_version()
    registry_files = [layout.rel(layout.entities), layout.rel(layout.sources)]
    if layout.sources_dir.is_dir():  # held texts: every file beside sources.yaml
        registry_files += sorted(layout.rel(p) for p in layout.sources_dir.iterdir() if p.is_file()
                                 and p != layout.sources)
    files = registry_files + [f for y in years for f in year_files(layout, y)]
    digests = {rel: file_digest(root / rel) for rel in files}
    keys: dict[str, str] = {}
    for rel in files:
        if rel.endswith(".yaml") and Path(rel).stem in vocabulary.FACT_TABLES or rel in registry_files[:2]:
            keys[f"file:{rel}"] = key_of("file", code, max_bytes, rel, digests[rel])
    registry = key_of("registry", code, max_bytes, [(f, digests[f]) for f in registry_files])
    keys["registry"] = registry
    for y in years:
        keys[f"year:{y}"] = key_of("year", registry, y, [(f, digests[f]) for f in year_files(layout, y)])
    for a, b in zip(years, years[1:]):
        keys[f"pair:{a}:{b}"] = key_of("pair", code, max_bytes, a, b,
                                       [(f, digests[f]) for f in year_files(layout, a) + year_files(layout, b)])
    if expectations:
        suites = sorted(layout.expectations.glob("*.json")) if layout.expectations.is_dir() else []
        signature = [_gx_version()] + [(layout.rel(p), file_digest(p)) for p in suites]
        keys["gx:registry"] = key_of("gx-registry", registry, signature)
        for y in years:
            keys[f"gx:{y}"] = key_of("gx-year", keys[f"year:{y}"], signature)
    return Plan(root, years, expectations, across, max_bytes, digests, keys)


def _gx_version() -> str:
    import importlib.metadata as metadata

    try:
        return metadata.version("great_expectations")
    except metadata.PackageNotFoundError:
        return "none"


# --- cached values and their shapes ----------------------------------------------------------------

def _valid_result(value: object) -> bool:
    return (isinstance(value, dict) and cache_mod.is_violations(value.get("violations"))
            and isinstance(value.get("facts", 0), int) and cache_mod.is_str_list(value.get("unreadable", []))
            and isinstance(value.get("found", {}), dict)
            and all(isinstance(k, str) and isinstance(v, list) and all(isinstance(n, int) for n in v)
                    for k, v in value.get("found", {}).items()))


def _valid_checked(value: object) -> bool:
    return isinstance(value, dict) and cache_mod.is_violations(value.get("violations"))


# --- the work of the units (in this process or a worker) ------------------------------------------

class Worker:
    """Computes units for one plan, reading and writing the cache (None: no cache)."""

    def __init__(self, plan: Plan, cache: Cache | None):
        self.plan = plan
        self.layout = plan.layout
        self.cache = cache
        self.computed: dict[str, int] = {}
        self._registries: tuple[Project, list[Violation]] | None = None

    def _count(self, kind: str) -> None:
        self.computed[kind] = self.computed.get(kind, 0) + 1

    def _get(self, unit: str, valid) -> object | None:
        if self.cache is None:
            return None
        return self.cache.get(unit.split(":")[0], self.plan.keys[unit], valid)

    def _put(self, unit: str, value: object) -> None:
        if self.cache is not None:
            self.cache.put(unit.split(":")[0], self.plan.keys[unit], value)

    # file: records and load violations (the records cache), schema and canonical form of one file
    def file(self, rel: str, table: str, year: str) -> tuple[LoadedFile, list[Violation], list[Violation]]:
        """(the loaded file, its load violations, its schema and canonical-form violations)."""
        from bluebook.data.cache import load_table_cached

        loaded, load_v = load_table_cached(self.cache, self.plan.root / rel, rel, table, self.plan.max_bytes,
                                           within=self.plan.root)
        if year:
            load_v = [_with_year(v, year) for v in load_v]
        unit = f"file:{rel}"
        hit = self._get(unit, _valid_checked)
        if hit is not None:
            return loaded, load_v, [from_plain(v) for v in hit["violations"]]
        from bluebook.contracts.meta import check_file_canonical
        from bluebook.contracts.schema import validate_table

        self._count("file")
        unreadable = {v.file for v in load_v if v.severity == ERROR and v.file}
        where = {"file": rel, "year": year} if year else {"file": rel}
        checked = validate_table(table, loaded.records, where)
        checked += check_file_canonical(self.layout, loaded, table, year, None, unreadable)
        self._put(unit, {"violations": [to_plain(v) for v in checked]})
        return loaded, load_v, checked

    def registries(self) -> tuple[Project, list[Violation]]:
        """The registries as a project without snapshots, and their load violations."""
        if self._registries is None:
            from bluebook.data.cache import load_table_cached

            layout, limit = self.layout, self.plan.max_bytes
            entities, ev = load_table_cached(self.cache, layout.entities, layout.rel(layout.entities), "entities", limit,
                                             within=layout.root)
            sources, sv = load_table_cached(self.cache, layout.sources, layout.rel(layout.sources), "sources", limit,
                                            within=layout.root)
            self._registries = Project(layout, entities, sources), ev + sv
        return self._registries

    def registry(self) -> dict:
        hit = self._get("registry", _valid_result)
        if hit is not None:
            return hit
        self._count("registry")
        project, load_v = self.registries()
        layout = self.layout
        out = list(load_v)
        for rel, table in ((layout.rel(layout.entities), "entities"), (layout.rel(layout.sources), "sources")):
            out += self.file(rel, table, "")[2]
        source_problems = ground.check_sources(project)
        out += source_problems
        unreadable = {v.file for v in load_v if v.severity == ERROR and v.file}
        if any(v.severity == ERROR for v in source_problems):  # then the grounding views tell nothing
            from bluebook.contracts.expectations.views import HELD_TEXTS

            unreadable.add(HELD_TEXTS)
        result = {"violations": [to_plain(v) for v in out], "unreadable": sorted(unreadable)}
        self._put("registry", result)
        return result

    def snapshot(self, year: str) -> tuple[Snapshot, list[Violation], list[Violation]]:
        """A year's snapshot, its load violations and the violations of its files' own contracts."""
        from bluebook.contracts.meta import check_file_canonical

        layout = self.layout
        meta_path = layout.year_dir(year) / "snapshot.yaml"
        meta_rel = layout.rel(meta_path)
        meta, meta_v = load_mapping(meta_path, meta_rel, "snapshot", within=layout.root)
        load_v = [_with_year(v, year) for v in meta_v]
        own: list[Violation] = []
        tables = {}
        for table in vocabulary.FACT_TABLE_NAMES:
            rel = layout.rel(layout.year_dir(year) / f"{table}.yaml")
            loaded, lv, checked = self.file(rel, table, year)
            tables[table] = loaded
            load_v += lv
            own += checked
        if meta is not None:
            unreadable = {v.file for v in load_v if v.severity == ERROR and v.file}
            own += check_file_canonical(layout, None, "snapshot", year, meta, unreadable)
        return Snapshot(year, meta, tables), load_v, own

    def records(self, year: str) -> tuple[Snapshot, set[str]]:
        """Only a year's records (for a pair or the suites), and its files that could not be read."""
        from bluebook.data.project import load_snapshot

        snap, load_v = load_snapshot(self.layout, year, self.plan.max_bytes, self.cache)
        return snap, {v.file for v in load_v if v.severity == ERROR and v.file}

    def year(self, year: str) -> tuple[dict, Snapshot | None]:
        hit = self._get(f"year:{year}", _valid_result)
        if hit is not None:
            return hit, None
        from bluebook.contracts.meta import check_snapshot_meta
        from bluebook.contracts.references import check_references
        from bluebook.contracts.time import check_time

        self._count("year")
        project, _ = self.registries()
        snap, load_v, own = self.snapshot(year)
        project = Project(project.layout, project.entities, project.sources, {year: snap})
        grounding = ground.Grounding()
        out = load_v + own + check_snapshot_meta(project, snap) + check_references(project, snap)
        out += ground.check_grounding(project, snap, grounding) + check_time(snap)
        result = {"violations": [to_plain(v) for v in out], "facts": snap.fact_count,
                  "unreadable": sorted({v.file for v in load_v if v.severity == ERROR and v.file}),
                  "found": {f"{t}\0{i}": p for (_, t, i), p in grounding.found.items()}}
        self._put(f"year:{year}", result)
        return result, snap

    def pair(self, older: Snapshot, newer: Snapshot, unreadable: set[str]) -> dict:
        from bluebook.contracts.across_years import check_across_years

        self._count("pair")
        registries, _ = self.registries()
        project = Project(self.layout, registries.entities, registries.sources,
                          {older.year: older, newer.year: newer})
        out = check_across_years(project, unreadable)
        result = {"violations": [to_plain(v) for v in out]}
        self._put(f"pair:{older.year}:{newer.year}", result)
        return result

    def gx_runner(self):
        if not hasattr(self, "_runner"):
            from bluebook.contracts.expectations.runner import Runner, quiet
            from bluebook.contracts.expectations.suites import read_suites

            suites, errors = read_suites(self.layout)
            with quiet():
                self._runner = Runner(suites.values())
            self._suite_errors = errors + self._runner.errors
        return self._runner

    def gx_registry(self, registry_unreadable: set[str]) -> dict:
        from bluebook.contracts.expectations import views
        from bluebook.contracts.expectations.runner import quiet

        self._count("gx")
        project, _ = self.registries()
        runner = self.gx_runner()
        out = list(self._suite_errors)
        target = views.entities_target(project)
        if not registry_unreadable.intersection(target.inputs):
            with quiet():
                out += runner.run(target)
        result = {"violations": [to_plain(v) for v in out]}
        self._put("gx:registry", result)
        return result

    def gx_year(self, snap: Snapshot, year_result: dict, unreadable: set[str]) -> dict:
        from bluebook.contracts.expectations import views
        from bluebook.contracts.expectations.runner import quiet

        self._count("gx")
        registries, _ = self.registries()
        project = Project(self.layout, registries.entities, registries.sources, {snap.year: snap})
        grounding = ground.Grounding({(snap.year, *k.split("\0", 1)): v for k, v in year_result["found"].items()})
        runner = self.gx_runner()
        out: list[Violation] = []
        with quiet():
            for target in views.year_targets(project, snap, grounding):
                if not unreadable.intersection(target.inputs):
                    out += runner.run(target)
        result = {"violations": [to_plain(v) for v in out]}
        self._put(f"gx:{snap.year}", result)
        return result


def _with_year(v: Violation, year: str) -> Violation:
    if v.year:
        return v
    from dataclasses import replace

    return replace(v, year=year)


# --- running a chunk of years -----------------------------------------------------------------------

def run_chunk(plan: Plan, cache_folder: str | None, chunk: list[str], todo: dict[str, list[str]], registry_unreadable: list[str]) -> tuple[dict[str, dict], dict[str, int]]:
    """Compute the units `todo` names for the years of `chunk` (in order): year, pair (with the year
    before it), gx; each is written to the cache (when there is one) and returned."""
    worker = Worker(plan, Cache(Path(cache_folder)) if cache_folder else None)
    reg_unreadable = set(registry_unreadable)
    results: dict[str, dict] = {}
    before: tuple[str, Snapshot, set[str]] | None = None
    for year in chunk:
        needs = todo.get(year, [])
        if not needs:
            before = None
            continue
        result, snap = worker.year(year)
        if "year" in needs:
            results[f"year:{year}"] = result
        if snap is None and ("pair" in needs or "gx" in needs):
            snap = worker.records(year)[0]
        unreadable = reg_unreadable | set(result.get("unreadable", []))
        if "pair" in needs:
            year_before = plan.years[plan.years.index(year) - 1]
            if before is None or before[0] != year_before:
                before = (year_before, *worker.records(year_before))
            results[f"pair:{year_before}:{year}"] = worker.pair(before[1], snap, unreadable | before[2])
        if "gx" in needs:
            results[f"gx:{year}"] = worker.gx_year(snap, result, unreadable)
        before = (year, snap, set(result.get("unreadable", []))) if snap is not None else None
    return results, worker.computed


# --- the check ---------------------------------------------------------------------------------------

def check_units(root: Path, years: list[str], *, expectations: bool = True, across: bool = True,
                cache: Cache | None = None, jobs: int | None = None,
                max_bytes: int = MAX_FILE_BYTES) -> Summary:
    """Every contract of `years`, as `run_check` runs them, computed unit by unit (from the cache
    where every input of a unit is unchanged) in up to `jobs` worker processes."""
    plan = make_plan(root, years, expectations, across, max_bytes)
    local = Worker(plan, cache)
    results: dict[str, dict] = {}
    registry = local.registry()
    registry_unreadable = registry.get("unreadable", [])
    results["registry"] = registry
    todo: dict[str, list[str]] = {}
    for y in years:
        wanted = [("year", f"year:{y}")]
        if across and y != years[0]:
            wanted.append(("pair", f"pair:{years[years.index(y) - 1]}:{y}"))
        if expectations:
            wanted.append(("gx", f"gx:{y}"))
        for kind, unit in wanted:
            hit = local._get(unit, _valid_result)
            if hit is None:
                todo.setdefault(y, []).append(kind)
            else:
                results[unit] = hit
        if todo.get(y) and "year" not in todo[y]:
            todo[y].insert(0, "year")  # a unit that needs the year's records (cached: no work)
    if expectations:
        hit = local._get("gx:registry", _valid_result)
        results["gx:registry"] = hit if hit is not None else local.gx_registry(set(registry_unreadable))
    computed = dict(local.computed)
    chunks = _chunks([y for y in years if todo.get(y)], years, jobs)
    folder = str(cache.folder) if cache is not None else None
    if len(chunks) > 1:
        with ProcessPoolExecutor(len(chunks), mp_context=_context()) as pool:
            futures = [pool.submit(run_chunk, plan, folder, c, todo, registry_unreadable) for c in chunks]
            outputs = [f.result() for f in futures]
    else:
        outputs = [run_chunk(plan, folder, c, todo, registry_unreadable) for c in chunks]
    for found, counts in outputs:
        results.update(found)
        for k, n in counts.items():
            computed[k] = computed.get(k, 0) + n
    from bluebook.data.project import unknown_entries

    violations = {from_plain(v) for r in results.values() for v in r["violations"]}
    violations.update(unknown_entries(plan.layout, years))  # a folder listing: read every time
    facts = sum(results[f"year:{y}"].get("facts", 0) for y in years)
    files = [f for y in years for f in year_files(plan.layout, y)[1:]]
    return Summary(list(years), sorted(violations, key=_order), facts, files, computed)


def _chunks(pending: list[str], years: list[str], jobs: int | None) -> list[list[str]]:
    """Consecutive runs of the years with work, split into about `jobs` chunks of equal size."""
    jobs = jobs or os.cpu_count() or 1
    if not pending:
        return []
    if jobs <= 1 or len(pending) < 4:
        return [pending]
    size = -(-len(pending) // jobs)
    return [pending[i:i + size] for i in range(0, len(pending), size)]


def _context():
    """fork where it is safe (no other thread runs): the workers then share the imports done."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _order(v: Violation):
    return (v.file, v.line, v.code, v.id, v.message)


