"""Write report/templates/gba/lab-subset.css: the JupyterLab CSS rules the reports use.

nbconvert's lab template inlines JupyterLab's whole stylesheet (~255 KB) into every report, and
Chromium parses all of it again to print each PDF. This keeps only the rules whose selectors
match an element of at least one of the given reports (``:root`` variables included; pseudo
classes and elements are matched on their element), inside their ``@media`` blocks, and of the
``:root`` custom properties only those the kept rules use.

Usage: python scripts/lean_css.py BUILD_DIR (e.g. report/build/latest): every executed notebook
in its ``executed/`` folder is exported with nbconvert's own lab template (full CSS, no code)
and the rules those pages use are kept. Re-run when a report starts using a JupyterLab element
it did not use before.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "report" / "templates" / "gba" / "lab-subset.css"
#: Stylesheets at least this long are JupyterLab's (index.css, theme-light.css); the rest are
#: the report's own and stay as they are.
LAB_MIN_CHARS = 10_000

USED_RULES_JS = r"""
(minChars) => {
  // A pseudo class or element standing alone (":root", "> :last-child") becomes "*"; one
  // attached to a selector is dropped (".a:hover" -> ".a"): either way it matches more.
  const strip = (sel) => sel
    .replace(/(^|[\s>+~(])::?[a-zA-Z-]+(\([^)]*\))?/g, "$1*")
    .replace(/::?[a-zA-Z-]+(\([^)]*\))?/g, "")
    .trim() || "*";
  // A selector that still does not parse is kept: keeping a rule is always safe.
  const used = (text) => text.split(",").some((sel) => {
    try { return document.querySelector(strip(sel)) !== null; } catch (e) { return true; }
  });
  const out = [];
  let position = 0;
  const walk = (rules, sink) => {
    for (const rule of rules) {
      if (rule instanceof CSSStyleRule) {
        if (used(rule.selectorText)) sink.push(rule.cssText);
      } else if (rule instanceof CSSMediaRule) {
        const inner = [];
        walk(rule.cssRules, inner);
        if (inner.length) sink.push(`@media ${rule.conditionText} {\n${inner.join("\n")}\n}`);
      }
    }
  };
  for (const sheet of document.styleSheets) {
    const node = sheet.ownerNode;
    if (!node || node.textContent.length < minChars) continue;
    for (const rule of sheet.cssRules) {
      const kept = [];
      walk([rule], kept);
      if (kept.length) out.push([position, kept[0]]);
      position += 1;
    }
  }
  return out;
}
"""


async def used_rules(files: list[Path]) -> list[str]:
    """The union of the lab rules used by ``files``, in stylesheet order (the cascade's)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    seen: dict[int, str] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = await browser.new_page()
        for path in files:
            await page.goto(path.resolve().as_uri())
            for position, rule in await page.evaluate(USED_RULES_JS, LAB_MIN_CHARS):
                seen.setdefault(position, rule)
        await browser.close()
    return [seen[i] for i in sorted(seen)]


_VAR_RE = re.compile(r"var\(\s*(--[\w-]+)")


def _declarations(body: str) -> list[str]:
    """Split a rule body at its top-level semicolons (data URLs hold semicolons too)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == ";" and depth == 0:
            out.append(body[start:i].strip())
            start = i + 1
    tail = body[start:].strip()
    return [d for d in [*out, tail] if d]


def prune_variables(rules: list[str]) -> list[str]:
    """Keep only the ``:root`` custom properties the other rules use (directly or through
    other variables); drop ``:root`` rules left empty."""
    root = [r for r in rules if r.startswith(":root")]
    defined: dict[str, str] = {}
    for rule in root:
        for decl in _declarations(rule[rule.index("{") + 1 : rule.rindex("}")]):
            name, _, value = decl.partition(":")
            defined[name.strip()] = value
    wanted = set()
    todo = [v for r in rules if not r.startswith(":root") for v in _VAR_RE.findall(r)]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        todo += _VAR_RE.findall(defined.get(name, ""))
    out = []
    for rule in rules:
        if not rule.startswith(":root"):
            out.append(rule)
            continue
        body = rule[rule.index("{") + 1 : rule.rindex("}")]
        kept = [d for d in _declarations(body) if d.partition(":")[0].strip() in wanted]
        if kept:
            out.append(":root { " + "; ".join(kept) + "; }")
    return out


def lab_pages(build: Path, folder: Path) -> list[Path]:
    """Export every executed notebook of ``build`` with the full lab template into ``folder``."""
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    pages = []
    for notebook in sorted((build / "executed").glob("*.ipynb")):
        body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
        page = folder / f"{notebook.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    return pages


def main() -> int:
    """Write the subset from the reports of the build folder given."""
    build = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        files = lab_pages(build, Path(tmp))
        if not files:
            raise SystemExit(f"lean_css: no executed notebook in {build / 'executed'}")
        rules = prune_variables(asyncio.run(used_rules(files)))
    header = (
        "/* JupyterLab's CSS (nbconvert lab template), only the rules the reports use.\n"
        f"   Written by scripts/lean_css.py from {len(files)} reports; do not edit by hand. */\n"
    )
    OUT.write_text(header + "\n".join(rules) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rules)} rules, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
