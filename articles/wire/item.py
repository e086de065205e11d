"""One story as any wire format delivers it, before it becomes an Article."""

import datetime
import hashlib
from dataclasses import dataclass, field

from articles.text import arabic


class WireError(ValueError):
    """The file cannot be ingested; the message says why, for the person running the ingest."""


@dataclass
class WireItem:
    """What the newsroom takes from a wire item, whatever its format.

    ``guid`` is the agency's identity of the story across versions (NewsML-G2
    ``guid``, ninjs ``uri``); plain-text copy has none and is identified by its
    headline and date instead (``source_key``).
    """

    format: str  # "plain text", "NewsML-G2", "ninjs"
    headline: str
    body_html: str
    standfirst: str = ""
    dateline_place: str = ""
    guid: str = ""
    version: int | None = None
    version_created: datetime.datetime | None = None
    first_created: datetime.datetime | None = None
    embargoed_until: datetime.datetime | None = None
    pub_status: str = "usable"  # usable | withheld | canceled
    language: str = "ar"
    subjects: list[str] = field(default_factory=list)
    byline: str = ""
    wire_note: str = ""  # the agency's note to editors, kept in the story's history
    dateline_date: datetime.date | None = None  # plain text only
    warning: str = ""  # something the person running the ingest should know

    @property
    def killed(self) -> bool:
        return self.pub_status in ("canceled", "withheld")

    @property
    def source_key(self) -> str:
        """The key an Article carries so that the next version finds it (64 characters)."""
        identity = f"guid|{self.guid}" if self.guid else self._plain_identity()
        return hashlib.sha256(identity.encode()).hexdigest()

    def _plain_identity(self) -> str:
        # The same key plain-text imports always had: stories imported before still match.
        date = self.dateline_date.isoformat() if self.dateline_date else ""
        return f"{arabic.normalize(self.headline)}|{date}"
