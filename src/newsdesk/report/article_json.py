"""JSON output of ``newsdesk analyze``, validated against schema/analysis.schema.json."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from newsdesk.model import Analysis, to_dict

SCHEMA_ID = "newsdesk.analysis/v1"


@cache
def analysis_schema() -> dict[str, Any]:
    """The JSON Schema of the output, shipped inside the package."""
    text = resources.files("newsdesk.schema").joinpath("analysis.schema.json").read_text("utf-8")
    return json.loads(text)


def analyses_document(analyses: list[Analysis], failures: list[str]) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "articles": [to_dict(a) for a in analyses],
        "failures": list(failures),
    }


def validate_document(document: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if the document breaks the schema."""
    import jsonschema

    jsonschema.Draft202012Validator(analysis_schema()).validate(document)


def render_json(analyses: list[Analysis], failures: list[str]) -> str:
    return json.dumps(analyses_document(analyses, failures), ensure_ascii=False, indent=2)
