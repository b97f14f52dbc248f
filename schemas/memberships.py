"""memberships: who belongs to which organization, with what status, since when."""

import pandas as pd
import pandera.pandas as pa
from bluebook.schemas.common import ORG_RE, REF_RE, FactModel, dates_in_order
from pandera.typing import Series

STATUSES = ["member", "associate", "partner", "observer", "candidate", "invited", "suspended", "frozen", "withdrawn"]
# Why: these statuses are changes of an earlier state; without the date the change cannot be placed.
STATUSES_NEEDING_SINCE = ["associate", "partner", "invited", "suspended", "frozen", "withdrawn"]


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)
def since_before_until(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "since", "until")


def status_has_since(df: pd.DataFrame) -> pd.Series:
    return ~df["status"].isin(STATUSES_NEEDING_SINCE) | df["since"].notna()


class Memberships(FactModel):
    organization: Series[str] = pa.Field(str_matches=ORG_RE)
    member: Series[str] = pa.Field(str_matches=REF_RE)
    status: Series[str] = pa.Field(isin=STATUSES)
    since: Series[str] = pa.Field(nullable=True, partial_date=())
    until: Series[str] = pa.Field(nullable=True, partial_date=())

    @pa.dataframe_check
    def since_before_until(cls, df: pd.DataFrame) -> Series[bool]:
        return since_before_until(df)

    @pa.dataframe_check
    def status_has_since(cls, df: pd.DataFrame) -> Series[bool]:
        return status_has_since(df)
