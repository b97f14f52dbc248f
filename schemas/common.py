"""What every fact table shares: id and reference formats, enums, the provenance columns and the
per-row rules about basis. Table modules subclass `FactModel`."""

from __future__ import annotations

import math
import re

import pandas as pd
import pandera.extensions as extensions
import pandera.pandas as pa
from pandera.typing import Series

from bluebook import vocabulary
from bluebook.data.dates import end, is_partial_date, start

# Patterns are matched from the start (Pandera str_matches); `\Z`, not `$`, ends them: `$` also matches
# before a trailing newline, so "brics.rus\n" would pass. ASCII classes only: `\d` would take
# full-width and other scripts' digits.
ID_RE = r"^[a-z0-9]+([._-][a-z0-9]+)*\Z"
SLUG_RE = r"^[a-z0-9]+([._-][a-z0-9]+)*\Z"
ISO3_RE = r"^[A-Z]{3}\Z"
ORG_RE = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*\Z"  # BRICS, CSTO, G7, UNITED-RUSSIA; ISO3-looking codes are orgs too
PERSON_RE = r"^person\.[a-z0-9]+(-[a-z0-9]+)+\Z"  # person.<family>-<given>
TERRITORY_RE = r"^territory\.[a-z0-9]+(-[a-z0-9]+)*\Z"
OTHER_RE = r"^other\.[a-z0-9]+(-[a-z0-9]+)*\Z"
# Any entity reference: a country or organization code, a person, a territory or another thing.
REF_RE = rf"({ORG_RE})|({PERSON_RE})|({TERRITORY_RE})|({OTHER_RE})"
OFFICE_RE = r"^[A-Z][A-Z0-9]*\.[a-z][a-z0-9_]*\Z"  # JPN.prime_minister: holder's country or org, then office

BASES = list(vocabulary.BASES)

# Human descriptions of the formats, used in messages ("does not match <this>").
FORMATS = {
    "carried": "the year the fact was carried forward from (2025)",
    "id": "lower-case words joined by '.', '-' or '_' (brics.vnm)",
    "source": "a source id: lower-case words joined by '.', '-' or '_' (bluebook-2026-ch2-s6)",
    "organization": "an upper-case organization code (BRICS, CSTO)",
    "member": "a country (ISO3) or organization code",
    "office": "<holder code>.<office> (JPN.prime_minister)",
    "person": "person.<family>-<given> (person.takaichi-sanae)",
    "country": "an ISO 3166-1 alpha-3 code (RUS)",
    "imposer": "an entity reference (JPN, EU, person.x-y)",
    "target": "an entity reference (RUS, other.rosneft)",
    "subject": "an entity reference (JPN, RUS, SCO)",
    "counterpart": "an entity reference (RUS)",
    "metric": "a metric name from bluebook.schemas/metrics.py (trade.total)",
    "language": "an ISO 639-1 code (ja, en)",
    "url": "an http(s) URL",
    "sha256": "64 lower-case hex digits",
    "date": "a partial date YYYY, YYYY-MM or YYYY-MM-DD",
}


@extensions.register_check_method(check_type="element_wise")
def partial_date(value) -> bool:
    """A real partial date (`2025`, `2025-06`, `2025-06-30`); no 2025-02-30."""
    return is_partial_date(value)


@extensions.register_check_method(check_type="element_wise")
def plain_number(value) -> bool:
    """A finite int or float as the loader reads it: a value it left as text (`+1`, `1_000`, `1e309`,
    `1e-400`, full-width digits) is not a number, and nothing coerces it into one."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@extensions.register_check_method(check_type="element_wise", statistics=["min_items"])
def reference_list(value, *, min_items: int) -> bool:
    """A list of entity references, at least `min_items` long."""
    return is_reference_list(value, min_items)


def is_reference_list(value, min_items: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) >= min_items
        and all(isinstance(v, str) and re.fullmatch(REF_RE, v) for v in value)
    )


def status_has_its_date(df: pd.DataFrame, table: str) -> pd.Series:
    """True where the row's status needs no date column, or has the one it needs."""
    ok = pd.Series(True, index=df.index, dtype=bool)
    for status in vocabulary.TABLES[table].statuses:
        if status.needs:
            ok &= (df["status"] != status.name) | df[status.needs].notna()
    return ok


def dates_in_order(df: pd.DataFrame, first: str, second: str) -> pd.Series:
    """True where `first` may precede `second` (either missing is fine; bad dates are caught by
    the partial_date check, so they pass here)."""

    def ok(a, b) -> bool:
        if not (is_partial_date(a) and is_partial_date(b)):
            return True
        return start(a) <= end(b)

    return pd.Series([ok(a, b) for a, b in zip(df[first], df[second])], index=df.index, dtype=bool)


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)


# Why: a `stated` fact is only as good as its verified quote.
def stated_has_evidence(df: pd.DataFrame) -> pd.Series:
    return (df["basis"] != "stated") | df["evidence"].notna()


# Why: a cited source is not held, so a quote from it cannot be verified and would look as if
# it were. (An inferred fact may quote the held text its inference starts from: it is verified.)
def cited_has_no_evidence(df: pd.DataFrame) -> pd.Series:
    return (df["basis"] != "cited") | df["evidence"].isna()


# Why: an inference nobody can retrace is an invention.
def inferred_has_note(df: pd.DataFrame) -> pd.Series:
    return (df["basis"] != "inferred") | df["note"].notna()


class FactModel(pa.DataFrameModel):
    """Columns and rules every fact table has."""

    id: Series[str] = pa.Field(str_matches=ID_RE, unique=True)
    basis: Series[str] = pa.Field(isin=BASES)
    source: Series[str] = pa.Field(str_matches=SLUG_RE)
    section: Series[str] = pa.Field(nullable=True)
    evidence: Series[str] = pa.Field(nullable=True, str_length={"min_value": 4, "max_value": 300})
    note: Series[str] = pa.Field(nullable=True)
    # Fields of a stated fact its quote does not carry; checked by the field-grounding contract.
    unquoted: Series[object] = pa.Field(nullable=True)
    # The year a fact was carried forward from by `bluebook new-year` (unconfirmed while present).
    carried: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}$")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def stated_has_evidence(cls, df: pd.DataFrame) -> pd.Series:
        return stated_has_evidence(df)

    @pa.dataframe_check
    @classmethod
    def cited_has_no_evidence(cls, df: pd.DataFrame) -> pd.Series:
        return cited_has_no_evidence(df)

    @pa.dataframe_check
    @classmethod
    def inferred_has_note(cls, df: pd.DataFrame) -> pd.Series:
        return inferred_has_note(df)


# Per-row checks by name: violation code, message and hint, formatted with the row's values (and,
# for indicators, the metric's unit/min/max). Column checks (isin, str_matches, …) are mapped by
# kind in bluebook/schema_check.py.
# One rule an entry (code, message, hint) in its layout; ruff format would split every item.
# fmt: off
ROW_CHECKS: dict[str, tuple[str, str, str]] = {
    "since_before_until": ("schema.date-order", "since {since} is after until {until}", "swap or correct the dates"),
    "status_has_date": ("schema.status-needs-date", "status '{status}' needs '{needed}' (the date it began or ended)",
                        "add {needed}: YYYY[-MM[-DD]] from the source"),
    "signed_before_in_force": ("schema.date-order", "signed {signed} is after in_force {in_force}", "correct the dates"),
    "in_force_before_ended": ("schema.date-order", "ended {ended} is before it was signed or entered into force",
                              "correct the dates"),
    "attested_within_term": ("schema.date-order", "attested {attested} lies outside the term {since}–{until}",
                             "correct since/until or the attested date"),
    "term_has_date": ("schema.status-needs-date", "a term needs 'since' or 'attested'",
                      "add the date on which the source shows the person in office (attested)"),
    "date_before_end_date": ("schema.date-order", "date {date} is after end_date {end_date}", "correct the dates"),
    "metric_registered": ("ref.unknown-metric", "metric '{metric}' is not in the registry",
                          "use a metric from bluebook.schemas/metrics.py or add it there with its unit and range"),
    "unit_of_metric": ("schema.unit", "unit '{unit}' is not the unit of {metric} ({metric_unit})",
                       "convert the value to {metric_unit}"),
    "value_in_metric_range": ("schema.range", "value {value} of {metric} is outside {metric_min}…{metric_max}",
                              "check the figure and its unit (yen, not 億円)"),
    "baseline_of_change": ("schema.baseline", "{metric} {baseline_rule}",
                           "a change metric needs baseline_period; a level metric must not have one"),
    "id_fits_kind": ("schema.format", "id '{id}' does not fit kind '{kind}'",
                     "countries are ISO3 (RUS), organizations upper-case codes (BRICS), persons person.<family>-<given>, "
                     "territories territory.<slug>, others other.<slug>"),
    "country_in_iso3166": ("ref.unknown-country", "'{id}' is not an ISO 3166-1 alpha-3 country code",
                           "look the code up in ISO 3166 (pycountry): e.g. VNM for Viet Nam"),
    "person_country_in_iso3166": ("ref.unknown-country", "country '{country}' is not an ISO 3166-1 alpha-3 code",
                                  "use the ISO3 code of the person's country"),
    "held_text_has_sha256": ("schema.required", "a held source (path) needs its sha256",
                             "add sha256: the output of `sha256sum sources/<path>`"),
    "source_has_url_or_path": ("schema.required", "a source needs a url or a path", "add the URL of the document"),
    "stated_has_evidence": ("schema.basis", "a stated fact has no evidence",
                            "quote the source verbatim in 'evidence', or make the fact cited/inferred"),
    "cited_has_no_evidence": ("schema.basis", "a cited fact carries evidence, which cannot be verified",
                              "make it stated (if the source is held) or move the words into 'note'"),
    "inferred_has_note": ("schema.basis", "an inferred fact has no note saying how it was derived",
                          "add a 'note' that says from what the fact is inferred"),
}
# fmt: on
