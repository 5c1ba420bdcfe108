"""The proposal lifecycle: which state may follow which, and the right each step needs."""

from pmo.selection.models import Proposal

S = Proposal.State

TRANSITIONS: dict[str, dict[str, str]] = {
    # from state: {to state: action (see pmo.core.access.can)}
    S.DRAFT: {S.SUBMITTED: "submit", S.WITHDRAWN: "withdraw"},
    S.SUBMITTED: {S.UNDER_EVALUATION: "evaluate", S.WITHDRAWN: "withdraw", S.DRAFT: "evaluate"},
    S.UNDER_EVALUATION: {S.APPROVED: "decide", S.REJECTED: "decide", S.DEFERRED: "decide", S.WITHDRAWN: "withdraw"},
    S.DEFERRED: {S.UNDER_EVALUATION: "evaluate", S.WITHDRAWN: "withdraw", S.DRAFT: "submit"},
    S.APPROVED: {},
    S.REJECTED: {},
    S.WITHDRAWN: {},
}
FINAL = (S.APPROVED, S.REJECTED, S.WITHDRAWN)
EDITABLE = (S.DRAFT, S.DEFERRED)
COMMENT_REQUIRED = (S.REJECTED, S.DEFERRED, S.WITHDRAWN, S.DRAFT)
