"""The documentation stays true to the code (issue 10, the newcomer's first hour).

- every YAML example of docs/spec.md validates: a whole page (``version: 1``) as it
  stands, a fragment merged into the smallest page shown there;
- every key of the spec models is named in docs/spec.md, so a new key without docs fails;
- every problem kind the code can report is explained in docs/report.md;
- the README's links resolve inside the repository and it never points outside it.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from layout.problems import ProblemKind
from layout.spec.errors import SpecInvalid
from layout.spec.load import load_spec
from layout.spec.models import PageSpec

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SPEC_DOC = DOCS / "spec.md"
REPORT_DOC = DOCS / "report.md"
README = ROOT / "README.md"
#: Folders whose Python sources create problems (kinds are collected from them).
CODE = ROOT / "layout"

_YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)
#: A problem kind named in code: ``ProblemKind.OVERFLOW`` (how every problem is made), or
#: a kind written as a string: ``Problem("kind", …`` or ``{"kind": "spec_error", …}``.
_KIND_IN_CODE = re.compile(
    r"""ProblemKind\.([A-Z_]+)\b|Problem\(\s*["']([a-z_]+)["']|["']kind["']\s*:\s*["']([a-z_]+)["']""")
_MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HTML_SRC = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def yaml_blocks(path: Path) -> list[str]:
    return _YAML_BLOCK.findall(path.read_text(encoding="utf-8"))


def is_whole_page(block: str) -> bool:
    return block.lstrip().startswith("version: 1")


def is_manifest(block: str) -> bool:
    """An edition manifest (``edition: 1``), checked against its own model, not merged into a page."""
    return block.lstrip().startswith("edition: 1")


def base_page() -> dict[str, Any]:
    """The smallest page of docs/spec.md: the first whole page after "The smallest page"."""
    text = SPEC_DOC.read_text(encoding="utf-8")
    section = text.split("### The smallest page", 1)[1]
    found = _YAML_BLOCK.search(section)
    assert found, "docs/spec.md: no example under 'The smallest page'"
    return yaml.safe_load(found.group(1))


def merged(base: Any, fragment: Any) -> Any:
    """Mappings merged key by key; anything else (a list of blocks too) replaces."""
    if isinstance(base, dict) and isinstance(fragment, dict):
        out = dict(base)
        for key, value in fragment.items():
            out[key] = merged(base[key], value) if key in base else value
        return out
    return fragment


def documented_pages() -> list[tuple[str, str]]:
    """(name, YAML text of a whole page) for every example of docs/spec.md."""
    base = base_page()
    pages = []
    for index, block in enumerate(yaml_blocks(SPEC_DOC)):
        if is_manifest(block):
            continue
        if is_whole_page(block):
            pages.append((f"example{index}", block))
        else:
            page = merged(base, yaml.safe_load(block))
            pages.append((f"fragment{index}", yaml.safe_dump(page, allow_unicode=True, sort_keys=False)))
    return pages


def test_spec_doc_has_examples() -> None:
    blocks = yaml_blocks(SPEC_DOC)
    assert sum(map(is_whole_page, blocks)) >= 2  # the contract's page and the smallest page
    assert len(blocks) >= 10


@pytest.mark.parametrize(("name", "text"), documented_pages(), ids=[n for n, _ in documented_pages()])
def test_spec_examples_validate(name: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_spec(path)
    except SpecInvalid as exc:
        pytest.fail(f"docs/spec.md {name} does not validate:\n{exc}\n---\n{text}")


def test_spec_doc_manifests_validate() -> None:
    from layout.spec.manifest import Manifest

    manifests = [block for block in yaml_blocks(SPEC_DOC) if is_manifest(block)]
    assert manifests, "docs/spec.md shows no edition manifest"
    for block in manifests:
        Manifest.model_validate(yaml.safe_load(block))


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside a field's annotation (unions, lists, dicts, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def model_field_names(root: type[BaseModel] = PageSpec) -> dict[str, set[str]]:
    """Field name -> the models that have it, for every model reachable from ``root``."""
    names: dict[str, set[str]] = {}
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.setdefault(name, set()).add(model.__name__)
            todo += _models(info.annotation)
    return names


def test_model_walk_reaches_nested_models() -> None:
    names = model_field_names()
    # keys of models nested in lists, dicts and unions, so the walk is known to go deep
    for name, model in (("focus", "Photo"), ("min_size", "StyleOverride"), ("placeholder", "Placeholder"),
                        ("lines", "FrameRef"), ("email", "Footer"), ("paper", "Folio")):
        assert model in names.get(name, set()), (name, model)


def _all_field_names() -> dict[str, set[str]]:
    from layout.spec.manifest import Manifest

    names = model_field_names()
    for name, models in model_field_names(Manifest).items():
        names.setdefault(name, set()).update(models)
    return names


@pytest.mark.parametrize("name", sorted(_all_field_names()))
def test_every_spec_key_is_documented(name: str) -> None:
    text = SPEC_DOC.read_text(encoding="utf-8")
    # named as a key in code font: `name`, `page.name`, `name:` in a table or an example
    assert re.search(rf"`(?:[\w.]+\.)?{re.escape(name)}`|\b{re.escape(name)}:", text), (
        f"the spec key {name!r} ({', '.join(sorted(_all_field_names()[name]))}) is not in docs/spec.md")


def problem_kinds_in_code() -> set[str]:
    kinds: set[str] = set()
    for source in CODE.rglob("*.py"):
        for found in _KIND_IN_CODE.finditer(source.read_text(encoding="utf-8")):
            kinds.add(found.group(1).lower() if found.group(1) else found.group(2) or found.group(3))
    return kinds


def test_every_kind_in_code_is_in_the_vocabulary() -> None:
    assert problem_kinds_in_code() <= {kind.value for kind in ProblemKind}


def test_problem_kinds_are_found() -> None:
    kinds = problem_kinds_in_code()
    # one from each way a problem is made: a Problem(...) call, a helper, a report entry
    assert {"overflow", "missing_glyph", "frames_overlap", "underfull", "spec_error"} <= kinds
    assert len(kinds) >= 15


@pytest.mark.parametrize("kind", sorted(problem_kinds_in_code() | {kind.value for kind in ProblemKind}))
def test_every_problem_kind_is_documented(kind: str) -> None:
    text = REPORT_DOC.read_text(encoding="utf-8")
    assert f"`{kind}`" in text, f"the problem kind {kind!r} is not explained in docs/report.md"


def readme_links() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return _MD_LINK.findall(text) + _HTML_SRC.findall(text)


def test_readme_links_resolve() -> None:
    links = [link for link in readme_links() if not re.match(r"[a-z]+:", link)]
    assert {"docs/spec.md", "docs/cli.md", "docs/report.md"} <= {link.split("#")[0] for link in links}
    for link in links:
        target = (ROOT / link.split("#")[0]).resolve()
        assert target.is_relative_to(ROOT), f"README links outside the repository: {link}"
        assert target.exists(), f"README links to a missing file: {link}"


@pytest.mark.parametrize("doc", sorted(p.name for p in DOCS.glob("*.md")))
def test_docs_links_resolve(doc: str) -> None:
    path = DOCS / doc
    for link in _MD_LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:|#", link):
            continue
        target = (path.parent / link.split("#")[0]).resolve()
        assert target.is_relative_to(ROOT) and target.exists(), f"docs/{doc}: broken link {link}"


@pytest.mark.parametrize("index", range(len([b for b in yaml_blocks(README) if is_whole_page(b)])))
def test_readme_page_validates(index: int, tmp_path: Path) -> None:
    text = [b for b in yaml_blocks(README) if is_whole_page(b)][index]
    path = tmp_path / "readme.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_spec(path)
    except SpecInvalid as exc:
        pytest.fail(f"README.md page example {index} does not validate:\n{exc}")


def test_readme_stays_inside_the_repository() -> None:
    text = README.read_text(encoding="utf-8")
    assert "../" not in text, "README.md points outside the repository"


@pytest.mark.parametrize("path", ["README.md", *sorted(f"docs/{p.name}" for p in DOCS.glob("*.md"))])
def test_no_file_a_clone_lacks(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "shared/docs" not in text, f"{path} names a file a clone does not have"
