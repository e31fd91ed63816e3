"""The command-line runner shared by the extract and translator-safety tests."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsloc.cli import cli


def run(project_dir: Path, *args: str, ok: bool = True):
    """``newsloc --project project_dir ARGS``; with ``ok``, it must exit 0."""
    result = CliRunner().invoke(cli, ["--project", str(project_dir), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result
