"""What every block layout needs: grid, styles, fonts, composition settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from layout.compose.paragraph import ParagraphStyle
from layout.compose.prepare import ComposeConfig
from layout.display import Image
from layout.fontdb import FontBook
from layout.geometry.grid import PageGrid
from layout.press import ImageInfo, PressSettings
from layout.spec.data import FitAdjustment, Role, StyleOverride
from layout.spec.styles import StyleSheet, TextStyle, with_overrides
from layout.text.markup import InlineFamily
from layout.text.measure import Resolver

#: Reads what layout needs of an image file, or raises ValueError with a reason
#: (injected by the caller so that layout never imports Pillow).
ImageProbe = Callable[[Path, int], ImageInfo]  # the image, and most pixels it may decode to
ProbeFactory = Callable[[PressSettings], ImageProbe]
#: Told of every image slot as soon as layout knows it (the file, the slot's size, fit
#: and focus), so that a front end may start separating the photo for press while the
#: articles are composed; it returns at once and decides nothing of the layout.
ImagePrefetch = Callable[[Image], None]
PrefetchFactory = Callable[[PressSettings], ImagePrefetch]


@dataclass(frozen=True, slots=True)
class LayoutContext:
    grid: PageGrid
    styles: StyleSheet
    fonts: FontBook
    config: ComposeConfig  # body settings; headlines use it without indent
    folder: Path  # the spec's folder (relative paths)
    probe: ImageProbe | None
    press: PressSettings
    prefetch: ImagePrefetch | None = None
    body_fit: FitAdjustment | None = None  # the copyfit of this block's body (``--fit``, layout/fit.py)
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

    def families(self, style: TextStyle) -> Callable[[InlineFamily], Resolver]:
        """The resolver of another family at ``style``'s weight (spans of inline markup)."""
        return lambda family: self.resolver(replace(style, family=family.value))

    def resolver(self, style: TextStyle) -> Resolver:
        """A memoised char → face lookup along the style's fallback chain."""
        key = (style.family, style.weight)
        found = self._resolvers.get(key)
        if found is None:
            found = self._resolvers[key] = self.fonts.resolver(style.family, style.weight)
        return found
