"""Readers while the newsroom works, and Varnish in front (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    CACHE_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/desk.py [--duration 30] [--workers 2] [--connections 8]

Fill the database first (bench/generate.py). In one sitting, against gunicorn with
production settings and the page cache in Redis:

1. the reader mix — the 300 newest stories with a skewed popularity (rank^-0.8), the
   sections' first pages and the home page — is driven by wrk for ``--duration``
   seconds in three phases: with the desk idle; with drafts saved twice a second
   (through the admin's change form, as an editor saves); with drafts saved and a story
   published every 30 s (through the workflow). ``--rounds`` rounds of the three, in a
   rotated order; each phase reports req/s against the idle run of its own round, the
   page cache's hit ratio (its ``X-Cache`` header) and p50/p99, and the summary the
   median over the rounds;
2. with a real varnishd (deploy/varnish/newsroom.vcl) in front: the cached article
   page's req/s through Varnish against the application's own cached rate, and the
   time from a publication's commit until Varnish serves the story.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import BENCH_DESK_USERNAME, HOST, PRODUCTION_ENV, Server, collectstatic  # noqa: E402

READER_STORIES = 300
PUBLISH_EVERY = 30.0
DRAFT_SAVES_PER_SECOND = 2.0

# The reader mix: each thread counts the page cache's answers (X-Cache).
LUA = """
paths = {%(paths)s}
hits, misses, others = 0, 0, 0
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
response = function(status, headers, body)
  local outcome = headers["X-Cache"]
  if outcome == "hit" then hits = hits + 1
  elseif outcome == "miss" or outcome == "stale" then misses = misses + 1
  else others = others + 1 end
end
threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, t in ipairs(threads) do
    h = h + t:get("hits"); m = m + t:get("misses"); o = o + t:get("others")
  end
  io.write(string.format("XCACHE %%d %%d %%d\\n", h, m, o))
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=30, help="seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="idle/drafts/publish rounds")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--no-varnish", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the benchmark database (filled by bench/generate.py).")
    if not os.environ.get("CACHE_URL", "").startswith("redis://"):
        sys.exit("Set CACHE_URL to a Redis database of its own: the page cache needs one.")
    wrk = shutil.which("wrk") or sys.exit("wrk is not installed (scripts/ensure-wrk)")

    if not args.port:
        from tests.services import free_port

        args.port = free_port()
    os.environ.update(PRODUCTION_ENV)
    os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "300"
    varnish = None
    if not args.no_varnish and shutil.which("varnishd"):
        from tests.services import VarnishServer

        varnish = VarnishServer(args.port, Path(tempfile.mkdtemp(prefix="bench-varnish-")))
        os.environ["NEWSROOM_PURGE_URLS"] = varnish.url + "/"
    import django

    django.setup()
    collectstatic()
    from django.core.cache import cache

    cache.clear()
    desk = Desk()
    paths = reader_paths()
    script = Path(tempfile.mkdtemp(prefix="bench-desk-")) / "mix.lua"
    script.write_text(LUA % {"paths": ", ".join(f'"{p}"' for p in paths)}, encoding="utf-8")
    base = f"http://{HOST}:{args.port}"
    rounds: list[dict] = []
    try:
        with Server(args.workers, args.port, "300"):
            for path in set(paths):  # warm: every page once
                urllib.request.urlopen(base + path, timeout=30).read()
            for number in range(args.rounds):
                # Each round runs the three phases back to back, in a rotated order, and
                # each is compared with the idle run of its own round: this machine's
                # speed drifts more between minutes than the desk changes it.
                order = PHASES[number % 3 :] + PHASES[: number % 3]
                results = {}
                for phase, drafts, publish in order:
                    with desk.working(drafts=drafts, publish=publish):
                        results[phase] = run_wrk(wrk, base, script, args)
                    results[phase].update(desk.report())
                print(f"round {number + 1}:")
                for phase, _, _ in PHASES:
                    print_phase(phase, results[phase], results["idle"])
                rounds.append(results)
            summarise(rounds)
            if varnish is not None:
                through_varnish(wrk, base, varnish, desk, args)
    finally:
        if varnish is not None:
            varnish.stop()


def reader_paths() -> list[str]:
    """The popular stories many times, the rare ones once: a skewed mix of ~1,000 slots."""
    from articles.models import Article, Section

    newest = list(Article.objects.live().newest_first()[:READER_STORIES])
    paths = []
    for rank, story in enumerate(newest, start=1):
        paths += [story.get_absolute_url()] * max(1, round(40 / rank**0.8))
    for section in Section.objects.filter(parent=None):
        paths += [section.get_absolute_url()] * 10
    paths += ["/"] * 60
    return paths


def run_wrk(wrk, base, script, args) -> dict:
    out = subprocess.run(
        [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
         "--timeout=10s", "-s", str(script), base + "/"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    latency = {
        pct: float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    hits, misses, others = map(int, re.search(r"XCACHE (\d+) (\d+) (\d+)", out).groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "hit_ratio": hits / max(1, hits + misses + others),
        "errors": int(bad.group(1)) if bad else 0,
    }


class Desk:
    """An editor saving drafts through the admin and publishing through the workflow."""

    def __init__(self):
        from django.contrib.auth.models import User
        from django.test import Client

        from articles.models import Article, Section

        self.user, _ = User.objects.get_or_create(
            username=BENCH_DESK_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        self.client = Client()
        self.client.force_login(self.user)
        section = Section.objects.order_by("pk").first()
        self.drafts = [
            Article.objects.create(
                headline=f"مسودة للقياس {n}",
                section=section,
                status=Article.Status.DRAFT,
                standfirst="مقدمة",
                body="<p>نص المسودة.</p>",
                created_by=self.user,
            )
            for n in range(4)
        ]
        self.section = section
        self.saves = self.failed_saves = self.publications = 0

    def report(self) -> dict:
        figures = {
            "draft_saves": self.saves,
            "failed_saves": self.failed_saves,
            "publications": self.publications,
        }
        self.saves = self.failed_saves = self.publications = 0
        return figures

    def working(self, *, drafts: bool, publish: bool):
        desk = self

        class Working:
            def __enter__(self):
                self.stop = threading.Event()
                self.thread = threading.Thread(target=desk.run, args=(self.stop, drafts, publish))
                self.thread.start()

            def __exit__(self, *exc):
                self.stop.set()
                self.thread.join()

        return Working()

    def run(self, stop, drafts, publish):
        from django.db import connection

        started = time.monotonic()
        next_publication = started + 1.0
        n = 0
        while not stop.is_set():
            if drafts:
                self.save_draft(self.drafts[n % len(self.drafts)])
                n += 1
            if publish and time.monotonic() >= next_publication:
                self.publish()
                next_publication += PUBLISH_EVERY
            stop.wait(1 / DRAFT_SAVES_PER_SECOND if drafts else 0.1)
        connection.close()

    def save_draft(self, draft):
        from articles.models import Article

        draft = Article.objects.get(pk=draft.pk)
        data = {
            "headline": draft.headline,
            "slug": draft.slug,
            "standfirst": draft.standfirst,
            "body": f"<p>نص المسودة، حفظ رقم {time.monotonic_ns()}.</p>",
            "section": str(draft.section_id),
            "dateline_place": "",
            "expire_at_0": "",
            "expire_at_1": "",
            "opened_version": str(draft.version),
            "correction_note": "",
            "_save": "1",
        }
        response = self.client.post(f"/admin/articles/article/{draft.pk}/change/", data)
        if response.status_code == 302:
            self.saves += 1
        else:
            self.failed_saves += 1

    def publish(self) -> None:
        """Publish a new story through the workflow (it purges after commit)."""
        from articles.desk import workflow
        from articles.models import Article

        story = Article.objects.create(
            headline=f"خبر منشور للقياس {time.monotonic_ns()}",
            section=self.section,
            status=Article.Status.APPROVED,
            standfirst="مقدمة",
            body="<p>نص.</p>",
            created_by=self.user,
        )
        workflow.article_publish(article=story, user=self.user)
        self.publications += 1
        self.last_published = story


PHASES = [
    ("idle", False, False),
    ("drafts 2/s", True, False),
    ("drafts + publish/30 s", True, True),
]
TARGETS = {"drafts 2/s": 0.90, "drafts + publish/30 s": 0.80}
HIT_RATIO_TARGET = 0.99


def summarise(rounds: list[dict]) -> None:
    """The median over the rounds of each phase's share of its own round's idle rate."""
    print(f"\nmedian of {len(rounds)} rounds:")
    for phase, _, _ in PHASES:
        shares = sorted(r[phase]["rps"] / r["idle"]["rps"] for r in rounds)
        rps = statistics.median(r[phase]["rps"] for r in rounds)
        hits = min(r[phase]["hit_ratio"] for r in rounds)
        p99 = statistics.median(r[phase]["p99_ms"] for r in rounds)
        share = statistics.median(shares)
        line = (
            f"  {phase:24} {rps:8.0f} req/s  {share:4.0%} of idle"
            f" (rounds: {', '.join(f'{x:.0%}' for x in shares)})"
            f"  lowest hit ratio {hits:7.2%}  p99 {p99:6.1f} ms"
        )
        if phase in TARGETS:
            met = share >= TARGETS[phase]
            line += f"  [{'met' if met else 'MISSED'} >= {TARGETS[phase]:.0%}]"
        if phase == "drafts 2/s":
            line += f"  [{'met' if hits >= HIT_RATIO_TARGET else 'MISSED'} hits >= 99%]"
        print(line, flush=True)


def print_phase(phase, figures, idle):
    print(
        f"{phase:24} {figures['rps']:8.0f} req/s ({figures['rps'] / idle['rps']:4.0%} of idle)"
        f"  hits {figures['hit_ratio']:7.2%}  p50 {figures['p50_ms']:6.1f} ms"
        f"  p99 {figures['p99_ms']:6.1f} ms  saves {figures['draft_saves']}"
        f" (failed {figures['failed_saves']})  publications {figures['publications']}",
        flush=True,
    )


def through_varnish(wrk, base, varnish, desk, args):
    from articles.models import Article

    story = Article.objects.live().newest_first().first()
    path = story.get_absolute_url()
    for url in (base + path, varnish.url + path):
        urllib.request.urlopen(url, timeout=30).read()
        urllib.request.urlopen(url, timeout=30).read()
    app = run_plain_wrk(wrk, base + path, args)
    front = run_plain_wrk(wrk, varnish.url + path, args)
    print(f"cached article, app    {app:8.0f} req/s")
    print(f"cached article, Varnish{front:8.0f} req/s ({front / app:.1f}x)")
    delays = []
    for _ in range(5):
        urllib.request.urlopen(varnish.url + "/", timeout=30).read()  # cached home
        committed = time.monotonic()  # before the transaction: an upper bound
        desk.publish()
        headline = desk.last_published.headline
        while headline not in urllib.request.urlopen(varnish.url + "/", timeout=30).read().decode():
            if time.monotonic() - committed > 5:
                break
            time.sleep(0.005)
        delays.append((time.monotonic() - committed) * 1000)
    delays.sort()
    print(
        "commit to Varnish serving it: "
        + ", ".join(f"{d:.0f}" for d in delays)
        + f" ms (median {delays[len(delays) // 2]:.0f} ms)"
    )


def run_plain_wrk(wrk, url, args) -> float:
    out = subprocess.run(
        [wrk, f"-t{args.threads}", f"-c{args.connections}", "-d10s", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


if __name__ == "__main__":
    main()
