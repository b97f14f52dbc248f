"""events: occurrences of the year (talks, visits, elections, tests…). Listed, never 'changed'."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from bluebook.schemas.common import ISO3_RE, FactModel, dates_in_order

# position: a standing position, state of affairs or assessment the text reports as current without
# dating it (Georgia has severed relations with Russia; Putin's approval stays high); its date is the
# year under review, the year whose edition reports it.
KINDS = [
    "summit",
    "meeting",
    "visit",
    "call",
    "talks",
    "election",
    "exercise",
    "test",
    "announcement",
    "law",
    "incident",
    "conference",
    "position",
    "other",
]


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)
def date_before_end_date(df: pd.DataFrame) -> pd.Series:
    return dates_in_order(df, "date", "end_date")


class Events(FactModel):
    date: Series[str] = pa.Field(partial_date=())
    end_date: Series[str] = pa.Field(nullable=True, partial_date=())
    kind: Series[str] = pa.Field(isin=KINDS)
    title_en: Series[str] = pa.Field(str_length={"min_value": 2, "max_value": 200})
    title_ja: Series[str] = pa.Field(nullable=True)
    participants: Series[object] = pa.Field(reference_list={"min_items": 1})
    country: Series[str] = pa.Field(nullable=True, str_matches=ISO3_RE)
    place: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check
    @classmethod
    def date_before_end_date(cls, df: pd.DataFrame) -> pd.Series:
        return date_before_end_date(df)
