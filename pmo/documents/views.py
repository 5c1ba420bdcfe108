"""The pages of documents (filled in below)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, pk: int = 0, number: int = 0) -> HttpResponse:
    raise Http404("Not yet.")


project_documents = project_charter = project_baselines = document_detail = document_diff = _todo
version_download = version_detail = baseline_detail = template_library = template_detail = _todo
