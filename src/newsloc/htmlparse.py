"""The standard library's HTML tokenizer, made total: every input tokenizes.

Python 3.11's ``html.parser`` raises ``AssertionError`` on a marked section it
does not know (``<![A: …``, ``<![ …``, from its SGML heritage).  HTML has no
marked sections outside foreign content and reads ``<![…>`` as a bogus
comment, so that is what this parser reports instead of crashing: a
translator's typo in a catalog, or a stray ``<![`` in an article, must give
a finding or a warning, never a traceback.
"""

from __future__ import annotations

import html.parser


class HTMLParser(html.parser.HTMLParser):
    """``html.parser.HTMLParser`` that reads an unknown marked section as a bogus comment."""

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            if end < 0:
                return -1  # incomplete: more input may come (close() hands the rest over as text)
            self.handle_bogus_section(self.rawdata[i + 2:end])
            return end + 1

    def handle_bogus_section(self, data: str) -> None:
        """``<![…>`` that is no marked section: a comment, as HTML reads it (``data`` is ``[…``)."""
        self.handle_comment(data)
