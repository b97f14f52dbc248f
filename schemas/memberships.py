"""memberships: who belongs to which organization, with what status, since when."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from bluebook import vocabulary
from bluebook.schemas.common import ORG_RE, REF_RE, FactModel, dates_in_order, status_has_its_date

STATUSES = vocabulary.MEMBERSHIPS.status_names


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)
def since_before_until(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "since", "until")


# Why: partner, invited, frozen, withdrawn… are changes of an earlier state; without the date the
# change cannot be placed (the vocabulary says which statuses need `since`).
def status_has_date(df: pd.DataFrame) -> pd.Series:
    return status_has_its_date(df, "memberships")


class Memberships(FactModel):
    organization: Series[str] = pa.Field(str_matches=ORG_RE)
    member: Series[str] = pa.Field(str_matches=REF_RE)
    status: Series[str] = pa.Field(isin=STATUSES)
    since: Series[str] = pa.Field(nullable=True, partial_date=())
    until: Series[str] = pa.Field(nullable=True, partial_date=())

    @pa.dataframe_check
    @classmethod
    def since_before_until(cls, df: pd.DataFrame) -> pd.Series:
        return since_before_until(df)

    @pa.dataframe_check
    @classmethod
    def status_has_date(cls, df: pd.DataFrame) -> pd.Series:
        return status_has_date(df)
