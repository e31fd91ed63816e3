"""The structure of an .html article survives into the built page: quotations and list items
whose text is in a <p>, ordered lists, no-break spaces; and control characters in a source
article are repaired, not carried into msgids and pages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsloc import textchars

from article_helpers import blocks, build, read, warnings

QA = ('<html lang="en"><body>\n<h1>Quote test</h1>\n<p>He said this.</p>\n'
      '<blockquote><p>Quoted words.</p></blockquote>\n'
      '<ol><li>One.</li><li>Two 10&nbsp;000.</li></ol>\n</body></html>\n')



# -- 1. <p> inside <blockquote> and <li> ------------------------------------------------------
def test_blockquote_with_one_paragraph_stays_a_quotation_without_warning():
    article = read("<h1>H</h1>\n<blockquote><p>Quoted words.</p></blockquote>\n<p>After.</p>")
    assert blocks(article) == [("blockquote", ["Quoted words."]), ("p", ["After."])]
    assert warnings(article) == []


@pytest.mark.parametrize("quote", [
    "<blockquote>\n  <p>First.</p>\n  <p>Second.</p>\n</blockquote>",
    "<blockquote><p>First.</p><p>Second.</p></blockquote>",
    "<blockquote>First.<p>Second.</p></blockquote>",
    "<blockquote><p>First.</p>Second.</blockquote>",
])
def test_blockquote_with_several_paragraphs_is_one_quotation(quote):
    article = read(f"<h1>H</h1>\n{quote}\n<blockquote>Other.</blockquote>")
    assert blocks(article) == [("blockquote", ["First."]), ("blockquote", ["Second."]),
                                ("blockquote", ["Other."])]
    assert warnings(article) == []
    first, second, other = article.blocks
    assert first.group and first.group == second.group != other.group


def test_list_item_with_a_paragraph_stays_a_list_item_without_warning():
    article = read("<h1>H</h1>\n<ul><li><p>One.</p></li>\n<li>\n<p>Two.</p>\n</li></ul>")
    assert blocks(article) == [("li", ["One."]), ("li", ["Two."])]
    assert warnings(article) == []


def test_paragraph_markup_still_repaired_inside_a_quotation():
    article = read("<h1>H</h1>\n<blockquote><p>One.<p>Two.</blockquote>\n<p>After.</p>")
    assert blocks(article) == [("blockquote", ["One."]), ("blockquote", ["Two."]), ("p", ["After."])]
    assert [w.split(": warning: ")[1] for w in warnings(article)] == [
        "closed <p> left open before the next block"]


def test_paragraph_after_a_closed_quotation_is_a_paragraph():
    article = read("<h1>H</h1>\n<ul><li>Item.</ul>\n<p>After.</p>\n"
                    "<blockquote><p>Q.</p></blockquote>\n<p>Text.</p>")
    assert blocks(article) == [("li", ["Item."]), ("p", ["After."]), ("blockquote", ["Q."]), ("p", ["Text."])]


def test_quotations_and_list_items_with_paragraphs_on_the_page(tmp_path):
    body, text = build(tmp_path, (
        "<h1>H</h1>\n<blockquote><p>Alone.</p></blockquote>\n"
        "<blockquote><p>First.</p><p>Second.</p></blockquote>\n"
        "<ul><li><p>Item.</p></li></ul>\n"))
    assert body == ("<article>\n<h1>H</h1>\n<blockquote>Alone.</blockquote>\n"
                    "<blockquote>\n<p>First.</p>\n<p>Second.</p>\n</blockquote>\n"
                    "<ul>\n<li>Item.</li>\n</ul>\n</article>")
    assert text == "H\n\nAlone.\n\nFirst.\n\nSecond.\n\n- Item.\n"


# -- 2. ordered lists ------------------------------------------------------------------------
def test_list_items_know_their_list():
    article = read("<h1>H</h1>\n<ol><li>A.</li><li>B.</li></ol>\n<ol><li>C.</li></ol>\n<ul><li>D.</li></ul>")
    a, b, c, d = article.blocks
    assert [x.list_tag for x in (a, b, c, d)] == ["ol", "ol", "ol", "ul"]
    assert a.list_id == b.list_id and len({a.list_id, c.list_id, d.list_id}) == 3


def test_ordered_lists_stay_ordered_on_the_page_and_in_article_txt(tmp_path):
    body, text = build(tmp_path, (
        "<h1>H</h1>\n<ol><li>One.</li><li>Two.</li></ol>\n<ol><li>Again.</li></ol>\n"
        "<ul><li>Dot.</li></ul>\n<p>End.</p>\n"))
    assert body == ("<article>\n<h1>H</h1>\n<ol>\n<li>One.</li>\n<li>Two.</li>\n</ol>\n"
                    "<ol>\n<li>Again.</li>\n</ol>\n<ul>\n<li>Dot.</li>\n</ul>\n<p>End.</p>\n</article>")
    assert text == "H\n\n1. One.\n\n2. Two.\n\n1. Again.\n\n- Dot.\n\nEnd.\n"


NESTED = ('<h1>H</h1>\n<ol start="3"><li>One.\n<ul><li>Sub a.</li><li>Sub b.</li></ul>\n'
          'more of one.</li>\n<li>Two.</li></ol>\n<ul><li>Plain.</li><li><p>Para one.</p><p>Para two.</p></li></ul>\n'
          '<p>After.</p>\n')


def test_a_list_nested_in_an_item_is_read_without_warning():
    article = read(NESTED)
    assert warnings(article) == []
    one, sub_a, sub_b, more, two = article.blocks[:5]
    assert [b.list_parent for b in (one, sub_a, sub_b, more, two)] == [0, one.group, one.group, 0, 0]
    assert more.group == one.group and sub_a.list_id == sub_b.list_id != one.list_id
    assert (one.list_start, sub_a.list_start) == (3, 1)


def test_nested_lists_and_ol_start_on_the_page_and_in_article_txt(tmp_path):
    body, text = build(tmp_path, NESTED)
    assert body == (
        '<article>\n<h1>H</h1>\n<ol start="3">\n<li>One.\n<ul>\n<li>Sub a.</li>\n<li>Sub b.</li>\n</ul>\n'
        '<p>more of one.</p>\n</li>\n<li>Two.</li>\n</ol>\n<ul>\n<li>Plain.</li>\n<li>\n<p>Para one.</p>\n'
        '<p>Para two.</p>\n</li>\n</ul>\n<p>After.</p>\n</article>')
    assert text == ("H\n\n3. One.\n\n   - Sub a.\n\n   - Sub b.\n\n   more of one.\n\n4. Two.\n\n"
                    "- Plain.\n\n- Para one.\n\n  Para two.\n\nAfter.\n")


@pytest.mark.parametrize(("start", "expected"), [("3", 3), (" 7 ", 7), ("-2", -2), ("x", 1), ("", 1),
                                                  ("٣", 1), ("99999999999", 1), ("--2", 1), ("2.5", 1)])
def test_ol_start_is_a_number_or_one(start, expected):
    article = read(f'<h1>H</h1>\n<ol start="{start}"><li>A.</li></ol>')
    assert article.blocks[0].list_start == expected


# -- 3. no-break spaces -------------------------------------------------------------------------
def test_no_break_spaces_are_text_not_collapsed_whitespace():
    article = read("<h1>H</h1>\n<p>Paid 10&nbsp;000 and\u00a0\u00a0more,\n\t  in\u2003all.</p>")
    assert blocks(article) == [("p", ["Paid 10\u00a0000 and\u00a0\u00a0more, in\u2003all."])]


def test_qa_article_on_the_page(tmp_path):
    body, text = build(tmp_path, QA, "bq.html")
    assert body == ("<article>\n<h1>Quote test</h1>\n<p>He said this.</p>\n"
                    "<blockquote>Quoted words.</blockquote>\n"
                    "<ol>\n<li>One.</li>\n<li>Two 10\u00a0000.</li>\n</ol>\n</article>")
    assert text == "Quote test\n\nHe said this.\n\nQuoted words.\n\n1. One.\n\n2. Two 10\u00a0000.\n"
    article = read(QA, "source/bq.html")
    assert warnings(article) == []


# -- 4. control characters -----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["a.txt", "a.html"])
def test_control_characters_are_repaired_and_reported(name):
    body = "Word\x0bline break, an\x1b escape, a\x7f delete,\x85 C1 and\ufdd0\U0010ffff nonchars."
    text = ("<h1>Head\x0bline</h1>\n<p>" + body + "</p>\n") if name.endswith("html") else f"Head\x0bline\n\n{body}\n"
    article = read(text, f"source/{name}")
    line = 2 if name.endswith("html") else 3
    assert [s.text for b in article.all_blocks() for s in b.segments] == [
        "Head line", "Word line break, an escape, a delete, C1 and nonchars."]
    messages = [w.split(": warning: ") for w in warnings(article)]
    assert messages == [
        [f"source/{name}:1", "replaced control character U+000B with a space"],
        [f"source/{name}:{line}", "replaced control character U+000B with a space"],
        *[[f"source/{name}:{line}", f"removed control character U+{code}"] for code in ("001B", "007F", "0085")],
        *[[f"source/{name}:{line}", f"removed noncharacter U+{code}"] for code in ("FDD0", "10FFFF")],
    ]


def test_control_characters_in_one_line_are_reported_once_each():
    article = read("H\n\nA\x0bb\x0bc\x01.\n", "source/a.txt")
    assert [s.text for s in article.blocks[0].segments] == ["A b c."]
    assert [str(r) for r in article.repairs] == [
        "source/a.txt:3: warning: replaced control character U+000B with a space (2 times)",
        "source/a.txt:3: warning: removed control character U+0001"]


def test_page_of_an_article_with_control_characters_is_conforming(tmp_path):
    body, _ = build(tmp_path, "Head\n\nOne\x0btwo\x1b three.\n", "c.txt")
    assert "<p>One two three.</p>" in body


def test_ordinary_text_has_no_control_characters_to_repair():
    shipped = Path(__file__).resolve().parent.parent / "source" / "the-friend-of-my-enemy.txt"
    text = shipped.read_text(encoding="utf-8")
    assert not any("control character" in str(r) for r in read(text, "source/x.txt").repairs)


def test_list_item_of_several_paragraphs_on_the_page_and_in_article_txt(tmp_path):
    body, text = build(tmp_path, "<h1>H</h1>\n<ol><li><p>A.</p><p>More.</p></li><li>B.</li></ol>\n")
    assert body == ("<article>\n<h1>H</h1>\n<ol>\n<li>\n<p>A.</p>\n<p>More.</p>\n</li>\n<li>B.</li>\n</ol>\n"
                    "</article>")
    assert text == "H\n\n1. A.\n\n   More.\n\n2. B.\n"


def test_control_character_guards_miss_none():
    """Forbidden characters are looked for only in unprintable text, and first with a quicker
    pattern: both must let every one of them through (checked over all of Unicode)."""
    chars = [chr(code) for code in range(sys.maxunicode + 1) if textchars.FORBIDDEN.match(chr(code))]
    # C0 but TAB, LF, FF, CR (9 + 1 + 18); DEL and C1 (33); surrogates; noncharacters (32 + 17 * 2)
    assert len(chars) == 9 + 1 + 18 + 33 + 2048 + 32 + 34
    assert not any(c.isprintable() for c in chars)
    assert all(textchars.FORBIDDEN_QUICK.match(c) for c in chars)