"""An interrupted rebuild (Ctrl-C, SIGTERM) leaves dist/ consistent.

A rebuild rewrites the changed files of existing edition folders.  After a
SIGINT at any moment: no temporary file or staging folder is left behind,
and every edition folder is either wholly as before or wholly as the full
rebuild makes it (never a new page beside an old article.txt).  The signals
are real: sent by the build process to itself at a chosen point of its writes
(deterministic), or by the test to the build's process group once its output
shows it is under way (as Ctrl-C in a terminal does).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsloc import catalog
from newsloc.bundle import Policy, build_project
from newsloc.project import Project

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 60
POLICY = Policy(allow_incomplete=True)

# The build, in a subprocess: `driver.py ROOT JOBS MODE K`.  MODE "temp": the build sends itself
# SIGINT right after creating its K-th temporary file; "replace": right after its K-th rename of a
# temporary file into place; "outside": no self-signal, one line per edition on stdout.
DRIVER = textwrap.dedent("""
    import os, signal, sys
    from newsloc.bundle import Policy, build_project
    from newsloc.project import Project

    root, jobs, mode, k = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    count = 0

    def interrupt():
        global count
        count += 1
        if count == k:
            os.kill(os.getpid(), signal.SIGINT)

    real_open, real_replace = os.open, os.replace
    if mode == "temp":
        def patched_open(path, flags, *args, **kwargs):
            fd = real_open(path, flags, *args, **kwargs)
            if os.fsdecode(path).endswith(".tmp") and flags & os.O_CREAT:
                interrupt()
            return fd
        os.open = patched_open
    elif mode == "replace":
        def patched_replace(src, dst, *args, **kwargs):
            real_replace(src, dst, *args, **kwargs)
            interrupt()
        os.replace = patched_replace

    def progress(result):
        print(result.slug, result.locale, flush=True)

    build_project(Project(root), out="dist", policy=Policy(allow_incomplete=True), jobs=jobs, progress=progress)
    print("done", flush=True)
""")


def snapshot(dist: Path) -> dict[str, dict[str, bytes]]:
    """Edition folder (slug/lang) -> its files' bytes."""
    editions = {}
    for folder in sorted(p for p in dist.glob("*/*") if p.is_dir()):
        editions[str(folder.relative_to(dist))] = {f.name: f.read_bytes() for f in folder.iterdir()}
    return editions


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """A project built once from its old sources (``old``), and the dist/ of a full rebuild after
    its sources changed (``new_dist``): the two states an edition may be in after an interrupt."""
    with pytest.MonkeyPatch.context() as env:  # (conftest's function fixture sets it for the driver)
        env.setenv("SOURCE_DATE_EPOCH", "1764403200")  # build_time in bundle.json: the same in every build
        return _states(tmp_path_factory.mktemp("interrupt"))


def _states(base: Path):
    old = base / "old"
    (old / "source").mkdir(parents=True)
    (old / "locales" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    text = (REPO / "source" / "the-friend-of-my-enemy.txt").read_text("utf-8")
    for i in range(ARTICLES):
        (old / "source" / f"art{i:02d}.txt").write_text(text.replace("Belarus", f"Belarus{i}"), "utf-8")
    catalog.extract(Project(old))
    build_project(Project(old), out="dist", policy=POLICY, jobs=1)
    for path in (old / "source").iterdir():  # every edition of every article changes
        path.write_text(path.read_text("utf-8").replace("Armenia", "Armenia Y"), "utf-8")
    catalog.extract(Project(old))
    full = base / "full"
    shutil.copytree(old, full, symlinks=True)
    build_project(Project(full), out="dist", policy=POLICY, jobs=1)
    (base / "driver.py").write_text(DRIVER, "utf-8")
    return old, snapshot(old / "dist"), snapshot(full / "dist"), base / "driver.py"


def run_driver(driver: Path, root: Path, jobs: int, mode: str, k: int, stop_after: int | None = None,
               signum: int = signal.SIGINT, group: bool = True):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    process = subprocess.Popen([sys.executable, str(driver), str(root), str(jobs), mode, str(k)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    if stop_after is not None:
        for _ in range(stop_after):  # the build is under way: Ctrl-C, to the whole process group
            if not process.stdout.readline():
                break
        if group:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
    out, err = process.communicate(timeout=120)
    return process.returncode, err


def session_processes(session: int) -> list[int]:
    """The processes left in a session (the driver's workers, once the driver has ended)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":  # (state, ppid, pgrp, session)
                found.append(int(entry.name))
    return found


def assert_consistent(root: Path, old: dict, new: dict, unbuilt: set[str] = frozenset()) -> dict[str, int]:
    dist = root / "dist"
    leftovers = [str(p.relative_to(dist)) for p in dist.rglob("*")
                 if p.name.endswith(".tmp") or ".tmp" in p.name or p.name.startswith(".newsloc-")]
    assert leftovers == []
    now = snapshot(dist)
    assert set(now) - unbuilt == set(new) - unbuilt
    assert set(now) & unbuilt in (set(), unbuilt)  # a new article folder: all its editions, or none yet
    states = {"old": 0, "new": 0}
    for edition, files in now.items():
        if files == new[edition]:
            states["new"] += 1
        else:
            assert files == old[edition], f"{edition} is half old, half new: " + ", ".join(
                f"{name} {'new' if data == new[edition].get(name) else 'old'}" for name, data in sorted(files.items()))
            states["old"] += 1
    return states


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("mode,k", [("temp", 1), ("temp", 6), ("replace", 1), ("replace", 6)])
def test_sigint_during_a_rebuilds_writes_leaves_whole_editions_and_no_temporary_file(states, tmp_path, jobs, mode, k):
    old_project, old, new, driver = states
    root = tmp_path / "p"
    shutil.copytree(old_project, root, symlinks=True)
    code, err = run_driver(driver, root, jobs, mode, k)
    assert code != 0 and "KeyboardInterrupt" in err, err  # interrupted, not finished
    counts = assert_consistent(root, old, new)
    assert counts["new"] and counts["old"]  # it stopped part-way
    build_project(Project(root), out="dist", policy=POLICY, jobs=jobs)  # the next build completes it
    assert assert_consistent(root, old, new) == {"old": 0, "new": len(new)}


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_to_the_process_group_mid_rebuild(states, tmp_path, jobs):
    old_project, old, new, driver = states
    root = tmp_path / "p"
    shutil.copytree(old_project, root, symlinks=True)
    code, err = run_driver(driver, root, jobs, "outside", 0, stop_after=5)
    assert code in (0, -signal.SIGINT, 1), err
    assert "Traceback" not in err or "KeyboardInterrupt" in err, err  # workers ignore Ctrl-C
    assert_consistent(root, old, new)


def test_a_failed_write_names_the_file_not_its_temporary_file(states, tmp_path):
    from click.testing import CliRunner

    from newsloc.cli import cli

    old_project, old, new, _driver = states
    root = tmp_path / "p"
    shutil.copytree(old_project, root, symlinks=True)
    target = root / "dist" / "art00" / "en" / "article.txt"
    target.unlink()
    target.mkdir()  # something in the way of the new article.txt
    run = CliRunner().invoke(cli, ["--project", str(root), "build", "--allow-incomplete", "--jobs", "1"])
    assert run.exit_code == 1
    assert ".tmp" not in run.output
    assert "dist/art00/en/article.txt" in run.output, run.output
    assert [p for p in (root / "dist").rglob("*") if ".tmp" in p.name] == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_kill_of_the_main_process_mid_rebuild_stops_its_workers_and_leaves_no_staging_folder(states, tmp_path,
                                                                                             signum):
    old_project, old, new, driver = states
    root = tmp_path / "p"
    shutil.copytree(old_project, root, symlinks=True)
    (root / "dist" / "art30").rename(tmp_path / "art30")  # a new article folder: staged by a worker
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    process = subprocess.Popen([sys.executable, str(driver), str(root), "2", "outside", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    for _ in range(5):  # the build is under way: `kill PID` of the main process alone
        if not process.stdout.readline():
            break
    os.kill(process.pid, signum)
    process.wait(timeout=120)  # (not communicate: a worker left behind would hold the pipes open)
    process.stdout.close()
    process.stderr.close()
    left = session_processes(process.pid)
    for _ in range(100):  # (workers told to stop take a moment)
        if not left:
            break
        time.sleep(0.05)
        left = session_processes(process.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "build workers outlived the build"
    assert_consistent(root, old, new, unbuilt={"art30/en", "art30/ru"})
