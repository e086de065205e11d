"""Time the article page's template alone, and the whole article view, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_demo \\
        .venv/bin/python bench/render_article.py [--pk N] [--number 500] [--repeat 7]

The story (the newest live one unless ``--pk``) goes through ``views.article`` once
to capture the exact context the view passes to ``render``; then
``get_template("articles/article.html").render(context, request)`` is timed on
its own (the context's query sets already evaluated, so mostly no SQL: what the
template itself costs, whichever engine renders it), and the view as a whole.
Production settings (DEBUG off), so the hashed static files must have been collected
(``manage.py collectstatic``, as bench/run.py does, with the same STATIC_ROOT).
Not part of the test suite.
"""

import argparse
import os
import statistics
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pk", type=int, help="the story (default: the newest live one)")
    parser.add_argument("--number", type=int, default=500, help="renders per timing")
    parser.add_argument("--repeat", type=int, default=7, help="timings (the median is shown)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.http import HttpResponse
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve

    from articles.models import Article
    from articles.site import views

    live = Article.objects.live()
    story = live.get(pk=args.pk) if args.pk else live.newest_first().first()
    url = story.get_absolute_url()

    def request():
        req = RequestFactory().get(url)
        req.user, req.resolver_match = AnonymousUser(), resolve(url)
        return req

    captured = {}

    def capture(request, template_name, context=None, *rest, **kwargs):
        captured.update(template=template_name, context=context)
        return HttpResponse()

    real_render, views.render = views.render, capture
    try:
        views.article(request(), pk=story.pk, slug=story.slug)
    finally:
        views.render = real_render

    template = get_template(captured["template"])
    req = request()
    html = template.render(captured["context"], req)  # warms caches, evaluates query sets
    with CaptureQueriesContext(connection) as queries:
        template.render(captured["context"], req)

    def best(statement) -> float:
        times = timeit.repeat(statement, number=args.number, repeat=args.repeat)
        return statistics.median(times) / args.number * 1000

    render_ms = best(lambda: template.render(captured["context"], req))
    view_ms = best(lambda: views.article(request(), pk=story.pk, slug=story.slug).content)
    engine = type(template).__module__.rsplit(".", 1)[-1]
    print(f"story {story.pk}: {story.headline}")
    print(f"engine: {engine}; page {len(html):,} characters; SQL per render: {len(queries)}")
    print(f"template render: {render_ms:.3f} ms (median of {args.repeat} x {args.number})")
    print(f"whole view:      {view_ms:.3f} ms (queries and template, no middleware)")


if __name__ == "__main__":
    main()
