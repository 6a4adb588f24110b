"""The one memo: everything paiban keeps only to save time, in one object.

A front end (the command line, ``serve``, ``preview --watch``, the pytest plugin) makes
one :class:`Memo` and passes it in; the pipeline stages keep no state of their own.
A memo has two tiers:

* memory — values by key, bounded by :data:`MEMORY_ENTRIES` (least recently used go);
* disk (optional, :class:`DiskCache`) — for results that cost far more to recompute
  than to read back: validated specs, composed paragraphs, separated photos.

Keys are values.  A file is known by :class:`FileId` (path, size, modification time,
inode), code by a digest of the whole installed package (:func:`code_digest`), so a
changed font, image or module never meets an old result.

The disk tier trusts nothing it reads.  Entries are data only (JSON or raw bytes with a
checked header and length; nothing is ever unpickled or executed) and each carries an
HMAC-SHA256 under a per-user secret kept outside the cache folder, so an entry planted,
truncated, swapped or forged by anyone who can write the cache folder but not read the
secret is ignored and recomputed: the output bytes are the same with a poisoned cache
as with none.  The folder is created 0700 and refused (with a warning) when it is not
the user's own or others can write to it; only regular files of bounded size are read.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import struct
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from layout.safeio import UnreadableFile, read_regular

T = TypeVar("T")

#: Values kept in memory (paragraphs, measured atoms, faces, font subsets, photos).
#: A broadsheet page needs about 5,000; a preview server keeps a few pages' worth.
MEMORY_ENTRIES = 50_000
#: Bytes of large values kept in memory (separated photos, proxies, font files and
#: subsets, colour tables): a preview server nudging a photo's focus makes a new one
#: each time.  Beyond this the least recently used go.
MEMORY_BYTES = 256 * 1024 * 1024
#: Writes of one kind to disk between two prunings (a preview server writes all day).
PRUNE_EVERY = 200
#: Entries kept per kind on disk; beyond this the least recently written go.
DISK_ENTRIES = {"spec": 1_000, "paragraph": 20_000, "balanced": 5_000, "styled": 5_000, "image": 500, "profile": 20}
DEFAULT_DISK_ENTRIES = 1_000
#: Largest cache entry read back (a separated broadsheet photo is a few MB).
MAX_ENTRY_BYTES = 64 * 1024 * 1024
#: Entry header: magic, format version; then the HMAC and the payload length.
MAGIC = b"paiban-memo\x00\x01"
_HEADER = struct.Struct(f">{len(MAGIC)}s32sQ")
#: Bytes of the per-user secret.
SECRET_BYTES = 32
SECRET_NAME = "cache-key"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a front end tells the person running paiban, in English and Chinese."""

    en: str
    zh: str

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en


class UnusableKey(OSError):
    """The cache key cannot be used safely; ``reason`` says why, in both languages."""

    def __init__(self, reason: Notice):
        super().__init__(reason.en)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FileId:
    """A file as a value: the same id means the same bytes (short of deliberate forgery
    of size and times, which the owner of the file could do to its content anyway)."""

    path: str
    size: int
    mtime_ns: int
    inode: int
    device: int


def file_id(path: Path | str) -> FileId:
    """The identity of the file at ``path`` now (following links).

    Raises:
        OSError: when it cannot be looked at.
    """
    info = os.stat(path)
    return FileId(os.path.abspath(path), info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)


#: Libraries whose behaviour results kept on disk depend on (validation, YAML, encoding,
#: colour and JPEG, PDF objects), named in the code digest by their version files.
RESULT_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "msgspec", "PIL", "reportlab")
VERSION_FILES = ("version.py", "_version.py", "__init__.py")


def code_digest() -> bytes | None:
    """A digest of every file of the installed ``layout`` package, of Python's version,
    Unicode database and zlib, and of the libraries in :data:`RESULT_LIBRARIES`, so that
    results kept on disk are used only by the code that made them; None when the package
    cannot be read or has no source (then nothing goes to disk: nobody could tell which
    code made an entry).  Once per :class:`Memo`."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    found_source = False
    try:
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".txt") and path.is_file():
                found_source = found_source or path.suffix == ".py"
                digest.update(str(path.relative_to(package)).encode() + b"\0")
                digest.update(path.read_bytes())
    except OSError:
        return None
    if not found_source:
        return None  # a bytecode-only install: nothing names this code
    import unicodedata
    import zlib

    digest.update(f"{sys.version}|{unicodedata.unidata_version}|{zlib.ZLIB_RUNTIME_VERSION}".encode())
    import importlib.util

    for name in RESULT_LIBRARIES:  # located, not imported: their version files are read
        try:
            found = importlib.util.find_spec(name)
            origin = Path(found.origin) if found is not None and found.origin else None
        except (ImportError, ValueError):
            origin = None
        candidates = [origin.with_name(v) for v in VERSION_FILES] if origin is not None else []
        for candidate in candidates:
            if candidate.is_file():
                digest.update(name.encode() + b"\0" + candidate.read_bytes())
    return digest.digest()


def _weight(value: object) -> int:
    """Bytes of a large value (a payload, a photo, a font file), else 0: the entry count
    bounds the many small ones."""
    if isinstance(value, bytes | bytearray):
        return len(value)
    if isinstance(value, tuple):
        return sum(len(part) for part in value if isinstance(part, bytes | bytearray))
    for attribute in ("jpeg", "data"):  # a press image; a font file's tables
        part = getattr(value, attribute, None)
        if isinstance(part, bytes | bytearray):
            return len(part)
    return 0


class Codec(Protocol[T]):
    """How a kind of value is kept on disk: to bytes and back (raising ValueError)."""

    def encode(self, value: T) -> bytes: ...

    def decode(self, data: bytes) -> T: ...


class Memo:
    """Values that only save time: memory first, then the disk tier when there is one."""

    def __init__(self, disk: DiskCache | None = None, entries: int = MEMORY_ENTRIES,
                 budget: int = MEMORY_BYTES):
        self.disk = disk
        self._entries = entries
        self._budget = budget
        self._bytes = 0
        self._weights: dict[Hashable, int] = {}
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._code: bytes | None | bool = False  # False: not computed yet
        self.warnings: list[Notice] = []  # said once by the front end (e.g. an unsafe cache folder)

    @property
    def code(self) -> bytes | None:
        if self._code is False:
            self._code = code_digest()
        return self._code  # type: ignore[return-value]

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``key``, computed once while it stays in memory.

        Safe to call from a front end's helper threads (photos separated beside the
        composing): the table is locked, the computing is not, so two threads asking for
        one key at once may both compute it — the same value, since results are pure.
        """
        values = self._values
        with self._lock:
            if key in values:
                values.move_to_end(key)
                return values[key]  # type: ignore[no-any-return]
        value = compute()
        weight = _weight(value)
        with self._lock:
            if key in values:  # another thread computed it meanwhile
                self._bytes -= self._weights.pop(key, 0)
            values[key] = value
            values.move_to_end(key)
            if weight:
                self._weights[key] = weight
                self._bytes += weight
            while len(values) > 1 and (len(values) > self._entries or self._bytes > self._budget):
                old, _ = values.popitem(last=False)
                self._bytes -= self._weights.pop(old, 0)
        return value

    def forget(self) -> None:
        """Drop every value kept in memory (the disk tier stays)."""
        with self._lock:
            self._values.clear()
            self._weights.clear()
            self._bytes = 0

    def stored(self, kind: str, key: Hashable, codec: Codec[T], compute: Callable[[], T]) -> T:
        """Like :meth:`get`, and kept on disk under ``kind`` between processes.

        ``key`` must be a value whose ``repr`` names everything the result depends on
        besides the code (text, settings, :class:`FileId` of the files read).
        """
        return self.get((kind, key), lambda: self._from_disk(kind, key, codec, compute))

    def _from_disk(self, kind: str, key: Hashable, codec: Codec[T], compute: Callable[[], T]) -> T:
        disk, code = self.disk, self.code
        if disk is None or code is None:
            return compute()
        name = self.entry_name(code, kind, key)
        data = disk.read(kind, name)
        if data is not None:
            try:
                return codec.decode(data)
            except (ValueError, TypeError, KeyError, IndexError, RecursionError):
                pass  # authenticated but not decodable: made by other code; recompute
        value = compute()
        try:
            encoded = codec.encode(value)
        except (ValueError, TypeError, RecursionError):
            return value  # not representable (e.g. text with lone surrogates): not kept
        disk.write(kind, name, encoded)
        return value

    @staticmethod
    def entry_name(code: bytes, kind: str, key: Hashable) -> str:
        material = repr(key).encode("utf-8", "surrogatepass")
        return hashlib.sha256(code + kind.encode() + b"\0" + material).hexdigest()


class DiskCache:
    """Authenticated entries in a private folder; every failure only costs time."""

    def __init__(self, folder: Path, secret: bytes):
        self.folder = folder
        self._secret = secret
        self._written: dict[str, int] = {}

    @classmethod
    def open(cls, folder: Path, secret_file: Path) -> tuple[DiskCache | None, list[Notice]]:
        """The cache in ``folder`` with the secret in ``secret_file`` (both made when
        missing), or None and the reasons it cannot be used safely."""
        problem = _private_folder(folder)
        if problem:
            return None, [Notice(f"cache folder {folder} {problem.en}; running without the cache",
                                 f"缓存文件夹 {folder} {problem.zh}；本次不使用缓存")]
        try:
            secret = _secret(secret_file)
        except OSError as exc:
            reason = exc.reason if isinstance(exc, UnusableKey) else Notice(str(exc), f"无法使用（{exc}）")
            return None, [Notice(f"cache key {secret_file}: {reason.en}; running without the cache",
                                 f"缓存密钥 {secret_file}：{reason.zh}；本次不使用缓存")]
        return cls(folder, secret), []

    def _path(self, kind: str, name: str) -> Path:
        return self.folder / kind / f"{name}.entry"

    def _mac(self, kind: str, name: str, payload: bytes) -> bytes:
        return hmac.new(self._secret, kind.encode() + b"\0" + name.encode() + b"\0" + payload,
                        hashlib.sha256).digest()

    def read(self, kind: str, name: str) -> bytes | None:
        """The payload of an entry whose header, length and HMAC check, else None."""
        try:
            data = read_regular(self._path(kind, name), MAX_ENTRY_BYTES, follow_links=False)
        except (UnreadableFile, OSError):
            return None
        if len(data) < _HEADER.size:
            return None
        magic, mac, length = _HEADER.unpack_from(data)
        payload = data[_HEADER.size:]
        if magic != MAGIC or length != len(payload):
            return None
        if not hmac.compare_digest(mac, self._mac(kind, name, payload)):
            return None
        return payload

    def write(self, kind: str, name: str, payload: bytes) -> None:
        """Write atomically (a torn entry would fail its check anyway) or not at all."""
        if len(payload) + _HEADER.size > MAX_ENTRY_BYTES:
            return
        target = self._path(kind, name)
        data = _HEADER.pack(MAGIC, self._mac(kind, name, payload), len(payload)) + payload
        try:
            target.parent.mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return
        count = self._written[kind] = self._written.get(kind, 0) + 1
        if count % PRUNE_EVERY == 1:  # bounded: on a kind's first write, then every PRUNE_EVERY
            self.prune(kind, DISK_ENTRIES.get(kind, DEFAULT_DISK_ENTRIES))

    def prune(self, kind: str, keep: int) -> None:
        """Keep the ``keep`` newest entries of a kind."""
        try:
            entries = [e for e in (self.folder / kind).iterdir() if not e.name.startswith(".tmp-")]
            if len(entries) > keep:
                entries.sort(key=lambda entry: entry.lstat().st_mtime_ns)
                for entry in entries[: len(entries) - keep]:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass  # another process pruned first: only space is at stake


def _private_folder(folder: Path) -> Notice | None:
    """None when ``folder`` is (or has been made) a folder of this user that nobody else
    can write to; else what is wrong with it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
    except OSError as exc:
        return Notice(f"cannot be made ({exc.strerror or exc})", f"无法创建（{exc.strerror or exc}）")
    if not stat.S_ISDIR(info.st_mode):
        return Notice("is not a folder", "不是文件夹")
    if not hasattr(os, "geteuid"):
        return Notice("cannot be checked for other users' access on this system", "在此系统上无法检查其他用户的权限")
    if info.st_uid != os.geteuid():
        return Notice("belongs to another user", "属于其他用户")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not os.path.islink(folder):
        try:  # our own folder made under a lax umask (an older paiban made it 0775): tighten it
            os.chmod(folder, 0o700)
            info = os.stat(folder)
        except OSError:
            pass
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return Notice("can be written by other users", "其他用户也能写入")
    return None


def _secret(path: Path) -> bytes:
    """The per-user key, made on first use (0600, in a 0700 folder).  It is written
    whole to a temporary file and linked into place, so an interrupted first run or two
    first runs at once never leave a short key; a damaged key of our own is replaced."""
    problem = _private_folder(path.parent)
    if problem:
        raise UnusableKey(Notice(f"its folder {problem.en}", f"其所在文件夹{problem.zh}"))
    for _ in range(2):
        if not os.path.lexists(path):
            _make_secret(path)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise UnusableKey(Notice(f"cannot be opened ({reason})", f"无法打开（{reason}）")) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
                raise UnusableKey(Notice("is readable or writable by other users (or not a plain file of this user)",
                                         "其他用户可读写（或不是本用户的普通文件）"))
            data = os.read(fd, SECRET_BYTES + 1)
        finally:
            os.close(fd)
        if len(data) == SECRET_BYTES:
            return data
        os.unlink(path)  # ours, private, but damaged: made again (its entries only go unused)
    raise UnusableKey(Notice("cannot be made", "无法创建"))


def _make_secret(path: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(SECRET_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if another process made the key first: then use theirs
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


def cache_folder() -> Path:
    """``$PAIBAN_CACHE_DIR``, else the platform's user cache folder."""
    explicit = os.environ.get("PAIBAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("paiban", appauthor=False))


def secret_file() -> Path:
    """``$PAIBAN_CONFIG_DIR/cache-key``, else in the platform's user configuration
    folder: outside the cache, so that whoever can write the cache cannot sign entries."""
    explicit = os.environ.get("PAIBAN_CONFIG_DIR")
    if explicit:
        return Path(explicit) / SECRET_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("paiban", appauthor=False)) / SECRET_NAME


def front_end_memo(use_disk: bool = True) -> Memo:
    """The memo a front end makes once: the disk tier when it can be used safely
    (``PAIBAN_CACHE_DIR=off`` turns it off), with any warning in ``memo.warnings``."""
    if not use_disk or os.environ.get("PAIBAN_CACHE_DIR", "").lower() in ("off", "0", "none"):
        return Memo()
    disk, warnings = DiskCache.open(cache_folder(), secret_file())
    memo = Memo(disk)
    memo.warnings.extend(warnings)
    return memo
