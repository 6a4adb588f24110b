"""What every block layout needs: grid, styles, fonts, composition settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from layout.compose.paragraph import ParagraphStyle
from layout.compose.prepare import ComposeConfig
from layout.fontdb import Face, FontBook
from layout.geometry.grid import PageGrid
from layout.press import ImageInfo, PressSettings
from layout.spec.data import Role, StyleOverride
from layout.spec.styles import StyleSheet, TextStyle, with_overrides
from layout.text.measure import Resolver

#: Reads what layout needs of an image file, or raises ValueError with a reason
#: (injected by the caller so that layout never imports Pillow).
ImageProbe = Callable[[Path], ImageInfo]
ProbeFactory = Callable[[PressSettings], ImageProbe]


@dataclass(frozen=True, slots=True)
class LayoutContext:
    grid: PageGrid
    styles: StyleSheet
    fonts: FontBook
    config: ComposeConfig  # body settings; headlines use it without indent
    folder: Path  # the spec's folder (relative paths)
    probe: ImageProbe | None
    press: PressSettings
    _resolvers: dict[tuple[str, str], Resolver] = field(default_factory=dict)

    def for_block(self, overrides: Mapping[Role, StyleOverride]) -> LayoutContext:
        """The same context with a block's own style overrides applied."""
        if not overrides:
            return self
        return replace(self, styles=with_overrides(self.styles, overrides))

    def paragraph(self, style: TextStyle, indent: bool = False, align: str | None = None) -> ParagraphStyle:
        """Composition settings for text in ``style``: the page's, with the role's punctuation."""
        config = self.config if indent else replace(self.config, first_indent=0.0)
        if style.punctuation:
            config = replace(config, punctuation=style.punctuation)
        return ParagraphStyle(style.size, align or style.align, config)

    def resolver(self, style: TextStyle) -> Resolver:
        """A memoised char → face lookup along the style's fallback chain."""
        key = (style.family, style.weight)
        found = self._resolvers.get(key)
        if found is None:
            found = _memo_resolver(self.fonts, style.family, style.weight)
            self._resolvers[key] = found
        return found


#: Resolvers live as long as the process, keyed by the font files behind them, so that
#: successive renders (a preview server, an edition) share them and the paragraph cache.
_RESOLVERS: dict[tuple[object, ...], Resolver] = {}


def _memo_resolver(fonts: FontBook, family: str, weight: str) -> Resolver:
    key = (family, weight, tuple(sorted((name, tuple(sorted(w.items()))) for name, w in fonts.families.items())))
    found = _RESOLVERS.get(key)
    if found is None:
        found = _RESOLVERS[key] = FontResolver(fonts, family, weight)
    return found


class FontResolver:
    """char → face along a family's fallback chain, memoised.

    ``fingerprint`` names the font files behind it (paths, sizes, times), so that
    compositions kept on disk (``layout/compose/store.py``) are found again only with
    the very same fonts.
    """

    __slots__ = ("_fonts", "_family", "_weight", "_cache", "fingerprint")

    def __init__(self, fonts: FontBook, family: str, weight: str):
        self._fonts, self._family, self._weight = fonts, family, weight
        self._cache: dict[str, Face | None] = {}
        self.fingerprint = (family, weight, _files(fonts))

    def __call__(self, char: str) -> Face | None:
        try:
            return self._cache[char]
        except KeyError:
            face = self._cache[char] = self._fonts.resolve(self._family, self._weight, char)
            return face


def _files(fonts: FontBook) -> tuple[tuple[str, str, str, int, int], ...]:
    out = []
    for name, weights in sorted(fonts.families.items()):
        for weight, path in sorted(weights.items()):
            try:
                stat = path.stat()
                out.append((name, weight, str(path.resolve()), stat.st_size, stat.st_mtime_ns))
            except OSError:
                out.append((name, weight, str(path), -1, -1))
    return tuple(out)

