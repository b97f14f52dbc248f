"""The cache of parsed files and contract results: used only when every input is unchanged, rebuilt
when an entry is corrupt, truncated, forged or foreign, and never changing what `check` reports."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from bench.corpus import generate
from bluebook.cli import main
from bluebook.contracts.check import run_check
from bluebook.contracts.incremental import check_units
from bluebook.data import cache as cache_mod
from bluebook.data.cache import Cache
from bluebook.data.project import Layout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small synthetic Bluebook: 3 years of about 200 facts, every contract kept."""
    root = tmp_path_factory.mktemp("corpus") / "c"
    generate(root, facts=200, years=3, seed=3)
    return root


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".bluebook-cache"))
    return dest


def _years(root: Path) -> list[str]:
    return Layout(root).years()


@pytest.mark.parametrize("which", ["real", "corpus"])
def test_same_result_with_and_without_the_cache(which, corpus, tmp_path):
    root = REPO if which == "real" else corpus
    years = _years(root)
    reference = run_check(root, years, expectations=False)
    cache = Cache(tmp_path / "cache")
    plain = check_units(root, years, expectations=False, cache=None, jobs=1)
    cold = check_units(root, years, expectations=False, cache=cache, jobs=2)
    warm = check_units(root, years, expectations=False, cache=cache, jobs=2)
    for result in (plain, cold, warm):
        assert result.violations == reference.violations
        assert result.facts == reference.fact_count
    assert cold.computed["year"] == len(years) and warm.computed == {}
    if which == "corpus":
        assert reference.violations == [] and reference.fact_count > 500


def test_same_result_with_the_suites(corpus, tmp_path):
    years = _years(corpus)[:2]
    reference = run_check(corpus, years)
    cache = Cache(tmp_path / "cache")
    assert check_units(corpus, years, cache=cache, jobs=1).violations == reference.violations
    warm = check_units(corpus, years, cache=cache, jobs=1)
    assert warm.violations == reference.violations and warm.computed == {}


def _break_a_fact(root: Path, year: str) -> None:
    path = root / "snapshots" / year / "memberships.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: member\n", "status: membre\n", 1), encoding="utf-8")


def test_a_changed_file_is_checked_again(corpus, tmp_path):
    root = _copy(corpus, tmp_path / "c")
    years = _years(root)
    cache = Cache(tmp_path / "cache")
    assert check_units(root, years, expectations=False, cache=cache).violations == []
    _break_a_fact(root, years[1])
    again = check_units(root, years, expectations=False, cache=cache, jobs=1)
    assert [v.code for v in again.violations] == ["schema.enum"]
    assert again.violations == run_check(root, years, expectations=False).violations
    # only that year, its file and the two pairs around it were computed again
    assert again.computed == {"file": 1, "year": 1, "pair": 2}


def test_a_changed_registry_checks_every_year_again(corpus, tmp_path):
    root = _copy(corpus, tmp_path / "c")
    years = _years(root)
    cache = Cache(tmp_path / "cache")
    check_units(root, years, expectations=False, cache=cache)
    entities = root / "snapshots" / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("- id: ABW\n", "- id: ABX\n", 1), encoding="utf-8")
    again = check_units(root, years, expectations=False, cache=cache, jobs=1)
    assert again.computed["year"] == len(years) and again.computed["registry"] == 1
    assert again.violations == run_check(root, years, expectations=False).violations != []


def test_a_new_code_version_checks_everything_again(corpus, tmp_path, monkeypatch):
    years = _years(corpus)
    cache = Cache(tmp_path / "cache")
    check_units(corpus, years, expectations=False, cache=cache)
    assert check_units(corpus, years, expectations=False, cache=cache).computed == {}
    monkeypatch.setattr(cache_mod, "code_version", lambda: "another version of the code")
    monkeypatch.setattr("bluebook.contracts.incremental.code_version", lambda: "another version of the code")
    again = check_units(corpus, years, expectations=False, cache=cache, jobs=1)
    assert again.computed["year"] == len(years) and again.computed["file"] >= 6 * len(years)


def test_the_code_version_covers_the_schemas_and_the_package():
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
        raw = b"0" * 64 + b'\n{"violations":[],"facts":1,"unreadable":[],"found":{}}'
    elif how == "empty":
        raw = b""
    elif how == "swap":  # a genuine entry of the same kind, moved under this key
        raw = next(p for p in others if p != path).read_bytes()
    else:
        raw = raw.split(b"\n", 1)[0] + b"\n\x80\x81 not json"
    path.write_bytes(raw)


def test_tampered_entries_are_rebuilt(corpus, tmp_path):
    """Every kind of entry (records, file, year, pair, registry), each tampered in one of six ways."""
    root = _copy(corpus, tmp_path / "c")
    years = _years(root)
    _break_a_fact(root, years[0])
    cache = Cache(tmp_path / "cache")
    truth = check_units(root, years, expectations=False, cache=cache)
    assert truth.violations
    tampered: list[tuple[str, str]] = []
    for kind in ("records", "file", "year", "pair", "registry"):
        entries = sorted(p for p in (cache.folder / kind).rglob("*") if p.is_file())
        for n, path in enumerate(entries):
            _tamper(path, TAMPERS[n % len(TAMPERS)], entries)
            tampered.append((kind, path.name))
    assert len(tampered) > 20
    probe = Cache(cache.folder)
    assert all(probe.get(kind, key, lambda v: True) is None for kind, key in tampered)
    again = check_units(root, years, expectations=False, cache=Cache(cache.folder), jobs=1)
    assert again.violations == truth.violations
    assert again.computed["year"] == len(years) and again.computed["registry"] == 1
    # every entry was written again, signed, and the next run computes nothing
    assert all(probe.get(kind, key, lambda v: True) is not None for kind, key in tampered)
    assert check_units(root, years, expectations=False, cache=Cache(cache.folder), jobs=1).computed == {}


def test_a_signed_entry_of_the_wrong_shape_is_refused(tmp_path):
    cache = Cache(tmp_path / "cache")
    key = "a" * 64
    cache.put("year", key, {"violations": [{"code": 1}], "facts": "many"})
    assert cache.get("year", key, lambda v: isinstance(v, dict) and isinstance(v.get("facts"), int)) is None
    assert cache.rejected == 1


def test_a_secret_anyone_else_can_read_is_replaced(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.put("year", "b" * 64, {"x": 1})
    assert Cache(cache.folder).get("year", "b" * 64, lambda v: True) == {"x": 1}
    secret = cache.folder / "secret"
    os.chmod(secret, 0o644)  # readable by others: whoever read it could sign entries
    other = Cache(cache.folder)
    assert other.get("year", "b" * 64, lambda v: True) is None
    assert (secret.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("command", [["check", "--no-expectations"], ["diff", "{a}", "{b}", "--format", "json"]])
def test_no_cache_writes_nothing_and_the_cache_changes_no_output(command, corpus, tmp_path, capsys):
    root = _copy(corpus, tmp_path / "c")
    a, b = _years(root)[:2]
    argv = ["--root", str(root)] + [x.format(a=a, b=b) for x in command]
    outputs = []
    for extra in (["--no-cache"], [], []):  # without, cold, warm
        assert main(argv + extra) == 0
        outputs.append(capsys.readouterr().out)
        if extra:
            assert not (root / ".bluebook-cache").exists()
    assert (root / ".bluebook-cache" / "secret").exists()
    assert outputs[0] == outputs[1] == outputs[2] != ""
