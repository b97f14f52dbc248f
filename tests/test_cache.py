"""The cache of what the loader and the contracts computed: used only when every input is unchanged,
rebuilt when an entry is corrupt, truncated, forged or foreign, and never changing what `check`
reports. There is one check path (run_check over the opened project); the cache only decides
whether a file is parsed and a layer computed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, edit

from bench.corpus import generate
from bluebook.cli import main
from bluebook.contracts import check as check_mod
from bluebook.contracts.check import run_check
from bluebook.data import cache as cache_mod
from bluebook.data.cache import Cache
from bluebook.data.load import DeferredFile
from bluebook.data.project import open_project


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small synthetic Bluebook: 3 years of about 150 facts, every contract kept."""
    root = tmp_path_factory.mktemp("corpus") / "c"
    generate(root, facts=150, years=3, seed=3)
    return root


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".bluebook-cache"))
    return dest


def _check(root: Path, cache: Cache | None, **kwargs):
    return run_check(open_project(root, cache=cache), **kwargs)


def _parsed(project) -> list[str]:
    """The table files whose records were parsed in this process."""
    return [
        f.rel
        for s in project.snapshots.values()
        for f in s.tables.values()
        if not isinstance(f, DeferredFile) or f.parsed
    ]


@pytest.mark.parametrize("which", ["real", "corpus"])
def test_same_result_with_and_without_the_cache(which, corpus, tmp_path):
    root = REPO if which == "real" else corpus
    reference = _check(root, None, expectations=False)
    cache = Cache(tmp_path / "cache")
    cold = _check(root, cache, expectations=False)
    assert cache.computed["year"] == len(reference.years) and cache.computed["registries"] == 1
    warm_cache = Cache(cache.folder)
    warm = _check(root, warm_cache, expectations=False)
    for result in (cold, warm):
        assert result.violations == reference.violations
        assert result.fact_count == reference.fact_count
        assert result.grounding.found == reference.grounding.found
    assert warm_cache.computed == {}
    assert _parsed(warm.project) == []  # warm: every file read and hashed, none parsed
    if which == "corpus":
        assert reference.violations == [] and reference.fact_count > 400


def test_same_result_in_worker_processes(corpus, tmp_path, monkeypatch):
    """--jobs 2: the same violations, grounding and counts, with and without the cache; the years
    were computed by the workers (in_workers returns every year and pair on a cold cache)."""
    monkeypatch.setattr(check_mod, "_MIN_UNITS", 2)  # workers even for three years
    reference = _check(corpus, None, expectations=False)
    for cache in (None, Cache(tmp_path / "cache")):
        project = open_project(corpus, cache=cache)
        years = sorted(project.snapshots)
        done = check_mod.in_workers(project, years, list(zip(years, years[1:])), 2)
        assert set(done) == set(years) | set(zip(years, years[1:]))
        assert [done[y].violations for y in years] == [check_mod.check_year(project, y).violations for y in years]
        result = run_check(open_project(corpus, cache=cache), expectations=False, jobs=2)
        assert result.violations == reference.violations and result.grounding.found == reference.grounding.found
        assert result.fact_count == reference.fact_count


@pytest.mark.gx
def test_same_result_with_the_suites(corpus, tmp_path):
    reference = _check(corpus, None)
    cache = Cache(tmp_path / "cache")
    assert _check(corpus, cache).violations == reference.violations
    assert cache.computed["suites"] == 1 + len(reference.years)  # the registry's targets and each year's
    warm_cache = Cache(cache.folder)
    warm = _check(corpus, warm_cache)
    assert warm.violations == reference.violations and warm_cache.computed == {}


@pytest.mark.gx
def test_the_suites_of_the_years_run_in_the_worker_processes(corpus, tmp_path, monkeypatch):
    """--jobs 2 with the cache: each worker runs its years' suites (into the cache); this process
    computes only the registry's, and reports what one process reports, a broken fact included."""
    monkeypatch.setattr(check_mod, "_MIN_UNITS", 2)
    root = _copy(corpus, tmp_path / "c")
    _break_a_fact(root, sorted(p.name for p in (root / "snapshots").iterdir() if p.is_dir())[1])
    reference = _check(root, None)
    assert any(v.code.startswith("expect.") for v in reference.violations)
    cache = Cache(tmp_path / "cache")
    result = run_check(open_project(root, cache=cache), jobs=2)
    assert result.violations == reference.violations
    assert cache.computed["suites"] == 1  # the registry's targets; every year's came from the workers
    assert cache.computed.get("year", 0) == 0


def _break_a_fact(root: Path, year: str) -> None:
    edit(root, f"snapshots/{year}/memberships.yaml", "status: member\n", "status: membre\n")


def test_a_changed_file_is_checked_again(corpus, tmp_path):
    root = _copy(corpus, tmp_path / "c")
    years = sorted(open_project(root).years)
    cache = Cache(tmp_path / "cache")
    assert _check(root, cache, expectations=False).violations == []
    _break_a_fact(root, years[1])
    again_cache = Cache(cache.folder)
    again = _check(root, again_cache, expectations=False)
    assert [v.code for v in again.violations] == ["schema.enum"]
    assert again.violations == _check(root, None, expectations=False).violations
    # only that file was parsed at open, and that year and the two pairs around it computed again
    assert again_cache.computed == {"file": 1, "year": 1, "pair": 2}
    assert sorted({rel.split("/")[1] for rel in _parsed(again.project)}) == years


def test_a_changed_registry_checks_every_year_again(corpus, tmp_path):
    root = _copy(corpus, tmp_path / "c")
    cache = Cache(tmp_path / "cache")
    years = _check(root, cache, expectations=False).years
    edit(root, "snapshots/entities.yaml", "- id: ABW\n", "- id: ABX\n")
    again_cache = Cache(cache.folder)
    again = _check(root, again_cache, expectations=False)
    assert again_cache.computed["year"] == len(years) and again_cache.computed["registries"] == 1
    assert again_cache.computed["pair"] == len(years) - 1
    assert again.violations == _check(root, None, expectations=False).violations != []


def test_a_changed_held_text_checks_every_year_again(corpus, tmp_path):
    root = _copy(corpus, tmp_path / "c")
    cache = Cache(tmp_path / "cache")
    years = _check(root, cache, expectations=False).years
    held = next(p for p in (root / "sources").iterdir() if p.suffix == ".md")
    held.write_bytes(held.read_bytes() + b"\n")  # no longer its sha256
    again_cache = Cache(cache.folder)
    again = _check(root, again_cache, expectations=False)
    assert again_cache.computed["year"] == len(years) and again_cache.computed["registries"] == 1
    assert "ground.sha256-mismatch" in {v.code for v in again.violations}
    assert again.violations == _check(root, None, expectations=False).violations


def test_a_new_load_problem_of_a_year_checks_it_again(corpus, tmp_path):
    """A stray file in a year folder is a load problem of that year, though no table changed."""
    root = _copy(corpus, tmp_path / "c")
    cache = Cache(tmp_path / "cache")
    years = _check(root, cache, expectations=False).years
    (root / "snapshots" / years[0] / "event.yaml").write_text("[]\n", encoding="utf-8")
    again_cache = Cache(cache.folder)
    again = _check(root, again_cache, expectations=False)
    assert again_cache.computed == {"year": 1, "pair": 1}
    assert [v.code for v in again.violations] == ["load.unknown-file"]


def test_a_new_code_version_checks_everything_again(corpus, tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache")
    years = _check(corpus, cache, expectations=False).years
    warm = Cache(cache.folder)
    _check(corpus, warm, expectations=False)
    assert warm.computed == {}
    monkeypatch.setattr(cache_mod, "code_version", lambda: "another version of the code")
    again = Cache(cache.folder)
    _check(corpus, again, expectations=False)
    assert again.computed["year"] == len(years) and again.computed["file"] == 6 * len(years) + 2


def test_the_code_version_covers_the_package_the_schemas_and_the_templates():
    cache_mod.code_version.cache_clear()
    assert len(cache_mod.code_version()) == 64
    dirs = cache_mod._extra_package_dirs()
    assert any(Path(d).name == "schemas" for d in dirs) or (Path(cache_mod.__file__).parent.parent / "schemas").is_dir()


TAMPERS = ["flip", "truncate", "forge", "empty", "swap", "not-json"]


def _tamper(path: Path, how: str, others: list[Path]) -> None:
    raw = path.read_bytes()
    if how == "flip":
        raw = raw[:-5] + bytes([raw[-5] ^ 1]) + raw[-4:]
    elif how == "truncate":
        raw = raw[: len(raw) // 2]
    elif how == "forge":  # a well-formed entry saying all is well, with a made-up signature
        raw = b"0" * 64 + b'\n{"violations":[],"grounding":[],"found":[]}'
    elif how == "empty":
        raw = b""
    elif how == "swap":  # a genuine entry of the same kind, moved under this key
        raw = next(p for p in others if p != path).read_bytes()
    else:
        raw = raw.split(b"\n", 1)[0] + b"\n\x80\x81 not json"
    path.write_bytes(raw)


def test_tampered_entries_are_rebuilt(corpus, tmp_path):
    """Every kind of entry (file, year, pair, registries), each tampered in one of six ways."""
    root = _copy(corpus, tmp_path / "c")
    years = sorted(open_project(root).years)
    _break_a_fact(root, years[0])
    cache = Cache(tmp_path / "cache")
    truth = _check(root, cache, expectations=False)
    assert truth.violations
    tampered: list[tuple[str, str]] = []
    for kind in ("file", "year", "pair", "registries"):
        entries = sorted(p for p in (cache.folder / kind).rglob("*") if p.is_file())
        assert entries, kind
        for n, path in enumerate(entries):
            _tamper(path, TAMPERS[n % len(TAMPERS)] if len(entries) > 1 else "flip", entries)
            tampered.append((kind, path.name))
    assert len(tampered) > 20
    probe = Cache(cache.folder)
    assert all(probe.get(kind, key, lambda v: True) is None for kind, key in tampered)
    again_cache = Cache(cache.folder)
    again = _check(root, again_cache, expectations=False)
    assert again.violations == truth.violations
    assert again_cache.computed["year"] == len(years) and again_cache.computed["registries"] == 1
    assert again_cache.computed["file"] == 6 * len(years) + 2
    # every entry was written again, signed, and the next run computes nothing
    assert all(probe.get(kind, key, lambda v: True) is not None for kind, key in tampered)
    last = Cache(cache.folder)
    _check(root, last, expectations=False)
    assert last.computed == {}


def test_a_signed_entry_of_the_wrong_shape_is_refused(tmp_path):
    cache = Cache(tmp_path / "cache")
    key = "a" * 64
    cache.put("year", key, {"violations": [{"code": 1}], "grounding": [], "found": []})
    assert cache.get("year", key, cache_mod.is_violations) is None
    assert cache.rejected == 1
    cache.put("file", key, {"ok": True, "canonical": True, "count": 1, "load": [{"severity": "fatal"}]})
    assert cache.get("file", key, cache_mod._valid_file) is None


def test_a_cached_file_gives_the_records_the_loader_gives(tmp_path):
    """A file outside the canonical form (a comment) keeps its records in its entry; read back,
    they are the loader's records, lines, refused keys and violations."""
    from bluebook.data.load import load_table

    root = tmp_path / "p"
    path = root / "t.yaml"
    path.parent.mkdir()
    path.write_text(
        "# the seed facts\n- id: a\n  status: member\n  colour: red\n- id: b\n  status: partner\n", encoding="utf-8"
    )
    cache = Cache(tmp_path / "cache")
    plain = load_table(path, "t.yaml", "memberships", within=root)
    cold = cache_mod.load_table_cached(cache, path, "t.yaml", "memberships", within=root)
    warm = cache_mod.load_table_cached(Cache(cache.folder), path, "t.yaml", "memberships", within=root)
    assert isinstance(warm[0], DeferredFile) and not warm[0].canonical
    for loaded, violations in (cold, warm):
        assert violations == plain[1] and [v.code for v in violations] == ["load.unknown-key"]
        assert [(r.data, r.line, dict(r.key_lines), r.refused) for r in loaded.records] == [
            (r.data, r.line, dict(r.key_lines), r.refused) for r in plain[0].records
        ]
        assert loaded.text == plain[0].text and loaded.count == 2


def test_a_secret_anyone_else_can_read_is_replaced(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.put("year", "b" * 64, {"x": 1})
    assert Cache(cache.folder).get("year", "b" * 64, lambda v: True) == {"x": 1}
    secret = cache.secret_file
    os.chmod(secret, 0o644)  # readable by others: whoever read it could sign entries
    other = Cache(cache.folder)
    assert other.get("year", "b" * 64, lambda v: True) is None
    assert (secret.stat().st_mode & 0o777) == 0o600


def test_a_cache_folder_shipped_with_a_secret_of_its_own_is_not_trusted(corpus, tmp_path):
    """A pull request can commit a cache folder (git ignores it, `git add -f` does not): a secret
    in it, and entries signed with that secret saying a broken year holds, change nothing."""
    root = _copy(corpus, tmp_path / "c")
    year = sorted(open_project(root).years)[1]
    honest = _check(root, None, expectations=False).violations  # what the unbroken year gives
    _break_a_fact(root, year)
    broken = _check(root, None, expectations=False).violations
    assert broken != honest
    folder = root / cache_mod.FOLDER
    forger = Cache(folder, secret_file=folder / "secret")  # the attacker's secret, in the shipped folder
    project = open_project(root, cache=forger)
    forger.put("year", forger.key("year", check_mod.inputs.year_layer(project, year)), HOLDS)
    assert (folder / "secret").exists()
    assert _check(root, Cache.for_project(root), expectations=False).violations == broken


HOLDS = {"violations": [], "grounding": [], "found": []}  # a year's cache entry: no violation at all


def test_the_secret_is_not_sent_to_a_worker(tmp_path):
    import pickle

    cache = Cache(tmp_path / "cache")
    secret = cache.secret()
    assert secret not in pickle.dumps(cache)
    assert pickle.loads(pickle.dumps(cache)).secret() == secret  # a worker reads it from the folder


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--no-expectations"],
        ["check", "--no-expectations", "-j", "2"],
        ["diff", "{a}", "{b}", "--format", "json"],
    ],
)
def test_no_cache_writes_nothing_and_the_cache_changes_no_output(command, corpus, tmp_path, capsys):
    root = _copy(corpus, tmp_path / "c")
    a, b = sorted(open_project(root).years)[:2]
    argv = ["--root", str(root)] + [x.format(a=a, b=b) for x in command]
    outputs = []
    for extra in (["--no-cache"], [], []):  # without, cold, warm
        assert main(argv + extra) == 0
        outputs.append(capsys.readouterr().out)
        if extra:
            assert not (root / ".bluebook-cache").exists()
    assert not (root / ".bluebook-cache" / "secret").exists()  # the secret is never in the folder
    assert outputs[0] == outputs[1] == outputs[2] != ""


WARM_IMPORTS = """
import sys
from bluebook.cli import main
code = main(["--root", sys.argv[1], "check", "--no-expectations"])
print(code, sorted(m for m in ("pandas", "pandera", "dask", "great_expectations", "prefect") if m in sys.modules))
"""


def test_a_warm_check_imports_neither_pandas_nor_pandera(tmp_path):
    """With every result cached, `check --no-expectations` validates nothing, so it must not pay for
    pandas and Pandera (0.4 s of imports; the warm run takes 0.16 s); the first, cold run imports them."""
    import subprocess
    import sys

    env = dict(os.environ, BLUEBOOK_CACHE_DIR=str(tmp_path / "cache"))
    runs = [
        subprocess.run([sys.executable, "-c", WARM_IMPORTS, str(REPO)], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    cold, warm = (r.stdout.strip().splitlines()[-1] for r in runs)
    assert cold == "0 ['pandas', 'pandera']"
    assert warm == "0 []"


def test_a_secret_that_cannot_be_kept_leaves_results_correct_and_says_why(corpus, tmp_path, monkeypatch, capsys):
    """A home folder that cannot be written: the check is the same as without a cache, and says why
    nothing will be reused."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache_mod.SECRET_FILE_ENV, str(blocker / "state" / "cache-secret"))
    reference = _check(corpus, None, expectations=False)
    cache = Cache(tmp_path / "cache")
    assert _check(corpus, cache, expectations=False).violations == reference.violations
    assert "the cache's secret cannot be kept" in capsys.readouterr().err
    assert Cache(cache.folder).get("registries", "0" * 64, lambda v: True) is None


def test_a_warm_open_decodes_no_file_and_a_deferred_file_reads_as_the_loader_does(corpus, tmp_path):
    cache = Cache(tmp_path / "cache")
    plain = open_project(corpus)
    open_project(corpus, cache=cache)  # cold: writes the files' entries
    warm = open_project(corpus, cache=Cache(cache.folder))
    deferred = [f for s in warm.snapshots.values() for f in s.tables.values() if isinstance(f, DeferredFile)]
    assert deferred and all(f._text is None and f._raw is not None for f in deferred)  # no text decoded yet
    for f in deferred:
        year = f.rel.split("/")[1]
        same = plain.snapshots[year].tables[f.table]
        assert [(r.data, r.line) for r in f.records] == [(r.data, r.line) for r in same.records]  # parses, decodes
        # The file's text as read (the plain open keeps none of a file proven canonical).
        assert f.text == (corpus / f.rel).read_text(encoding="utf-8")
        assert same.text == (None if same.canonical else f.text)


@pytest.mark.parametrize("how", ["flip", "truncate", "forge", "empty", "swap"])
def test_a_tampered_report_entry_is_rendered_again(how, corpus, tmp_path, capsys):
    """`diff` keeps each rendering of a report as an entry of raw text: a tampered one is a miss,
    and the output is the report rendered again, never the entry's text."""
    root = _copy(corpus, tmp_path / "c")
    a, b = sorted(open_project(root).years)[:2]
    argv = ["--root", str(root), "diff", a, b, "--out", str(tmp_path / "out")]
    out = tmp_path / "out"

    def written() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    assert main([*argv, "--no-cache"]) == 0
    truth, files = capsys.readouterr().out, written()
    assert len(files) == 3
    assert main(argv) == 0 and capsys.readouterr().out == truth and written() == files
    entries = sorted(p for p in (root / cache_mod.FOLDER / "report").rglob("*") if p.is_file())
    assert len(entries) == 3  # md, json, html
    for target in entries:
        if how == "forge":
            target.write_bytes(b"0" * 64 + b"\nall contracts hold")
        else:
            _tamper(target, how, entries)
    capsys.readouterr()
    for _ in range(2):  # rendered again, and written again, signed
        assert main(argv) == 0 and capsys.readouterr().out == truth and written() == files
