"""entities.yaml and sources.yaml: the registries every fact refers to."""

import re

import pandas as pd
import pandera.pandas as pa
import pycountry
from pandera.typing import Series

from bluebook.schemas.common import ISO3_RE, ORG_RE, OTHER_RE, PERSON_RE, SLUG_RE, TERRITORY_RE

ENTITY_KINDS = ["country", "organization", "person", "territory", "other"]
ID_BY_KIND = {
    "country": ISO3_RE,
    "organization": ORG_RE,
    "person": PERSON_RE,
    "territory": TERRITORY_RE,
    "other": OTHER_RE,
}
ISO3_CODES = frozenset(c.alpha_3 for c in pycountry.countries)


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)


# Why: the id says what kind of thing it names (RUS, BRICS, person.x-y); a mismatch is a typo.
def id_fits_kind(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [bool(k in ID_BY_KIND and re.fullmatch(ID_BY_KIND[k], i or "")) for i, k in zip(df["id"], df["kind"])],
        index=df.index,
        dtype=bool,
    )


# Why: ISO 3166 is the registry, not our memory: 'UZB' yes, 'UZ' or 'UZK' no.
def country_in_iso3166(df: pd.DataFrame) -> pd.Series:
    return (df["kind"] != "country") | df["id"].isin(ISO3_CODES)


def person_country_in_iso3166(df: pd.DataFrame) -> pd.Series:
    return df["country"].isna() | df["country"].isin(ISO3_CODES)


# Why: a held text is trusted only when its bytes are the ones the quotes were checked against.
def held_text_has_sha256(df: pd.DataFrame) -> pd.Series:
    return df["path"].isna() | df["sha256"].notna()


def source_has_url_or_path(df: pd.DataFrame) -> pd.Series:
    return df["url"].notna() | df["path"].notna()


class Entities(pa.DataFrameModel):
    id: Series[str] = pa.Field(unique=True)
    kind: Series[str] = pa.Field(isin=ENTITY_KINDS)
    name_en: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 120})
    name_ja: Series[str] = pa.Field(nullable=True)
    aliases_ja: Series[object] = pa.Field(nullable=True)
    country: Series[str] = pa.Field(nullable=True, str_matches=ISO3_RE)
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def id_fits_kind(cls, df: pd.DataFrame) -> pd.Series:
        return id_fits_kind(df)

    @pa.dataframe_check
    @classmethod
    def country_in_iso3166(cls, df: pd.DataFrame) -> pd.Series:
        return country_in_iso3166(df)

    @pa.dataframe_check
    @classmethod
    def person_country_in_iso3166(cls, df: pd.DataFrame) -> pd.Series:
        return person_country_in_iso3166(df)


class Sources(pa.DataFrameModel):
    id: Series[str] = pa.Field(str_matches=SLUG_RE, unique=True)
    title: Series[str] = pa.Field(str_length={"min_value": 2})
    publisher: Series[str] = pa.Field(str_length={"min_value": 2})
    edition: Series[str] = pa.Field(nullable=True)
    language: Series[str] = pa.Field(str_matches=r"^[a-z]{2}\Z")
    url: Series[str] = pa.Field(nullable=True, str_matches=r"^https?://\S+\Z")
    path: Series[str] = pa.Field(nullable=True, str_matches=r"^[^/][^\s]*\Z")
    sha256: Series[str] = pa.Field(nullable=True, str_matches=r"^[0-9a-f]{64}\Z")
    license: Series[str] = pa.Field(str_length={"min_value": 2})
    accessed: Series[str] = pa.Field(nullable=True, partial_date=())
    # When the facts citing this source were last checked against it (the page or a stored copy).
    checked: Series[str] = pa.Field(nullable=True, partial_date=())
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def held_text_has_sha256(cls, df: pd.DataFrame) -> pd.Series:
        return held_text_has_sha256(df)

    @pa.dataframe_check
    @classmethod
    def source_has_url_or_path(cls, df: pd.DataFrame) -> pd.Series:
        return source_has_url_or_path(df)
