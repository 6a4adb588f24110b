"""An edition laid out: its pages in print order with their numbers and names, and the
pass that sees them all at once.

The CLI lays out each page of a manifest (``layout/spec/manifest.py``) on its own, as
any page (in parallel with ``--jobs``); :func:`finish_edition` then sees every page in
order.  It is where what crosses pages belongs: a story continued on another page (转版:
"下转第3版" / "上接第1版") and the front page's index (导读), which must know the
numbers of the pages their stories landed on.  Today it checks nothing and hands the
pages on; those features add their steps here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from layout.spec.manifest import Edition, EditionPage

if TYPE_CHECKING:
    from layout.page import PageLayout

#: Fewest digits of a page's number in a per-page file name (``01.pdf``): the plant's
#: files then sort in page order up to page 99.
SPLIT_DIGITS = 2


@dataclass(frozen=True, slots=True)
class EditionPageLayout:
    """One laid-out page of an edition."""

    page: EditionPage
    layout: PageLayout

    @property
    def number(self) -> int:
        return self.page.number


@dataclass(frozen=True, slots=True)
class EditionLayout:
    """An edition's pages, laid out, in print order."""

    edition: Edition
    pages: tuple[EditionPageLayout, ...]

    def page_numbered(self, number: int) -> EditionPageLayout | None:
        """The page with this number (版次), if the edition has one."""
        return next((p for p in self.pages if p.number == number), None)


def finish_edition(edition: Edition, pages: Sequence[EditionPageLayout]) -> EditionLayout:
    """Every page of the edition, seen together after each was laid out on its own.

    Steps that need more than one page (jump lines between pages, the front-page index)
    go here; each takes the edition and returns it, with pages replaced where it changed
    them and problems added to the page they concern.
    """
    return EditionLayout(edition, tuple(pages))


def split_name(number: int, edition: Edition) -> str:
    """The file name of a page's own PDF: its number, zero-padded so that the files of
    the edition sort in page order (``01.pdf`` … ``12.pdf``; ``001.pdf`` past 99)."""
    digits = max(SPLIT_DIGITS, *(len(str(p.number)) for p in edition.pages))
    return f"{number:0{digits}d}.pdf"


def split_path(folder: Path, number: int, edition: Edition) -> Path:
    return folder / split_name(number, edition)
