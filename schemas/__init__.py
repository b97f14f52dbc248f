"""Pandera schemas: one strict DataFrameModel per table, and the metric registry."""

from schemas.agreements import Agreements
from schemas.events import Events
from schemas.indicators import Indicators
from schemas.measures import Measures
from schemas.memberships import Memberships
from schemas.officeholders import Officeholders
from schemas.registries import Entities, Sources

MODELS = {
    "memberships": Memberships,
    "agreements": Agreements,
    "officeholders": Officeholders,
    "measures": Measures,
    "events": Events,
    "indicators": Indicators,
    "entities": Entities,
    "sources": Sources,
}
