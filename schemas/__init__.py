"""Pandera schemas: one strict DataFrameModel per table, and the metric registry."""

from bluebook.schemas.agreements import Agreements
from bluebook.schemas.events import Events
from bluebook.schemas.indicators import Indicators
from bluebook.schemas.measures import Measures
from bluebook.schemas.memberships import Memberships
from bluebook.schemas.officeholders import Officeholders
from bluebook.schemas.registries import Entities, Sources

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
