"""Request parsing that refuses text no database column can hold: a NUL character (PostgreSQL text and
JSON refuse it) or a lone UTF-16 surrogate (not encodable as UTF-8). Refused with 400 up front, so the
same input gets the same answer on SQLite and PostgreSQL instead of a database error (500)."""

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import HttpError
from ninja.parser import Parser

MESSAGE = "Text may not contain NUL characters or unpaired surrogates."


def _bad_text(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check(value: Any) -> None:
    if isinstance(value, str):
        if _bad_text(value):
            raise HttpError(400, MESSAGE)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key)
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


class CleanTextParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        _check(data)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> Any:
        for key, values in data.lists():
            _check(key)
            _check([v for v in values if isinstance(v, str)])
        return super().parse_querydict(data, list_fields, request)
