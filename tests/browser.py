"""Render local HTML files in the real headless Chromium (issue 5, section 6).

* ``dump_dom(html)``: the DOM after load (``chromium --headless --dump-dom``).
* ``screenshot(html, png, width, height)``: a PNG of the page (``--screenshot``).
* ``evaluate(html, expression)``: run a JavaScript expression in the loaded page through the
  DevTools protocol over a pipe (``--remote-debugging-pipe``: no port, no extra library) and
  return its JSON value.  DevTools evaluation is not subject to the page's CSP.
* ``link_report(html)``: every ``<a href>`` with its box and whether a click at its centre
  lands on it (the "link is clickable" check of the built edition).

Every run gets a fresh profile in a temporary folder, networking extras off, and a hard
timeout after which the whole process group is killed; stray helper processes (crashpad,
zygote) are killed too.  Artifacts (screenshots, DOM dumps) go under ``test-artifacts/``
(git-ignored): use ``artifact_path("name.png")``.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "browser"

FLAGS = [
    "--headless",
    "--no-sandbox",  # we run as root in CI; the sandbox refuses to start as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
    "--mute-audio",
    "--hide-scrollbars",
]


class BrowserError(RuntimeError):
    """Chromium could not render the page (missing, crashed, timed out)."""


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserError("Chromium not found: install the Debian package chromium "
                       "(`bash .ci/run` does)")


def artifact_path(name: str) -> Path:
    """A path under test-artifacts/browser/ (folder created)."""
    path = ARTIFACTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _url(html_path: Path | str) -> str:
    path = Path(html_path).resolve()
    if not path.is_file():
        raise BrowserError(f"{path}: no such file")
    return path.as_uri()


def _env(profile: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"}}
    # A private HOME: Chromium also writes ~/.pki and ~/.cache, never the user's.
    env.update(HOME=str(profile), XDG_CONFIG_HOME=str(profile / ".config"),
               XDG_CACHE_HOME=str(profile / ".cache"), LANG="C.UTF-8")
    return env


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run(args: list[str], timeout: float, what: str) -> bytes:
    """Run Chromium with a fresh profile; return stdout; BrowserError on failure."""
    with tempfile.TemporaryDirectory(prefix="newsloc-chromium-") as tmp:
        profile = Path(tmp)
        cmd = [find_chromium(), *FLAGS, f"--user-data-dir={profile / 'profile'}", *args]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=_env(profile),
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            proc.communicate()
            raise BrowserError(f"chromium {what} timed out after {timeout:.0f}s") from exc
        finally:
            _kill_group(proc)  # crashpad handler and friends outlive the browser otherwise
        if proc.returncode != 0:
            tail = "\n".join(err.decode(errors="replace").splitlines()[-15:])
            raise BrowserError(f"chromium {what} exited with {proc.returncode}:\n{tail}")
        return out


def dump_dom(html_path: Path | str, *, timeout: float = 60.0, javascript: bool = True,
             save_as: str | None = None) -> str:
    """The serialised DOM of a local HTML file after load (scripts run unless javascript=False).

    ``save_as`` also writes it to test-artifacts/browser/<save_as>.
    """
    if javascript:
        dom = _run(["--dump-dom", _url(html_path)], timeout,
                   f"--dump-dom {html_path}").decode("utf-8")
    else:
        # No command-line switch disables scripts for --dump-dom in this Chromium
        # (--blink-settings=scriptEnabled=false prints nothing), so use DevTools.
        with _page(html_path, javascript=False, timeout=timeout) as (dt, session):
            root = dt.send("DOM.getDocument", {"depth": 0}, session=session)["root"]
            doctype = "<!DOCTYPE html>\n" if root.get("childNodeCount") else ""
            html = dt.send("DOM.getOuterHTML",
                           {"nodeId": root["nodeId"]}, session=session)["outerHTML"]
            dom = html if html.lstrip().lower().startswith("<!doctype") else doctype + html
    if not dom.strip():
        raise BrowserError(f"chromium --dump-dom {html_path} printed nothing")
    if save_as:
        artifact_path(save_as).write_text(dom, encoding="utf-8")
    return dom


def screenshot(html_path: Path | str, png_path: Path | str, width: int = 1280,
               height: int = 900, *, timeout: float = 60.0) -> Path:
    """Save a PNG screenshot (viewport width x height) of a local HTML file."""
    png = Path(png_path).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    # Chromium writes a fresh temporary name, renamed into place: a stale PNG from an
    # earlier run can never pass for this one, and parallel runs never see half a file.
    tmp = png.with_name(f".{png.stem}.{os.getpid()}.{time.monotonic_ns()}.png")
    try:
        _run([f"--screenshot={tmp}", f"--window-size={width},{height}", _url(html_path)],
             timeout, f"--screenshot {html_path}")
        if not tmp.is_file() or tmp.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            raise BrowserError(f"chromium wrote no PNG for {html_path}")
        os.replace(tmp, png)
    finally:
        tmp.unlink(missing_ok=True)
    return png


_FD_WRAPPER = """
import fcntl, os, sys
a, b = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3])
for fd in sys.argv[1:3]:
    os.close(int(fd))
os.dup2(a, 3)
os.dup2(b, 4)
os.close(a)
os.close(b)
os.execv(sys.argv[3], sys.argv[3:])
"""


class _DevTools:
    """Minimal DevTools protocol client over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self, timeout: float, width: int, height: int) -> None:
        self.deadline = time.monotonic() + timeout
        self.tmp = tempfile.TemporaryDirectory(prefix="newsloc-chromium-")
        profile = Path(self.tmp.name)
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium wants the pipe on exactly fds 3 and 4; a tiny exec wrapper puts them
        # there (moving both out of the way first, in case either already is 3 or 4).
        cmd = [sys.executable, "-c", _FD_WRAPPER, str(to_chrome_r), str(from_chrome_w),
               find_chromium(), *FLAGS, f"--user-data-dir={profile / 'profile'}",
               "--remote-debugging-pipe", f"--window-size={width},{height}", "about:blank"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=_env(profile),
                                     pass_fds=(to_chrome_r, from_chrome_w),
                                     start_new_session=True)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events: list[dict] = []

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.send("Browser.close", timeout=5)
                except BrowserError:
                    pass
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            _kill_group(self.proc)
            self.proc.wait()
            if self.proc.stderr:
                self.proc.stderr.close()
            for fd in (self.to_chrome, self.from_chrome):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.tmp.cleanup()

    def _read_message(self, until: float) -> dict:
        while b"\0" not in self.buf:
            left = until - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium DevTools: timed out waiting for a reply")
            ready, _, _ = select.select([self.from_chrome], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(self.from_chrome, 1 << 16)
                if not chunk:
                    raise BrowserError(f"chromium exited (status {self.proc.poll()}) "
                                       "during a DevTools call")
                self.buf += chunk
        raw, _, self.buf = self.buf.partition(b"\0")
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        until = min(self.deadline, time.monotonic() + timeout) if timeout else self.deadline
        while True:
            reply = self._read_message(until)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"DevTools {method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: str) -> dict:
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method and ev.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message(self.deadline))


@contextlib.contextmanager
def _page(html_path: Path | str, *, width: int = 1280, height: int = 900,
          timeout: float = 60.0, javascript: bool = True) -> Iterator[tuple[_DevTools, str]]:
    """A browser with the page loaded (load event fired): yields (client, session id)."""
    url = _url(html_path)
    dt = _DevTools(timeout, width, height)
    try:
        target = dt.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = dt.send("Target.attachToTarget",
                          {"targetId": target, "flatten": True})["sessionId"]
        dt.send("Page.enable", session=session)
        dt.send("Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session)
        if not javascript:
            dt.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
        nav = dt.send("Page.navigate", {"url": url}, session=session)
        if nav.get("errorText"):
            raise BrowserError(f"chromium could not load {url}: {nav['errorText']}")
        dt.wait_event("Page.loadEventFired", session)
        yield dt, session
    finally:
        dt.close()


def evaluate(html_path: Path | str, expression: str, *, width: int = 1280, height: int = 900,
             timeout: float = 60.0) -> Any:
    """Load a local HTML file and return the JSON value of a JavaScript expression.

    The expression may return a Promise (it is awaited).  Exceptions thrown by it become
    BrowserError with the page's message.
    """
    with _page(html_path, width=width, height=height, timeout=timeout) as (dt, session):
        res = dt.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True}, session=session)
    if "exceptionDetails" in res:
        details = res["exceptionDetails"]
        text = details.get("exception", {}).get("description") or details.get("text")
        raise BrowserError(f"JavaScript error in {html_path}: {text}")
    return res["result"].get("value")


# For each link: scroll it into view, then ask the page which element a click at the centre
# of its first box would hit.  Clickable = visible, non-empty box, and the hit element is the
# link itself or inside it (nothing covers it).
_LINKS_JS = r"""
(() => Array.from(document.querySelectorAll('a[href]')).map(a => {
  a.scrollIntoView({block: 'center', inline: 'center'});
  const box = a.getClientRects()[0];
  const style = getComputedStyle(a);
  let hit = null;
  if (box && box.width > 0 && box.height > 0) {
    hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  }
  return {
    href: a.getAttribute('href'),
    resolved: a.href,
    text: a.textContent,
    lang: a.closest('[lang]') ? a.closest('[lang]').getAttribute('lang') : null,
    width: box ? box.width : 0,
    height: box ? box.height : 0,
    visible: !!box && style.visibility !== 'hidden' && style.display !== 'none',
    clickable: !!hit && (hit === a || a.contains(hit)),
  };
}))()
"""


def link_report(html_path: Path | str, *, width: int = 1280, height: int = 900,
                timeout: float = 60.0) -> list[dict]:
    """Every <a href> of the page: href, text, box size, visible, clickable (see _LINKS_JS)."""
    return evaluate(html_path, _LINKS_JS, width=width, height=height, timeout=timeout)
