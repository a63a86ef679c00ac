"""The checks every page a browser test visits goes through (issue 9 §6, §7).

`PageAudit.watch(context)` notes every HTML page a browser context loads with a 200 (a GET
navigation of the main frame; Playwright cannot read a page from inside its own event
handlers, so nothing more happens then). When the test is over, before its database is
flushed, `PageAudit.audit()` opens each page it has not seen yet this session in a context
of its own (the same cookies, so the same person) and checks:

- the HTML source with the Nu HTML checker (vnu.jar of the npm package vnu-jar, one Java run
  for all of a test's new pages; errors only, warnings are advice);
- axe-core, WCAG 2.0/2.1 A and AA;
- the `<title>`: »Page – Fællesindgang«, never the site name alone nor run together
  (WCAG 2.4.2), and unique: two different paths with the same title fail (the same path
  with other numbers or another query string, the same kind of page, may keep it);
- the focus ring of the first `FOCUS_STOPS` elements reached with Tab: an outline or a
  box-shadow whose colour has a contrast of at least 3:1 against the background behind it
  (WCAG 1.4.11 and 2.4.7), computed in the browser;
- no sideways scrolling at 320 CSS px (WCAG 1.4.10 reflow).

A page is "seen" by its address with every number replaced by N, and by whether a session
cookie was sent: the second meeting's page is not checked again, the member's view of a page
is. Problems are collected per test and fail that test (in its teardown), naming the page.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITE_NAME = "Fællesindgang"
TITLE_SEPARATOR = " – "
# Pages whose markup is not ours: Swagger UI at /api/v1/docs/ is drf-spectacular-sidecar's
# bundle (its colour contrast and nested controls fail axe); the accessibility statement
# names it as inaccessible third-party content, and the schema itself is the accessible way.
AUDIT_EXEMPT_PATHS = ("/api/v1/docs/",)
FOCUS_STOPS = 6
MIN_FOCUS_CONTRAST = 3.0
REFLOW_WIDTH = 320

# Runs in the page: Tab is pressed before each call; returns what has the focus and the
# contrast of its focus indicator against the background behind it.
FOCUS_RING_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const parse = (c) => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(
    (i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const style = getComputedStyle(el);
  const name = (el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' »' +
    (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '«');
  const behind = background(el.parentElement || el);
  const rings = [];
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
    rings.push(parse(style.outlineColor));
  }
  if (style.boxShadow && style.boxShadow !== 'none') {
    for (const m of style.boxShadow.matchAll(/rgba?\\([^)]+\\)/g)) rings.push(parse(m[0]));
  }
  const best = Math.max(0, ...rings.filter(Boolean).map((c) => ratio(over(c, behind), behind)));
  return {name, ratio: Math.round(best * 100) / 100};
}
"""


def _page_key(url: str, signed_in: bool) -> tuple[str, bool]:
    parts = urlsplit(url)
    address = parts.path + (f"?{parts.query}" if parts.query else "")
    return re.sub(r"\d+", "N", address), signed_in


@dataclass
class PageAudit:
    """One per test session; `watch` the contexts a test makes, `audit` when it ends."""

    axe: object
    axe_options: dict
    seen: set = field(default_factory=set)
    titles: dict = field(default_factory=dict)  # title -> the address that had it first
    visits: list = field(default_factory=list)  # (context, url) of the running test

    def watch(self, context) -> None:
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page) -> None:
        def on_response(response):
            request = response.request
            if (
                request.is_navigation_request()
                and request.frame == page.main_frame
                and request.method == "GET"
                and response.status == 200
                and response.headers.get("content-type", "").startswith("text/html")
            ):
                self.visits.append((page.context, response.url))

        page.on("response", on_response)

    def audit(self, new_context, base_url: str) -> list[str]:
        """Check the pages visited since the last call; returns the problems found, each
        naming its page (an empty list when all is well)."""
        visits, self.visits = self.visits, []
        problems: list[str] = []
        sources: list[tuple[str, str]] = []
        states = {}
        for context, url in visits:
            if not url.startswith(base_url):
                continue
            if urlsplit(url).path.startswith(AUDIT_EXEMPT_PATHS):
                continue
            if id(context) not in states:
                try:
                    states[id(context)] = context.storage_state()
                except Exception:  # the test closed its context itself
                    states[id(context)] = None
            state = states[id(context)]
            if state is None:
                continue
            signed_in = any(c["name"] == settings.SESSION_COOKIE_NAME for c in state["cookies"])
            key = _page_key(url, signed_in)
            if key in self.seen:
                continue
            self.seen.add(key)
            audit_context = new_context(base_url=base_url, storage_state=state)
            try:
                source = self._check_page(audit_context, url, problems)
            finally:
                audit_context.close()
            if source is not None:
                sources.append((url, source))
        problems += validate_html(sources)
        return problems

    def _check_page(self, context, url: str, problems: list[str]) -> str | None:
        fetched = context.request.get(url, max_redirects=0)
        if fetched.status != 200 or "text/html" not in fetched.headers.get("content-type", ""):
            return None  # no longer there for this person (signed out, deleted): nothing to check
        source = fetched.text()
        page = context.new_page()
        response = page.goto(url)
        if response is None or response.status != 200:
            return None
        where = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        problems += self.check_rendered(page, where)
        page.close()
        return source

    def check_rendered(self, page, where: str) -> list[str]:
        """The checks on a page as the browser shows it (title, axe, focus rings, reflow at
        320px); returns the problems, each starting with `where`. Leaves the page at 320px."""
        problems: list[str] = []

        title = page.title()
        if not title.endswith(TITLE_SEPARATOR + SITE_NAME) or title == TITLE_SEPARATOR + SITE_NAME:
            problems.append(f"{where}: title {title!r} is not »Page{TITLE_SEPARATOR}{SITE_NAME}«")
        # The same kind of page (its path with numbers as N: the same object made again by
        # another test, or a list filtered) may keep its title; another page not.
        first = self.titles.setdefault(title, where)
        if _page_key(first, False)[0].split("?")[0] != _page_key(where, False)[0].split("?")[0]:
            problems.append(f"{where}: title {title!r} is also the title of {first}")

        results = self.axe.run(page, options=self.axe_options)
        if results.violations_count:
            problems.append(f"{where}: axe\n{results.generate_report()}")

        page.locator("body").focus()
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
        for _ in range(FOCUS_STOPS):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUS_RING_JS)
            if ring is None:
                break
            if ring["ratio"] < MIN_FOCUS_CONTRAST:
                problems.append(
                    f"{where}: focus ring of {ring['name']} has contrast {ring['ratio']}:1"
                    f" (< {MIN_FOCUS_CONTRAST}:1)"
                )

        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
        widths = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if widths[0] > widths[1] + 1:
            problems.append(f"{where}: scrolls sideways at {REFLOW_WIDTH}px ({widths})")
        return problems


def validate_html(sources: list[tuple[str, str]]) -> list[str]:
    """Run the Nu HTML checker once over `sources` ([(url, html)]); returns its errors as
    »url line N: message« (warnings are left out)."""
    if not sources:
        return []
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing (scripts/node-deps.sh installs vnu-jar)"
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (url, html) in enumerate(sources):
            path = Path(folder) / f"page{number}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = url
        run = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *names],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd=folder,
        )
    report = json.loads(run.stderr or run.stdout)
    problems = []
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            url = names.get(message.get("url", "").rsplit("/", 1)[-1], "?")
            problems.append(
                f"{urlsplit(url).path}: HTML line {message.get('lastLine')}: {message['message']}"
                f" — {message.get('extract', '').strip()!r}"
            )
    return problems
