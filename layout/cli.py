"""The ``paiban`` command (contract §6): render, check, preview, schema.

Exit status: 0 clean; 1 layout problems (outputs still written); 2 unusable input
(nothing written).  Spec errors print as ``FILE:LINE: message``; no traceback ever
reaches the user.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
#: Largest preview raster: a broadsheet at 600 dpi is ~100 megapixels (300 MB of RGB).
MAX_PREVIEW_PIXELS = 120e6


class UsageError(Exception):
    """Unusable input or output that is not a spec error (e.g. an unwritable path)."""


#: Young-generation GC threshold for one-shot commands: layout allocates many small,
#: acyclic objects, and the default (700) makes the collector run thousands of times.
GC_THRESHOLD = (100_000, 50, 100)


def run() -> None:
    """The console entry point: run, flush, and leave without tearing down the heap.

    Every output has been written atomically and fsynced by then, and nothing of ours
    needs a finaliser, so skipping interpreter teardown (freeing the font tables and
    layout objects one by one, ~70 ms) is safe and saves that time on every render.
    """
    gc.set_threshold(*GC_THRESHOLD)
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"paiban: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("paiban: interrupted; no output written", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard: a message, never a traceback
        print(f"paiban: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paiban", description="Typeset Chinese newspaper pages from YAML specs.")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="render specs (one page each) to one PDF")
    render.add_argument("specs", nargs="+", type=Path)
    render.add_argument("-o", "--output", required=True, type=Path)
    _press_options(render)
    _report_options(render)
    _jobs_option(render)
    render.set_defaults(run=cmd_render)
    check = sub.add_parser("check", help="lay out without writing a PDF and report problems")
    check.add_argument("specs", nargs="+", type=Path)
    check.add_argument("--json", action="store_true", help="print the JSON report on stdout")
    check.add_argument("--junit", type=Path, help="also write a JUnit XML report (one test case per spec)")
    _press_options(check)
    _report_options(check)
    _jobs_option(check)
    check.set_defaults(run=cmd_check)
    preview = sub.add_parser("preview", help="a PNG of the page")
    preview.add_argument("spec", type=Path)
    preview.add_argument("-o", "--output", required=True, type=Path)
    preview.add_argument("--dpi", type=int, default=100)
    preview.add_argument("--overlay", action="store_true", help="draw grid, frames with ids, overflow marks")
    preview.add_argument("--watch", action="store_true", help="keep rewriting the PNG (with the overlay) on changes")
    _press_options(preview)
    _report_options(preview)
    preview.set_defaults(run=cmd_preview)
    serve = sub.add_parser("serve", help="live preview in the browser (loopback only)")
    serve.add_argument("spec", type=Path)
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--dpi", type=int, default=72)
    serve.set_defaults(run=cmd_serve)
    new = sub.add_parser("new", help="start a page from a template (specs/templates)")
    new.add_argument("template", help="template name (e.g. inside-page) or a spec file to copy")
    new.add_argument("-o", "--output", required=True, type=Path)
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(run=cmd_new)
    schema = sub.add_parser("schema", help="print the JSON Schema of the spec")
    schema.set_defaults(run=cmd_schema)
    return parser


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=int, default=1, help="worker processes for editions (default 1)")


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="language of problem messages (default: from the locale)")


def _press_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", type=Path, help="output CMYK ICC profile (overrides the spec's output.profile)")
    parser.add_argument("--allow-outside-images", action="store_true",
                        help="allow images outside the spec's folder tree")


def _lay_out(specs: Sequence[Path], args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Load and lay out every spec, in order; return (layouts, errors).

    With ``--jobs N`` the pages are laid out (and their photos prepared for press, into
    the image cache) by N worker processes; results come back in page order.
    """
    from layout.press import PressOverrides

    profile = getattr(args, "profile", None)
    if profile is not None and not profile.is_file():
        raise UsageError(f"--profile: no ICC profile at {profile}")
    overrides = PressOverrides(profile, getattr(args, "allow_outside_images", False))
    jobs = max(1, getattr(args, "jobs", 1) or 1)
    # Pages are kept without their per-block layouts (``PageLayout.for_print``) except for a
    # preview, whose overlay draws them: an edition's memory then grows by ~75 kB a page.
    tasks = [(path, overrides, args.run is cmd_render, args.run is not cmd_preview) for path in specs]
    progress = _Progress(len(specs), "pages")
    layouts: list[tuple[Path, Any]] = []
    errors: list[tuple[Path, Any]] = []
    if jobs > 1 and len(specs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # The first page is laid out here, before the workers start: forked workers then
        # begin with its fonts, measured characters and composed paragraphs (an edition
        # shares styles, and often text), instead of each reading and composing anew.
        results = [_lay_out_one(tasks[0])]
        progress.step()
        fork = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=fork) as pool:
            for result in pool.map(_lay_out_one, tasks[1:]):
                results.append(result)
                progress.step()
    else:
        results = []
        for task in tasks:
            results.append(_lay_out_one(task))
            progress.step()
    progress.done()
    for path, result in zip(specs, results, strict=True):
        (errors if isinstance(result, list) else layouts).append((path, result))
    return layouts, errors


def _lay_out_one(task):  # type: ignore[no-untyped-def]
    """One page: its layout, or its spec errors (a list).  Runs in a worker with --jobs."""
    from layout.display import Image
    from layout.page import lay_out_page
    from layout.spec.load import SpecInvalid, load_spec

    path, overrides, prepare, slim = task
    try:
        loaded = load_spec(path)
    except SpecInvalid as exc:
        return exc.errors
    layout = lay_out_page(loaded, probe=_make_probe, overrides=overrides)
    if prepare:  # separate the photos here, in parallel; the PDF writer reads them from the cache
        for item in layout.display:
            if isinstance(item, Image):
                from layout.render.images import prepare_image

                prepare_image(item, layout.press)
    return layout.for_print() if slim else layout  # small to keep, and to send back from a worker


def _make_probe(press):  # type: ignore[no-untyped-def]
    """The renderer's image probe, imported (with Pillow) only when a page has a photo."""

    def probe(path: Path):  # type: ignore[no-untyped-def]
        from layout.render.images import make_probe

        return make_probe(press)(path)

    return probe


class _Progress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    WIDTH = 30

    def __init__(self, total: int, unit: str):
        self.total, self.unit, self.count = total, unit, 0
        self.shown = sys.stderr.isatty() and total > 1

    def step(self) -> None:
        self.count += 1
        if self.shown:
            filled = self.WIDTH * self.count // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.count}/{self.total} {self.unit}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * (self.WIDTH + 30) + "\r")
            sys.stderr.flush()


def _lang(args: argparse.Namespace) -> str:
    from layout.check import default_lang

    return getattr(args, "lang", None) or default_lang()


def _print_problems(layouts, lang: str = "en") -> bool:  # type: ignore[no-untyped-def]
    from layout.check import problem_lines

    clean = True
    for path, layout in layouts:
        for line in problem_lines(str(path), layout, lang):
            print(line, file=sys.stderr)
        clean = clean and layout.ok
    return clean


def _print_errors(errors, lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    for _, found in errors:
        for error in found:
            print(error.render(lang), file=sys.stderr)


def cmd_render(args: argparse.Namespace) -> int:
    layouts, errors = _lay_out(args.specs, args)
    if errors:
        _print_errors(errors, _lang(args))
        return EXIT_UNUSABLE
    from layout.render.pdf import render_pdf

    data = render_pdf([layout for _, layout in layouts])
    write_atomically(args.output, data)
    return EXIT_OK if _print_problems(layouts, _lang(args)) else EXIT_PROBLEMS


def cmd_check(args: argparse.Namespace) -> int:
    from layout.check import error_report, report, spec_report

    layouts, errors = _lay_out(args.specs, args)
    lang = _lang(args)
    _print_errors(errors, lang)
    clean = _print_problems(layouts, lang)
    entries_by_path = {str(p): spec_report(str(p), lay, lang) for p, lay in layouts}
    entries_by_path.update({str(p): error_report(str(p), errs) for p, errs in errors})
    full = report([entries_by_path[str(p)] for p in args.specs])
    if args.json:
        print(json.dumps(full, ensure_ascii=False, indent=2))
    if args.junit:
        from layout.check import junit_xml

        write_atomically(args.junit, junit_xml(full))
    if errors:
        return EXIT_UNUSABLE
    return EXIT_OK if clean else EXIT_PROBLEMS


def cmd_preview(args: argparse.Namespace) -> int:
    if not 10 <= args.dpi <= 1200:
        raise UsageError(f"--dpi must be between 10 and 1200, got {args.dpi}")
    if args.watch:
        from layout.serve import watch_png
        from layout.spec.load import SpecInvalid, load_spec

        try:  # the raster limit, checked on the spec as it is now (it may be broken while editing)
            width, height = load_spec(args.spec).spec.page.size
            if width * height * (args.dpi / 72) ** 2 > MAX_PREVIEW_PIXELS:
                raise UsageError(f"a {args.dpi} dpi preview of this page is over "
                                 f"{MAX_PREVIEW_PIXELS / 1e6:.0f} megapixels; use a lower --dpi")
        except SpecInvalid:
            pass

        watch_png(args.spec, args.output, args.dpi, write_atomically)
        return EXIT_OK
    layouts, errors = _lay_out([args.spec], args)
    if errors:
        _print_errors(errors, _lang(args))
        return EXIT_UNUSABLE
    from layout.render.pdf import page_boxes
    from layout.render.png import render_png

    _, layout = layouts[0]
    width, height = page_boxes(layout).media
    pixels = (width / 72 * args.dpi) * (height / 72 * args.dpi)
    if pixels > MAX_PREVIEW_PIXELS:
        raise UsageError(f"a {args.dpi} dpi preview of this page would be {pixels / 1e6:.0f} megapixels "
                         f"(limit {MAX_PREVIEW_PIXELS / 1e6:.0f}); use a lower --dpi")
    write_atomically(args.output, render_png(layout, dpi=args.dpi, overlay=args.overlay))
    return EXIT_OK if _print_problems(layouts, _lang(args)) else EXIT_PROBLEMS


def cmd_serve(args: argparse.Namespace) -> int:
    if not args.spec.is_file():
        raise UsageError(f"no spec at {args.spec}")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    if not 10 <= args.dpi <= 300:
        raise UsageError(f"--dpi must be between 10 and 300 for a live preview, got {args.dpi}")
    from layout.serve import serve

    try:
        serve(args.spec, args.port, args.dpi)
    except OSError as exc:
        raise UsageError(f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from layout.cache import data_dir

    templates = data_dir("specs") / "templates"
    source = templates / f"{args.template}.yaml"
    if not source.is_file():
        source = Path(args.template)
    if not source.is_file():
        names = ", ".join(sorted(p.stem for p in templates.glob("*.yaml")))
        raise UsageError(f"no template {args.template!r} (templates: {names})")
    if args.output.exists() and not args.force:
        raise UsageError(f"{args.output} exists (use --force to overwrite)")
    write_atomically(args.output, source.read_bytes())
    print(f"{args.output}: from {source.name}; replace the filler text ({{placeholder: N}}) with copy", file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from layout.spec.models import PageSpec

    print(json.dumps(PageSpec.model_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written file."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
