"""``paiban serve`` against hostile requests (issue 10).

The server runs in-process on a free loopback port with a stand-in renderer (the page
itself is tested in a browser by tests/test_serve.py); requests are written as raw bytes
on a socket so nothing on the client side tidies them up.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import shutil
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from layout import serve
from layout.safeio import SPEC_MAX_BYTES
from tests.conftest import REPO

#: A FIFO or a refused request must be answered well within this many seconds.
ANSWER_SECONDS = 2.0
#: Only in the state of the stand-in rendering: a response carrying it leaked the state.
STATE_MARKER = "state-" + secrets.token_hex(8)
PNG = b"\x89PNG fake " + secrets.token_bytes(16)
SECRET = b"secret-" + secrets.token_hex(8).encode()
PHOTO = secrets.token_bytes(5000)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Served:
    port: int
    folder: Path
    preview: serve.Preview


def fake_render(spec: Path, dpi: int) -> tuple[bytes, dict[str, Any], list[Path]]:
    return PNG, {"ok": True, "errors": [], "problems": [], "blocks": [], "marker": STATE_MARKER}, []


def ask(port: int, request: bytes, timeout: float = ANSWER_SECONDS) -> Answer:
    """Send raw request bytes and read the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(1 << 16):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/1\.[01] (\d{3}) ", lines[0])
    assert match, f"no status line in {data[:200]!r}"
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return Answer(int(match.group(1)), headers, body)


def get(port: int, target: str | bytes, host: str | None = "own", method: str = "GET") -> Answer:
    target = target if isinstance(target, bytes) else target.encode()
    host_line = b"" if host is None else f"Host: {f'127.0.0.1:{port}' if host == 'own' else host}\r\n".encode()
    return ask(port, method.encode() + b" " + target + b" HTTP/1.1\r\n" + host_line + b"Connection: close\r\n\r\n")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    folder = tmp_path / "spec"
    (folder / "images").mkdir(parents=True)
    (folder / "page.yaml").write_text("page: {}\n", encoding="utf-8")
    (folder / "images" / "photo.jpg").write_bytes(PHOTO)
    (folder / ".hidden").write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (folder / "out").symlink_to(tmp_path / "secret.txt")
    (folder / "images" / "up").symlink_to(Path("..") / ".." / "secret.txt")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "folder").mkdir()
    os.mkfifo(folder / "pipe")
    preview = serve.Preview(folder / "page.yaml", 30, fake_render)
    preview.refresh()
    server = serve.bind(preview, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Served(server.server_address[1], folder, preview)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def assert_alive(port: int) -> None:
    answer = get(port, "/state.json")
    assert answer.status == 200 and STATE_MARKER.encode() in answer.body


def assert_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert err == ""


# -- Host ----------------------------------------------------------------------------------

def test_own_names_are_answered(served: Served) -> None:
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}"):
        answer = get(served.port, "/state.json", host)
        assert answer.status == 200, host
        assert STATE_MARKER.encode() in answer.body
        assert get(served.port, "/page.png", host).body == PNG
        assert get(served.port, "/files/images/photo.jpg", host).body == PHOTO


FOREIGN_HOSTS = [
    "evil.example:{port}",
    None,  # no Host at all
    "127.0.0.1",  # no port: a browser sends this only for port 80
    "localhost",
    "127.0.0.1.evil.example:{port}",
    "localhost.evil.example:{port}",
    "127.0.0.1:{port}.evil.example",
    "127.0.0.1:{other}",
    "[::1]:{port}",  # not bound there
    "0.0.0.0:{port}",
    "127.0.0.2:{port}",
    "",
    "127.0.0.1:{port}@evil.example",
]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
@pytest.mark.parametrize("target", ["/", "/state.json", "/page.png", "/files/images/photo.jpg"])
def test_foreign_hosts_are_refused(served: Served, capfd: pytest.CaptureFixture[str], host: str | None,
                                   target: str) -> None:
    named = None if host is None else host.format(port=served.port, other=served.port + 1)
    answer = get(served.port, target, named)
    assert answer.status in (421, 403), (named, answer)
    for leaked in (STATE_MARKER.encode(), PNG, PHOTO, b"<script"):
        assert leaked not in answer.body
    assert len(answer.body) < 300  # a short message, not a page
    assert_alive(served.port)
    assert_quiet(capfd)


def test_two_host_headers_are_refused(served: Served) -> None:
    request = (f"GET /state.json HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nHost: evil.example:{served.port}\r\n"
               "Connection: close\r\n\r\n").encode()
    answer = ask(served.port, request)
    assert answer.status == 421
    assert STATE_MARKER.encode() not in answer.body


def test_http10_request_without_host_is_refused(served: Served) -> None:
    answer = ask(served.port, b"GET /state.json HTTP/1.0\r\n\r\n")
    assert answer.status == 421
    assert STATE_MARKER.encode() not in answer.body


def test_other_methods_from_a_foreign_host_are_refused_before_405(served: Served) -> None:
    answer = get(served.port, "/state.json", f"evil.example:{served.port}", method="POST")
    assert answer.status == 421


def test_bare_loopback_name_is_own_only_on_port_80() -> None:
    assert "127.0.0.1" in serve.allowed_hosts(80)
    assert "127.0.0.1" not in serve.allowed_hosts(8080)
    assert serve.allowed_hosts(8080) == {"127.0.0.1:8080", "localhost:8080"}


# -- paths and methods -------------------------------------------------------------------

BAD_TARGETS: list[str | bytes] = [
    "/files/%00",
    "/files/images/photo.jpg%00.png",
    "/files/../x",
    "/files/../secret.txt",
    "/files/%2e%2e/secret.txt",
    "/files/%2E%2E%2Fsecret.txt",
    "/files/images/../../secret.txt",
    "/files/images/%2e%2e/%2e%2e/secret.txt",
    "/files//etc/passwd",
    "/files/%2fetc%2fpasswd",
    "//etc/passwd",
    "/files/" + "a" * 5000,  # overlong target
    "/files/" + "a/" * 900,  # deep, under the target bound
    "/files/" + "x" * 300,  # a name too long for the file system
    "/files/%ff%fe",  # not UTF-8
    "/files/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 for '..'
    b"/files/\xff",  # a raw non-ASCII byte
    "/files/out",  # a link out of the folder
    "/files/images/up",  # a relative link out of the folder
    "/files/loop",  # a link to itself
    "/files/folder",
    "/files/images/",
    "/files/",
    "/files/pipe",  # a FIFO: must not block
    "/files/.hidden",
    "/files/missing.jpg",
    "/etc/passwd",
    "/nothing",
    "http://127.0.0.1/files/../secret.txt",  # absolute form
    "*",
    "/files/a\tb",
]


@pytest.mark.parametrize("target", BAD_TARGETS, ids=lambda t: repr(t)[:40])
def test_bad_paths_get_4xx(served: Served, capfd: pytest.CaptureFixture[str], target: str | bytes) -> None:
    started = time.monotonic()
    answer = get(served.port, target)
    assert time.monotonic() - started < ANSWER_SECONDS
    assert 400 <= answer.status < 500, answer
    assert SECRET not in answer.body
    assert answer.headers.get("x-content-type-options") == "nosniff"
    assert answer.headers.get("content-type", "").startswith("text/plain")
    assert_alive(served.port)
    assert_quiet(capfd)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO"])
def test_methods_other_than_get_and_head_get_405(served: Served, capfd: pytest.CaptureFixture[str],
                                                 method: str) -> None:
    answer = get(served.port, "/state.json", method=method)
    assert answer.status == 405
    assert answer.headers.get("allow") == "GET, HEAD"
    assert STATE_MARKER.encode() not in answer.body
    assert_alive(served.port)
    assert_quiet(capfd)


MALFORMED_REQUESTS = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/x\r\nHost: 127.0.0.1:{port}\r\n\r\n",
    b"GET / HTTP/1.1 extra\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",  # over http.server's request-line bound
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n" + b"X: y\r\n" * 200 + b"\r\n",  # too many headers
]


@pytest.mark.parametrize("request_bytes", MALFORMED_REQUESTS, ids=lambda r: repr(r)[:30])
def test_malformed_requests_get_4xx(served: Served, capfd: pytest.CaptureFixture[str], request_bytes: bytes) -> None:
    answer = ask(served.port, request_bytes.replace(b"{port}", str(served.port).encode()))
    assert 400 <= answer.status < 500
    assert STATE_MARKER.encode() not in answer.body
    assert_alive(served.port)
    assert_quiet(capfd)


def test_fifo_in_the_spec_folder_is_answered_promptly(served: Served) -> None:
    for method in ("GET", "HEAD"):
        started = time.monotonic()
        answer = get(served.port, "/files/pipe", method=method)
        assert time.monotonic() - started < ANSWER_SECONDS
        assert answer.status == 404
    assert b"named pipe" in get(served.port, "/files/pipe").body


# -- files and headers -------------------------------------------------------------------

def test_files_are_streamed_with_their_length(served: Served) -> None:
    data = secrets.token_bytes(3 * serve.STREAM_CHUNK_BYTES + 17)
    (served.folder / "images" / "big.tif").write_bytes(data)
    answer = get(served.port, "/files/images/big.tif")
    assert answer.status == 200
    assert answer.headers["content-length"] == str(len(data))
    assert answer.body == data
    assert answer.headers["x-content-type-options"] == "nosniff"
    head = get(served.port, "/files/images/big.tif", method="HEAD")
    assert head.status == 200 and head.headers["content-length"] == str(len(data)) and head.body == b""


def test_streaming_keeps_memory_bounded(served: Served) -> None:
    size = 64 * serve.STREAM_CHUNK_BYTES  # 16 MiB of zeros, sparse on disk
    with open(served.folder / "images" / "zeros.tif", "wb") as file:
        file.truncate(size)
    digest = hashlib.sha256()
    received = 0
    tracemalloc.start()
    try:
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(f"GET /files/images/zeros.tif HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
            while chunk := sock.recv(1 << 16):
                digest.update(chunk)
                received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received > size  # the headers and the whole body arrived
    assert peak < size // 4, f"peak {peak:,} bytes while sending {size:,}"


def test_files_over_the_bound_are_refused(served: Served) -> None:
    path = served.folder / "images" / "huge.tif"
    with open(path, "wb") as file:  # sparse: no disk space used
        file.truncate(serve.SERVED_FILE_MAX_BYTES + 1)
    answer = get(served.port, "/files/images/huge.tif")
    assert answer.status == 404
    assert b"too large" in answer.body
    with open(path, "wb") as file:
        file.truncate(serve.SERVED_FILE_MAX_BYTES)
    head = get(served.port, "/files/images/huge.tif", method="HEAD")
    assert head.status == 200 and head.headers["content-length"] == str(serve.SERVED_FILE_MAX_BYTES)


def test_page_csp_allows_exactly_its_own_script_and_style(served: Served) -> None:
    answer = get(served.port, "/")
    assert answer.status == 200
    csp = answer.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    page = answer.body.decode()
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        inline = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert len(inline) == 1
        allowed = re.search(rf"{directive} ([^;]+)", csp)
        assert allowed
        expected = "'sha256-" + base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
        assert allowed.group(1).strip() == expected + "'"


def test_data_responses_carry_nosniff(served: Served) -> None:
    for target in ("/state.json", "/page.png", "/files/images/photo.jpg"):
        answer = get(served.port, target)
        assert answer.status == 200
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_head_sends_no_body(served: Served) -> None:
    for target in ("/", "/state.json", "/page.png"):
        answer = get(served.port, target, method="HEAD")
        assert answer.status == 200 and answer.body == b""
        assert int(answer.headers["content-length"]) > 0


# -- clients that leave ---------------------------------------------------------------------

def test_clients_that_leave_early_print_nothing(served: Served, capfd: pytest.CaptureFixture[str]) -> None:
    with open(served.folder / "images" / "zeros.tif", "wb") as file:
        file.truncate(64 * serve.STREAM_CHUNK_BYTES)
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
            sock.sendall(f"GET /files/images/zeros.tif HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
            sock.recv(1024)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset
        with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
            sock.sendall(b"GET /state")  # half a request, then gone
        socket.create_connection(("127.0.0.1", served.port), timeout=5).close()  # nothing at all
    time.sleep(0.3)  # the server threads notice the closed connections
    assert_alive(served.port)
    assert_quiet(capfd)


def test_server_binds_loopback_only(served: Served) -> None:
    assert serve.LOOPBACK == "127.0.0.1"
    server = serve.bind(served.preview, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


# -- what is rendered ----------------------------------------------------------------------

def test_spec_over_the_bound_is_an_error_not_a_rendering(tmp_path: Path) -> None:
    spec = tmp_path / "page.yaml"
    with open(spec, "wb") as file:
        file.truncate(SPEC_MAX_BYTES + 1)
    png, state, _ = serve.render_for_preview(spec, 30)
    assert png == b"" and not state["ok"]
    assert state["errors"][0].startswith(f"{spec}:0: ") and "too large" in state["errors"][0]


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_spec_that_is_not_a_file_is_an_error(tmp_path: Path, kind: str) -> None:
    spec = tmp_path / "page.yaml"
    os.mkfifo(spec) if kind == "fifo" else spec.mkdir()
    started = time.monotonic()
    png, state, _ = serve.render_for_preview(spec, 30)
    assert time.monotonic() - started < ANSWER_SECONDS
    assert png == b"" and not state["ok"] and state["errors"][0].startswith(f"{spec}:0: ")


def test_preview_over_the_pixel_bound_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "specs" / "templates", tmp_path / "t")
    spec = tmp_path / "t" / "tabloid.yaml"
    png, state, _ = serve.render_for_preview(spec, 20)
    assert png and not state["errors"]  # the control: it renders within the bound
    monkeypatch.setattr("layout.cli.MAX_PREVIEW_PIXELS", 1000)
    png, state, _ = serve.render_for_preview(spec, 20)
    assert png == b"" and "megapixels" in state["errors"][0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_preview_speaks_the_language_asked_for(tmp_path, lang):
    over = REPO / "specs" / "regression" / "overflow.yaml"
    _, state, _ = serve.render_for_preview(over, 20, lang=lang)
    messages = [p["message"] for p in state["problems"] if p["kind"] == "overflow"]
    assert messages and all(("需删减" in m, "do not fit" in m) == (lang == "zh", lang == "en") for m in messages)
    typo = tmp_path / "typo.yaml"
    typo.write_text("version: 1\npage: {sise: A3}\n", encoding="utf-8")
    _, state, _ = serve.render_for_preview(typo, 20, lang=lang)
    expected = "unknown key; did you mean `size`?" if lang == "en" else "未知的键；是否想写 `size`？"
    assert any(expected in e for e in state["errors"])
