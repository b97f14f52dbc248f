"""agreements: treaties, declarations, programmes and their status."""

import pandas as pd
import pandera.pandas as pa
from bluebook.schemas.common import FactModel, dates_in_order
from pandera.typing import Series

KINDS = ["treaty", "convention", "agreement", "declaration", "joint_statement", "communique",
         "exchange_of_notes", "memorandum", "programme", "other"]
# adopted: a text the parties adopted (採択) at a meeting; issued: a joint statement or press release
# published (発表); consultations_agreed: the parties agreed to start consultations toward it
# (協議を開始することで一致), which is less than negotiating.
STATUSES = ["consultations_agreed", "negotiating", "signed", "adopted", "issued", "in_force", "suspended", "expired",
            "terminated"]


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
    def signed_before_in_force(cls, df: pd.DataFrame) -> Series[bool]:
        return dates_in_order(df, "signed", "in_force")

    @pa.dataframe_check
    def in_force_before_ended(cls, df: pd.DataFrame) -> Series[bool]:
        return (dates_in_order(df, "in_force", "ended") & dates_in_order(df, "signed", "ended")
                & dates_in_order(df, "adopted", "ended") & dates_in_order(df, "issued", "ended"))

    # Why: "expired" or "terminated" without the date it ended cannot be placed in time.
    @pa.dataframe_check
    def ended_status_has_date(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["status"].isin(["expired", "terminated"]) | df["ended"].notna()

    @pa.dataframe_check
    def signed_status_has_date(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["status"] != "signed") | df["signed"].notna()

    @pa.dataframe_check
    def adopted_status_has_date(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["status"] != "adopted") | df["adopted"].notna()

    @pa.dataframe_check
    def issued_status_has_date(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["status"] != "issued") | df["issued"].notna()
