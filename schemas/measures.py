"""measures: sanctions, bans, price caps and tariffs, and what was done to them when."""

import pandera.pandas as pa
from pandera.typing import Series

from bluebook.schemas.common import REF_RE, FactModel
from bluebook.vocabulary import MEASURE_ACTIONS

KINDS = ["sanctions", "asset_freeze", "export_ban", "import_ban", "price_cap", "tariff", "other"]
ACTIONS = list(MEASURE_ACTIONS)


class Measures(FactModel):
    imposer: Series[str] = pa.Field(str_matches=REF_RE)
    target: Series[str] = pa.Field(str_matches=REF_RE)
    kind: Series[str] = pa.Field(isin=KINDS)
    action: Series[str] = pa.Field(isin=ACTIONS)
    date: Series[str] = pa.Field(partial_date=())
    title_en: Series[str] = pa.Field(str_length={"min_value": 2, "max_value": 200})
