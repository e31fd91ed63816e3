"""bundle._header_lines reads a template's header lines as text-mode line-by-line reading does.

The build reads each template's POT-Creation-Date (the page's date) from
the lines before its first blank line; _header_lines gets them from one
binary read of the first chunk.  Whenever it answers (not None), the lines,
or the UnicodeDecodeError, must be those of its fallback, _header_lines_as_text.
"""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from newsloc import bundle

HEADER = (
    '# Template.\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n'
    '"POT-Creation-Date: 2026-11-29 08:07+0000\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
)


def outcome(read, path):
    try:
        return read(path)
    except UnicodeDecodeError as exc:
        return ("UnicodeDecodeError", exc.reason)


PIECES = st.sampled_from([
    HEADER.encode(), b"\n", b"   \n", b"\t\n", b"\x0c\n", b"\xc2\x85\n", b"\xe2\x80\xa8x\n", b"\r\n", b"\r",
    "Лукашенко «ОДКБ»\n".encode(), b"\xd0", b"\xff", b"\xe2\x80", b'msgid "a"\n', b"x" * 3000, b"y" * 8191,
    b"\xef\xbb\xbf", b"", b"z",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=8))
def test_same_lines_or_error_as_text_mode(tmp_path_factory, pieces):
    path = tmp_path_factory.mktemp("pot") / "a.pot"
    path.write_bytes(b"".join(pieces))
    fast = outcome(bundle._header_lines, path)
    if fast is not None:
        assert fast == outcome(bundle._header_lines_as_text, path)


def test_a_usual_template_is_read_in_one_go(tmp_path):
    path = tmp_path / "a.pot"
    path.write_text(HEADER + '\n#: source/a.html:3\nmsgid "A."\nmsgstr ""\n' * 500, "utf-8")
    assert bundle._header_lines(path) == bundle._header_lines_as_text(path) == HEADER.splitlines(keepends=True)
    assert bundle._template_fields(path).get("POT-Creation-Date") == "2026-11-29 08:07+0000"


def test_a_character_cut_at_the_chunk_end_is_not_an_error(tmp_path):
    path = tmp_path / "a.pot"
    data = HEADER.encode() + b"\n" + b"#" * (bundle._TEXT_CHUNK - len(HEADER) - 2) + "Л".encode()
    assert len(data) == bundle._TEXT_CHUNK + 1
    path.write_bytes(data)
    assert bundle._header_lines(path) == bundle._header_lines_as_text(path)
