"""The API of governance: the methodology library (versions, phases, requirements, criteria, publication), the
methodology a project follows and where it stands, gate reviews (checklist, reviewers, votes, decisions and
conditions), and quality audits (checklists, audits, answers, findings, corrective actions, compliance trend)."""

from ninja import Router

from pmo.governance.api import audits, gates, library

router = Router(tags=["governance"])
router.add_router("", library.router)
router.add_router("", gates.router)
router.add_router("", audits.router)
