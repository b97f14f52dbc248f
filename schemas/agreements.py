"""agreements: treaties, declarations, programmes and their status."""

import pandas as pd
import pandera.pandas as pa
from bluebook.schemas.common import FactModel, dates_in_order
from pandera.typing import Series

KINDS = ["treaty", "convention", "agreement", "declaration", "joint_statement", "communique",
         "exchange_of_notes", "memorandum", "programme", "other"]
STATUSES = ["negotiating", "signed", "in_force", "suspended", "expired", "terminated"]


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)
def signed_before_in_force(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "signed", "in_force")


def in_force_before_ended(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "in_force", "ended") & dates_in_order(df, "signed", "ended")


# Why: "expired" or "terminated" without the date it ended cannot be placed in time.
def ended_status_has_date(df: pd.DataFrame) -> pd.Series:
    return ~df["status"].isin(["expired", "terminated"]) | df["ended"].notna()


def signed_status_has_date(df: pd.DataFrame) -> pd.Series:
    return (df["status"] != "signed") | df["signed"].notna()


class Agreements(FactModel):
    title_en: Series[str] = pa.Field(str_length={"min_value": 2, "max_value": 200})
    title_ja: Series[str] = pa.Field(nullable=True)
    kind: Series[str] = pa.Field(isin=KINDS)
    parties: Series[object] = pa.Field(reference_list={"min_items": 1})
    status: Series[str] = pa.Field(isin=STATUSES)
    signed: Series[str] = pa.Field(nullable=True, partial_date=())
    in_force: Series[str] = pa.Field(nullable=True, partial_date=())
    ended: Series[str] = pa.Field(nullable=True, partial_date=())

    @pa.dataframe_check
    def signed_before_in_force(cls, df: pd.DataFrame) -> Series[bool]:
        return signed_before_in_force(df)

    @pa.dataframe_check
    def in_force_before_ended(cls, df: pd.DataFrame) -> Series[bool]:
        return in_force_before_ended(df)

    @pa.dataframe_check
    def ended_status_has_date(cls, df: pd.DataFrame) -> Series[bool]:
        return ended_status_has_date(df)

    @pa.dataframe_check
    def signed_status_has_date(cls, df: pd.DataFrame) -> Series[bool]:
        return signed_status_has_date(df)
