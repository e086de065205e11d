"""The desk's rules: workflow, revisions, locks, autosave (being gathered here, issue 17)."""
