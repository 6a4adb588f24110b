"""``paiban serve``: a live preview for designers, and ``paiban preview --watch``.

A small HTTP server on the loopback address only.  A watcher thread polls the spec, the
files it names (images, fonts) and re-renders the page (PNG with the overlay) within a
fraction of a second of a change; the browser page polls ``/state.json`` and swaps the
image and the problem list when the version changes.  Beside the problems it lists the
copyfit suggestions (docs/fit.md) of every overflowing or underfull article, worked out
only when an article is off; ``--fit`` shows the page with them applied.  A broken spec
shows its ``FILE:LINE`` errors on the page instead of stopping the server.  Only the
preview and files under the spec's folder are served.

Loopback is not a wall: any web page the designer opens can make the browser send
requests to ``127.0.0.1``, and a hostile DNS name that resolves to ``127.0.0.1`` (DNS
rebinding) would even let that page read the answers.  So the server answers only
requests addressed to its own loopback name and port (the ``Host`` header), serves
plain files under the spec's folder and nothing else, streams them with a size bound,
and answers every bad request with a short 4xx instead of a dropped connection.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from layout.memo import Memo, front_end_memo
from layout.safeio import FONT_MAX_BYTES, IMAGE_MAX_BYTES, SPEC_MAX_BYTES, UnreadableFile, open_regular

#: How often the watcher looks at the files, seconds (a few stat calls each time).
POLL_SECONDS = 0.05
#: The only address served: previews are for the designer's own machine.
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765
#: The names a browser on this machine uses for the server; with the bound port they are
#: the only ``Host`` headers answered (anything else is DNS rebinding or a confused proxy).
LOOPBACK_NAMES = (LOOPBACK, "localhost")
#: The port a browser leaves out of the ``Host`` header.
HTTP_DEFAULT_PORT = 80
#: Files under the spec's folder are its images and fonts; nothing larger is served.
SERVED_FILE_MAX_BYTES = max(IMAGE_MAX_BYTES, FONT_MAX_BYTES)
#: Bytes read and sent at a time when serving a file: memory stays bounded whatever its size.
STREAM_CHUNK_BYTES = 256 * 1024
#: Longest request target answered (a photo path is well under 300 characters).
MAX_TARGET_CHARS = 2048
#: Seconds a connection may stay silent before it is closed, so a stalled client cannot
#: hold a server thread for ever.
REQUEST_TIMEOUT_SECONDS = 30
#: Methods answered; every other one gets 405.
ALLOWED_METHODS = ("GET", "HEAD")
FILES_PREFIX = "/files/"

_NOT_FOUND = "not found · 找不到"
_BAD_PATH = "bad request path · 请求路径无效"


class Refused(Exception):
    """A request answered with an error status and a short plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# -- reading a request, pure -------------------------------------------------------------

def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` header values a request to this server may carry."""
    names = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    if port == HTTP_DEFAULT_PORT:
        names.update(LOOPBACK_NAMES)
    return frozenset(names)


def check_host(values: list[str], port: int) -> None:
    """Refuse (421) a request without exactly one ``Host`` header naming this server."""
    if len(values) != 1 or values[0].strip() not in allowed_hosts(port):
        raise Refused(421, f"this preview answers only to http://{LOOPBACK}:{port}/ · "
                           f"本预览只接受 http://{LOOPBACK}:{port}/ 的请求")


def request_path(target: str) -> str:
    """The decoded path of a request target in origin form (``/a%20b?x`` → ``/a b``).

    Raises:
        Refused: 414 for an overlong target; 400 for one not starting with ``/``
            (absolute or authority form), with raw non-ASCII bytes, with bytes that are not UTF-8 once
            percent-decoded, or with control characters (NUL included).
    """
    if len(target) > MAX_TARGET_CHARS:
        raise Refused(414, f"request path longer than {MAX_TARGET_CHARS} characters · 请求路径过长")
    if not target.startswith("/") or not target.isascii():  # browsers percent-encode the rest
        raise Refused(400, _BAD_PATH)
    raw = target.split("?", 1)[0].split("#", 1)[0]
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, _BAD_PATH) from None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        raise Refused(400, _BAD_PATH)
    return path


def file_parts(relative: str) -> tuple[str, ...]:
    """The names along a path under ``/files/``: plain names only.

    Empty names (an absolute path, ``//``), ``.``, ``..`` and hidden names (``.git``,
    ``.env``: never a photo or a font) are refused with 404.
    """
    parts = tuple(relative.split("/"))
    if any(not part or part.startswith(".") for part in parts):
        raise Refused(404, _NOT_FOUND)
    return parts


def inside(folder: Path, parts: tuple[str, ...]) -> Path:
    """``folder/parts`` with symbolic links resolved, when it stays under ``folder``
    (already resolved); 404 otherwise (a link out of the folder, a link loop)."""
    try:
        target = folder.joinpath(*parts).resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symbolic link loop
        raise Refused(404, _NOT_FOUND) from None
    if folder not in target.parents:
        raise Refused(404, _NOT_FOUND)
    return target


# -- the preview -------------------------------------------------------------------------

class Preview:
    """The current rendering of one spec; rebuilt by the watcher, read by the handlers."""

    def __init__(self, spec: Path, dpi: int, render: Any):
        self.spec = spec
        self.dpi = dpi
        self._render = render  # (spec, dpi) -> (png bytes, state dict, watched paths); raises nothing
        self.lock = threading.Lock()
        self.version = 0
        self.png = b""
        self.state: dict[str, Any] = {}
        self.watched: list[Path] = [spec]
        self._stamps: dict[Path, float | None] = {}

    def refresh(self) -> bool:
        """Re-render when any watched file changed; True when a new version was made."""
        stamps = {path: _mtime(path) for path in self.watched}
        if stamps == self._stamps and self.version:
            return False
        png, state, watched = self._render(self.spec, self.dpi)
        with self.lock:
            self.version += 1
            if png:
                self.png = png
            self.state = {**state, "version": self.version, "rendered_at": time.time()}
            self.watched = [self.spec, *watched]
            self._stamps = {path: _mtime(path) for path in self.watched}
        return True

    def watch(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.refresh()
            stop.wait(POLL_SECONDS)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _failed(message: str) -> tuple[bytes, dict[str, Any], list[Path]]:
    return b"", {"ok": False, "errors": [message], "problems": [], "blocks": [], "fits": []}, []


def spec_unreadable(spec: Path) -> str | None:
    """Why ``spec`` must not be rendered (a FIFO, a folder, over
    :data:`~layout.safeio.SPEC_MAX_BYTES`), as a ``FILE:LINE`` error; None when it may.

    Checked on an open descriptor, so a FIFO never blocks the watcher.
    """
    try:
        os.close(open_regular(spec, SPEC_MAX_BYTES))
    except UnreadableFile as exc:
        return f"{spec}:0: cannot read the spec: {exc.reason} · 无法读取版式文件，未排版"
    return None


def render_for_preview(spec: Path, dpi: int, memo: Memo | None = None,
                       lang: str = "en", fit: bool = False) -> tuple[bytes, dict[str, Any], list[Path]]:
    """PNG with overlay, the state shown beside it (messages in ``lang``), and the files
    to watch; never raises.

    The state's ``fits`` are the copyfit suggestions of the overflowing and underfull
    articles (the fitter runs only when an article is off); ``fit`` (``serve --fit``):
    the page is drawn with them applied, and they say so.

    ``memo`` lives as long as the preview: a re-render recomposes only what changed, and a
    font or photo replaced on disk is known by its new identity, read again everywhere."""
    unreadable = spec_unreadable(spec)
    if unreadable:
        return _failed(unreadable)
    memo = memo if memo is not None else Memo()
    from layout.check import spec_report
    from layout.cli import MAX_PREVIEW_PIXELS
    from layout.page import lay_out_fitted
    from layout.render.images import make_probe
    from layout.render.pdf import page_boxes
    from layout.render.png import render_png
    from layout.spec.data import Photo
    from layout.spec.load import SpecInvalid, load_spec

    try:
        loaded = load_spec(spec, memo)
    except SpecInvalid as exc:
        return b"", {"ok": False, "errors": [e.render(lang) for e in exc.errors], "problems": [], "blocks": [],
                     "fits": []}, []
    try:
        layout = lay_out_fitted(loaded, fit, probe=lambda press: make_probe(press, memo), memo=memo)
        width, height = page_boxes(layout).media
        pixels = (width / 72 * dpi) * (height / 72 * dpi)
        if pixels > MAX_PREVIEW_PIXELS:
            return _failed(f"{spec}:0: a {dpi} dpi preview of this page would be {pixels / 1e6:.0f} megapixels "
                           f"(limit {MAX_PREVIEW_PIXELS / 1e6:.0f}); use a lower --dpi · 预览像素过多，请降低 --dpi")
        png = render_png(layout, dpi=dpi, overlay=True, live=True, memo=memo)
    except Exception as exc:  # noqa: BLE001 - a preview shows the failure instead of dying
        return _failed(f"{spec}: cannot render: {exc} · 无法排版")
    report = spec_report(str(spec), layout).as_json(lang)
    files = [loaded.folder / b.src for b in loaded.spec.blocks if isinstance(b, Photo) and b.src]
    files += [loaded.folder / f for f in loaded.spec.fonts.values()]
    state = {"ok": report["ok"], "errors": [], "problems": report["problems"], "blocks": report["blocks"],
             "fits": fit_state(layout.fits, lang)}
    return png, state, files


def fit_state(fits: tuple[Any, ...], lang: str = "en") -> list[dict[str, Any]]:
    """The copyfit suggestions as the page shows them: the report's ``fits`` entries
    (layout/fit.py ``FitResult.as_json``) with the article's spec line."""
    return [{**f.as_json(lang), "line": f.line} for f in fits]


# -- the page ----------------------------------------------------------------------------

STYLE = """
body { margin: 0; font: 14px sans-serif; display: flex; background: #ddd; }
#page { flex: 1; overflow: auto; text-align: center; padding: 12px; }
#page img { max-width: 100%; box-shadow: 0 0 8px #888; background: #fff; }
#side { width: 340px; padding: 12px; background: #fafafa; overflow: auto; height: 100vh; box-sizing: border-box; }
.error { color: #b00; white-space: pre-wrap; font-family: monospace; }
.problem.error { color: #b00; } .problem.warning { color: #a60; } .problem.note { color: #555; }
.fit.fits { color: #060; } .fit.cut { color: #b00; } .fit.applied { font-weight: bold; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: 2px 4px; }
"""

SCRIPT = """
let version = -1;
async function poll() {
  try {
    const state = await (await fetch('/state.json', {cache: 'no-store'})).json();
    if (state.version !== version) {
      version = state.version;
      document.getElementById('img').src = '/page.png?v=' + version;
      document.getElementById('status').textContent = (state.ok ? 'ok' : 'problems') + ' · version ' + version;
      document.getElementById('status').dataset.version = version;
      document.getElementById('errors').textContent = state.errors.join('\\n');
      document.getElementById('problems').innerHTML = state.problems.map(p =>
        '<li class="problem ' + (p.severity || 'error') + '">' + escape(p.message) + '</li>').join('');
      const fits = state.fits || [];
      document.getElementById('fits-head').hidden = fits.length === 0;
      document.getElementById('fits').innerHTML = fits.map(f =>
        '<li class="fit ' + (f.fits ? 'fits' : 'cut') + (f.applied ? ' applied' : '') + '" data-article="' +
        escape(f.article) + '">' + escape(f.message) + '</li>').join('');
      document.getElementById('blocks').innerHTML = '<tr><th>id</th><th>status</th><th>lines</th></tr>' +
        state.blocks.map(b => '<tr title="columns used: ' + b.columns_used.join(', ') + '"><td>' + escape(b.id) +
          '</td><td>' + b.status + '</td><td>' + b.lines_needed + ' / ' + b.lines_capacity + '</td></tr>').join('');
    }
  } catch (e) { document.getElementById('status').textContent = 'server stopped'; }
  setTimeout(poll, 150);
}
function escape(s) { const d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
poll();
"""

PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>paiban · {title}</title>
<style>{style}</style></head>
<body><div id="page"><img id="img" alt="page preview"></div>
<div id="side"><h3>{title}</h3><div id="status">loading…</div><div id="errors" class="error"></div>
<h4>Problems</h4><ul id="problems"></ul>
<h4 id="fits-head" hidden>Copyfit · 压行/拉行</h4><ul id="fits"></ul>
<h4>Frames: lines needed / capacity</h4>
<table id="blocks"></table></div>
<script>{script}</script></body></html>
"""


def csp_hash(source: str) -> str:
    """A CSP hash source allowing exactly this inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


#: The page runs its own inline script and style and nothing else: it reads /state.json
#: and /page.png from this server, and may not be framed, post forms or load anything.
PAGE_CSP = (f"default-src 'none'; script-src {csp_hash(SCRIPT)}; style-src {csp_hash(STYLE)}; "
            "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
#: Everything else (state, PNG, files, errors) is data, never a document that runs.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def page_html(title: str) -> bytes:
    return PAGE.format(title=html.escape(title), style=STYLE, script=SCRIPT).encode()


# -- the server --------------------------------------------------------------------------

def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    folder = preview.spec.parent.resolve()

    class Handler(BaseHTTPRequestHandler):
        timeout = REQUEST_TIMEOUT_SECONDS
        _with_body = True
        _started = False

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet server
            return

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self._answer(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802 - the http.server API
            self._answer(with_body=False)

        def __getattr__(self, name: str) -> Any:
            # http.server looks up ``do_<METHOD>`` and answers 501 when missing; every
            # method but GET and HEAD is a client error here (405), after the Host check.
            if name.startswith("do_"):
                return self._not_allowed
            raise AttributeError(name)

        def _not_allowed(self) -> None:
            self._with_body = True
            try:
                check_host(self.headers.get_all("Host") or [], self._port())
                raise Refused(405, "only GET and HEAD · 只支持 GET 和 HEAD")
            except Refused as refused:
                self.send_error(refused.status, refused.message)

        def _port(self) -> int:
            return int(self.server.server_address[1])  # type: ignore[index] # an (address, port) pair

        def _answer(self, with_body: bool) -> None:
            self._with_body = with_body
            try:
                check_host(self.headers.get_all("Host") or [], self._port())
                self._route(request_path(self.path))
            except Refused as refused:
                self.send_error(refused.status, refused.message)
            except ConnectionError:
                self.close_connection = True  # the client went away: nothing to answer
            except Exception as exc:  # noqa: BLE001 - one bad request must not take the server down
                report_failure(exc)
                if self._started:
                    self.close_connection = True
                else:
                    self.send_error(500, "internal error · 内部错误")

        def _route(self, path: str) -> None:
            if path == "/":
                self._send(page_html(preview.spec.name), "text/html; charset=utf-8", PAGE_CSP)
            elif path == "/state.json":
                with preview.lock:
                    body = json.dumps(preview.state, ensure_ascii=False).encode()
                self._send(body, "application/json")
            elif path == "/page.png":
                with preview.lock:
                    png = preview.png
                if not png:
                    raise Refused(404, "no rendering yet · 尚未排版")
                self._send(png, "image/png")
            elif path.startswith(FILES_PREFIX):
                self._file(inside(folder, file_parts(path.removeprefix(FILES_PREFIX))))
            else:
                raise Refused(404, _NOT_FOUND)

        def _file(self, target: Path) -> None:
            # ``inside`` resolved every link; refusing one at the last step now closes the
            # gap of a link swapped in between the two.
            try:
                fd = open_regular(target, SERVED_FILE_MAX_BYTES, follow_links=False)
            except UnreadableFile as exc:
                raise Refused(404, f"not served: {exc.reason} · 不提供此文件") from None
            try:
                size = os.fstat(fd).st_size
                self._start(200, "application/octet-stream", size)
                if self._with_body:
                    self._stream(fd, size)
            finally:
                os.close(fd)

        def _stream(self, fd: int, size: int) -> None:
            """Send ``size`` bytes of ``fd`` a chunk at a time; a file that shrinks or
            fails meanwhile, or a client that leaves, ends the connection quietly."""
            remaining = size
            try:
                while remaining:
                    chunk = os.read(fd, min(STREAM_CHUNK_BYTES, remaining))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    remaining -= len(chunk)
            except OSError:
                pass
            if remaining:
                self.close_connection = True

        def _start(self, status: int, kind: str, length: int, csp: str = DATA_CSP,
                   extra: tuple[tuple[str, str], ...] = ()) -> None:
            self._started = True
            self.send_response(status)
            for name, value in (("Content-Type", kind), ("Content-Length", str(length)),
                                ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
                                ("Content-Security-Policy", csp), ("Referrer-Policy", "no-referrer"), *extra):
                self.send_header(name, value)
            self.end_headers()

        def _send(self, body: bytes, kind: str, csp: str = DATA_CSP) -> None:
            self._start(200, kind, len(body), csp)
            if self._with_body:
                self.wfile.write(body)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """Every error, ours and http.server's (bad request line, overlong headers):
            a short plain-text body, never HTML, and the connection closed."""
            phrase = self.responses.get(code, ("error",))[0]
            body = f"{code} {phrase}\n{message or ''}\n".encode()
            self.close_connection = True
            extra: tuple[tuple[str, str], ...] = (("Connection", "close"),)
            if code == 405:
                extra += (("Allow", ", ".join(ALLOWED_METHODS)),)
            with_body = self._with_body and self.command != "HEAD"
            # a request line that failed to parse leaves HTTP/0.9, which has no status line:
            # answer as HTTP/1.0 so the client sees why (no HTTP/0.9 request has a Host anyway)
            self.request_version = "HTTP/1.0" if self.request_version == "HTTP/0.9" else self.request_version
            try:
                self._start(code, "text/plain; charset=utf-8", len(body), extra=extra)
                if with_body:
                    self.wfile.write(body)
            except ConnectionError:
                pass

    return Handler


def report_failure(exc: BaseException) -> None:
    """One line on stderr for a request that failed inside the server (not a traceback)."""
    print(f"paiban serve: a request failed ({type(exc).__name__}: {exc}) · 请求处理出错", file=sys.stderr, flush=True)


class PreviewServer(ThreadingHTTPServer):
    """The loopback server; a client that closes its connection early is not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if exc is None or isinstance(exc, (ConnectionError, TimeoutError)):
            return
        report_failure(exc)


def bind(preview: Preview, port: int) -> PreviewServer:
    """The server for ``preview`` bound to the loopback address (port 0: a free one)."""
    return PreviewServer((LOOPBACK, port), make_handler(preview))


def serve(spec: Path, port: int, dpi: int, memo: Memo | None = None, lang: str = "en", fit: bool = False) -> None:
    """Serve the live preview until interrupted; problems, errors and copyfit suggestions
    in ``lang``; ``fit``: the page drawn with the copyfit adjustments applied."""
    memo = memo if memo is not None else front_end_memo()  # the front end's own, with its warnings said
    preview = Preview(spec, dpi, lambda path, resolution: render_for_preview(path, resolution, memo, lang, fit))
    preview.refresh()
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    server = bind(preview, port)
    address = f"http://{LOOPBACK}:{server.server_address[1]}/"
    print(f"paiban：正在预览 {spec}，地址 {address}（按 Ctrl-C 停止）" if lang == "zh" else
          f"paiban: previewing {spec} at {address} (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()


def watch_png(spec: Path, output: Path, dpi: int, write: Any, memo: Memo | None = None) -> None:
    """``preview --watch``: rewrite the PNG whenever the spec or its files change."""
    memo = memo if memo is not None else front_end_memo()  # the front end's own, with its warnings said
    preview = Preview(spec, dpi, lambda path, resolution: render_for_preview(path, resolution, memo))
    try:
        while True:
            if preview.refresh():
                state = preview.state
                for error in state.get("errors", []):
                    print(error, flush=True)
                if preview.png and not state.get("errors"):
                    write(output, preview.png)
                    print(f"{output}: version {state['version']}, {len(state['problems'])} problems", flush=True)
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        return
