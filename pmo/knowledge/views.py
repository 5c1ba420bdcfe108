"""The knowledge pages (being built)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404("Not yet.")


lessons_page = lesson_page = categories_page = search_page = closures_page = _todo
maturity_page = assessment_page = maturity_trend_svg = improvement_page = closure_page = _todo
