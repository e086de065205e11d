"""axe-core run in Debian's Chromium on our pages.

axe-core is the npm package pinned in tests/axe/package-lock.json, installed by
scripts/ensure-axe (`make test` runs it). It is evaluated in the page through the
DevTools protocol, so the site's strict Content-Security-Policy stays as readers get it.
"""

from pathlib import Path

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# Every WCAG 2.x A and AA rule, plus axe's best practices (heading order, landmarks).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_source() -> str:
    if not AXE.is_file():
        raise AssertionError(f"axe-core is not installed at {AXE}: run scripts/ensure-axe")
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[str]:
    """One line per rule broken on the page: rule id, impact, and the first nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return [
        f"{rule['id']} ({rule['impact']}, {len(rule['nodes'])} nodes): "
        + " | ".join(
            f"{' '.join(node['target'])}: {node.get('failureSummary', '')[:160]}"
            for node in rule["nodes"][:3]
        )
        for rule in results["violations"]
    ]
