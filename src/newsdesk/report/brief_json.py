"""JSON document of a story brief (``newsdesk brief --format json``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.model import Analysis, Story, to_dict


def brief_document(story: Story, analyses: Sequence[Analysis]) -> dict[str, Any]:
    return to_dict(story)
