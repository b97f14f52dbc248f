"""The vocabulary is the one place a table's statuses and their meaning live: everything that
knows a status (schemas, GX suites, views, reports, history) must agree with it."""

from __future__ import annotations

import json

import pytest
from conftest import SUITES

from bluebook import vocabulary
from bluebook.contracts.expectations import views
from bluebook.reports import history, names
from bluebook.schemas import MODELS


def _isin(model, column: str) -> list[str]:
    for check in model.to_schema().columns[column].checks:
        if check.name == "isin":
            return list(check.statistics["allowed_values"])
    raise AssertionError(f"{column} has no isin check")


@pytest.mark.parametrize("table", [t for t, spec in vocabulary.TABLES.items() if spec.statuses])
def test_schema_statuses_are_the_vocabulary(table):
    assert _isin(MODELS[table], "status") == vocabulary.TABLES[table].status_names


def test_agreement_kinds_and_bases_are_the_vocabulary():
    assert _isin(MODELS["agreements"], "kind") == list(vocabulary.AGREEMENT_KINDS)
    for table in vocabulary.FACT_TABLE_NAMES:
        assert _isin(MODELS[table], "basis") == list(vocabulary.BASES)


def test_schema_columns_are_the_vocabulary():
    for table in vocabulary.FACT_TABLE_NAMES:
        assert sorted(MODELS[table].to_schema().columns) == sorted(vocabulary.columns(table)), table


def test_every_status_needs_a_date_column_of_its_table():
    for table in vocabulary.TABLES.values():
        for status in table.statuses:
            assert status.words and status.verb, status
            if status.needs:
                assert status.needs in table.columns and status.needs in vocabulary.DATE_COLUMNS, status


def test_suite_value_sets_of_status_columns_are_known_statuses():
    statement_sets = []
    for path in SUITES.glob("*.json"):
        for exp in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            kwargs = exp["kwargs"]
            if kwargs.get("column") == "status" and "value_set" in kwargs:
                table = vocabulary.TABLES[path.stem]
                assert set(kwargs["value_set"]) <= set(table.status_names), path.name
                if "kind in" in kwargs.get("row_condition", ""):
                    statement_sets.append(kwargs["value_set"])
    assert statement_sets == [list(vocabulary.STATEMENT_STATUSES)]


def test_views_reports_and_history_read_the_vocabulary():
    assert views.COUNTED_STATUSES == ("member", "associate", "frozen")
    assert {t: spec.title for t, spec in vocabulary.TABLES.items()} == names.TABLE_TITLES
    for table, spec in vocabulary.TABLES.items():
        dated = [c for c in spec.columns if c in vocabulary.DATE_COLUMNS]
        missing = [c for c in dated if c not in history.SHOWN[table]]
        assert not missing or table in ("events", "indicators"), (table, missing)
