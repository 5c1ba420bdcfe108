from django.http import Http404, HttpRequest
from django.urls import register_converter
from ninja import NinjaAPI, Router

import pmo
from pmo.api import errors, openapi
from pmo.api.auth import API_AUTH
from pmo.api.parser import CleanTextParser
from pmo.changes.api import router as changes_router
from pmo.control.api import router as control_router
from pmo.core.api import router as account_router
from pmo.documents.api import router as documents_router
from pmo.governance.api import router as governance_router
from pmo.knowledge.api import router as knowledge_router
from pmo.planning.api import router as planning_router
from pmo.portfolio.api import router as portfolio_router
from pmo.reporting.api import router as reporting_router
from pmo.resources.api import router as resources_router
from pmo.resources.capacity_api import router as capacity_router
from pmo.resources.pool_api import router as pool_router
from pmo.risks.api import router as risks_router
from pmo.risks.simulation_api import router as risk_analysis_router
from pmo.selection.api import router as selection_router
from pmo.stakeholders.api import router as stakeholders_router

api = NinjaAPI(
    title="pmo API",
    version=pmo.__version__,
    description=(
        "The REST API of pmo. Authenticate with a personal API token (`Authorization: Bearer <token>`, "
        "created on your account page) or a browser session. Errors are always "
        '`{"code", "message", "details"}`; validation errors list each field under `details.fields`.'
    ),
    auth=API_AUTH,
    urls_namespace="api",
    parser=CleanTextParser(),
)
errors.install(api)
openapi.install()
api.add_router("/", account_router)
api.add_router("/", portfolio_router)
api.add_router("/", resources_router)
api.add_router("/", planning_router)
api.add_router("/", selection_router)
api.add_router("/", control_router)
api.add_router("/", changes_router)
api.add_router("/", risks_router)
api.add_router("/", risk_analysis_router)
api.add_router("/", pool_router)
api.add_router("/", capacity_router)
api.add_router("/", documents_router)
api.add_router("/", governance_router)
api.add_router("/", knowledge_router)
api.add_router("/", stakeholders_router)
api.add_router("/", reporting_router)


# Last: any other path under the API (an unknown endpoint, or a path parameter of the wrong type such as
# /projects/abc) answers with the JSON error shape rather than Django's HTML page.
class _AnyPath:
    regex = r"[\s\S]+"  # unlike Django's "path" converter, also a newline

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_AnyPath, "anypath")
fallback_router = Router()


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{anypath:rest}", auth=None, include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> None:
    raise Http404(f"No API endpoint at {request.path}.")


api.add_router("/", fallback_router)
