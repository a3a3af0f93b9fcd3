"""Accessibility check with axe-core (from the npm registry: package.json at the repository root, `npm ci`).

The portal's Content Security Policy allows scripts from the portal only, so a <script> tag with axe's
source would be refused; page.evaluate runs it through the DevTools protocol, which the page's CSP does
not govern, and the page itself is left as it is served.
"""

import json
from collections import Counter
from pathlib import Path

from tests.e2e.conftest import settle

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = frozenset({"serious", "critical"})


def axe_source() -> str:
    """Return axe-core's script; without it the test fails under REQUIRE_SERVICES=1 (skips otherwise)."""
    from tests.conftest import need_service

    need_service("axe-core", AXE_JS.exists(), f"{AXE_JS} is missing: run `npm ci --no-audit --no-fund` at the repository root")
    return AXE_JS.read_text(encoding="utf-8")


def axe_run(page, source: str, *, cssom: bool = True) -> list[dict]:
    """Run axe on the page with the WCAG 2.x A/AA rules; return its violations (with the nodes concerned).

    `cssom=False` skips axe's reading of the style sheets (only the CSS orientation-lock rule needs them).
    The page is brought to rest first: a colour read halfway through a hover transition is neither state's.
    """
    settle(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    return page.evaluate(
        """async ([tags, cssom]) => {
            const result = await window.axe.run(document, {runOnly: {type: "tag", values: tags},
                                                           resultTypes: ["violations"], preload: cssom});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
            }));
        }""",
        [WCAG_TAGS, cssom],
    )


def assert_axe_clean(page) -> None:
    """No serious or critical WCAG 2.x A/AA violation on the page as it stands."""
    blocking = [v for v in axe_run(page, axe_source()) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


class AxeLog:
    """Every violation axe finds on the pages of a test, written out as JSON for the record."""

    def __init__(self, path: Path, *, source: str):
        self.path = path
        self.source = source
        self.pages = []

    def check(self, page, name: str, *, cssom: bool = True) -> list[dict]:
        """Run axe, record what it found under `name`; return the serious and critical violations."""
        violations = axe_run(page, self.source, cssom=cssom)
        self.pages.append({"page": name, "url": page.url, "violations": violations})
        return [v for v in violations if v["impact"] in BLOCKING]

    def counts(self) -> dict[str, int]:
        """Violations (rule × page) by impact."""
        return dict(Counter(v["impact"] for p in self.pages for v in p["violations"]))

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(
            json.dumps({"tags": WCAG_TAGS, "counts": self.counts(), "pages": self.pages}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )


def describe(violations: list[dict]) -> str:
    """A readable summary of violations for an assertion message."""
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
