"""Sanitised body HTML as plain text, for consumers that cannot show markup (the API)."""

from html.parser import HTMLParser

# Elements that end a paragraph of plain text.
BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "li", "ul", "ol", "div", "section"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.figure_depth = 0  # pictures and their captions have no place in plain text

    def handle_starttag(self, tag, attrs):
        if tag == "figure":
            self.figure_depth += 1
        elif tag == "br":
            self.current.append("\n")
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figure_depth = max(0, self.figure_depth - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.figure_depth:
            self.current.append(data)

    def flush(self):
        text = "".join(self.current)
        lines = (" ".join(line.split()) for line in text.split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(text)
        self.current = []


def html_to_text(html: str) -> str:
    """Paragraphs separated by a blank line; markup, pictures and captions left out."""
    collector = _TextCollector()
    collector.feed(html or "")
    collector.close()
    collector.flush()
    return "\n\n".join(collector.paragraphs)


def word_count(text: str) -> int:
    return len(text.split())
