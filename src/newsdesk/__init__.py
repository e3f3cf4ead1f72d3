"""newsdesk: turn a pile of news reports into a sourced picture of the story they tell."""

from newsdesk import api
from newsdesk.api import analyze, app, brief, ingest, stories
from newsdesk.model import Analysis, Article, RawArticle
from newsdesk.options import Options

__all__ = ["Analysis", "Article", "Options", "RawArticle", "analyze", "api", "app", "brief", "ingest", "stories"]
__version__ = "0.1.0"
