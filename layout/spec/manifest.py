"""An edition manifest (``edition: 1``): one paper, one date, one issue number, its pages
in order, and the settings every page inherits.

A manifest names each page's spec (a file in the manifest's folder tree, or a spec
written inline) with its page number (版次) and page name (版名).  ``defaults:`` holds
``page``, ``header``, ``footer``, ``styles``, ``fonts``, ``typography``, ``output`` and
``rules``; each page's YAML tree is merged over them *before* validation (mappings key by
key, lists and scalars replaced), so that a page is validated like any spec by
``layout/spec/validate.py`` and its error lines still point into its own file.  The
manifest fills each page's ``header.folio`` (第N版, page name, date) and its masthead's
``date``, ``issue`` and ``name`` where the page leaves them out.

Lines of inherited keys are kept in the merged tree shifted by :data:`INHERITED_LINE`,
so that an error in an inherited value, found while validating a page, can be told from
one in the page's own file and reported at its line in the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from layout.memo import Memo
from layout.safeio import SPEC_MAX_BYTES, UnreadableFile, read_regular
from layout.spec import data
from layout.spec.errors import KeyPath, SpecError, SpecInvalid, line_for, spec_error
from layout.spec.kind import EDITION_KEY, is_manifest  # noqa: F401 - re-exported
from layout.spec.load import _CODEC, LoadedSpec, PageRef
from layout.spec.models import MAX_ISSUE_NUMBER, MAX_PAGE_NUMBER  # as the folio and the masthead allow

#: Pages an edition may have: the largest dailies print about 100 on a weekend.
MAX_EDITION_PAGES = 200
#: Added to the line of every key a page inherits from the manifest in the merged tree's
#: line map: above any line a spec file can have (it is at most ``SPEC_MAX_BYTES`` long).
INHERITED_LINE = 1 << 40
#: The settings a page may inherit from ``defaults:`` (the page spec's keys but
#: ``version`` and ``blocks``).
INHERITABLE = ("page", "header", "footer", "styles", "fonts", "typography", "output", "rules")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


Mapping = dict[str, Any]


class Defaults(_Model):
    """Settings every page inherits (a page's own keys override them, mapping by mapping)."""

    page: Mapping | None = Field(None, description="page geometry as a page spec's `page:` (size, margins, columns, body …)")
    header: Mapping | None = Field(None, description="the header line as a page spec's `header:` (credits, folio)")
    footer: Mapping | None = Field(None, description="the footer as a page spec's `footer:` (hotline, email)")
    styles: Mapping | None = Field(None, description="style overrides as a page spec's `styles:`")
    fonts: Mapping | None = Field(None, description="extra font families as a page spec's `fonts:`; files relative to the manifest's folder")
    typography: Mapping | None = Field(None, description="composition settings as a page spec's `typography:`")
    output: Mapping | None = Field(None, description="press settings as a page spec's `output:`; a profile file relative to the manifest's folder")
    rules: Mapping | None = Field(None, description="page-wide rules as a page spec's `rules:`")


class PageEntry(_Model):
    """One page of the edition, in print order."""

    spec: str | Mapping = Field(description="the page's spec: a file relative to the manifest's folder (inside it), "
                                "or the spec itself as a mapping (its `version: 1` may be left out)")
    name: str = Field(min_length=1, max_length=40, description="page name (版名), e.g. 要闻, 茂南新闻: shown in the folio")
    page: Annotated[int, Field(ge=1, le=MAX_PAGE_NUMBER)] | None = Field(
        None, description="page number (版次); default one more than the page before (the first: 1)")


class Manifest(_Model):
    """An edition: one paper, one date, one issue, its pages in order."""

    edition: Literal[1] = Field(description="format version of the manifest, always 1 (tells it from a page spec)")
    paper: str = Field(min_length=1, max_length=40, description="newspaper name, e.g. 茂名日报: folios and mastheads")
    date: dt.date = Field(description="issue date (YYYY-MM-DD): folios (with the weekday) and mastheads")
    issue: Annotated[int, Field(ge=1, le=MAX_ISSUE_NUMBER)] | None = Field(
        None, description="issue number (期号): mastheads that do not give their own")
    defaults: Defaults = Field(default_factory=lambda: Defaults.model_validate({}), description="settings every page inherits")
    pages: list[PageEntry] = Field(min_length=1, max_length=MAX_EDITION_PAGES, description="the pages, in print order")


@dataclass(frozen=True, slots=True)
class EditionPage:
    """One page of an edition as the manifest places it."""

    index: int  # position in the manifest (0-based)
    number: int  # page number (版次)
    name: str  # page name (版名)
    source: Path  # the page's spec file (the manifest itself for an inline spec)
    line: int  # the entry's line in the manifest

    @property
    def label(self) -> str:
        """How reports name the page: its file."""
        return str(self.source)


@dataclass(frozen=True, slots=True)
class Edition:
    """A validated manifest."""

    path: Path
    paper: str
    date: dt.date
    issue: int | None
    pages: tuple[EditionPage, ...]


@dataclass(frozen=True, slots=True)
class PageLoad:
    """A page of the edition with its validated spec, or its errors."""

    page: EditionPage
    loaded: LoadedSpec | None
    errors: tuple[SpecError, ...] = ()


def load_edition(path: str | Path, memo: Memo | None = None) -> tuple[Edition, list[PageLoad]]:
    """The manifest and each of its pages, loaded with the inherited settings merged in.

    Raises:
        SpecInvalid: the manifest itself is unusable (``FILE:LINE: message``); errors
            in one page are that page's :class:`PageLoad` ``errors``.
    """
    path = Path(path)
    name = str(path)
    raw = _read(path, name, None, 0)
    from layout.spec.yamlread import read_document

    document, lines = read_document(raw, name)
    manifest = _validate_manifest(document, lines, name)
    edition = _edition(path, manifest, lines)
    memo = memo or Memo()
    loads = [_load_page(edition, manifest, document, lines, raw, page, memo) for page in edition.pages]
    return edition, with_jumps(with_article_pages(loads))


def with_article_pages(loads: list[PageLoad]) -> list[PageLoad]:
    """Each loaded page told where every article of the edition is (for its index, 导读):
    known from the manifest before any page is laid out, so an index is set in one pass.
    An id used on two pages resolves to the first in print order."""
    where: dict[str, PageRef] = {}
    for load in loads:
        if load.loaded is not None:
            for block in load.loaded.spec.blocks:
                if isinstance(block, data.Article):
                    where.setdefault(block.id, PageRef(load.page.number, load.page.name, block.title))
    return [replace(load, loaded=replace(load.loaded, articles=where)) if load.loaded is not None else load
            for load in loads]


def with_jumps(loads: list[PageLoad]) -> list[PageLoad]:
    """Each loaded page told where its articles' jumps (转版) lead and where its
    continuations' text comes from, page numbers included (``layout/jump.py``)."""
    from layout.jump import PageEntry, link_jumps

    links = link_jumps([PageEntry(load.page.number, load.page.name, load.loaded.spec if load.loaded else None)
                        for load in loads])
    return [replace(load, loaded=replace(load.loaded, jumps=jumps)) if load.loaded is not None else load
            for load, jumps in zip(loads, links, strict=True)]


def _read(path: Path, name: str, manifest: str | None, line: int) -> bytes:
    """A spec file's bytes, or its error: at ``line`` of the manifest that names it."""
    try:
        return read_regular(path, SPEC_MAX_BYTES)
    except UnreadableFile as exc:
        if manifest is None:
            raise SpecInvalid([SpecError(name, 0, f"cannot read the edition manifest: {exc.reason}",
                                         f"无法读取版面清单：{exc.reason}")]) from None
        raise SpecInvalid([SpecError(manifest, line, f"cannot read the page {name}: {exc.reason}",
                                     f"无法读取版面 {name}：{exc.reason}")]) from None


def _validate_manifest(document: Any, lines: dict[KeyPath, int], name: str) -> Manifest:
    if not isinstance(document, dict):
        raise SpecInvalid([SpecError(name, 1, "the edition manifest must be a mapping of keys "
                                     "(edition: 1, paper: …, date: …, pages: …)",
                                     "版面清单应是由键组成的映射（edition: 1、paper: …、date: …、pages: …）")])
    from layout.spec.validate import _from_pydantic  # the spec's rewording: did-you-mean, expected types

    try:
        manifest = Manifest.model_validate(document)
    except ValidationError as exc:
        raise SpecInvalid(_from_pydantic(name, lines, {}, exc.errors())) from None
    errors = _numbering_errors(manifest, lines, name)
    if errors:
        raise SpecInvalid(errors)
    return manifest


def _numbers(manifest: Manifest) -> list[int]:
    """Each page's number: as written, else one more than the page before."""
    numbers: list[int] = []
    for entry in manifest.pages:
        numbers.append(entry.page if entry.page is not None else (numbers[-1] + 1 if numbers else 1))
    return numbers


def _numbering_errors(manifest: Manifest, lines: dict[KeyPath, int], name: str) -> list[SpecError]:
    errors: list[SpecError] = []
    first: dict[int, int] = {}
    for index, number in enumerate(_numbers(manifest)):
        if number > MAX_PAGE_NUMBER:
            errors.append(spec_error(name, line_for(lines, ("pages", index)), f"pages[{index}]",
                                     f"page number {number} is over {MAX_PAGE_NUMBER}", f"版次 {number} 超过 {MAX_PAGE_NUMBER}"))
        elif number in first:
            where = ("pages", index, "page") if ("pages", index, "page") in lines else ("pages", index)
            other = first[number]
            errors.append(spec_error(name, line_for(lines, where), f"pages[{index}]",
                                     f"page {number} is already pages[{other}] (line {line_for(lines, ('pages', other))}); "
                                     "each page number once", f"第{number}版已是 pages[{other}]"
                                     f"（第 {line_for(lines, ('pages', other))} 行）；每个版次只能出现一次"))
        else:
            first[number] = index
    return errors


def _edition(path: Path, manifest: Manifest, lines: dict[KeyPath, int]) -> Edition:
    pages = []
    for index, (entry, number) in enumerate(zip(manifest.pages, _numbers(manifest), strict=True)):
        source = path.parent / entry.spec if isinstance(entry.spec, str) else path
        pages.append(EditionPage(index, number, entry.name, source, line_for(lines, ("pages", index))))
    return Edition(path, manifest.paper, manifest.date, manifest.issue, tuple(pages))


def _load_page(edition: Edition, manifest: Manifest, document: dict[str, Any], lines: dict[KeyPath, int],
               raw: bytes, page: EditionPage, memo: Memo) -> PageLoad:
    manifest_name = str(edition.path)
    entry_path: KeyPath = ("pages", page.index, "spec")
    inline = page.source == edition.path
    try:
        if inline:
            page_raw = b""
        else:
            _inside(edition.path, page.source, manifest_name, line_for(lines, entry_path))
            page_raw = _read(page.source, str(page.source), manifest_name, line_for(lines, entry_path))
        # Everything the page's spec depends on: the manifest (its defaults, numbering,
        # date …), the page's place in it, and the page file's bytes.
        digest = hashlib.sha256(b"edition page\0%d\0%s\0%s" % (page.index, raw, page_raw)).hexdigest()
        spec, page_lines = memo.stored("spec", digest, _CODEC, lambda: _validate_page(
            edition, document, lines, page, page_raw))
    except SpecInvalid as exc:
        return PageLoad(page, None, tuple(exc.errors))
    return PageLoad(page, LoadedSpec(page.source, spec, page_lines))


def _inside(manifest: Path, source: Path, manifest_name: str, line: int) -> None:
    """A page file must be in the manifest's folder tree (links resolved): an edition is
    one folder a newsroom can hand over, and a manifest cannot make paiban read elsewhere."""
    folder = manifest.resolve().parent
    try:
        target = source.resolve()
    except (OSError, RuntimeError):  # a link loop
        target = source
    if not target.is_relative_to(folder):
        raise SpecInvalid([SpecError(manifest_name, line, f"the page {source} is outside the manifest's folder "
                                     f"({manifest.parent or '.'}); keep page files beside the manifest",
                                     f"版面 {source} 不在版面清单所在的文件夹（{manifest.parent or '.'}）之内；"
                                     "请把版面文件放在清单旁边")])


def _validate_page(edition: Edition, document: dict[str, Any], lines: dict[KeyPath, int], page: EditionPage,
                   page_raw: bytes) -> tuple[Any, dict[KeyPath, int]]:
    """The page's merged tree validated as a spec; errors in inherited keys at their manifest lines."""
    from layout.spec.validate import validate
    from layout.spec.yamlread import read_document

    manifest_name = str(edition.path)
    if page_raw:
        own, own_lines = read_document(page_raw, str(page.source))
        if not isinstance(own, dict):
            raise SpecInvalid([SpecError(str(page.source), 1, "a page of an edition must be a mapping of keys "
                                         "(version: 1, blocks: …)", "版面应是由键组成的映射（version: 1、blocks: …）")])
    else:  # inline: the entry's spec, its lines re-rooted (the same file as the manifest)
        own = dict(document["pages"][page.index]["spec"])
        own.setdefault("version", 1)
        prefix = ("pages", page.index, "spec")
        own_lines = {path[len(prefix):]: line for path, line in lines.items() if path[:len(prefix)] == prefix}
    tree, tree_lines = _inherited(edition, document, lines, page)
    tree, tree_lines = merge(tree, tree_lines, own, own_lines)
    tree = _fill_mastheads(tree, edition)
    name = str(page.source)
    try:
        spec = validate(tree, tree_lines, name)
    except SpecInvalid as exc:
        raise SpecInvalid(_relocate(exc.errors, name, manifest_name)) from None
    # lines of inherited keys are not in the page's file: a report falls back to the nearest key that is
    return spec, {path: line for path, line in tree_lines.items() if line < INHERITED_LINE}


def _inherited(edition: Edition, document: dict[str, Any], lines: dict[KeyPath, int],
               page: EditionPage) -> tuple[dict[str, Any], dict[KeyPath, int]]:
    """The tree a page is merged over: the manifest's folio, then ``defaults:`` (file paths
    in it made relative to the page's folder); every line shifted by INHERITED_LINE."""
    entry_line = page.line + INHERITED_LINE
    folio = {"paper": edition.paper, "section": page.name, "date": edition.date, "page": page.number}
    tree: dict[str, Any] = {"header": {"folio": folio}}
    tree_lines: dict[KeyPath, int] = {("header",): entry_line, ("header", "folio"): entry_line}
    tree_lines.update({("header", "folio", key): entry_line for key in folio})
    defaults = document.get("defaults")
    if isinstance(defaults, dict):
        shifted = {path[1:]: line + INHERITED_LINE for path, line in lines.items()
                   if path[:1] == ("defaults",) and len(path) > 1}
        rebased = _rebase_paths(defaults, edition.path.parent, page.source.parent)
        tree, tree_lines = merge(tree, tree_lines, rebased, shifted)
    return tree, tree_lines


def _rebase_paths(defaults: dict[str, Any], manifest_folder: Path, page_folder: Path) -> dict[str, Any]:
    """``fonts:`` files and ``output.profile`` of the defaults, written relative to the
    manifest's folder, made relative to the page's folder (where the page reads them)."""
    if manifest_folder == page_folder:
        return defaults

    def rebase(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return os.path.relpath(manifest_folder / value, page_folder)

    out = dict(defaults)
    if isinstance(out.get("fonts"), dict):
        out["fonts"] = {family: rebase(file) for family, file in out["fonts"].items()}
    if isinstance(out.get("output"), dict) and "profile" in out["output"]:
        out["output"] = {**out["output"], "profile": rebase(out["output"]["profile"])}
    return out


def merge(base: dict[str, Any], base_lines: dict[KeyPath, int], over: dict[str, Any],
          over_lines: dict[KeyPath, int], at: KeyPath = ()) -> tuple[dict[str, Any], dict[KeyPath, int]]:
    """``over`` merged over ``base``: mappings key by key, anything else (lists, text,
    numbers, null) replaced whole; with the line of every key from where it came."""
    tree = dict(base)
    lines = {path: line for path, line in base_lines.items()}
    if at in over_lines:
        lines[at] = over_lines[at]
    for key, value in over.items():
        path = at + (key,)
        if isinstance(value, dict) and isinstance(tree.get(key), dict):
            sub_base_lines = {p: ln for p, ln in lines.items() if p[:len(path)] == path}
            merged, merged_lines = merge(tree[key], sub_base_lines, value, over_lines, path)
            tree[key] = merged
            lines.update(merged_lines)
        else:  # replaced whole: the base's lines under it go too
            tree[key] = value
            lines = {p: ln for p, ln in lines.items() if p[:len(path)] != path}
            lines.update({p: ln for p, ln in over_lines.items() if p[:len(path)] == path})
    return tree, lines


def _fill_mastheads(tree: dict[str, Any], edition: Edition) -> dict[str, Any]:
    """A masthead block without ``date``, ``issue`` or ``name`` takes the manifest's."""
    blocks = tree.get("blocks")
    if not isinstance(blocks, list):
        return tree
    filled = []
    for block in blocks:
        if isinstance(block, dict) and block.get("type") == "masthead":
            block = dict(block)
            block.setdefault("date", edition.date)
            block.setdefault("name", edition.paper)
            if edition.issue is not None:
                block.setdefault("issue", edition.issue)
        filled.append(block)
    return {**tree, "blocks": filled}


def _relocate(errors: list[SpecError], page_name: str, manifest_name: str) -> list[SpecError]:
    """Errors at inherited lines moved to the manifest (``defaults.`` before their key)."""
    out: list[SpecError] = []
    for error in errors:
        if error.line >= INHERITED_LINE:
            error = SpecError(manifest_name, error.line - INHERITED_LINE, _inherited_message(error.message, "en", page_name),
                              _inherited_message(error.message_zh, "zh", page_name))
        if error not in out:
            out.append(error)
    return out


def _inherited_message(message: str, lang: str, page_name: str) -> str:
    """The message of an error in an inherited key, naming the page that inherits it."""
    if not message:
        return message
    message = f"defaults.{message}"  # every inherited key is written under defaults:
    return f"{message}（{page_name} 继承）" if lang == "zh" else f"{message} (inherited by {page_name})"
