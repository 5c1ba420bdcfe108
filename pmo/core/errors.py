"""The one error vocabulary of services; the API and the pages map these to responses and form errors."""

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """Base of the errors a service raises on purpose."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


class ValidationFailed(DomainError):
    """Input broke a rule; `fields` maps each offending field to its messages."""

    code = "validation_error"
    status = 422

    def __init__(self, fields: Mapping[str, Sequence[str] | str], message: str | None = None) -> None:
        self.fields = {name: [msgs] if isinstance(msgs, str) else list(msgs) for name, msgs in fields.items()}
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in self.fields.items())
        super().__init__(message or f"Invalid input: {summary}", details={"fields": self.fields})


class Conflict(DomainError):
    """The write does not fit the object's current state (stale version, forbidden transition)."""

    code = "conflict"
    status = 409


class StaleVersion(Conflict):
    code = "stale_version"
