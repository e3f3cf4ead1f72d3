"""JSON document of a story brief (``newsdesk brief --format json``), validated against
``schema/brief.schema.json``: the typed story view as plain JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from newsdesk.model import Analysis, to_dict
from newsdesk.report.story_view import StoryView

SCHEMA_ID = "newsdesk.brief/v1"


@cache
def brief_schema() -> dict[str, Any]:
    text = resources.files("newsdesk.schema").joinpath("brief.schema.json").read_text("utf-8")
    return json.loads(text)


def brief_document(story: StoryView, analyses: Sequence[Analysis] = ()) -> dict[str, Any]:
    """The story view as JSON (dates ISO, enums as their values)."""
    return {"schema": SCHEMA_ID, **to_dict(story)}


def validate_brief(document: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if the document breaks the schema."""
    import jsonschema  # type: ignore[import-untyped]

    jsonschema.Draft202012Validator(brief_schema()).validate(document)


def render_brief_json(story: StoryView, analyses: Sequence[Analysis]) -> str:
    return json.dumps(brief_document(story, analyses), ensure_ascii=False, indent=2) + "\n"
