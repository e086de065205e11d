"""A story body as text a person can compare, with its markup spelled out.

The revision diff (articles/desk/diffing.py) compares words. Reduced to the words a
reader sees, a change of a link's address, of bold, of a heading or a list
would compare equal («لا فروق»). Here each block is one line that says what it
is (a heading, a list item, a quotation), bold words are wrapped in ``**``, a
link is followed by its address and a picture is named by its address and
alternative text, so every such change is a changed word.
"""

from html.parser import HTMLParser

from django.utils.translation import gettext as _

_BLOCKS = {"p", "h2", "h3", "li", "blockquote", "figure", "figcaption", "ul", "ol"}


def readable_html(html: str) -> str:
    """``html`` (a sanitised body) as lines of text with its markup named."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    reader.end_line()
    return "\n".join(reader.lines)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []  # one [kind, count] per open list
        self.links: list[str] = []

    def end_line(self) -> None:
        line = "".join(self.current).strip()
        if line:
            self.lines.append(" ".join(line.split()))
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _BLOCKS:
            self.end_line()
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            if self.lists:
                self.lists[-1][1] += 1
                kind, count = self.lists[-1]
                self.current.append("• " if kind == "ul" else f"{count}. ")
            else:
                self.current.append("• ")
        elif tag == "h2":
            self.current.append(_("[Heading]") + " ")
        elif tag == "h3":
            self.current.append(_("[Subheading]") + " ")
        elif tag == "blockquote":
            self.current.append(_("[Quotation]") + " ")
        elif tag == "figcaption":
            self.current.append(_("[Caption]") + " ")
        elif tag in ("strong", "b"):
            self.current.append("**")
        elif tag == "a":
            self.links.append(attrs.get("href") or "")
        elif tag == "img":
            self.current.append(
                " "
                + _("[Picture: %(src)s %(alt)s]")
                % {"src": attrs.get("src") or "", "alt": attrs.get("alt") or ""}
                + " "
            )
        elif tag == "br":
            self.end_line()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("strong", "b"):
            self.current.append("**")
        elif tag == "a" and self.links:
            self.current.append(" " + _("[link: %(url)s]") % {"url": self.links.pop()})
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in _BLOCKS:
            self.end_line()

    def handle_data(self, data):
        self.current.append(data)
