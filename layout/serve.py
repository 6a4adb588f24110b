"""``paiban serve``: a live preview for designers, and ``paiban preview --watch``.

A small HTTP server on the loopback address only.  A watcher thread polls the spec, the
files it names (images, fonts) and re-renders the page (PNG with the overlay) within a
fraction of a second of a change; the browser page polls ``/state.json`` and swaps the
image and the problem list when the version changes.  A broken spec shows its
``FILE:LINE`` errors on the page instead of stopping the server.  Only the preview and
files under the spec's folder are served.
"""

from __future__ import annotations

import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from layout.memo import Memo, front_end_memo

#: How often the watcher looks at the files, seconds (a few stat calls each time).
POLL_SECONDS = 0.05
#: The only address served: previews are for the designer's own machine.
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765


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


def render_for_preview(spec: Path, dpi: int, memo: Memo) -> tuple[bytes, dict[str, Any], list[Path]]:
    """PNG with overlay, the state shown beside it, and the files to watch; never raises.

    ``memo`` lives as long as the preview: a re-render recomposes only what changed, and a
    font or photo replaced on disk is known by its new identity, read again everywhere."""
    from layout.check import spec_report
    from layout.page import lay_out_page
    from layout.render.images import make_probe
    from layout.render.png import render_png
    from layout.spec.data import Photo
    from layout.spec.load import SpecInvalid, load_spec

    try:
        loaded = load_spec(spec, memo)
    except SpecInvalid as exc:
        return b"", {"ok": False, "errors": [str(e) for e in exc.errors], "problems": [], "blocks": []}, []
    try:
        layout = lay_out_page(loaded, probe=lambda press: make_probe(press, memo), memo=memo)
        png = render_png(layout, dpi=dpi, overlay=True, live=True, memo=memo)
    except Exception as exc:  # noqa: BLE001 - a preview shows the failure instead of dying
        return b"", {"ok": False, "errors": [f"{spec}: cannot render: {exc}"], "problems": [], "blocks": []}, []
    report = spec_report(str(spec), layout)
    files = [loaded.folder / b.src for b in loaded.spec.blocks if isinstance(b, Photo) and b.src]
    files += [loaded.folder / f for f in loaded.spec.fonts.values()]
    return png, {"ok": report["ok"], "errors": [], "problems": report["problems"], "blocks": report["blocks"]}, files


PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>paiban · {title}</title>
<style>
body {{ margin: 0; font: 14px sans-serif; display: flex; background: #ddd; }}
#page {{ flex: 1; overflow: auto; text-align: center; padding: 12px; }}
#page img {{ max-width: 100%; box-shadow: 0 0 8px #888; background: #fff; }}
#side {{ width: 340px; padding: 12px; background: #fafafa; overflow: auto; height: 100vh; box-sizing: border-box; }}
.error {{ color: #b00; white-space: pre-wrap; font-family: monospace; }}
.problem.error {{ color: #b00; }} .problem.warning {{ color: #a60; }} .problem.note {{ color: #555; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #ddd; padding: 2px 4px; }}
</style></head>
<body><div id="page"><img id="img" alt="page preview"></div>
<div id="side"><h3>{title}</h3><div id="status">loading…</div><div id="errors" class="error"></div>
<h4>Problems</h4><ul id="problems"></ul><h4>Frames: lines needed / capacity</h4>
<table id="blocks"></table></div>
<script>
let version = -1;
async function poll() {{
  try {{
    const state = await (await fetch('/state.json', {{cache: 'no-store'}})).json();
    if (state.version !== version) {{
      version = state.version;
      document.getElementById('img').src = '/page.png?v=' + version;
      document.getElementById('status').textContent = (state.ok ? 'ok' : 'problems') + ' · version ' + version;
      document.getElementById('status').dataset.version = version;
      document.getElementById('errors').textContent = state.errors.join('\\n');
      document.getElementById('problems').innerHTML = state.problems.map(p =>
        '<li class="problem ' + (p.severity || 'error') + '">' + escape(p.message) + '</li>').join('');
      document.getElementById('blocks').innerHTML = '<tr><th>id</th><th>status</th><th>lines</th></tr>' +
        state.blocks.map(b => '<tr title="columns used: ' + b.columns_used.join(', ') + '"><td>' + escape(b.id) +
          '</td><td>' + b.status + '</td><td>' + b.lines_needed + ' / ' + b.lines_capacity + '</td></tr>').join('');
    }}
  }} catch (e) {{ document.getElementById('status').textContent = 'server stopped'; }}
  setTimeout(poll, 150);
}}
function escape(s) {{ const d = document.createElement('div'); d.textContent = s; return d.innerHTML; }}
poll();
</script></body></html>
"""


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    folder = preview.spec.parent.resolve()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet server
            return

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = unquote(urlparse(self.path).path)
            if path == "/":
                self._send(PAGE.format(title=html.escape(preview.spec.name)).encode(), "text/html; charset=utf-8")
            elif path == "/state.json":
                with preview.lock:
                    body = json.dumps(preview.state, ensure_ascii=False).encode()
                self._send(body, "application/json")
            elif path == "/page.png":
                with preview.lock:
                    png = preview.png
                self._send(png, "image/png") if png else self.send_error(404, "no rendering yet")
            elif path.startswith("/files/"):
                self._file(path.removeprefix("/files/"))
            else:
                self.send_error(404)

        def _file(self, relative: str) -> None:
            target = (folder / relative).resolve()
            if folder not in target.parents or not target.is_file():
                self.send_error(404)  # only files under the spec's folder
                return
            self._send(target.read_bytes(), "application/octet-stream")

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(spec: Path, port: int, dpi: int) -> None:
    """Serve the live preview until interrupted."""
    memo = front_end_memo()
    preview = Preview(spec, dpi, lambda path, resolution: render_for_preview(path, resolution, memo))
    preview.refresh()
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    server = ThreadingHTTPServer((LOOPBACK, port), make_handler(preview))
    print(f"paiban: previewing {spec} at http://{LOOPBACK}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()


def watch_png(spec: Path, output: Path, dpi: int, write: Any) -> None:
    """``preview --watch``: rewrite the PNG whenever the spec or its files change."""
    memo = front_end_memo()
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
