"""Built editions rendered in the real headless Chromium (issue 5, section 6).

Screenshots are saved under test-artifacts/browser/ (look at them after a run).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import polib
import pytest

from newsloc import catalog
from newsloc.bundle import Policy, build_project
from newsloc.project import Project

from build_helpers import fill

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import artifact_path, dump_dom, evaluate, link_report, screenshot  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "build"
SLUG = "the-friend-of-my-enemy"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The shipped article built in ru (shipped catalog), plus a small article in ar (RTL) and ru (drafts)."""
    root = tmp_path_factory.mktemp("browser")
    (root / "source").mkdir()
    shutil.copy(REPO / "source" / f"{SLUG}.txt", root / "source")
    shutil.copy(DATA / "briefing.html", root / "source")
    for code in ("ar", "hy", "ru"):
        (root / "locales" / code / "LC_MESSAGES").mkdir(parents=True)
    project = Project(root)
    catalog.extract(project)
    shutil.copy(REPO / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po", project.po_path(SLUG, "ru"))
    arabic = {e.msgid: e.msgstr for e in polib.pofile(str(DATA / "ar.po")) if e.msgid}
    fill(project, "briefing", "ar", arabic)
    # Russian briefing: half reviewed, two machine drafts, the rest untranslated.
    russian = {
        "Ceasefire talks resume in Geneva": "В Женеве возобновились переговоры о прекращении огня",
        "The talks are <em>expected</em> to last three days.":
            "Переговоры, <em>как ожидается</em>, продлятся три дня.",
        "What is on the table": "Что обсуждается",
        "An exchange of prisoners.": "Обмен пленными.",
    }
    fill(project, "briefing", "ru", russian, fuzzy={"What is on the table", "An exchange of prisoners."})
    # Armenian: only the headline, as a machine draft (checks the Armenian script renders).
    fill(project, SLUG, "hy", {"The friend of my enemy is my ally": "Իմ թշնամու ընկերը իմ դաշնակիցն է"},
          fuzzy={"The friend of my enemy is my ally"})
    report = build_project(project, slugs=[SLUG], locales=["hy"], policy=Policy(allow_drafts=True,
                                                                                  allow_incomplete=True))
    assert report.ok, [str(b) for r in report.blocked for b in r.blockers]
    report = build_project(project, slugs=[SLUG], locales=["ru"])
    assert report.ok, [str(b) for r in report.blocked for b in r.blockers]
    report = build_project(project, slugs=["briefing"], policy=Policy(allow_drafts=True, allow_incomplete=True))
    assert report.ok, [str(b) for r in report.blocked for b in r.blockers]
    return root / "dist"


def test_russian_edition_in_chromium(built):
    page = built / SLUG / "ru" / "index.html"
    dom = dump_dom(page, save_as="build-ru.dom.html")
    po = polib.pofile(str(REPO / "locales" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"))
    headline = next(e.msgstr for e in po if "Headline of the article" in e.comment)
    assert re.search(r'<html lang="ru" dir="ltr">', dom)
    assert f"<h1>{headline}</h1>" in dom and f"<title>{headline}</title>" in dom
    assert "<script" not in dom.lower()

    facts = evaluate(page, "({mode: document.compatMode, lang: document.documentElement.lang,"
                           " h1: document.querySelector('h1').textContent,"
                           " scripts: document.scripts.length, title: document.title})")
    assert facts == {"mode": "CSS1Compat", "lang": "ru", "h1": headline, "scripts": 0, "title": headline}

    source = (REPO / "source" / f"{SLUG}.txt").read_text("utf-8")
    targets = set(re.findall(r'href=”([^”]+)”', source))
    assert targets
    links = link_report(page)
    article_links = [link for link in links if link["href"].startswith("http")]
    assert {link["href"] for link in article_links} == targets
    for link in article_links:
        assert link["visible"] and link["clickable"] and link["width"] > 0, link
    assert {link["href"] for link in links if not link["href"].startswith("http")} == {
        "../en/index.html", "../hy/index.html", "index.html"}  # the edition switcher (hy: published before)

    screenshot(page, artifact_path("build-ru.png"), 1280, 1400)
    screenshot(page, artifact_path("build-ru-mobile.png"), 390, 900)


def test_rtl_edition_in_chromium(built):
    page = built / "briefing" / "ar" / "index.html"
    dom = dump_dom(page, save_as="build-ar.dom.html")
    assert '<html lang="ar" dir="rtl">' in dom
    assert "<script" not in dom.lower()
    layout = evaluate(page, r"""(() => {
      const p = document.querySelector('article p:not(.dateline)');
      const range = document.createRange();
      range.selectNodeContents(p);
      const first = range.getClientRects()[0];
      const box = p.getBoundingClientRect();
      return {dir: document.dir, direction: getComputedStyle(document.body).direction,
              gapRight: box.right - first.right, gapLeft: first.left - box.left,
              quoteBorder: getComputedStyle(document.querySelector('blockquote')).borderRightWidth};
    })()""")
    assert layout["dir"] == "rtl" and layout["direction"] == "rtl"
    assert layout["gapRight"] < 2 <= layout["gapLeft"]  # the first line starts at the right edge
    assert layout["quoteBorder"] == "3px"  # logical border-inline-start lands on the right
    links = [link for link in link_report(page) if link["href"].startswith("https")]
    assert [link["href"] for link in links] == ["https://example.org/un", "https://example.org/aid"]
    assert all(link["clickable"] for link in links)
    screenshot(page, artifact_path("build-ar.png"), 1000, 900)


def test_draft_and_fallback_marks_in_chromium(built):
    page = built / "briefing" / "ru" / "index.html"
    marks = evaluate(page, r"""(() => ({
      drafts: Array.from(document.querySelectorAll('span[data-status="draft"]')).map(e => e.textContent),
      fallbacks: Array.from(document.querySelectorAll('span[data-status="untranslated"]')).map(
        e => [e.lang, e.textContent]),
      notices: Array.from(document.querySelectorAll('.notice')).map(
        e => [e.className, e.getBoundingClientRect().height > 0]),
      draftBackground: getComputedStyle(document.querySelector('span[data-status="draft"]')).backgroundColor,
    }))()""")
    assert marks["drafts"] == ["Что обсуждается", "Обмен пленными."]
    assert ["en", "We are ready to listen, said the mediator."] in marks["fallbacks"]
    assert marks["notices"] == [["notice notice-draft", True], ["notice notice-incomplete", True]]
    assert marks["draftBackground"] not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, artifact_path("build-ru-drafts.png"), 1000, 1000)
    screenshot(built / "briefing" / "index.html", artifact_path("build-index.png"), 1000, 500)


def test_armenian_script_renders_in_chromium(built):
    page = built / SLUG / "hy" / "index.html"
    facts = evaluate(page, r"""(() => {
      const h1 = document.querySelector('h1');
      return {lang: document.documentElement.lang, dir: document.dir, h1: h1.textContent,
              width: h1.querySelector('span').getBoundingClientRect().width,
              date: document.querySelector('time').textContent};
    })()""")
    assert facts["lang"] == "hy" and facts["dir"] == "ltr"
    assert facts["h1"] == "Իմ թշնամու ընկերը իմ դաշնակիցն է" and facts["width"] > 100
    assert re.search(r"[Ա-֏]", facts["date"])  # Babel's Armenian month name
    screenshot(page, artifact_path("build-hy.png"), 1000, 700)
