"""The forms of a rendered page, read the way a browser submits them: the page tests post what the page offers
(hidden fields, current values, the clicked button), with only the blanks filled in."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Form:
    action: str
    method: str
    id: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser sends, in order
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons: one is clicked
    files: list[str] = field(default_factory=list)

    def values(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name, value in [*self.fields, *self.buttons]:
            found.setdefault(name, []).append(value)
        return found


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._owner: Form | None = None  # the form a control belongs to (its `form` attribute, or the open one)
        self._elsewhere: list[tuple[str, Form]] = []  # controls naming a form by id, resolved at the end
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower(), id=a.get("id", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if "form" in a and tag in ("input", "button", "select", "textarea"):
            form = Form(action="", method="")  # collected here, moved to the form of that id at the end
            self._elsewhere.append((a["form"], form))
        if tag in ("select", "textarea"):
            self._owner = form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind == "submit" or kind == "image":
                form.buttons.append((name, a.get("value", "")))
            elif kind == "file":
                form.files.append(name)
            elif kind not in ("button", "reset"):
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = ""

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected = self._option
            self._select[1].append((value if value is not None else self._option_text.strip(), selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._owner is not None:
            name, options = self._select
            chosen = [v for v, s in options if s] or [v for v, _ in options[:1]]
            self._owner.fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._owner is not None:
            self._owner.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    by_id = {f.id: f for f in parser.forms if f.id}
    for form_id, controls in parser._elsewhere:
        if form_id in by_id:
            by_id[form_id].fields.extend(controls.fields)
            by_id[form_id].buttons.extend(controls.buttons)
            by_id[form_id].files.extend(controls.files)
    return [f for f in parser.forms if f.method == "post"]


def pick(forms: list[Form], path: str, match: dict[str, str], page: str) -> Form:
    """The form that posts to `path` and offers every name=value of `match` (a field or a button); a form without
    an action posts to its `page`."""
    chosen = [
        f
        for f in forms
        if (urlsplit(f.action).path or page) == path
        and all(value in f.values().get(name, []) for name, value in match.items())
    ]
    if not chosen:
        shown = "\n".join(f"  {f.action or '(this page)'}: {sorted(f.values())}" for f in forms)
        raise LookupError(f"no form posting to {path} with {match}; the page offers:\n{shown}")
    return chosen[0]


def submission(form: Form, match: dict[str, str], fill: dict[str, Any]) -> dict[str, Any]:
    """What the browser sends when the button of `match` (if any) is clicked, with `fill` typed in (None: left
    out)."""
    data: dict[str, Any] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    for name, value in form.buttons:
        if match.get(name) == value:
            data.setdefault(name, []).append(value)
    for name, value in fill.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) or hasattr(value, "read") else [value]
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in data.items()}
