"""Production settings plus one bench-only URL (``/bench/bare/``): never deployed.

bench/run.py serves the site with these, so every page is measured under the same
server, middleware and settings as the bare view that sets the ceiling.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import NEWSROOM_UNCACHED_PREFIXES

ROOT_URLCONF = "bench.urls"
# The ceiling is a *dynamic* view: the page cache must not answer it.
NEWSROOM_UNCACHED_PREFIXES = (*NEWSROOM_UNCACHED_PREFIXES, "/bench/")
