"""Elements of an .html article that newsloc does not keep as such: table cells and the parts
of a definition list become paragraphs of their own, other dropped elements that a browser
shows as a box (images, form controls, block-level containers) keep the words on either side
apart, dropped inline formatting joins as before; <sup> and <sub> are inline markup; a
paragraph newsloc made itself is never reported as "left open"; and every warning names a
line of the file."""

from __future__ import annotations


import pytest

from newsloc import articles

from article_helpers import blocks, build, read, warnings

QA = ('<html lang="en"><body>\n<h1>Results</h1>\n'
      '<table><tr><th>Party</th><th>Share</th></tr><tr><td>Civil Contract</td><td>53.9%</td></tr></table>\n'
      '<p>Output grew to 10<sup>6</sup> units.</p>\n'
      '<p>An image<img src="x.png" alt="A chart">and text. A<br>line.</p>\n'
      '<dl><dt>Term</dt><dd>Definition.</dd></dl>\n'
      '</body></html>\n')



# -- 1. cells and definition-list parts are paragraphs; boxes separate words --------------------
def test_qa_article_reads_as_a_browser_shows_it():
    article = read(QA, "source/t.html")
    assert blocks(article) == [
        ("p", ["Party"]), ("p", ["Share"]), ("p", ["Civil Contract"]), ("p", ["53.9%"]),
        ("p", ["Output grew to 10<sup>6</sup> units."]),
        ("p", ["An image and text.", "A<br>line."]),
        ("p", ["Term"]), ("p", ["Definition."]),
    ]
    assert warnings(article) == [
        "source/t.html:3: warning: read <th> as paragraphs: tables are not kept",
        "source/t.html:3: warning: read <td> as paragraphs: tables are not kept",
        "source/t.html:5: warning: dropped unsupported tag <img> (its text is kept)",
        "source/t.html:6: warning: read <dt> as paragraphs: definition lists are not kept",
        "source/t.html:6: warning: read <dd> as paragraphs: definition lists are not kept",
    ]


@pytest.mark.parametrize("markup, kind", [
    ("<table><caption>Cap</caption><tr><td>A</td></tr></table>", "<caption>"),
    ("<figure><img src=x.png><figcaption>Cap</figcaption></figure>", "<figcaption>"),
])
def test_captions_are_paragraphs(markup, kind):
    article = read(f"<h1>H</h1>\n{markup}\n<p>After.</p>")
    assert blocks(article)[0] == ("p", ["Cap"])
    assert blocks(article)[-1] == ("p", ["After."])
    assert sum(kind in w for w in warnings(article)) == 1
    assert not any("left open" in w or "outside any block" in w for w in warnings(article))


def test_one_warning_per_kind_naming_its_first_line():
    article = read("<h1>H</h1>\n<table>\n<tr><td>A</td><td>B</td></tr>\n<tr><td>C</td></tr>\n</table>\n"
                    "<table><tr><td>D</td></tr></table>")
    assert blocks(article) == [("p", ["A"]), ("p", ["B"]), ("p", ["C"]), ("p", ["D"])]
    assert warnings(article) == ["source/a.html:3: warning: read <td> as paragraphs: tables are not kept"]


def test_cells_without_end_tags_and_with_paragraphs_give_no_false_warning():
    article = read("<h1>H</h1>\n<table><tr><td>A<td><p>B</p><td>C\n</table>\n<p>D</p>")
    assert blocks(article) == [("p", ["A"]), ("p", ["B"]), ("p", ["C"]), ("p", ["D"])]
    assert warnings(article) == ["source/a.html:2: warning: read <td> as paragraphs: tables are not kept"]


def test_cells_in_a_list_item_are_paragraphs_of_the_item():
    article = read("<h1>H</h1>\n<ul><li><table><tr><td>A</td><td>B</td></tr></table></li>"
                    "<li>C</li></ul>")
    assert blocks(article) == [("li", ["A"]), ("li", ["B"]), ("li", ["C"])]
    first, second, third = article.blocks
    assert first.group == second.group != third.group
    assert warnings(article) == ["source/a.html:2: warning: read <td> as paragraphs: tables are not kept"]


@pytest.mark.parametrize("tag", ["img", "embed", "svg", "input", "button", "select", "textarea", "section", "article",
                                 "header", "footer", "nav", "aside", "figure", "address", "details",
                                 "summary", "main", "form", "fieldset", "table", "hr", "pre"])
def test_a_dropped_box_separates_the_words_on_either_side(tag):
    void = tag in ("img", "embed", "input", "hr")
    inner = "" if void else "inner"
    close = "" if void else f"</{tag}>"
    article = read(f"<h1>H</h1>\n<p>before<{tag}>{inner}{close}after</p>")
    words = ["before", inner, "after"] if inner else ["before", "after"]
    assert [s.text for b in article.blocks for s in b.segments] == [" ".join(words)]


@pytest.mark.parametrize("tag", ["iframe", "video", "audio", "object", "canvas"])
@pytest.mark.parametrize("name", ["a.html", "a.txt"])
def test_a_frame_or_a_player_is_dropped_with_its_fallback_text(tag, name):
    # (what is inside is shown only by a browser that cannot show the frame or the player)
    text = f"H\nWatch<{tag} src=x>Your browser cannot play this.</{tag}>now.\n"
    article = read(text if name == "a.txt" else f"<h1>H</h1>\n<p>{text.split(chr(10))[1]}</p>", f"source/{name}")
    assert [s.text for b in article.blocks for s in b.segments] == ["Watch now."]
    assert warnings(article) == [f"source/{name}:2: warning: dropped <{tag}> and its content"]


@pytest.mark.parametrize("tag", ["font", "o:p", "u", "s", "small", "big", "abbr", "time", "mark", "ins",
                                 "del", "label", "code", "kbd", "q", "cite", "dfn", "var", "bdi", "x-custom"])
def test_dropped_inline_formatting_still_joins(tag):
    article = read(f"<h1>H</h1>\n<p>un<{tag}>der</{tag}>line</p>")
    assert [s.text for s in article.blocks[0].segments] == ["underline"]


def test_a_separator_between_spaces_leaves_one_space():
    article = read('<h1>H</h1>\n<p>A <img src="x.png"> b <b>c<img src="y.png"></b>d<br><img src="z">e</p>')
    assert [s.text for s in article.blocks[0].segments] == ["A b <b>c </b>d<br>e"]


@pytest.mark.parametrize("line, expected", [
    ("A<img src=x.png>b c", "A b c"),
    ("A <img src=x.png> b", "A b"),
    ("A<td>b</td>c", "A b c"),
    ("A<font>b</font>c", "Abc"),
    ("A<p>b", "A b"),
])
def test_separators_in_a_txt_article(line, expected):
    article = read(f"H\n{line}\n", "source/a.txt")
    assert [s.text for s in article.blocks[0].segments] == [expected]


def test_every_element_kind_is_in_one_table_only():
    kinds = articles.DROPPED_ELEMENTS
    assert set(kinds.values()) == {articles.PARAGRAPH, articles.SEPARATE}
    for tags in (articles.INLINE_TAGS, articles.VOID_TAGS, articles.SKIP_CONTENT_TAGS):
        assert not tags & kinds.keys()
    # (.html blocks are in the table for .txt lines, where they separate words)
    assert all(kinds[tag] == articles.SEPARATE for tag in articles.BLOCK_TAGS)


# -- 2. <sup> and <sub> ---------------------------------------------------------------------------
def test_sup_and_sub_are_kept_in_msgids_and_on_the_page(tmp_path):
    text = "<h1>H<sub>2</sub>O</h1>\n<p>Output grew to 10<sup>6</sup> units.</p>\n"
    article = read(text)
    assert [s.text for b in article.all_blocks() for s in b.segments] == [
        "H<sub>2</sub>O", "Output grew to 10<sup>6</sup> units."]
    assert warnings(article) == []
    body = build(tmp_path, text)[0]
    assert body == "<article>\n<h1>H<sub>2</sub>O</h1>\n<p>Output grew to 10<sup>6</sup> units.</p>\n</article>"


# -- 3. no false "left open"; warnings name a line that exists -----------------------------------
def test_a_paragraph_newsloc_made_is_not_reported_left_open():
    article = read("<h1>H</h1>\nLoose text.\n<p>Next.</p>\nMore loose text.")
    assert blocks(article) == [("p", ["Loose text."]), ("p", ["Next."]), ("p", ["More loose text."])]
    assert warnings(article) == [
        "source/a.html:2: warning: text outside any block element was made a paragraph",
        "source/a.html:4: warning: text outside any block element was made a paragraph",
    ]


def test_a_source_paragraph_left_open_is_still_reported():
    article = read("<h1>H</h1>\n<p>Open.\n<p>Next.</p>")
    assert warnings(article) == ["source/a.html:3: warning: closed <p> left open before the next block"]


def test_warnings_at_the_end_of_the_file_name_a_line_of_it():
    text = "<html><body>\n<h1>H</h1>\n<p>Open\n<em>paragraph.\n</body>\n</html>\n"
    article = read(text)
    assert blocks(article) == [("p", ["Open <em>paragraph.</em>"])]
    assert warnings(article) == [
        "source/a.html:3: warning: closed <p> left open at the end of the file",
        "source/a.html:4: warning: closed <em> left open, at the end of its paragraph",
    ]
    lines = len(text.splitlines())
    assert all(r.line <= lines for r in article.repairs)


# -- 4. no-break spaces (README) -----------------------------------------------------------------
def test_no_break_spaces_at_block_edges_are_trimmed_and_a_spacer_paragraph_dropped(tmp_path):
    """As README's Articles section says."""
    text = "<h1>H</h1>\n<p>&nbsp;Paid 10&nbsp;000.&nbsp;</p>\n<p>&nbsp;</p>\n<p>&nbsp; &nbsp;</p>\n<p>One.&nbsp;Two.</p>"
    article = read(text)
    assert blocks(article) == [("p", ["Paid 10\u00a0000."]), ("p", ["One.", "Two."])]
    assert build(tmp_path, text)[0] == "<article>\n<h1>H</h1>\n<p>Paid 10\u00a0000.</p>\n<p>One.\u00a0Two.</p>\n</article>"


def test_every_heading_level_is_a_block_of_its_own():
    text = "<h1>H</h1>\n<h2>Two</h2>\n<h4>Four</h4>\n<p>Text.</p>\n<h6>Six</h6>\n"
    article = read(text)
    assert blocks(article) == [("h2", ["Two"]), ("h4", ["Four"]), ("p", ["Text."]), ("h6", ["Six"])]
    assert warnings(article) == []
