"""The exceptions newsloc raises.

Library code raises these; only ``cli.py`` turns them into messages and exit
codes.  Every error that concerns a file carries its path and, where known, the
line (or entry) so that the user can go straight to the problem.
"""

from __future__ import annotations

from pathlib import Path


class NewslocError(Exception):
    """Base class of every error newsloc reports to the user."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class ArticleError(NewslocError):
    """An article in source/ cannot be read (encoding, empty, binary, unknown type)."""


class LocaleError(NewslocError):
    """A locale code is not valid or not configured."""


class CatalogError(NewslocError):
    """A PO/POT file cannot be parsed or is inconsistent (syntax error, duplicate entry)."""


class ConcurrentEditError(CatalogError):
    """A PO file changed on disk between reading and writing; it was not written."""


class GlossaryError(NewslocError):
    """glossary.yaml (or an imported TBX file) is invalid."""


class ModelError(NewslocError):
    """A translation model package is missing, invalid or unusable."""


class CheckFailed(NewslocError):
    """Critical or functional translation checks failed."""


class BuildError(NewslocError):
    """A bundle cannot be built (blocked by policy, unsafe markup, bad path)."""


class UnsafeMarkupError(BuildError):
    """A translation carries markup that its source segment does not have."""
