"""Benchmark the public site under the production server (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    CACHE_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/run.py [--workers 2] [--duration 5] [--connections 8]

Fill the database first (bench/generate.py). The run:

1. collects static files and starts gunicorn (sync workers) on 127.0.0.1 with
   production settings (DEBUG off, a throwaway SECRET_KEY, CONN_MAX_AGE on) and
   bench/settings.py, which adds ``/bench/bare/``: the cheapest dynamic page, the
   ceiling for every other page under the same server and middleware;
2. drives each URL with wrk (``-t2 -c8``) twice: with the page cache off
   (NEWSROOM_PAGE_CACHE_SECONDS=0) and on (warmed first), recording requests/s
   and p50/p99 latency, and each worker's memory (RSS);
3. measures in-process, serially, the server time of search and of the admin
   changelist (p50/p95), the SQL queries of the uncached article and live pages, and
   the live page's server time against the article page's, the two in turn;
4. prints a table, checks the targets and writes bench/results/<time>.json.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
HOST = "127.0.0.1"
DEEP_PAGE = 500
SEARCH_QUERY = "اطفال"

# Production settings for the server and for the in-process measurements.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
    "CONN_MAX_AGE": "600",
    "LOG_LEVEL": "ERROR",
}

# What the targets compare (see README "Performance").
WAGTAIL_ARTICLE_RPS = 210
# ...on a machine where the bare Django view served ~4,000/s: machines of the same kind
# differ, so the ratio to the bare view of the same run is the like-for-like comparison.
WAGTAIL_BARE_RPS = 4_000
BENCH_DESK_USERNAME = "bench-desk"  # bench/desk.py's editor
LIVE_UPDATES = 1000  # the live-coverage page: a story with this many updates
CACHED_TARGET_PAGES = ("home", "article", "section p1", "section deep", "feed rss")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per URL")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of load before each")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--samples", type=int, default=40, help="serial in-process requests")
    parser.add_argument("--only", help="comma-separated page names to load (default: all)")
    parser.add_argument("--output", type=Path, help="JSON file (default bench/results/<time>)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the benchmark database (filled by bench/generate.py).")
    if not os.environ.get("CACHE_URL", "").startswith("redis://"):
        # With DEBUG off the page cache refuses a per-process cache (articles/site/caching.py).
        sys.exit("Set CACHE_URL to a Redis database of its own (the page cache needs one).")
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed: apt-get install wrk (make bench does this).")

    os.environ.update(PRODUCTION_ENV)
    import django

    django.setup()
    collectstatic()
    every_page = pages = choose_pages()
    if args.only:
        wanted = set(args.only.split(","))
        pages = {name: url for name, url in pages.items() if name in wanted or name == "bare"}
    stories = count_stories()
    print(f"{stories:,} live stories; {args.workers} sync workers; wrk -t{args.threads} "
          f"-c{args.connections}, {args.duration:g} s per URL\n", file=sys.stderr)  # fmt: skip

    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "machine": {"cpus": os.cpu_count()},
        "live_stories": stories,
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "pages": pages,
        "load": {},
        "worker_rss_mb": {},
    }
    for mode, cache_seconds in (("uncached", "0"), ("cached", "300")):
        with Server(args.workers, args.port, cache_seconds) as server:
            for name, path in pages.items():
                url = f"http://{HOST}:{args.port}{path}"
                check(url, name)
                if args.warmup:
                    run_wrk(wrk, url, args.threads, args.connections, args.warmup)
                if mode == "cached" and name != "bare":
                    require_cache_hit(url, name)
                figures = run_wrk(wrk, url, args.threads, args.connections, args.duration)
                results["load"].setdefault(name, {})[mode] = figures
                print(f"  {mode:8} {name:14} {figures['rps']:8.0f} req/s  "
                      f"p50 {figures['p50_ms']:6.1f} ms  p99 {figures['p99_ms']:6.1f} ms",
                      file=sys.stderr)  # fmt: skip
            # The machine may be shared: the ceiling is the better of a first and a last look.
            again = run_wrk(wrk, f"http://{HOST}:{args.port}/bench/bare/", args.threads,
                            args.connections, args.duration)  # fmt: skip
            results["load"]["bare"][mode + " (again)"] = again
            if again["rps"] > results["load"]["bare"][mode]["rps"]:
                results["load"]["bare"][mode] = again
            results["worker_rss_mb"][mode] = server.worker_rss_mb()
    for mode in ("uncached", "cached"):
        ceiling = results["load"]["bare"][mode]["rps"]
        for figures in results["load"].values():
            for run in (mode, mode + " (again)"):
                if run in figures:
                    figures[run]["ratio_to_bare"] = figures[run]["rps"] / ceiling

    results["in_process"] = measure_in_process(every_page, args.samples)  # whatever --only says
    results["targets"] = check_targets(results)
    print_report(results)
    output = args.output or ROOT / "bench" / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nWrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


def collectstatic():
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=os.environ,
        check=True,
    )


def count_stories() -> int:
    from articles.models import Article

    return Article.objects.live().count()


def choose_pages() -> dict[str, str]:
    """The URLs to load: real stories, the busiest section and tag, a deep cursor."""
    from django.conf import settings
    from django.db.models import Count, Q

    from articles.models import Article, Section, Tag
    from articles.models.querysets import Cursor

    # The generated stories only: bench/desk.py publishes short ones into the same database,
    # and the article page measured must stay a story of ordinary length.
    live = Article.objects.live().exclude(created_by__username=BENCH_DESK_USERNAME)
    if not live.exists():
        sys.exit("No live stories: run bench/generate.py first.")
    live_story = with_live_updates(live_coverage_story(live), LIVE_UPDATES)
    newest = like_for_like(live, live_story)
    section = (
        Section.objects.annotate(n=Count("articles", filter=Q(articles__in=live)))
        .order_by("-n")
        .first()
    )
    in_section = live.filter(section=section).newest_first()
    size = settings.NEWSROOM_PAGE_SIZE
    # The cursor a reader reaches after DEEP_PAGE - 1 clicks on "older" (or as deep as a
    # smaller data set goes).
    pages = max(1, (in_section.count() - 1) // size)
    deep_story = in_section[(min(DEEP_PAGE, pages) - 1) * size - 1 if pages > 1 else 0]
    tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
    in_tag = list(live.filter(tags=tag).newest_first().values("publish_at", "id"))
    tag_last = in_tag[(len(in_tag) - 1) // size * size - 1]
    query = urllib.parse.urlencode({"q": SEARCH_QUERY})
    return {
        "bare": "/bench/bare/",
        "home": "/",
        "article": newest.get_absolute_url(),
        "section p1": section.get_absolute_url(),
        "section deep": f"{section.get_absolute_url()}?before={Cursor.after(deep_story)}",
        "tag p1": tag.get_absolute_url(),
        "tag last": f"{tag.get_absolute_url()}?before={Cursor(**tag_last)}",
        "search": f"/search/?{query}",
        "feed rss": "/feeds/rss/",
        "sitemap": "/sitemap.xml",
        "live 1000": live_story.get_absolute_url(),
    }


def live_coverage_story(live):
    """The story made live coverage by an earlier run, or the second newest: the same one
    run after run (the newest changes as generated stories reach their scheduled second)."""
    from django.db.models import Count

    made = (
        live.filter(coverage__isnull=False)
        .annotate(n=Count("live_updates"))
        .filter(n__gte=LIVE_UPDATES)
        .order_by("pk")
        .first()
    )
    return made or live.newest_first()[1]


def like_for_like(live, live_story):
    """The article page to set beside the live one: of the newest live stories without
    coverage, and with a lead picture if it has one, the one whose body is closest in length
    to the live story's, so that the comparison is of the updates, not of two stories
    (bodies vary 1,500–2,700 characters here, and a picture costs a query)."""
    from django.db.models.functions import Abs, Length

    target = len(live_story.body)
    candidates = live.filter(
        coverage__isnull=True, lead_image__isnull=live_story.lead_image_id is None
    ).newest_first()[:50]
    return (
        live.filter(pk__in=[story.pk for story in candidates])
        .annotate(gap=Abs(Length("body") - target))
        .order_by("gap", "-publish_at")
        .select_related("section")
        .first()
    )


def with_live_updates(story, count: int):
    """``story`` as live coverage with ``count`` updates posted by a reporter with a byline
    (made once; bench data, written directly like the rest of bench/generate.py's stories)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from articles.models import Author, LiveCoverage, LiveUpdate

    LiveCoverage.objects.get_or_create(article=story)
    reporter, _ = User.objects.get_or_create(username="bench-live-reporter")
    Author.objects.get_or_create(
        user=reporter, defaults={"name": "مراسل التغطية المباشرة", "slug": "bench-live-reporter"}
    )
    missing = count - LiveUpdate.objects.filter(article=story).count()
    if missing > 0:
        now = timezone.now()
        LiveUpdate.objects.bulk_create(
            LiveUpdate(
                article=story,
                title=f"تحديث رقم {n}" if n % 10 == 0 else "",
                body=f"<p>تحديث رقم {n} من التغطية المباشرة: {story.standfirst}</p>",
                posted_at=now - datetime.timedelta(minutes=n),
                is_key_event=n % 50 == 0,
            )
            for n in range(missing)
        )
    LiveUpdate.objects.filter(article=story, author=None).update(author=reporter)
    return story


class Server:
    """gunicorn with production settings, for the length of a ``with`` block."""

    def __init__(self, workers, port, cache_seconds):
        self.workers, self.port = workers, port
        self.env = {**os.environ, "NEWSROOM_PAGE_CACHE_SECONDS": cache_seconds}

    def __enter__(self):
        command = [
            GUNICORN,
            "newsroom.wsgi:application",
            f"--workers={self.workers}",
            "--worker-class=sync",
            f"--bind={HOST}:{self.port}",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/health/", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # a busy machine
                if self.process.poll() is not None:
                    sys.exit("gunicorn exited: see its output above")
                time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn did not answer /health/ within 30 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def worker_rss_mb(self) -> list[float]:
        import psutil

        master = psutil.Process(self.process.pid)
        return [round(child.memory_info().rss / 2**20, 1) for child in master.children()]


def check(url, name):
    """Refuse to benchmark an error page."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"{name}: {url} answered {error.code}")


def require_cache_hit(url, name):
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.headers.get("X-Cache") != "hit":
            sys.exit(f"{name}: the warmed page cache did not answer {url}")


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(wrk, url, threads, connections, seconds) -> dict:
    completed = subprocess.run(
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout=10s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = completed.stdout
    latency = {pct: float(value) * UNITS_MS[unit] for pct, value, unit in LATENCY.findall(out)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors:
        sys.exit(f"wrk saw errors for {url}:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def measure_in_process(pages, samples) -> dict:
    """Server time, taken serially through Django's test client (no network, no wrk)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    def timings(client, path):
        client.get(path)  # warm: connection, templates
        spent = []
        for _ in range(samples):
            started = time.perf_counter()
            response = client.get(path)
            spent.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        spent.sort()
        return {
            "p50_ms": round(statistics.median(spent), 1),
            "p95_ms": round(spent[max(0, round(0.95 * len(spent)) - 1)], 1),
            "samples": samples,
        }

    def side_by_side(client, article, live):
        """The article and the live page in turn, so that a busy moment of a shared machine
        weighs on both alike: server time, and the process's CPU time (without the
        database's work), medians."""
        spent = {article: ([], []), live: ([], [])}
        for path in spent:
            client.get(path)  # warm
        for _ in range(samples * 5):
            for path, (wall, cpu) in spent.items():
                started, cpu_started = time.perf_counter(), time.process_time()
                assert client.get(path).status_code == 200, path
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
        (article_wall, article_cpu), (live_wall, live_cpu) = (
            tuple(map(statistics.median, pair)) for pair in spent.values()
        )
        return {
            "article_ms": round(article_wall, 2),
            "live_ms": round(live_wall, 2),
            "ratio": round(live_wall / article_wall, 2),
            "article_cpu_ms": round(article_cpu, 2),
            "live_cpu_ms": round(live_cpu, 2),
            "cpu_ratio": round(live_cpu / article_cpu, 2),
            "samples": samples * 5,
        }

    def queries(client, path):
        client.get(path)  # warm: the navigation cache, as on a running site
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    def home_drawn(client):
        """The home page with the page cache off, as the load test reads it (its body kept:
        nothing it shows changed since it was drawn), with its body drawn again from the
        kept blocks and cards (as after a change the cards do not show: a lead moved),
        and with nothing kept (every card drawn): server time and CPU, medians."""
        from django.core.cache import cache
        from django.utils import timezone

        from articles.site import front

        def forget_body():
            today = timezone.localdate()
            cache.delete(front.body_name(front.front_plan(), today))

        ways = {
            "body kept": lambda: None,
            "body drawn from kept blocks": forget_body,
        }
        found = {}
        for way, before in ways.items():
            found[way] = _timed(client, "/", samples * 5, before)
        with override_settings(NEWSROOM_CARD_CACHE_SECONDS=0):
            found["nothing kept"] = _timed(client, "/", samples, lambda: None)
        return found

    figures = {}
    with override_settings(NEWSROOM_PAGE_CACHE_SECONDS=0, SESSION_COOKIE_SECURE=False):
        reader = Client()
        figures["home_drawn"] = home_drawn(reader)
        figures["article_queries"] = queries(reader, pages["article"])
        figures["live_queries"] = queries(reader, pages["live 1000"])
        figures["live_vs_article"] = side_by_side(reader, pages["article"], pages["live 1000"])
        figures["search"] = {"path": pages["search"], **timings(reader, pages["search"])}
        figures["search"]["queries"] = queries(reader, pages["search"])
        editor, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        desk = Client()
        desk.force_login(editor)
        changelist = "/admin/articles/article/"
        figures["admin_changelist"] = {"path": changelist, **timings(desk, changelist)}
        figures["admin_changelist"]["queries"] = queries(desk, changelist)
    return figures


def _timed(client, path, samples, before) -> dict:
    """Medians of server time and of the process's CPU time for ``path``, ``before()``
    run (untimed) ahead of each request."""
    before()
    client.get(path)  # warm
    wall, cpu = [], []
    for _ in range(samples):
        before()
        started, cpu_started = time.perf_counter(), time.process_time()
        assert client.get(path).status_code == 200, path
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return {
        "p50_ms": round(statistics.median(wall), 2),
        "cpu_ms": round(statistics.median(cpu), 2),
        "samples": samples,
    }


def check_targets(results) -> list[dict]:
    load, inproc = results["load"], results["in_process"]
    checks = [
        ("uncached article <= 4 SQL queries", inproc["article_queries"] <= 4,
         f"{inproc['article_queries']} queries"),
    ]  # fmt: skip
    if "article" in load:
        article = load["article"]["uncached"]["rps"]
        share = load["article"]["uncached"]["ratio_to_bare"]
        wagtail_share = WAGTAIL_ARTICLE_RPS / WAGTAIL_BARE_RPS
        checks[:0] = [
            ("uncached article >= 840/s (4x Wagtail where the bare view did ~4,000/s)",
             article >= 4 * WAGTAIL_ARTICLE_RPS, f"{article:.0f}/s"),
            (f"uncached article >= 4x Wagtail's share of the bare view ({4 * wagtail_share:.0%})",
             share >= 4 * wagtail_share, f"{share:.0%} of bare, {share / wagtail_share:.1f}x"),
        ]  # fmt: skip
    if "home" in load:
        share = load["home"]["uncached"]["ratio_to_bare"]
        checks.append(("uncached home >= 25% of bare", share >= 0.25, f"{share:.1%} of bare"))
    live = inproc["live_vs_article"]
    checks.append(
        (f"in-process live coverage ({LIVE_UPDATES} updates) <= 2x the article page's server time",
         live["ratio"] <= 2, f"{live['ratio']:.2f}x ({live['live_ms']} / {live['article_ms']} ms)")
    )  # fmt: skip
    if "live 1000" in load and "article" in load:
        cost = load["article"]["uncached"]["rps"] / load["live 1000"]["uncached"]["rps"]
        checks.append(
            (f"uncached live coverage ({LIVE_UPDATES} updates) <= 2x the article page's cost",
             cost <= 2, f"{cost:.2f}x")
        )  # fmt: skip
    for name in CACHED_TARGET_PAGES:
        if name in load:
            ratio = load[name]["cached"]["ratio_to_bare"]
            checks.append((f"cached {name} >= 90% of bare", ratio >= 0.9, f"{ratio:.0%}"))
    for deep, first in (("section deep", "section p1"), ("tag last", "tag p1")):
        for mode in ("uncached", "cached"):
            if deep in load and first in load:
                ratio = load[deep][mode]["rps"] / load[first][mode]["rps"]
                checks.append(
                    (f"{mode} {deep} within 20% of {first}", ratio >= 0.8, f"{ratio:.0%}")
                )
    search_p95 = inproc["search"]["p95_ms"]
    checks.append(("search p95 < 50 ms server time", search_p95 < 50, f"{search_p95} ms"))
    admin_p95 = inproc["admin_changelist"]["p95_ms"]
    checks.append(("admin changelist < 300 ms server time", admin_p95 < 300, f"{admin_p95} ms"))
    return [{"target": t, "met": bool(met), "measured": value} for t, met, value in checks]


def print_report(results):
    print(f"\n{results['live_stories']:,} live stories, {results['workers']} gunicorn sync "
          f"workers, wrk -c{results['connections']}, {results['duration_s']:g} s per URL\n")  # fmt: skip
    header = f"{'page':14} | {'uncached req/s':>14} {'p50':>7} {'p99':>7} {'/bare':>6} | "
    header += f"{'cached req/s':>12} {'p50':>7} {'p99':>7} {'/bare':>6}"
    print(header)
    print("-" * len(header))
    print("(bare: the better of a look before and after the pages, in the same server)")
    for name, modes in results["load"].items():
        cells = []
        for mode in ("uncached", "cached"):
            f = modes[mode]
            cells.append(
                f"{f['rps']:{14 if mode == 'uncached' else 12}.0f} {f['p50_ms']:6.1f}ms "
                f"{f['p99_ms']:6.1f}ms {f['ratio_to_bare']:6.0%}"
            )
        print(f"{name:14} | {cells[0]} | {cells[1]}")
    inproc = results["in_process"]
    print(f"\nIn-process server time, {inproc['search']['samples']} serial requests, cache off:")
    for name in ("search", "admin_changelist"):
        f = inproc[name]
        print(f"  {name:17} p50 {f['p50_ms']:6.1f} ms  p95 {f['p95_ms']:6.1f} ms  "
              f"{f['queries']} queries  ({f['path']})")  # fmt: skip
    print(f"  article page      {inproc['article_queries']} SQL queries (uncached)")
    for way, f in inproc["home_drawn"].items():
        print(f"  home, {way:27} p50 {f['p50_ms']:5.2f} ms  CPU {f['cpu_ms']:5.2f} ms")
    live = inproc["live_vs_article"]
    print(f"  live {LIVE_UPDATES} page    {inproc['live_queries']} SQL queries; in turn with the "
          f"article page, {live['samples']} each: p50 {live['live_ms']} ms against "
          f"{live['article_ms']} ms ({live['ratio']:.2f}x); CPU {live['live_cpu_ms']} ms against "
          f"{live['article_cpu_ms']} ms ({live['cpu_ratio']:.2f}x)")  # fmt: skip
    for mode, rss in results["worker_rss_mb"].items():
        print(f"Worker RSS after the {mode} run: {', '.join(f'{mb:.0f} MB' for mb in rss)}")
    print("\nTargets:")
    for check in results["targets"]:
        print(f"  [{'met' if check['met'] else 'MISSED':6}] {check['target']}: {check['measured']}")


if __name__ == "__main__":
    main()
