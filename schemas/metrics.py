"""The metric registry: every indicator's metric fixes its unit, its plausible range and whether it
is a change against a baseline period. A value outside the range is a typo until shown otherwise."""

from __future__ import annotations

from dataclasses import dataclass

UNITS = ["JPY", "USD", "RUB", "percent", "count", "years", "ratio"]


@dataclass(frozen=True)
class Metric:
    unit: str
    min: float
    max: float
    change: bool = False  # a change against `baseline_period` (which is then required)
    why: str = ""


METRICS: dict[str, Metric] = {
    "trade.total": Metric("JPY", 0, 1e15, why="bilateral trade in yen (Ministry of Finance trade statistics)"),
    "trade.imports": Metric("JPY", 0, 1e15, why="imports of subject from counterpart"),
    "trade.exports": Metric("JPY", 0, 1e15, why="exports of subject to counterpart"),
    "trade.total.change": Metric("percent", -100, 1000, True, "change of trade.total against the baseline period"),
    "trade.imports.change": Metric("percent", -100, 1000, True, "change of trade.imports against the baseline"),
    "trade.exports.change": Metric("percent", -100, 1000, True, "change of trade.exports against the baseline"),
    "gdp.real_growth": Metric("percent", -50, 50, why="real GDP growth on the previous year"),
    "gdp.real_growth.forecast": Metric("percent", -50, 50, why="an official forecast of real GDP growth"),
    "budget.defence_share": Metric("percent", 0, 100, why="defence spending as a share of the state budget"),
    "tax.vat_rate": Metric("percent", 0, 100, why="standard rate of value added tax"),
    "tariff.additional_rate": Metric("percent", 0, 1000, why="an additional tariff rate imposed on a country"),
    "org.member_count": Metric("count", 0, 500, why="members of an organization as the source counts them"),
    "count.elected_operation_participants": Metric(
        "count", 0, 100_000, why="'special military operation' participants elected in Russia's unified elections"
    ),
    "count.elected_operation_participants.change": Metric(
        "percent", -100, 10_000, True, "change of that number against the baseline election"
    ),
    "count.foreign_ministers_meetings": Metric(
        "count", 0, 1000, why="foreign ministers' meetings of a framework so far"
    ),
    "count.documents_signed": Metric("count", 0, 100_000, why="documents signed or presented at one meeting"),
    "count.airspace_violations": Metric("count", 0, 100_000, why="airspace violations in one incident or period"),
    "count.presidential_election_wins": Metric("count", 0, 50, why="presidential elections a person has won"),
    "duration.since_founding": Metric("years", 0, 1000, why="years since a framework or institution was founded"),
    "duration.conflict": Metric("years", 0, 1000, why="how long a conflict has lasted, as the source says"),
}
