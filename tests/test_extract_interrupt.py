"""Ctrl-C during a parallel extract leaves no temporary file behind, and every catalog whole.

A real SIGINT goes to the whole process group (as Ctrl-C in a terminal
sends it): the main process and its worker processes.  It is sent at moments
that the test waits for (not after a delay): when the first temporary file
appears (workers staging), when the first catalog appears (the main process
committing), and on a re-extract that rewrites existing catalogs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsloc import pofile

REPO = Path(__file__).resolve().parent.parent
SRC = Path(pofile.__file__).resolve().parents[1]
SHIPPED_ARTICLE = REPO / "source" / "the-friend-of-my-enemy.txt"
ARTICLES = 300


def make_project(root: Path, word: str = "Belarus") -> Path:
    text = SHIPPED_ARTICLE.read_text(encoding="utf-8")
    (root / "source").mkdir(parents=True, exist_ok=True)
    for index in range(ARTICLES):
        (root / "source" / f"art{index}.txt").write_text(text.replace("Belarus", f"{word}{index}"), encoding="utf-8")
    for code in ("ru", "hy"):
        (root / "locales" / code / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    return root


def temporary_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".tmp" in p.name)


def interrupt_extract(root: Path, ready) -> subprocess.CompletedProcess:
    """Run `newsloc extract --jobs 2` in its own process group; SIGINT the group once ready(root)."""
    env = dict(os.environ, PYTHONPATH=str(SRC))
    # (output to files: a pipe that nobody reads while waiting would fill up and block extract)
    out_path, err_path = root.parent / f"{root.name}.out", root.parent / f"{root.name}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen([sys.executable, "-c", "from newsloc.cli import cli; cli()", "extract", "--jobs", "2"],
                                   cwd=root, env=env, stdout=out, stderr=err, start_new_session=True)
    try:
        while process.poll() is None and not ready(root):
            time.sleep(0.001)
        interrupted = process.poll() is None
        if interrupted:
            os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert interrupted, "extract finished before the moment to interrupt it: make the project bigger"
    return subprocess.CompletedProcess(process.args, process.returncode, out_path.read_text(), err_path.read_text())


def staging(root: Path) -> bool:
    return bool(temporary_files(root))


def committing(root: Path) -> bool:
    return any((root / "locales" / "ru" / "LC_MESSAGES").iterdir()) and any(
        p.suffix == ".po" for p in (root / "locales" / "ru" / "LC_MESSAGES").iterdir())


def check_whole(root: Path) -> None:
    assert temporary_files(root) == []
    catalogs = sorted((root / "locales").rglob("*.po*"))
    for path in catalogs:
        pofile.load_po(path)  # reads (a half-written file would not)
    for path in catalogs[:: max(1, len(catalogs) // 40)] if shutil.which("msgfmt") else []:
        result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("moment", [staging, committing], ids=["staging", "committing"])
def test_interrupted_extract_leaves_no_temporary_file(tmp_path, moment):
    root = make_project(tmp_path)
    result = interrupt_extract(root, moment)
    assert result.returncode != 0
    check_whole(root)


def test_interrupted_re_extract_leaves_no_temporary_file(tmp_path):
    root = make_project(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(SRC))
    subprocess.run([sys.executable, "-c", "from newsloc.cli import cli; cli()", "extract"], cwd=root, env=env,
                   check=True, capture_output=True)
    make_project(root, "Moldova")  # every catalog changes
    result = interrupt_extract(root, staging)
    assert result.returncode != 0
    check_whole(root)
