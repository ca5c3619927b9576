"""A byline from whatever a record or page gives: a name, a list of names, schema.org
person objects. Shared by the JSON and HTML readers."""

from __future__ import annotations

from .decode import clean_text

_MAX_AUTHORS = 20  # a list longer than this is not a byline


def authors(value: object) -> str | None:
    """A record's byline as one string: names joined by ", " (`["A", "B"]`, `[{"name":
    "A"}]`, schema.org `{"givenName", "familyName"}`); None when it names nobody."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:_MAX_AUTHORS]:
        if isinstance(item, dict):
            name = item.get("name")
            if not isinstance(name, str):
                parts = [item.get(k) for k in ("givenName", "familyName")]
                name = " ".join(p for p in parts if isinstance(p, str))
            item = name
        if isinstance(item, str):
            name = " ".join(clean_text(item).split())
            if name and name.lower() not in ("none", "null", "[]") and name not in names:
                names.append(name)
    return ", ".join(names) or None
