"""agreements: treaties, declarations, programmes and their status."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from bluebook import vocabulary
from bluebook.schemas.common import FactModel, dates_in_order, status_has_its_date

KINDS = list(vocabulary.AGREEMENT_KINDS)
STATUSES = vocabulary.AGREEMENTS.status_names


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)
def signed_before_in_force(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "signed", "in_force")


def in_force_before_ended(df: pd.DataFrame) -> pd.Series:
    ok = dates_in_order(df, "in_force", "ended")
    for start in ("signed", "adopted", "issued"):
        ok &= dates_in_order(df, start, "ended")
    return ok


# Why: "expired" or "terminated" without the date it ended cannot be placed in time, nor
# "signed", "adopted" or "issued" without the day it was; the vocabulary says which date each needs.
def status_has_date(df: pd.DataFrame) -> pd.Series:
    return status_has_its_date(df, "agreements")


class Agreements(FactModel):
    title_en: Series[str] = pa.Field(str_length={"min_value": 2, "max_value": 200})
    title_ja: Series[str] = pa.Field(nullable=True)
    kind: Series[str] = pa.Field(isin=KINDS)
    parties: Series[object] = pa.Field(reference_list={"min_items": 1})
    status: Series[str] = pa.Field(isin=STATUSES)
    signed: Series[str] = pa.Field(nullable=True, partial_date=())
    adopted: Series[str] = pa.Field(nullable=True, partial_date=())
    issued: Series[str] = pa.Field(nullable=True, partial_date=())
    in_force: Series[str] = pa.Field(nullable=True, partial_date=())
    ended: Series[str] = pa.Field(nullable=True, partial_date=())

    @pa.dataframe_check
    @classmethod
    def signed_before_in_force(cls, df: pd.DataFrame) -> pd.Series:
        return signed_before_in_force(df)

    @pa.dataframe_check
    @classmethod
    def in_force_before_ended(cls, df: pd.DataFrame) -> pd.Series:
        return in_force_before_ended(df)

    @pa.dataframe_check
    @classmethod
    def status_has_date(cls, df: pd.DataFrame) -> pd.Series:
        return status_has_date(df)
