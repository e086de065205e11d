"""The app's models, one module per part of the newsroom; ``from articles.models import X``
finds every one of them here (and so does Django)."""

from articles.models.api import ApiPartner
from articles.models.breaking import BreakingNews
from articles.models.desk import (
    ArticleEvent,
    DraftBuffer,
    EditPresence,
    PreviewLink,
    PreviewVisit,
    Revision,
)
from articles.models.front import FrontPage, FrontPageEvent, FrontSlot
from articles.models.images import Image, Rendition
from articles.models.live import LiveCoverage, LiveUpdate
from articles.models.schedule import CommandRun, DueWork, PendingPurge
from articles.models.story import Article, ArticleAuthor
from articles.models.taxonomy import Author, Section, Tag

__all__ = [
    "ApiPartner",
    "Article",
    "ArticleAuthor",
    "ArticleEvent",
    "Author",
    "BreakingNews",
    "CommandRun",
    "DraftBuffer",
    "DueWork",
    "EditPresence",
    "FrontPage",
    "FrontPageEvent",
    "FrontSlot",
    "Image",
    "LiveCoverage",
    "LiveUpdate",
    "PendingPurge",
    "PreviewLink",
    "PreviewVisit",
    "Rendition",
    "Revision",
    "Section",
    "Tag",
]
