"""Helpers shared by the tests of how articles are read and shown (test_article_*.py)."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib

from newsloc import catalog
from newsloc.articles import parse_article
from newsloc.bundle import Policy, build_project
from newsloc.project import Project
from newsloc.segment import segment_article


def read(text: str, name: str = "source/a.html"):
    """The article ``text`` as extract reads it (parsed and segmented)."""
    return segment_article(parse_article(Path(name), text))


def blocks(article) -> list[tuple[str, list[str]]]:
    return [(b.tag, [s.text for s in b.segments]) for b in article.blocks]


def warnings(article) -> list[str]:
    return [str(r) for r in article.repairs]


def build(tmp_path: Path, text: str, name: str = "a.html") -> tuple[str, str]:
    """The <article> element of the built source-language page (a conforming HTML5 page:
    html5lib's strict parser raises otherwise), without its dateline, and article.txt."""
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / name).write_text(text, encoding="utf-8")
    (tmp_path / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    project = Project(tmp_path)
    catalog.extract(project)
    assert build_project(project, policy=Policy(allow_incomplete=True)).ok
    slug = name.split(".")[0]
    page = tmp_path / "dist" / slug / "en" / "index.html"
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.read_bytes())
    assert document.find("head/title") is not None
    article = re.search(r"<article>.*</article>", page.read_text(encoding="utf-8"), re.DOTALL).group(0)
    body = re.sub(r'<p class="dateline">.*?</p>\n', "", article)
    return body, (tmp_path / "dist" / slug / "en" / "article.txt").read_text(encoding="utf-8")
