"""Model permissions per role and object rules of documents, merged into pmo.core.roles and pmo.core.access.

Keep this module free of model imports: pmo.core.roles loads it while Django starts.

- The template and policy library: kept by the PMO director and the PMO analysts, read by everyone.
- A project's documents: read by every role but requesters; written (new documents, versions, submission for
  review, approvers) by whoever may change the project (its manager, a project administrator, the manager of
  its portfolio, the PMO director).
- Approving or rejecting ("sign") a version under review: only the approvers named on it (the sponsor for the
  charter), whatever their role.
- Baselining a project's documents: the project's manager, the manager of its portfolio, the PMO director.
- A closed or cancelled project's documents are read-only (its archive).
"""

from collections.abc import Callable
from typing import Any

from pmo.core.roles import Role

TEMPLATE = "documents.documenttemplate"
TEMPLATE_VERSION = "documents.templateversion"
DOCUMENT = "documents.document"
VERSION = "documents.documentversion"
APPROVAL = "documents.documentapproval"
BASELINE = "documents.documentbaseline"
MODELS: tuple[str, ...] = (TEMPLATE, TEMPLATE_VERSION, DOCUMENT, VERSION, APPROVAL, BASELINE)
PROJECT_DOCUMENTS = (DOCUMENT, VERSION, APPROVAL, BASELINE)
ARCHIVED = ("closed", "cancelled")  # lifecycle states whose documents no longer change

_VIEW = frozenset({"view"})
_ALL = frozenset({"view", "add", "change", "delete"})
_LIBRARY_READ = {TEMPLATE: _VIEW, TEMPLATE_VERSION: _VIEW}
_LIBRARY_KEEP = {TEMPLATE: _ALL, TEMPLATE_VERSION: _ALL}
_DOCS_READ = {model: _VIEW for model in PROJECT_DOCUMENTS}
_DOCS_WRITE = {model: _ALL for model in PROJECT_DOCUMENTS}

GRANTS: dict[Role, dict[str, frozenset[str]]] = {
    Role.PMO_DIRECTOR: {**_LIBRARY_KEEP, **_DOCS_WRITE},
    Role.PORTFOLIO_MANAGER: {**_LIBRARY_READ, **_DOCS_WRITE},
    Role.PMO_ANALYST: {**_LIBRARY_KEEP, **_DOCS_READ},
    Role.PROJECT_MANAGER: {**_LIBRARY_READ, **_DOCS_WRITE},
    Role.PROJECT_ADMINISTRATOR: {**_LIBRARY_READ, **_DOCS_WRITE},
    Role.EXECUTIVE: {**_LIBRARY_READ, **_DOCS_READ},
    Role.TEAM_MEMBER: {**_LIBRARY_READ, **_DOCS_READ},
    Role.REQUESTER: dict(_LIBRARY_READ),
    Role.RESOURCE_MANAGER: {**_LIBRARY_READ, **_DOCS_READ},
}

# "sign": approve or reject a version under review (a named approver needs only to read the document).
DERIVED_ACTIONS: dict[str, str] = {"sign": "view"}


def _document_of(obj: Any) -> Any:
    return obj if obj._meta.label_lower == DOCUMENT else obj.document


def object_rules() -> dict[str, Callable[[Any, frozenset[Role], str, Any], bool]]:
    """Called by pmo.core.access once it is loaded (rules may import its helpers)."""
    from pmo.core.access import _project_lead, can, person_id_of

    def document_rule(user: Any, roles: frozenset[Role], action: str, obj: Any) -> bool:
        if action == "view":
            return True
        document = _document_of(obj)
        if document.project.state in ARCHIVED:
            return False  # a closed or cancelled project's documents are its archive: read-only
        if action == "sign":
            person = person_id_of(user)
            if person is not None and obj._meta.label_lower == APPROVAL:
                return obj.approver_id == person and obj.decision == "pending"
            if person is None or document.pk is None or document.status != "in_review":
                return False
            from pmo.documents.models import DocumentApproval

            return DocumentApproval.objects.filter(
                document_id=document.pk, approver_id=person, decision=DocumentApproval.Decision.PENDING
            ).exists()
        if action == "delete" and obj._meta.label_lower == DOCUMENT:
            return document.approved_version_id is None and can(user, "change", document.project)
        return can(user, "change", document.project)

    def baseline_rule(user: Any, roles: frozenset[Role], action: str, baseline: Any) -> bool:
        if action == "view":
            return True
        if baseline.project.state in ARCHIVED:
            return False
        return _project_lead(user, roles, baseline.project)

    return {
        DOCUMENT: document_rule,
        VERSION: document_rule,
        APPROVAL: document_rule,
        BASELINE: baseline_rule,
    }
