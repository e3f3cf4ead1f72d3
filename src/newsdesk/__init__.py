"""newsdesk: turn a pile of news reports into a sourced picture of the story they tell."""

# The library API lives in ``newsdesk.api`` (``api.analyze``, ``api.ingest``, ...);
# only the names that do not shadow a subpackage are also bound here: ``analyze`` and
# ``ingest`` are the packages ``newsdesk.analyze`` and ``newsdesk.ingest``, and Python
# rebinds those names to the packages whenever one of their modules is imported.
from newsdesk import api
from newsdesk.api import app, brief, stories
from newsdesk.model import Analysis, Article, RawArticle
from newsdesk.options import Options

__all__ = ["Analysis", "Article", "Options", "RawArticle", "api", "app", "brief", "stories"]
__version__ = "0.1.0"
