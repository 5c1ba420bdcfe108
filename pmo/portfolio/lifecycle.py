"""The project lifecycle: which state may follow which, and the permission each step needs."""

from pmo.portfolio.models import LifecycleState as S

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PROPOSED: (S.APPROVED, S.CANCELLED),
    S.APPROVED: (S.INITIATING, S.ON_HOLD, S.CANCELLED),
    S.INITIATING: (S.PLANNING, S.ON_HOLD, S.CANCELLED),
    S.PLANNING: (S.EXECUTING, S.ON_HOLD, S.CANCELLED),
    S.EXECUTING: (S.CLOSING, S.ON_HOLD, S.CANCELLED),
    S.ON_HOLD: (S.INITIATING, S.PLANNING, S.EXECUTING, S.CANCELLED),
    S.CLOSING: (S.CLOSED,),
    S.CLOSED: (),
    S.CANCELLED: (),
}

ACTIVE_STATES = (S.APPROVED, S.INITIATING, S.PLANNING, S.EXECUTING, S.ON_HOLD, S.CLOSING)
FINISHED_STATES = (S.CLOSED, S.CANCELLED)


def next_states(state: str) -> tuple[str, ...]:
    return TRANSITIONS.get(state, ())


def permission_for(source: str, target: str) -> str:
    """The action (see pmo.core.access.can) that moving from `source` to `target` requires."""
    if target == S.CANCELLED:
        return "cancel"
    if source == S.PROPOSED and target == S.APPROVED:
        return "approve"
    return "transition"
