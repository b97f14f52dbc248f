"""officeholders: who held which office; a record is one term (or the part of it a source shows)."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from bluebook.schemas.common import OFFICE_RE, PERSON_RE, FactModel, dates_in_order


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)
def since_before_until(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "since", "until")


# Why: the source shows the person in office on that date, so it lies inside the term.
def attested_within_term(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "since", "attested") & dates_in_order(df, "attested", "until")


# Why: a term with no date at all cannot be placed, and two of them cannot be told apart.
def term_has_date(df: pd.DataFrame) -> pd.Series:
    return df["since"].notna() | df["attested"].notna()


class Officeholders(FactModel):
    office: Series[str] = pa.Field(str_matches=OFFICE_RE)
    person: Series[str] = pa.Field(str_matches=PERSON_RE)
    since: Series[str] = pa.Field(nullable=True, partial_date=())
    until: Series[str] = pa.Field(nullable=True, partial_date=())
    attested: Series[str] = pa.Field(nullable=True, partial_date=())

    @pa.dataframe_check
    @classmethod
    def since_before_until(cls, df: pd.DataFrame) -> pd.Series:
        return since_before_until(df)

    @pa.dataframe_check
    @classmethod
    def attested_within_term(cls, df: pd.DataFrame) -> pd.Series:
        return attested_within_term(df)

    @pa.dataframe_check
    @classmethod
    def term_has_date(cls, df: pd.DataFrame) -> pd.Series:
        return term_has_date(df)
