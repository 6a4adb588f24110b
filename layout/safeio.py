"""Reading untrusted files: regular files only, with a size bound.

Every file paiban reads — the spec, fonts, images, colour profiles, cache entries — may
be hostile or simply wrong: a FIFO would block a plain ``open`` forever, ``/dev/zero``
would be read until memory runs out, a 2 GB file named as a spec would be read whole.
So files are opened without blocking, checked to be regular files with ``fstat`` on the
open descriptor (no race between the check and the read), and read up to a bound.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Size bounds of each kind of input, in bytes.  A spec of a whole broadsheet page is
#: about 20 kB; 32 MiB leaves room for pasted copy while refusing runaway files.
SPEC_MAX_BYTES = 32 * 1024 * 1024
#: A CJK font is 10–30 MB; a collection (.ttc) of several weights can reach 150 MB.
FONT_MAX_BYTES = 256 * 1024 * 1024
#: An ICC output profile is 0.5–4 MB (device link tables); 32 MiB is generous.
PROFILE_MAX_BYTES = 32 * 1024 * 1024
#: A press photo is at most a few tens of MB even as an uncompressed TIFF.
IMAGE_MAX_BYTES = 512 * 1024 * 1024


class UnreadableFile(OSError):
    """A file that must not or cannot be read; ``reason`` says why in plain words."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(reason)
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def open_regular(path: Path | str, limit: int, *, follow_links: bool = True) -> int:
    """A read-only descriptor of ``path`` once it is known to be a regular file of at
    most ``limit`` bytes; the caller closes it.

    Raises:
        UnreadableFile: missing, not a regular file (a folder, FIFO, device, socket),
            too large, or not readable.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile(path, "no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(path, "a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFile(path, f"cannot open it ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, f"not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise UnreadableFile(path, f"too large ({info.st_size:,} bytes; at most {limit:,})")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path | str, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`open_regular`).

    The file is read up to ``limit + 1`` bytes whatever ``fstat`` said, so a file that
    grows while it is read is still refused rather than read without end.
    """
    fd = open_regular(path, limit, follow_links=follow_links)
    try:
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UnreadableFile(path, f"too large (more than {limit:,} bytes)")
        return b"".join(chunks)
    except OSError as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise UnreadableFile(path, f"cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a plain file"
