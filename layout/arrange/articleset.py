"""Read an article set (``arrange: 1``): the stories to arrange, with their priorities."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from layout.safeio import SPEC_MAX_BYTES, UnreadableFile, read_regular
from layout.spec.errors import KeyPath, SpecError, SpecInvalid, dotted, line_for

#: Most articles one set may hold: a page has at most a dozen stories, and the solver's
#: model grows with the square of the count (the 碰题 pairs).
MAX_ARTICLES = 20
#: Most photos one set may hold (one per article at most).
MAX_PHOTOS = 6
#: Priorities: 1 is the lead story, 9 the least important.
PRIORITY_RANGE = (1, 9)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SetPhotoModel(_Model):
    src: str = Field(min_length=1, description="the photo (JPEG or PNG), relative to the set's file")
    caption: str | None = Field(None, description="the caption under the photo")
    credit: str | None = Field(None, description="the credit, e.g. 记者　某某　摄")


class SetArticleModel(_Model):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[^\s]+$",
                    description="unique id; becomes the article's id on the page")
    priority: int = Field(ge=PRIORITY_RANGE[0], le=PRIORITY_RANGE[1],
                          description="1 = the lead story; larger = less important (1..9)")
    kicker: str | None = Field(None, description="引题, as in a page spec's article")
    title: str = Field(min_length=1, description="主题, as in a page spec's article")
    subtitle: str | None = Field(None, description="副题, as in a page spec's article")
    byline: str | None = Field(None, description="byline, as in a page spec's article")
    body: str = Field(min_length=1, description="paragraphs separated by blank lines; '## ' subheads; inline markup")
    photo: SetPhotoModel | None = Field(None, description="at most one photo, set inside the article's frame")
    span: tuple[int, int] | None = Field(None, description="allowed widths in page columns: [min, max]")


class ArticleSetModel(_Model):
    arrange: Literal[1] = Field(description="format version of an article set")
    articles: list[SetArticleModel] = Field(min_length=1, max_length=MAX_ARTICLES,
                                            description="the stories to arrange on the page")


@dataclass(frozen=True, slots=True)
class SetPhoto:
    src: str
    caption: str | None
    credit: str | None
    line: int  # where it is written in the set file


@dataclass(frozen=True, slots=True)
class SetArticle:
    id: str
    priority: int
    order: int  # position in the set (ties of priority keep it)
    fields: tuple[tuple[str, str], ...]  # kicker, title, subtitle, byline, body as given (only those present)
    photo: SetPhoto | None
    span: tuple[int, int] | None
    line: int

    def field(self, name: str) -> str | None:
        return dict(self.fields).get(name)


@dataclass(frozen=True, slots=True)
class ArticleSet:
    path: Path
    articles: tuple[SetArticle, ...]
    lines: dict[KeyPath, int]
    digest: str  # of the file's bytes: measurements are keyed by it

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line_of(self, path: KeyPath) -> int:
        return line_for(self.lines, path)


#: The text keys of an article, in a page spec's order.
TEXT_KEYS = ("kicker", "title", "subtitle", "byline", "body")

_PYDANTIC_ZH = {
    "missing": "缺少必需的键",
    "extra_forbidden": "未知的键",
    "literal_error": "取值不对",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "string_type": "应为文字",
    "too_short": "太短或为空",
    "too_long": "太长或过多",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "string_pattern_mismatch": "不能含空白",
}


def load_set(path: Path) -> ArticleSet:
    """The validated set, or :class:`SpecInvalid` with ``FILE:LINE: message`` errors."""
    name = str(path)
    try:
        raw = read_regular(path, SPEC_MAX_BYTES)
    except UnreadableFile as exc:
        raise SpecInvalid([SpecError(name, 0, f"cannot read the article set: {exc.reason}",
                                     f"无法读取稿件集：{exc.reason}")]) from None
    from layout.spec.yamlread import read_document

    document, lines = read_document(raw, name)
    try:
        model = ArticleSetModel.model_validate(document)
    except ValidationError as exc:
        raise SpecInvalid([_error(name, lines, err) for err in exc.errors()]) from None
    errors: list[SpecError] = []
    seen: dict[str, int] = {}
    articles = []
    for index, art in enumerate(model.articles):
        where = ("articles", index)
        if art.id in seen:
            errors.append(SpecError(name, line_for(lines, (*where, "id")),
                                    f"articles[{index}].id: {art.id} is used twice (first at article {seen[art.id]})",
                                    f"articles[{index}].id：{art.id} 重复（第 {seen[art.id]} 篇已用）"))
        seen.setdefault(art.id, index)
        if art.span is not None and not 1 <= art.span[0] <= art.span[1]:
            errors.append(SpecError(name, line_for(lines, (*where, "span")),
                                    f"articles[{index}].span: [min, max] with 1 <= min <= max, got {list(art.span)}",
                                    f"articles[{index}].span：应写作 [最小, 最大]，1 ≤ 最小 ≤ 最大，而不是 {list(art.span)}"))
        photo = None if art.photo is None else SetPhoto(art.photo.src, art.photo.caption, art.photo.credit,
                                                        line_for(lines, (*where, "photo", "src")))
        fields = tuple((k, getattr(art, k)) for k in TEXT_KEYS if getattr(art, k) is not None)
        articles.append(SetArticle(art.id, art.priority, index, fields, photo, art.span, line_for(lines, where)))
    photos = sum(1 for a in articles if a.photo)
    if photos > MAX_PHOTOS:
        errors.append(SpecError(name, line_for(lines, ("articles",)), f"articles: {photos} photos, at most {MAX_PHOTOS}",
                                f"articles：共 {photos} 张图片，最多 {MAX_PHOTOS} 张"))
    if errors:
        raise SpecInvalid(errors)
    return ArticleSet(path, tuple(articles), lines, hashlib.sha256(raw).hexdigest())


def _error(name: str, lines: dict[KeyPath, int], err: Any) -> SpecError:
    path: KeyPath = tuple(err["loc"])
    where = dotted(path) or "the set"
    kind = err["type"]
    if kind == "missing":
        en = "required key is missing"
    elif kind == "extra_forbidden":
        en = "unknown key"
    else:
        en = str(err["msg"])
    zh = _PYDANTIC_ZH.get(kind, "取值无效") + (f"（{err['msg']}）" if kind not in ("missing", "extra_forbidden") else "")
    return SpecError(name, line_for(lines, path), f"{where}: {en}", f"{where}：{zh}")
