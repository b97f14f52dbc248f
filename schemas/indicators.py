"""indicators: figures with a metric from the registry, a unit it fixes, and a period."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from bluebook.schemas.common import REF_RE, FactModel
from bluebook.schemas.metrics import METRICS, UNITS

QUALIFIERS = ["about", "over", "under", "at_least", "at_most"]


def _metric_rule(df: pd.DataFrame, rule) -> pd.Series:
    """Apply `rule(metric, row)` where the metric is registered; unknown metrics pass here (they are
    reported once, as ref.unknown-metric)."""
    return pd.Series(
        [rule(METRICS[m], row) if m in METRICS else True for m, (_, row) in zip(df["metric"], df.iterrows())],
        index=df.index,
        dtype=bool,
    )


def _is_number(value) -> bool:
    """Only numbers are range-checked; anything else is reported once, as a type error."""
    return isinstance(value, (int, float)) and not pd.isna(value)


# The row rules as plain functions of the frame (True where a row keeps the rule); the model binds
# each under its name. (Plain functions are what mutation testing reaches: see tests/rules/.)
def metric_registered(df: pd.DataFrame) -> pd.Series:
    return df["metric"].isin(list(METRICS))


def unit_of_metric(df: pd.DataFrame) -> pd.Series:
    return _metric_rule(df, lambda m, row: row["unit"] == m.unit)


def value_in_metric_range(df: pd.DataFrame) -> pd.Series:
    return _metric_rule(df, lambda m, row: not _is_number(row["value"]) or m.min <= row["value"] <= m.max)


# Why: "-50.5%" means nothing without "compared with when".
def baseline_of_change(df: pd.DataFrame) -> pd.Series:
    return _metric_rule(df, lambda m, row: m.change == pd.notna(row["baseline_period"]))


class Indicators(FactModel):
    metric: Series[str] = pa.Field(str_matches=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\Z")
    subject: Series[str] = pa.Field(str_matches=REF_RE)
    counterpart: Series[str] = pa.Field(nullable=True, str_matches=REF_RE)
    period: Series[str] = pa.Field(partial_date=())
    value: Series[object] = pa.Field(plain_number=())
    unit: Series[str] = pa.Field(isin=UNITS)
    baseline_period: Series[str] = pa.Field(nullable=True, partial_date=())
    qualifier: Series[str] = pa.Field(nullable=True, isin=QUALIFIERS)

    @pa.dataframe_check
    @classmethod
    def metric_registered(cls, df: pd.DataFrame) -> pd.Series:
        return metric_registered(df)

    @pa.dataframe_check
    @classmethod
    def unit_of_metric(cls, df: pd.DataFrame) -> pd.Series:
        return unit_of_metric(df)

    @pa.dataframe_check
    @classmethod
    def value_in_metric_range(cls, df: pd.DataFrame) -> pd.Series:
        return value_in_metric_range(df)

    @pa.dataframe_check
    @classmethod
    def baseline_of_change(cls, df: pd.DataFrame) -> pd.Series:
        return baseline_of_change(df)
