"""Pandera schemas: one strict DataFrameModel per table, and the metric registry."""

import sys
import types

# Pandera builds a model's schema with its list of the frame types it knows, and to know Dask's it
# imports dask.dataframe whenever dask is installed (prefect-dask installs it, for the review's
# workers=N): 0.6 s on the first schema of every check, for frames bluebook never validates. Its
# "dask not installed" form of pandera.typing.dask is put in its place, unless a Dask typing module
# is already loaded. Checked by tests/test_cache.py (a check imports no dask).
if "pandera.typing.dask" not in sys.modules:
    _no_dask = types.ModuleType("pandera.typing.dask", "Pandera's Dask typing, as if dask were not installed.")
    _no_dask.DASK_INSTALLED = False  # type: ignore[attr-defined]
    sys.modules["pandera.typing.dask"] = _no_dask

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
