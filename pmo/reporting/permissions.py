"""Model permissions per role and object rules of reporting, merged into pmo.core.roles and pmo.core.access.

Keep this module free of model imports: pmo.core.roles loads it while Django starts.
"""

from collections.abc import Callable
from typing import Any

from pmo.core.roles import Role

MODELS: tuple[str, ...] = ()
GRANTS: dict[Role, dict[str, frozenset[str]]] = {}
DERIVED_ACTIONS: dict[str, str] = {}


def object_rules() -> dict[str, Callable[[Any, frozenset[Role], str, Any], bool]]:
    """Called by pmo.core.access once it is loaded (rules may import its helpers)."""
    return {}
