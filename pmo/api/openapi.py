"""OpenAPI component names that do not collide.

django-ninja builds the JSON schema of each operation separately and merges the definitions by name, so
two different types with the same short name (the many `Status`, `State` and `Kind` choices nested in
models) silently overwrite each other and endpoints are documented with another's values. Here a type
nested in a class keeps its enclosing class in its name (`Risk.Status` -> `RiskStatus`).
`tests/api/test_fuzzing.py::test_schema_names_are_unique` proves no two components share a name.
"""

import re

import ninja.openapi.schema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import CoreModeRef, DefsRef

_NESTED = re.compile(r"\b([A-Z]\w*)\.(?=[A-Z])")


class QualifiedNameJsonSchema(NinjaGenerateJsonSchema):
    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        core_ref, mode = core_mode_ref
        # "pmo.risks.models.Risk.Status:123" -> "pmo.risks.models.RiskStatus:123"
        return super().get_defs_ref((_NESTED.sub(r"\1", core_ref), mode))


def install() -> None:
    ninja.openapi.schema.NinjaGenerateJsonSchema = QualifiedNameJsonSchema  # type: ignore[misc]
