from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import can
from pmo.core.errors import DomainError
from pmo.portfolio import selectors, services
from pmo.portfolio.models import LifecycleState


@login_required
@require_POST
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.projects().filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404("No such project.")
    to_state = request.POST.get("to_state", "")
    version = request.POST.get("version")
    try:
        services.project_transition(
            actor=request.user,
            project=project,
            to_state=to_state,
            comment=request.POST.get("comment", ""),
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{project.code} is now {LifecycleState(to_state).label.lower()}.")
    return HttpResponseRedirect(reverse("projects-detail", args=[pk]))
