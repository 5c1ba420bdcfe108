"""Reading the JSON files the command-line contracts take (`pmo select`, `pmo evm`), with one wording for
the errors: the message names the file and, for bad JSON, the line and column."""

from __future__ import annotations

import json
from pathlib import Path


class InputError(Exception):
    """The file cannot be read, or does not have the contract's shape; the message names the field."""


class UnreadableFile(InputError):
    """The file is missing, unreadable or not JSON; the message already names the file."""


def read_json(path: Path) -> object:
    """The decoded document, or :class:`UnreadableFile` naming the file (and the line and column)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableFile(f"{path}: cannot read file: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"{path}, line {error.lineno}, column {error.colno}: not valid JSON: {error.msg}"
        ) from None
