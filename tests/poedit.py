"""Drive the real Poedit 3 the way a translator does: open a catalog, press Ctrl+S, quit.

Used by the tests to prove that a catalog written by newsloc survives a round trip through
Poedit (issue 2, section 4).  Everything runs on a private X server (Xvfb, display number
chosen by the server) with a private HOME, so the developer's own Poedit settings,
translation memory and lock file are never touched, and no first-run UI can block.

Facts found by running Debian bookworm's Poedit 3.2.2 (tests/test_harness.py pins them):

* Ctrl+S saves even when nothing was edited: the file is rewritten (temporary file renamed
  over it: new inode, new mtime).  So a real user's "open, then save" needs no trick such
  as toggling a flag, and it is exactly what the round-trip test must survive.
* With the default preference ``compile_mo`` it also runs ``msgfmt`` and writes
  ``<name>.mo`` beside a ``.po`` (never for a ``.pot``).
* Header fields Poedit owns on save, for a catalog whose header is complete:
  - PO:  ``PO-Revision-Date`` := now (``%Y-%m-%d %H:%M%z``, local time; only if present
    and non-empty, an empty value stays empty); ``X-Generator: Poedit 3.2.2`` (updated in
    place, or appended as the last header line); ``Last-Translator`` := "Name <email>" but
    only when the translator identity is set in Poedit's preferences (otherwise kept).
  - POT: ``POT-Creation-Date`` := now (same rule); ``X-Generator`` as above; and it adds
    the ``#, fuzzy`` flag to the header entry if missing.  PO-Revision-Date is left alone.
* Header repairs Poedit makes on save (newsloc must simply never write these forms):
  PO: a ``#, fuzzy`` header flag is removed; the xgettext placeholders
  ``Project-Id-Version: PACKAGE VERSION``, ``Last-Translator: FULL NAME <EMAIL@ADDRESS>``,
  ``Language-Team: LANGUAGE <LL@li.org>`` become empty values; missing
  Project-Id-Version, POT-Creation-Date, PO-Revision-Date, Last-Translator, Language-Team,
  MIME-Version, Content-Transfer-Encoding are inserted (empty values) and a missing
  ``Language`` is guessed (from the folder or the text); Plural-Forms without a final
  ``;`` gets one; ``Language: pt-BR`` becomes ``pt_BR`` and ``zh_Hant_TW`` becomes ``zh``.
  POT: ``Project-Id-Version: PACKAGE VERSION`` becomes empty; an empty ``Language:`` line
  is deleted.  ``ru``, ``hy``, ``sr@latin``, ``ar`` are kept as they are.
* Body: Poedit pipes its output through ``msgcat --force-po`` with a width *guessed from
  the file* (preference "preserve formatting", ``keep_crlf``, default on): the longest
  line containing a space after column 2, ignoring ``#. ``/``# `` comments, lines ending
  in ``\\n"`` and bare ``msgid ""``/``msgstr ""``; ``--no-wrap`` when no string is
  soft-wrapped.  A file wrapped by gettext at 79 therefore stays byte-identical unless it
  has a line longer than that guess without a usable space (e.g. a long URL chunk), which
  msgcat then breaks at the smaller width.  ``poedit_wrap_width`` reproduces the guess and
  ``predict_body`` the resulting body, so catalogs can also be checked without a GUI.
* Opening a file given on the command line shows no welcome wizard; the only first-run
  chrome is a spell-checking bar ("dictionary for Russian isn't installed"), disabled in
  the seeded config.  A whole open-save-quit cycle takes about 1 s.

Public API: ``open_and_save(path, ...) -> PoeditRun``, ``PoeditError``,
``POEDIT_OWNED_HEADERS``, ``split_header``, ``header_changes``, ``poedit_wrap_width``,
``predict_body``, ``xwd_to_png`` (screenshots of the virtual screen).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "poedit"

# Header fields that Poedit 3 may set, add or delete when it saves a catalog.  Anything
# else that differs after a save is a round-trip failure of newsloc's output.
POEDIT_OWNED_HEADERS = frozenset(
    {
        "PO-Revision-Date",  # PO: set to the save time (if present and non-empty)
        "POT-Creation-Date",  # POT only: set to the save time (if present and non-empty)
        "X-Generator",  # "Poedit 3.2.2", added or updated
        "Last-Translator",  # from the translator identity in Poedit's preferences
    }
)

_SCREEN = (1280, 800)


@dataclass
class Header:
    """The header entry of a PO/POT file, split from the rest of the text."""

    comments: list[str]  # lines before `msgid ""` (translator comments, `#, fuzzy`)
    fields: dict[str, str]  # "Key" -> "value", in file order
    body: str  # everything after the header entry (from the first entry on)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unescape(c_string: str) -> str:
    """Undo the C escapes of one quoted PO line (without its quotes)."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), c_string)


def split_header(text: str) -> Header:
    """Split a catalog into header comments, header fields and body (stdlib only)."""
    lines = text.split("\n")
    i = 0
    comments = []
    while i < len(lines) and lines[i].startswith("#"):
        comments.append(lines[i])
        i += 1
    if i >= len(lines) or lines[i] != 'msgid ""':
        raise ValueError('catalog does not start with a header entry (msgid "")')
    i += 1
    if lines[i] != 'msgstr ""':
        raise ValueError('header entry has no multi-line msgstr ""')
    i += 1
    raw = []
    while i < len(lines) and lines[i].startswith('"'):
        raw.append(_unescape(lines[i][1:-1]))
        i += 1
    fields: dict[str, str] = {}
    for item in "".join(raw).split("\n"):
        if item:
            key, _, value = item.partition(":")
            fields[key.strip()] = value.strip()
    return Header(comments=comments, fields=fields, body="\n".join(lines[i:]))


def header_changes(before: str, after: str) -> dict[str, tuple[str | None, str | None]]:
    """Header fields added, removed or changed: {key: (old or None, new or None)}."""
    a, b = split_header(before).fields, split_header(after).fields
    return {k: (a.get(k), b.get(k)) for k in list(a) + [k for k in b if k not in a]
            if a.get(k) != b.get(k)}


def poedit_wrap_width(text: str) -> int | None:
    """The wrapping width Poedit 3 guesses for a catalog (None means msgcat --no-wrap).

    Mirrors POCatalogParser::ReadTextLine / PossibleWrappedLine of Poedit 3: the longest
    line (in characters) with a space after column 2, not counting `#. ` and `# ` comments,
    lines ending in `\\n"` and bare `msgid ""`/`msgstr ""`; no soft-wrapped string at all
    means no wrapping.  tests/test_harness.py checks this model against the real Poedit.
    """
    width = 0
    wrapped = False
    prev_hard = True
    for ln in text.split("\n"):
        if not ln.strip():
            continue  # Poedit's reader skips empty lines entirely
        hard = False
        if not (ln.startswith("#. ") or ln.startswith("# ")):
            if ln.endswith('\\n"') or ln in ('msgid ""', 'msgstr ""'):
                hard = True
            else:
                space = ln.rfind(" ")
                if space > 2:
                    width = max(width, len(ln))
        if ln.startswith('"') and not prev_hard:
            wrapped = True
        prev_hard = hard
    return width if wrapped else None


def predict_body(path: Path | str) -> str:
    """The body (text after the header entry) Poedit 3 writes when it saves ``path``.

    Poedit serialises the catalog and reformats it with `msgcat --force-po` at the guessed
    width; this runs the same msgcat on the file itself.
    """
    path = Path(path)
    width = poedit_wrap_width(path.read_text(encoding="utf-8"))
    flag = ["--no-wrap"] if width is None else [f"--width={width}"]
    res = subprocess.run(["msgcat", "--force-po", *flag, str(path)], capture_output=True,
                         timeout=60)
    if res.returncode != 0:
        raise PoeditError(f"msgcat failed on {path}: {res.stderr.decode(errors='replace')}")
    return split_header(res.stdout.decode("utf-8")).body


class PoeditError(RuntimeError):
    """Poedit could not be driven (missing tool, no window, no save, ...)."""


@dataclass
class PoeditRun:
    """What one open-and-save did."""

    path: Path
    before: bytes
    after: bytes
    seconds: float  # wall time from launch to Poedit's exit
    save_seconds: float  # from the key press to the file being replaced
    mo_path: Path | None  # the .mo Poedit compiled beside the PO, if any
    quit_cleanly: bool  # Poedit exited on Ctrl+Q (not killed)
    screenshots: list[Path] = field(default_factory=list)
    log: str = ""  # Poedit's stderr/stdout (GTK noise mostly)


def _need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        raise PoeditError(
            f"missing program(s) {', '.join(missing)}: install the Debian packages "
            "poedit, xvfb and xdotool (`bash .ci/run` does)"
        )


def _ere_escape(text: str) -> str:
    """Escape text for the POSIX extended regex that `xdotool search --name` uses."""
    return "".join("\\" + c if c in r".[]{}()\*+?^$|" else c for c in text)


def xwd_to_png(xwd: Path, png: Path) -> Path:
    """Convert the Xvfb frame buffer (XWD, 24/32-bit TrueColor) into a PNG with the stdlib."""
    data = xwd.read_bytes()
    (hsize, _ver, _fmt, _depth, width, height, _xoff, byte_order, _bu, _bbo, _bp, bpp, bpl,
     _vc, _rm, _gm, _bm, _bpr, _ce, ncolors) = struct.unpack(">20I", data[:80])
    if bpp != 32:
        raise PoeditError(f"{xwd}: unsupported XWD bits per pixel {bpp}")
    off = hsize + 12 * ncolors
    rows = []
    # byte_order 0 = LSBFirst: pixels are B, G, R, X in memory.
    r, g, b = (2, 1, 0) if byte_order == 0 else (1, 2, 3)
    for y in range(height):
        line = data[off + y * bpl: off + y * bpl + width * 4]
        rgb = bytearray(width * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = line[r::4], line[g::4], line[b::4]
        rows.append(b"\x00" + bytes(rgb))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    png.parent.mkdir(parents=True, exist_ok=True)
    # Temp file + rename: parallel test runs in one tree never see a half-written PNG.
    tmp = png.with_name(f".{png.name}.{os.getpid()}.tmp")
    tmp.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + chunk(b"IEND", b"")
    )
    os.replace(tmp, png)
    return png


def _seed_config(home: Path, translator_name: str | None, translator_email: str | None,
                 compile_mo: bool, preserve_formatting: bool) -> None:
    """Write ~/.config/poedit/config (wxFileConfig format) so no first-run UI interferes."""
    lines = [
        f"compile_mo={int(compile_mo)}",
        # "Preserve formatting of existing files" (on by default): keeps line endings and
        # the wrapping width guessed from the file; off = wrap at wrap_po_files_width (79).
        f"keep_crlf={int(preserve_formatting)}",
        "enable_spellchecking=0",  # else a "dictionary for Russian isn't installed" bar
        "check_for_updates=0",
        "manager_startup=0",
    ]
    if translator_name is not None:
        lines.append(f"translator_name={translator_name}")
    if translator_email is not None:
        lines.append(f"translator_email={translator_email}")
    cfg = home / ".config" / "poedit"
    cfg.mkdir(parents=True)
    (cfg / "config").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class _Session:
    """One private Xvfb + Poedit; always cleaned up by close()."""

    def __init__(self, workdir: Path, artifacts: Path) -> None:
        self.workdir = workdir
        self.artifacts = artifacts
        self.xvfb: subprocess.Popen | None = None
        self.poedit: subprocess.Popen | None = None
        self.display = ""
        self.fbdir = workdir / "fb"
        self.logfile = workdir / "poedit.log"
        self.screenshots: list[Path] = []

    # -- X server ---------------------------------------------------------------
    def start_x(self, timeout: float) -> None:
        self.fbdir.mkdir()
        rfd, wfd = os.pipe()
        try:
            # -displayfd: the server picks a free display number and tells us, so parallel
            # runs never collide (the race xvfb-run -a has); -fbdir lets us screenshot.
            self.xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(wfd), "-screen", "0", f"{_SCREEN[0]}x{_SCREEN[1]}x24",
                 "-fbdir", str(self.fbdir), "-nolisten", "tcp"],
                pass_fds=(wfd,), stdout=subprocess.DEVNULL,
                stderr=open(self.workdir / "xvfb.log", "wb"), start_new_session=True,
            )
        finally:
            os.close(wfd)
        deadline = time.monotonic() + timeout
        buf = b""
        with os.fdopen(rfd, "rb", buffering=0) as r:
            os.set_blocking(r.fileno(), False)
            while not buf.endswith(b"\n"):
                if time.monotonic() > deadline or self.xvfb.poll() is not None:
                    log = (self.workdir / "xvfb.log").read_text(errors="replace")[-2000:]
                    raise PoeditError(f"Xvfb did not start within {timeout:.0f}s:\n{log}")
                try:
                    chunk = r.read()
                except BlockingIOError:
                    chunk = None
                if chunk:
                    buf += chunk
                else:
                    time.sleep(0.05)
        self.display = ":" + buf.decode().strip()

    def screenshot(self, name: str) -> Path | None:
        fb = self.fbdir / "Xvfb_screen0"
        if not fb.exists():
            return None
        try:
            png = xwd_to_png(fb, self.artifacts / f"{name}.png")
        except (OSError, struct.error, PoeditError):
            return None
        self.screenshots.append(png)
        return png

    # -- tools ------------------------------------------------------------------
    def env(self, home: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in {"DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
                            "LC_ALL", "LANGUAGE", "LC_MESSAGES", "SESSION_MANAGER"}
               and not k.startswith("XDG_")}
        env.update(
            DISPLAY=self.display, HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
            XDG_CACHE_HOME=str(home / ".cache"), XDG_RUNTIME_DIR=str(home / "run"),
            LANG="C.UTF-8",  # English UI, so screenshots and window titles are predictable
            GDK_BACKEND="x11", NO_AT_BRIDGE="1",  # no accessibility bus to wait for
            DBUS_SESSION_BUS_ADDRESS="disabled:",  # never autolaunch a session bus
        )
        return env

    def xdotool(self, *args: str, timeout: float = 10.0, check: bool = True) -> str:
        try:
            res = subprocess.run(["xdotool", *args], capture_output=True, text=True,
                                 timeout=timeout, env={**os.environ, "DISPLAY": self.display})
        except subprocess.TimeoutExpired as exc:
            raise PoeditError(f"xdotool {' '.join(args)} timed out after {timeout:.0f}s") from exc
        if check and res.returncode != 0:
            raise PoeditError(f"xdotool {' '.join(args)} failed ({res.returncode}): {res.stderr}")
        return res.stdout

    def window_names(self) -> list[str]:
        out = self.xdotool("search", "--onlyvisible", "--name", ".", timeout=5, check=False)
        names = []
        for wid in out.split():
            names.append(self.xdotool("getwindowname", wid, timeout=5, check=False).strip())
        return names

    def log(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")
        except OSError:
            return ""

    def fail(self, message: str) -> PoeditError:
        shot = self.screenshot("failure")
        details = [message, f"visible windows: {self.window_names()!r}"]
        if shot:
            details.append(f"screenshot: {shot}")
        tail = "\n".join(self.log().splitlines()[-20:])
        if tail:
            details.append("poedit output (tail):\n" + tail)
        return PoeditError("\n".join(details))

    # -- teardown ---------------------------------------------------------------
    def close(self) -> None:
        for proc in (self.poedit, self.xvfb):
            if proc is None:
                continue
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    proc.wait(5)
            else:
                # Poedit exited, but a child it started (msgfmt, ...) might linger.
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass


def open_and_save(
    path: Path | str,
    *,
    translator_name: str | None = None,
    translator_email: str | None = None,
    compile_mo: bool = True,
    preserve_formatting: bool = True,
    timeout: float = 90.0,
    artifacts: Path | None = None,
) -> PoeditRun:
    """Open ``path`` in Poedit 3, press Ctrl+S, wait until the file is rewritten, press Ctrl+Q.

    ``translator_name``/``translator_email`` seed Poedit's preferences (then Poedit writes
    Last-Translator); ``compile_mo`` is Poedit's own preference (default on, as for a real
    user, so a ``.mo`` appears beside a ``.po``); ``preserve_formatting`` is the preference
    of that name (default on: wrap at the width guessed from the file, see the module
    doc).  Screenshots go to ``artifacts`` (default ``test-artifacts/poedit/<file name>/``).
    Raises PoeditError, with a screenshot path, the visible windows and Poedit's output,
    when a dialog blocks or any step times out.
    """
    _need("Xvfb", "poedit", "xdotool")
    path = Path(path).resolve()
    if not path.is_file():
        raise PoeditError(f"{path}: no such file")
    artifacts = artifacts or ARTIFACTS / path.name
    artifacts.mkdir(parents=True, exist_ok=True)
    before = path.read_bytes()
    mo_path = path.with_suffix(".mo")
    mo_before = _stamp(mo_path) if mo_path.exists() else None
    start = time.monotonic()
    deadline = start + timeout

    def left() -> float:
        return max(1.0, deadline - time.monotonic())

    with tempfile.TemporaryDirectory(prefix="newsloc-poedit-") as tmp:
        work = Path(tmp)
        home = work / "home"
        (home / "run").mkdir(parents=True, mode=0o700)
        _seed_config(home, translator_name, translator_email, compile_mo,
                     preserve_formatting)
        s = _Session(work, artifacts)
        try:
            s.start_x(min(30.0, left()))
            with open(s.logfile, "wb") as log:
                s.poedit = subprocess.Popen(
                    ["poedit", str(path)], cwd=path.parent, env=s.env(home),
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            # The main window's title starts with the file name ("x.po • Project - Poedit").
            pattern = "^" + _ere_escape(path.name)
            try:
                out = s.xdotool("search", "--sync", "--onlyvisible", "--name", pattern,
                                timeout=min(60.0, left()))
            except PoeditError as exc:
                if s.poedit.poll() is not None:
                    raise s.fail(f"poedit exited with {s.poedit.returncode} before showing "
                                 f"{path.name}") from exc
                raise s.fail(f"no Poedit window titled {path.name!r} appeared") from exc
            wid = out.split()[0]
            title = s.xdotool("getwindowname", wid, timeout=5, check=False).strip()

            def dialogs() -> list[str]:
                # Any other visible top-level window is a dialog (invalid file, wizard, ...)
                # that would swallow the key presses: fail at once and name it.
                return [n for n in s.window_names() if n and n != title]

            time.sleep(0.3)  # let Poedit post any load-time dialog before we look
            s.screenshot("opened")
            if found := dialogs():
                time.sleep(1.0)  # a window still there a second later is a real dialog
                if dialogs() == found:
                    raise s.fail(f"Poedit shows a dialog after opening {path.name}: {found!r}")

            # Press Ctrl+S until the file on disk is replaced.  A second press only
            # happens if the first one was lost (window not yet focused); it is harmless.
            old = _stamp(path)
            t_key = time.monotonic()
            saved = False
            seen: list[str] = []
            for _attempt in range(3):
                s.xdotool("windowfocus", "--sync", wid, timeout=10)
                s.xdotool("key", "--clearmodifiers", "ctrl+s")
                until = time.monotonic() + min(15.0, left())
                next_look = time.monotonic() + 1.0
                while time.monotonic() < until:
                    if path.exists() and _stamp(path) != old:
                        saved = True
                        break
                    if s.poedit.poll() is not None:
                        raise s.fail(f"poedit exited with {s.poedit.returncode} while saving")
                    if time.monotonic() > next_look:
                        # Fail only on a dialog seen twice in a row, so a short-lived
                        # progress window can never be mistaken for a blocking one.
                        found = dialogs()
                        if found and found == seen:
                            raise s.fail(f"Poedit shows a dialog instead of saving: {found!r}")
                        seen = found
                        next_look = time.monotonic() + 1.0
                    time.sleep(0.05)
                if saved or time.monotonic() >= deadline:
                    break
            if not saved:
                raise s.fail(f"{path} was not rewritten after Ctrl+S (waited "
                             f"{time.monotonic() - t_key:.1f}s)")
            save_seconds = time.monotonic() - t_key

            # The .mo is compiled right after the PO is renamed into place.
            mo_done = None
            if compile_mo and path.suffix == ".po":
                until = time.monotonic() + min(10.0, left())
                while time.monotonic() < until:
                    if mo_path.exists() and _stamp(mo_path) != mo_before:
                        mo_done = mo_path
                        break
                    time.sleep(0.05)
            s.screenshot("saved")

            s.xdotool("windowfocus", "--sync", wid, timeout=10, check=False)
            s.xdotool("key", "--clearmodifiers", "ctrl+q", check=False)
            try:
                s.poedit.wait(min(15.0, left()))
                quit_cleanly = True
            except subprocess.TimeoutExpired:
                s.screenshot("quit-timeout")
                quit_cleanly = False
            after = path.read_bytes()
            log_text = s.log()
        finally:
            s.close()
    return PoeditRun(path=path, before=before, after=after, seconds=time.monotonic() - start,
                     save_seconds=save_seconds, mo_path=mo_done, quit_cleanly=quit_cleanly,
                     screenshots=s.screenshots, log=log_text)


if __name__ == "__main__":  # manual use: python tests/poedit.py FILE.po
    import sys

    run = open_and_save(sys.argv[1])
    print(f"saved in {run.save_seconds:.2f}s, total {run.seconds:.2f}s, mo={run.mo_path}, "
          f"quit_cleanly={run.quit_cleanly}, screenshots={[str(p) for p in run.screenshots]}")
