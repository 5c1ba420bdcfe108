"""The download of a document version: its file as uploaded, or its text as a Markdown file (pages and API)."""

from __future__ import annotations

import mimetypes
import re

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename

from pmo.documents.models import DocumentVersion


def download_response(version: DocumentVersion) -> HttpResponse:
    """The version as an attachment: its file as uploaded, or its text as a .md file."""
    document = version.document
    if version.file:
        try:
            handle = version.file.open("rb")
        except OSError as error:
            raise Http404(f"The file of {version} is missing from the storage.") from error
        content_type = version.content_type or mimetypes.guess_type(version.filename)[0] or "application/octet-stream"
        return FileResponse(handle, as_attachment=True, filename=version.filename, content_type=content_type)
    name = get_valid_filename(f"{document.project.code}-{document.title}-v{version.number}.md".replace(" ", "-"))
    name = re.sub(r"-{2,}", "-", name)
    response = HttpResponse(version.text.encode(), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
