"""The read API: live stories as IPTC ninjs 3.1 JSON for partners, apps and aggregators."""
