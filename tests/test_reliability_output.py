"""Terminal and HTML output of untrusted text: no escape sequence, newline or bidi
override from an article or a file name reaches the user's terminal or page raw."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from newsdesk.cli.common import report_failures
from newsdesk.cli.stories import stories_table
from newsdesk.report.html_brief import _env
from newsdesk.safetext import escape_controls, html_finalize, scrub_surrogates
from newsdesk.store.records import StorySummary
from newsdesk.web.deps import templates

OSC_TITLE = "\x1b]0;pwned\x07Harbour \x1b[31mred\x1b[0m \u202etxt.exe\u202c [bold]markup[/bold]"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("a\nb", "a\\nb"), ("\x1b[2J", "\\u001b[2J"), ("\x9b31m", "\\u009b31m"), ("\u202eabc", "\\u202eabc"),
     ("\u2066x\u2069", "\\u2066x\\u2069"), ("tab\there", "tab\\there"), ("\ud800", "\\ud800"), ("é ü 中文", "é ü 中文")],
)
def test_escape_controls(raw: str, shown: str) -> None:
    assert escape_controls(raw) == shown


def test_keep_newlines_keeps_layout_only() -> None:
    assert escape_controls("a\n\tb\x1b\r", keep_newlines=True) == "a\n\tb\\u001b\\r"


def test_scrub_surrogates() -> None:
    assert scrub_surrogates("a\ud800b") == "a\ufffdb"
    assert scrub_surrogates("ok") == "ok"


def test_stories_table_prints_no_escape_sequences() -> None:
    summary = StorySummary(id="s1", title=OSC_TITLE, article_count=2, outlets=["Evil\x1b]8;;http://x\x07 Outlet"])
    out = io.StringIO()
    Console(file=out, width=300, force_terminal=False).print(stories_table([summary], "sqlite:///x\x1b.db"))
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\u001b]0;pwned" in text and "[bold]markup[/bold]" in text  # shown as text, not run or styled


def test_failure_lines_are_never_wrapped_or_split(capsys: pytest.CaptureFixture[str]) -> None:
    long_line = "crawl/" + "very-long-folder-name/" * 12 + "file\nname.jsonl:7: malformed JSON: expecting value"
    report_failures([long_line])
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("1 input(s) failed:")
    assert err[1] == "  " + long_line.replace("\n", "\\n")


def test_html_templates_strip_bidi_overrides() -> None:
    assert html_finalize("a\u202ebc\u2066") == "abc"
    assert html_finalize(3) == 3
    for env in (templates().env, _env()):
        rendered = env.from_string('<p dir="auto">{{ t }}</p><a title="{{ t }}">x</a>').render(t="x\u202etxt.exe<b>")
        assert "\u202e" not in rendered and "&lt;b&gt;" in rendered


def test_escaped_json_stays_json() -> None:
    import json

    data = {"title": "a\x9b31m \u202eb\x1b", "n": 1}
    text = escape_controls(json.dumps(data, ensure_ascii=False, indent=2), keep_newlines=True)
    assert "\x9b" not in text and "\u202e" not in text
    assert json.loads(text) == data
