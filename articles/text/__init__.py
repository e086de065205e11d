"""Text: Arabic folding and dates, the rich-text sanitiser, plain-text hygiene."""
