"""A pytest plugin: page specs as test items (issue 5).  Inactive unless asked for.

    pytest --paiban-specs 'pages/**/*.yaml' [--paiban-golden golden/] [--paiban-update-golden] [--paiban-fit]

or in the ini file::

    [pytest]
    paiban_specs = pages/**/*.yaml
    paiban_golden = golden
    paiban_fit = true

Each spec is one test: it fails with the readable problem list on a spec error,
overflow, a missing glyph or image, or any other error-level problem, followed by the
copyfit suggestions (docs/fit.md) of its overflowing and underfull articles.  With
``--paiban-fit`` (ini ``paiban_fit``) the page only has to fit *with its policy*: it is
laid out as ``render --fit`` prints it, with every adjustment that fits applied, so an
article a line over that fits with −1 % tracking passes (the adjustment in the test's
report: a ``Captured paiban-fit`` section and a ``paiban_fit`` property in JUnit XML),
and one that does not fails with ``cut N lines``.  With a golden
folder the page is also rendered to PNG and compared with ``<golden>/<spec stem>.png``;
on a difference the new image and a diff image (changed pixels in red) are written
beside the golden one, and ``--paiban-update-golden`` rewrites the golden images.
"""

from __future__ import annotations

import glob
import io
from pathlib import Path
from typing import Any

import pytest

#: A pixel counts as changed when a channel differs by more than this (0–255) ...
PIXEL_THRESHOLD = 40
#: ... and a page fails when more than this fraction of its pixels changed.
DEFAULT_TOLERANCE = 0.0005
#: Resolution of the compared previews.
GOLDEN_DPI = 40


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("paiban", "paiban page specs")
    group.addoption("--paiban-specs", action="append", default=[], metavar="GLOB",
                    help="page specs to check, one test each (glob, relative to the rootdir)")
    group.addoption("--paiban-golden", metavar="DIR", help="compare each page's PNG with DIR/<spec stem>.png")
    group.addoption("--paiban-update-golden", action="store_true", help="rewrite the golden images")
    group.addoption("--paiban-tolerance", type=float, default=None,
                    help=f"fraction of pixels that may change (default {DEFAULT_TOLERANCE})")
    group.addoption("--paiban-fit", action="store_true", default=None,
                    help="a page passes when it fits with its copyfit policy (docs/fit.md): checked, and compared "
                    "with the golden image, with the adjustments applied as render --fit applies them")
    group.addoption("--paiban-lang", choices=("en", "zh"), default=None,
                    help="language of the failure messages (default: the ini's paiban_lang, else the locale)")
    parser.addini("paiban_specs", "page specs to check (globs)", type="linelist", default=[])
    parser.addini("paiban_lang", "language of the failure messages: en or zh", default="")
    parser.addini("paiban_golden", "folder of golden page images", default="")
    parser.addini("paiban_fit", "pages pass when they fit with their copyfit policy (--paiban-fit)", type="bool",
                  default=False)


def _specs(config: pytest.Config) -> list[Path]:
    patterns = list(config.getoption("paiban_specs") or []) + list(config.getini("paiban_specs") or [])
    root = Path(str(config.rootpath))
    found: dict[Path, None] = {}
    for pattern in patterns:
        for match in sorted(glob.glob(str(root / pattern), recursive=True)):
            found[Path(match)] = None
    return list(found)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    specs = _specs(config)
    root = Path(str(config.rootpath))
    for spec in specs:
        name = str(spec.relative_to(root)) if spec.is_relative_to(root) else str(spec)
        items.append(PaibanItem.from_parent(session, name=f"paiban::{name}", spec=spec))


class PaibanFailure(Exception):
    """A page with problems; the message is the problem list."""


class PaibanItem(pytest.Item):
    def __init__(self, *, spec: Path, **kwargs: Any):
        super().__init__(**kwargs)
        self.spec = spec

    def runtest(self) -> None:
        from layout.check import problem_lines
        from layout.page import lay_out_fitted
        from layout.render.images import make_probe
        from layout.spec.load import SpecInvalid, load_spec

        memo = _session_memo(self.config)
        lang = _lang(self.config)
        try:
            loaded = load_spec(self.spec, memo)
        except SpecInvalid as exc:
            raise PaibanFailure("\n".join(e.render(lang) for e in exc.errors)) from None
        layout = lay_out_fitted(loaded, _fit(self.config), probe=lambda press: make_probe(press, memo), memo=memo)
        lines = problem_lines(str(self.spec), layout, lang, fits=True)  # the problems, then the suggestions
        errors = [line for line, p in zip(lines, layout.problems, strict=False) if p.severity == "error"]
        suggestions = lines[len(layout.problems):]
        if errors:
            raise PaibanFailure("\n".join(errors + suggestions))
        if suggestions:  # a page that passes says what was (or could be) adjusted
            self.add_report_section("call", "paiban-fit", "\n".join(suggestions))
            self.user_properties += [("paiban_fit", f.message(lang)) for f in layout.fits]
        golden = self.config.getoption("paiban_golden") or self.config.getini("paiban_golden")
        if golden:
            self._compare(layout, Path(str(self.config.rootpath)) / golden)

    def _compare(self, layout: Any, folder: Path) -> None:
        from PIL import Image, ImageChops

        from layout.render.png import render_png

        png = render_png(layout, dpi=GOLDEN_DPI, memo=_session_memo(self.config))
        golden = folder / f"{self.spec.stem}.png"
        if self.config.getoption("paiban_update_golden"):
            folder.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(png)
            return
        zh = _lang(self.config) == "zh"
        if not golden.is_file():
            raise PaibanFailure(f"{self.spec}：没有基准图像 {golden}（用 --paiban-update-golden 生成）" if zh else
                                f"{self.spec}: no golden image {golden} (run with --paiban-update-golden)")
        new = Image.open(io.BytesIO(png)).convert("RGB")
        old = Image.open(golden).convert("RGB")
        if new.size != old.size:
            folder.joinpath(f"{self.spec.stem}.new.png").write_bytes(png)
            raise PaibanFailure(f"{self.spec}：页面尺寸由 {old.size} 像素变为 {new.size} 像素" if zh else
                                f"{self.spec}: page size changed from {old.size} to {new.size} pixels")
        changed = ImageChops.difference(new, old).convert("L").point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
        count = changed.histogram()[255]
        tolerance = self.config.getoption("paiban_tolerance") or DEFAULT_TOLERANCE
        if count > tolerance * new.width * new.height:
            folder.joinpath(f"{self.spec.stem}.new.png").write_bytes(png)
            diff = Image.blend(old, Image.new("RGB", old.size, (255, 255, 255)), 0.7)
            diff.paste((230, 0, 0), mask=changed)
            diff.save(folder / f"{self.spec.stem}.diff.png")
            share = count / (new.width * new.height)
            raise PaibanFailure(f"{self.spec}：有 {count} 个像素与 {golden} 不同（{share:.3%}），"
                                f"见 {self.spec.stem}.diff.png" if zh else
                                f"{self.spec}: {count} pixels differ from {golden} ({share:.3%}); "
                                f"see {self.spec.stem}.diff.png")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PaibanFailure):  # an id or a file name may hold ESC, BEL ...: shown escaped
            from layout.check import visible

            return visible(str(excinfo.value), keep="\n")
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.spec, 0, f"paiban page {self.spec.name}"


def _fit(config: pytest.Config) -> bool:
    """``--paiban-fit``, else the ini's ``paiban_fit``."""
    return bool(config.getoption("paiban_fit") or config.getini("paiban_fit"))


def _lang(config: pytest.Config) -> str:
    """``--paiban-lang``, else the ini's ``paiban_lang``, else the locale."""
    from layout.check import default_lang

    chosen = config.getoption("paiban_lang") or str(config.getini("paiban_lang") or "").strip()
    return chosen if chosen in ("en", "zh") else default_lang()


def _session_memo(config: pytest.Config) -> Any:
    """One memo for the whole test session (pages of a suite share fonts and styles)."""
    memo = getattr(config, "_paiban_memo", None)
    if memo is None:
        from layout.memo import front_end_memo

        memo = front_end_memo()
        for notice in memo.warnings:  # an unsafe cache folder: said once, the suite runs without it
            import warnings

            warnings.warn(f"paiban：{notice.zh}" if _lang(config) == "zh" else f"paiban: {notice.en}", stacklevel=1)
        config._paiban_memo = memo  # type: ignore[attr-defined]
    return memo
