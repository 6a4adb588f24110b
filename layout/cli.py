"""The ``paiban`` command (contract §6): render, check, preview, schema, import.

Exit status: 0 clean; 1 layout problems (outputs still written); 2 unusable input
(nothing written).  Spec errors print as ``FILE:LINE: message``; no traceback ever
reaches the user.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
#: Exit status when stdout's reader went away before a command could finish (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 141
#: Largest preview raster: a broadsheet at 600 dpi is ~100 megapixels (300 MB of RGB).
MAX_PREVIEW_PIXELS = 120e6
#: Kinds of file by name suffix: an output named as another kind than the command
#: writes (``preview -o page.pdf``) is refused rather than written with the wrong bytes.
#: Other suffixes, or none, are accepted.
KIND_OF_SUFFIX = {
    ".pdf": "PDF", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF",
    ".webp": "WebP", ".gif": "GIF", ".svg": "SVG", ".html": "HTML", ".json": "JSON", ".xml": "XML",
    ".yaml": "YAML", ".yml": "YAML", ".icc": "ICC", ".icm": "ICC", ".ttf": "font", ".otf": "font",
    ".ttc": "font", ".txt": "text",
}
#: The usual suffix of each kind a command writes, for the refusal message.
SUFFIX_OF_KIND = {"PDF": ".pdf", "PNG": ".png", "XML": ".xml", "YAML": ".yaml"}
#: Resolutions ``export --dpi`` accepts (a screen edition; print has the PDF).
EXPORT_DPI = (36, 600)
#: pyproject.toml is a few kB; it is read (for ``--version``) only in a checkout that is not installed.
PYPROJECT_MAX_BYTES = 1024 * 1024


class UsageError(Exception):
    """Unusable input or output that is not a spec error (e.g. an unwritable path);
    ``zh`` is the message in Chinese (``--lang zh``), where one exists."""

    def __init__(self, message: str, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else str(self)


class Interrupted(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that a half-written temporary file is removed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


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
    signal.signal(signal.SIGTERM, _on_sigterm)
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except OSError:  # the reader left, or the stream was closed or full: nothing more to say
            pass
    os._exit(status)


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def main(argv: Sequence[str] | None = None) -> int:
    global _ARGV
    lang = "en"
    _ARGV = argv
    try:
        args = _parser().parse_args(argv)
        lang = _lang(args)
        return int(args.run(args))
    except UsageError as exc:
        _say(f"paiban: {exc.text(lang)}" if lang != "zh" else f"paiban：{exc.text(lang)}")
        return EXIT_UNUSABLE
    except KeyboardInterrupt as exc:
        _say("paiban：已中断，未写入任何输出" if lang == "zh" else "paiban: interrupted; no output written")
        return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)
    except BrokenPipeError:  # a reader that left early (``| head``) is not an error
        _drop_output()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - the last guard: a message, never a traceback
        where = "paiban：内部错误" if lang == "zh" else "paiban: internal error"
        _say(f"{where}: {exc.__class__.__name__}: {exc}")
        return EXIT_UNUSABLE


def _say(line: str) -> None:
    """One line on stderr, control characters shown as escapes (an id or a file name may
    hold ESC or BEL, which a terminal would act on)."""
    from layout.check import visible

    if sys.stderr is None:  # started with stderr closed: nowhere to say it
        return
    try:
        print(visible(line), file=sys.stderr)
    except BrokenPipeError:
        _drop_output()
    except OSError:  # a full device: the exit status still tells
        pass


def _emit(text: str) -> None:
    """Text on stdout; when its reader has gone (``paiban schema | head -1``) the rest is
    dropped quietly and the command goes on to its usual exit status."""
    if sys.stdout is None:  # started with stdout closed (``>&-``)
        raise UsageError("cannot write to stdout: it is closed", "无法写入标准输出：它已关闭")
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_output()
    except OSError as exc:  # a full disk or device (``> /dev/full``)
        raise UsageError(f"cannot write to stdout: {exc.strerror or exc}",
                         f"无法写入标准输出：{exc.strerror or exc}") from None


def _drop_output() -> None:
    """Point stdout and stderr at the null device, whichever pipe closed, so that no later
    write or the final flush raises again (the recipe of Python's signal documentation)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):  # a stream replaced by one without a descriptor
            pass
    os.close(devnull)


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's help ends with its default, unless it has none to show (a flag, or
    an option that is off unless given) or the help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "default" in text or action.default in (None, False, argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


#: argparse's own messages (Python 3.11–3.13 wording) in Chinese, for ``--lang zh``.
_USAGE_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(en), zh) for en, zh in (
    (r"^the following arguments are required: (.*)$", r"缺少必需的参数：\1"),
    (r"^unrecognized arguments: (.*)$", r"无法识别的参数：\1"),
    (r"^argument (.+?): invalid choice: (.+?) \(choose from (.*)\)$", r"参数 \1：无效的选项 \2（可选：\3）"),
    (r"^argument (.+?): invalid (\w+) value: (.*)$", r"参数 \1：\3 不是有效的 \2 值"),
    (r"^argument (.+?): expected one argument$", r"参数 \1：需要一个值"),
    (r"^argument (.+?): expected at least one argument$", r"参数 \1：至少需要一个值"),
    (r"^argument (.+?): ignored explicit argument (.*)$", r"参数 \1：多余的值 \2"),
    (r"^argument (.+?): not allowed with argument (.*)$", r"参数 \1：不能与参数 \2 同时使用"),
    (r"^ambiguous option: (.+?) could match (.*)$", r"选项 \1 有歧义，可能是 \2"),
    (r"^one of the arguments (.*) is required$", r"参数 \1 中必须给出一个"),
    (r"^argument (.+?): expected a whole number, got (.*)$", r"参数 \1：需要一个整数，而不是 \2"),
    (r"^argument (.+?): must be between (\d+) and (\d+), got (.*)$", r"参数 \1：须在 \2 到 \3 之间，而不是 \4"),
    (r"^argument (.+?): (.*)$", r"参数 \1：\2"),
))


def _argv_lang(argv: Sequence[str]) -> str:
    """``--lang`` as typed, before argparse has understood the rest (it may be what failed)."""
    from layout.check import default_lang

    for k, arg in enumerate(argv):
        if arg == "--lang" and k + 1 < len(argv):
            return "zh" if argv[k + 1] == "zh" else "en"
        if arg.startswith("--lang="):
            return "zh" if arg.removeprefix("--lang=") == "zh" else "en"
    return default_lang()


def usage_message(prog: str, message: str, lang: str) -> str:
    """A usage error in one line and where to read more, instead of the usage block."""
    if lang == "zh":
        for pattern, zh in _USAGE_ZH:
            if pattern.match(message):
                message = pattern.sub(zh, message)
                break
        return f"{prog}：错误：{message}（用法见 {prog} --help）"
    return f"{prog}: error: {message} (see {prog} --help)"


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, in the language asked for, exit 2."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        _say(usage_message(self.prog, message, _argv_lang(sys.argv[1:] if _ARGV is None else _ARGV)))
        raise SystemExit(EXIT_UNUSABLE)


#: The arguments ``main`` was called with (None: the process's), for ``_Parser.error``.
_ARGV: Sequence[str] | None = None


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked (importlib.metadata costs ~10 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        _emit(f"paiban {version()}")
        parser.exit()


def version() -> str:
    """The installed distribution's version, else (a checkout run in place) pyproject.toml's."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("paiban")
    except PackageNotFoundError:
        return _pyproject_version(Path(__file__).resolve().parent.parent / "pyproject.toml")


def _pyproject_version(path: Path) -> str:
    import tomllib

    from layout.safeio import UnreadableFile, read_regular

    try:
        project = tomllib.loads(read_regular(path, PYPROJECT_MAX_BYTES).decode("utf-8"))["project"]
        return str(project["version"])
    except (UnreadableFile, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return "unknown"


def _command(sub: Any, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description,
                                                     formatter_class=_HelpFormatter)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="paiban", description="Typeset Chinese newspaper pages from YAML specs.",
                     formatter_class=_HelpFormatter)
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    render = _command(sub, "render", "render specs (one page each) or an edition to one PDF",
                      "Lay out each spec as one page and write them, in order, to one print PDF; or lay out "
                      "the pages of an edition manifest (edition: 1) and write them in its order, or one "
                      "PDF per page (--split). "
                      "Exit 0 when clean, 1 with layout problems (the PDF is still written), "
                      "2 on unusable input (nothing is written).")
    render.add_argument("specs", nargs="+", type=Path,
                        help="page specs (YAML), one page each; or one edition manifest")
    render.add_argument("-o", "--output", type=Path,
                        help="the PDF to write (a name ending in another kind's suffix, such as .png, is refused); "
                        "required unless --split")
    render.add_argument("--split", type=Path, metavar="DIR",
                        help="an edition only: also write each page to DIR as its own PDF, named by its "
                        "page number (DIR/01.pdf …) (default: off)")
    _press_options(render)
    _fit_option(render)
    _report_options(render)
    _jobs_option(render)
    render.set_defaults(run=cmd_render)
    check = _command(sub, "check", "lay out without writing a PDF and report problems",
                     "Lay out each spec and report its problems (overflow, missing glyphs or images, "
                     "overlapping frames ...) on stderr, as JSON on stdout, or as JUnit XML for CI.")
    check.add_argument("specs", nargs="*", type=Path,
                       help="page specs (YAML) to check, or one edition manifest (none with --explain)")
    check.add_argument("--json", action="store_true", help="print the JSON report on stdout")
    check.add_argument("--explain", nargs="?", const="", metavar="KIND",
                       help="print what a problem kind means (all kinds without KIND) and exit; --lang zh in Chinese (default: off)")
    check.add_argument("--junit", type=Path, help="also write a JUnit XML report to this file, one test case per spec (default: none)")
    _press_options(check)
    _fit_option(check)
    _report_options(check)
    _jobs_option(check)
    check.set_defaults(run=cmd_check)
    preview = _command(sub, "preview", "a PNG of the page",
                       "Render one spec to a PNG image of the page, optionally with the grid and "
                       "frames drawn over it, or keep rewriting it as the spec changes.")
    preview.add_argument("spec", type=Path, help="the page spec (YAML)")
    preview.add_argument("-o", "--output", required=True, type=Path,
                         help="the PNG to write (a name ending in another kind's suffix, such as .pdf, is refused)")
    preview.add_argument("--dpi", type=int, default=100, help="resolution of the image, 10-1200")
    preview.add_argument("--overlay", action="store_true", help="draw grid, frames with ids, overflow marks")
    preview.add_argument("--watch", action="store_true", help="keep rewriting the PNG (with the overlay) on changes")
    _press_options(preview)
    _report_options(preview)
    preview.set_defaults(run=cmd_preview)
    serve = _command(sub, "serve", "live preview in the browser (loopback only)",
                     "Serve a live preview of one spec on 127.0.0.1: the page image is redrawn "
                     "whenever the spec or a file it uses changes.")
    serve.add_argument("spec", type=Path, help="the page spec (YAML)")
    serve.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port)")
    serve.add_argument("--dpi", type=int, default=72, help="resolution of the page image, 10-300")
    serve.add_argument("--lang", choices=("en", "zh"), default=None,
                       help="language of the problems shown beside the page (default: from the locale)")
    _fit_option(serve)
    serve.set_defaults(run=cmd_serve)
    new = _command(sub, "new", "start a page from a template (specs/templates)",
                   "Copy a template (or another spec) to a new spec file to edit; "
                   "--list shows the templates.")
    new.add_argument("template", nargs="?", help="template name (e.g. inside-page) or a spec file to copy")
    new.add_argument("-o", "--output", type=Path, help="the spec file to write (required unless --list)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.add_argument("--list", action="store_true", help="list the templates with a one-line description")
    new.set_defaults(run=cmd_new)
    export = _command(sub, "export", "the digital edition (数字报): page images and their article areas",
                      "Lay out each spec as one page of the edition (or the pages of an edition manifest, "
                      "jumps linked) and write, for each page, an image "
                      "(the trimmed page) and a JSON document of its articles' areas and text, its photos, "
                      "tables, QR codes and ads (docs/epaper.md). Exit 0 when clean, 1 with layout "
                      "problems (the files are still written), 2 on unusable input (nothing is written).")
    export.add_argument("specs", nargs="+", type=Path,
                        help="page specs (YAML), one page each, in page order; or one edition manifest")
    export.add_argument("--out", required=True, type=Path,
                        help="the folder to write into (made if missing; its parent must exist)")
    export.add_argument("--dpi", type=int, default=150, help=f"resolution of the page images, {EXPORT_DPI[0]}-{EXPORT_DPI[1]}")
    export.add_argument("--format", choices=("png", "jpeg"), default="png", help="format of the page images")
    _press_options(export)
    _report_options(export)
    _jobs_option(export)
    export.set_defaults(run=cmd_export)
    copy = _command(sub, "import", "turn a reporter's .docx or .txt file into an article block (YAML)",
                    "Read one story (a Word .docx, or a text file in UTF-8, UTF-16 with a BOM or GB18030/GBK) "
                    "and write it as an article block to paste under a page's blocks: kicker, title, subtitle "
                    "and byline where marked, subheads, paragraphs, bold and italic as inline markup. "
                    "The conventions are in docs/cli.md.")
    copy.add_argument("file", type=Path, help="the story: FILE.docx or FILE.txt")
    copy.add_argument("-o", "--output", type=Path, help="the YAML file to write (default: stdout)")
    copy.add_argument("--id", help="the block's id (default: the file's name without its suffix)")
    copy.add_argument("--force", action="store_true", help="overwrite an existing output file")
    _report_options(copy)
    copy.set_defaults(run=cmd_import)
    arrange = _command(sub, "arrange", "propose page arrangements of an article set (拼版)",
                       "Arrange an article set (arrange: 1) on a page template: measure every article at every "
                       "allowed width with the real composer, solve a constraint model (OR-Tools CP-SAT) and write "
                       "the alternatives, best first, as page specs DIR/arrangement-1.yaml … with a report. "
                       "Exit 0 when arranged, 1 when the set cannot fit (it says what does not), 2 on unusable "
                       "input. Needs the optional extra: pip install 'paiban[arrange]'. See docs/arrange.md.")
    arrange.add_argument("set", type=Path, help="the article set (YAML, arrange: 1)")
    arrange.add_argument("--page", required=True, type=Path, help="the page template: a page spec with the grid and fixed blocks")
    arrange.add_argument("--out", type=Path, help="folder to write the arrangements into, created if missing (default: none: only the report)")
    arrange.add_argument("--alternatives", type=_alternatives, default=3, help="how many arrangements to propose (1-10)")
    arrange.add_argument("--time-limit", type=_time_limit, default=6.0,
                         help="the solver's budget in seconds for all alternatives (deterministic time)")
    arrange.add_argument("--preview", action="store_true", help="also write a PNG preview of each arrangement")
    arrange.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    _report_options(arrange)
    arrange.set_defaults(run=cmd_arrange)
    schema = _command(sub, "schema", "print the JSON Schema of the spec",
                      "Print the JSON Schema of the page spec on stdout (for editors and validators).")
    schema.set_defaults(run=cmd_schema)
    return parser


#: Most worker processes an edition may ask for.
MAX_JOBS = 64


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of worker processes from 1 to MAX_JOBS."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_JOBS}, got {value}")
    return value


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=_jobs, default=1,
                        help=f"worker processes for editions (1 to {MAX_JOBS})")


def _fit_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fit", action="store_true",
                        help="apply the copyfit adjustments (docs/fit.md) that make overflowing or underfull articles "
                        "fit within their policy; without it they are only suggested (default: off)")


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="language of problem messages (default: from the locale)")


def _press_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", type=Path,
                        help="output CMYK ICC profile (default: the spec's output.profile)")
    parser.add_argument("--allow-outside-images", action="store_true",
                        help="allow images outside the spec's folder tree")


def _memo(lang: str):  # type: ignore[no-untyped-def]
    """The one memo of this command (faces, compositions, photos; the disk tier when safe);
    why the disk tier cannot be used, if so, is said in ``lang``."""
    from layout.memo import front_end_memo

    memo = front_end_memo()
    for warning in memo.warnings:
        _say(f"paiban：警告：{warning.text(lang)}" if lang == "zh" else f"paiban: warning: {warning.text(lang)}")
    return memo


#: The command's memo as forked workers of an edition inherit it (the front end's own).
_worker_memo: Any = None


def _lay_out(specs: Sequence[Any], args: argparse.Namespace, memo: Any):  # type: ignore[no-untyped-def]
    """Load and lay out every spec (a path, or an edition's page as a LoadedSpec), in order;
    return (layouts, errors), each paired with the spec as given.

    With ``--jobs N`` the pages are laid out (and their photos prepared for press, into
    the image cache) by N worker processes; results come back in page order.
    """
    from layout.press import PressOverrides, profile_problem

    profile = getattr(args, "profile", None)
    problem = profile_problem(profile, str(profile)) if profile is not None else None
    if problem is not None:
        raise UsageError(f"--profile: {problem[0]}", f"--profile：{problem[1]}")
    overrides = PressOverrides(profile, getattr(args, "allow_outside_images", False))
    jobs = max(1, getattr(args, "jobs", 1) or 1)
    # Pages are kept without their per-block layouts (``PageLayout.for_print``) except for a
    # preview, whose overlay draws them: an edition's memory then grows by ~75 kB a page.
    whole = args.run in (cmd_preview, cmd_export)  # the overlay and the e-paper read the per-block layouts
    fit = bool(getattr(args, "fit", False))
    tasks = [(path, overrides, args.run in (cmd_render, cmd_export), not whole, fit) for path in specs]
    progress = _Progress(len(specs), "pages")
    layouts: list[tuple[Path, Any]] = []
    errors: list[tuple[Path, Any]] = []
    if jobs > 1 and len(specs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # The first page is laid out here, before the workers start: forked workers then
        # begin with its fonts, measured characters and composed paragraphs (an edition
        # shares styles, and often text), instead of each reading and composing anew.
        global _worker_memo
        _worker_memo = memo
        results = [_lay_out_one(tasks[0])]
        progress.step()
        fork = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=fork, initializer=_worker_start)
        try:
            mask = _block_interrupts()  # an interrupt while the workers are forked waits until they are
            try:
                pages = pool.map(_lay_out_one, tasks[1:])
            finally:
                _restore_interrupts(mask)
            for result in pages:
                results.append(result)
                progress.step()
        finally:
            # On Ctrl-C only this process stops: the workers ignore it, finish the page in
            # hand and are let go; pages not started are cancelled.
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        results = []
        for task in tasks:
            results.append(_lay_out_one(task, memo))
            progress.step()
    progress.done()
    for path, result in zip(specs, results, strict=True):
        (errors if isinstance(result, list) else layouts).append((path, result))
    return layouts, errors


def _worker_start() -> None:
    """In an edition's worker: Ctrl-C is the parent's to handle (a worker interrupted
    mid-page would leave the pool broken); SIGTERM, held back while it was forked, may
    end it again."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPT_SIGNALS)


def _lay_out_one(task, memo=None):  # type: ignore[no-untyped-def]
    """One page: its layout, or its spec errors (a list).  Runs in a worker with --jobs
    (with the memo the worker was forked with)."""
    memo = memo if memo is not None else _worker_memo
    from layout.display import Image
    from layout.page import lay_out_fitted
    from layout.spec.load import LoadedSpec, SpecInvalid, load_spec

    path, overrides, prepare, slim, fit = task
    prefetcher = _Prefetcher(memo) if prepare else None  # photos separated while the articles are composed
    try:
        loaded = path if isinstance(path, LoadedSpec) else load_spec(path, memo)  # an edition's page: loaded already
        layout = lay_out_fitted(loaded, fit, probe=_probe_factory(memo), overrides=overrides, memo=memo,
                                prefetch=prefetcher.factory if prefetcher is not None else None)
    except SpecInvalid as exc:  # the spec, or its output profile
        return exc.errors
    finally:
        if prefetcher is not None:
            prefetcher.close()
    if prepare:  # every photo separated (in a worker, in parallel); the PDF writer finds them in the memo
        from layout.render.images import prepare_image

        for item in layout.display:
            if isinstance(item, Image):
                prepare_image(item, layout.press, memo)
    return layout.for_print() if slim else layout  # small to keep, and to send back from a worker


class _Prefetcher:
    """``layout.render.images.Prefetcher``, imported (with Pillow) when a page has a photo."""

    def __init__(self, memo: Any) -> None:
        self.memo: Any = memo
        self._real: Any = None

    def factory(self, press: Any) -> Any:
        def prefetch(item: Any) -> None:
            if self._real is None:
                from layout.render.images import Prefetcher

                self._real = Prefetcher(self.memo)
            self._real.factory(press)(item)

        return prefetch

    def close(self) -> None:
        if self._real is not None:
            self._real.close()


def _probe_factory(memo):  # type: ignore[no-untyped-def]
    """The renderer's image probe, imported (with Pillow) only when a page has a photo."""

    def make(press):  # type: ignore[no-untyped-def]
        def probe(path: Path, decoded_limit: int):  # type: ignore[no-untyped-def]
            from layout.render.images import make_probe

            return make_probe(press, memo)(path, decoded_limit)

        return probe

    return make


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


def _print_problems(layouts, lang: str = "en", fits: bool = False) -> bool:  # type: ignore[no-untyped-def]
    """Each page's problems on stderr (``fits``: and its copyfit suggestions); whether all are clean."""
    from layout.check import problem_lines

    clean = True
    for path, layout in layouts:
        for line in problem_lines(str(path), layout, lang, fits):
            _say(line)
        clean = clean and layout.ok
    return clean


def _print_errors(errors, lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    for _, found in errors:
        for error in found:
            _say(error.render(lang))


def _say_written(path: Path, layouts, lang: str) -> None:  # type: ignore[no-untyped-def]
    """``wrote page.pdf (1 page, 7 articles, 0 problems)`` on a terminal; nothing when
    stderr is piped or redirected, so that scripts stay quiet."""
    if not sys.stderr.isatty():
        return
    pages = len(layouts)
    articles = sum(1 for _, layout in layouts for block in layout.blocks if block.type == "article")
    problems = sum(len(layout.problems) for _, layout in layouts)
    if lang == "zh":
        _say(f"已写入 {path}（{pages} 页，{articles} 篇稿件，{problems} 个问题）")
    else:
        _say(f"wrote {path} ({_count(pages, 'page')}, {_count(articles, 'article')}, {_count(problems, 'problem')})")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _check_output(path: Path, kind: str, inputs: Sequence[Path | None]) -> None:
    """Refuse an output that is named as another kind of file, that is not a regular file
    (``/dev/null``, a FIFO, a folder: a rename would replace it), or that is one of the
    inputs (the spec, the profile, an image): writing it would destroy the input."""
    named = KIND_OF_SUFFIX.get(path.suffix.lower())
    if named is not None and named != kind:
        suffix = SUFFIX_OF_KIND.get(kind, "")
        raise UsageError(f"{path}: this command writes {kind}, but the name says {named}; name it *{suffix}",
                         f"{path}：此命令输出 {kind}，文件名却是 {named}；请改用 *{suffix}")
    info = _existing_output(path)
    if info is None:
        return
    for source in inputs:
        if source is not None and _same_file(info, source):
            raise UsageError(f"{path} is an input ({source}); writing it would destroy it; choose another output",
                             f"{path} 是输入文件（{source}），写入会毁掉它；请另选输出文件")


def _existing_output(path: Path) -> os.stat_result | None:
    """The status of an output that exists already, refused unless it is a regular file."""
    try:
        info = os.stat(path)
    except OSError:  # absent (the usual case), or unreachable: the write reports it
        return None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path} exists and is not a regular file ({_kind(info.st_mode)}); choose another output",
                         f"{path} 已存在且不是普通文件（{_kind(info.st_mode, 'zh')}）；请另选输出文件")
    return info


def _files_used(layouts) -> list[Path]:  # type: ignore[no-untyped-def]
    """Every file the laid-out pages read: specs, profiles, the spec's fonts, images."""
    from layout.display import Image

    used: list[Path] = []
    for _, layout in layouts:
        used += [layout.source, layout.press.profile]
        used += [layout.source.parent / file for file in layout.spec.fonts.values()]
        used += [item.path for item in layout.display if isinstance(item, Image)]
    return used


def _same_file(info: os.stat_result, other: Path) -> bool:
    try:
        theirs = os.stat(other)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == (theirs.st_dev, theirs.st_ino)


def _kind(mode: int, lang: str = "en") -> str:
    for test, en, zh in ((stat.S_ISDIR, "a folder", "文件夹"), (stat.S_ISFIFO, "a named pipe", "命名管道"),
                         (stat.S_ISCHR, "a device", "设备"), (stat.S_ISBLK, "a device", "设备"),
                         (stat.S_ISSOCK, "a socket", "套接字")):
        if test(mode):
            return zh if lang == "zh" else en
    return "特殊文件" if lang == "zh" else "a special file"


def cmd_render(args: argparse.Namespace) -> int:
    manifest = _edition_argument(args.specs)
    if manifest is not None:
        return _render_edition(args, manifest)
    if args.split is not None:
        raise UsageError("--split writes the pages of an edition: give one edition manifest (edition: 1)",
                         "--split 用于分版输出版面清单的各版：请给出一个版面清单（edition: 1）")
    if args.output is None:
        raise UsageError("render needs -o FILE.pdf", "render 需要 -o 文件.pdf")
    _check_output(args.output, "PDF", [*args.specs, args.profile])
    memo = _memo(_lang(args))
    layouts, errors = _lay_out(args.specs, args, memo)
    if errors:
        _print_errors(errors, _lang(args))
        return EXIT_UNUSABLE
    _check_output(args.output, "PDF", _files_used(layouts))
    from layout.render.pdf import render_pdf
    from layout.truetype import TrueTypeError

    try:
        data = render_pdf([layout for _, layout in layouts], memo=memo)
    except TrueTypeError as exc:  # a font changed on disk between layout and writing
        raise UsageError(f"{exc}; nothing written", f"{exc}（字体文件在排版期间被改动，未写入任何输出；请重新排版）") from None
    write_atomically(args.output, data)
    lang = _lang(args)
    clean = _print_problems(layouts, lang, args.fit)
    _say_written(args.output, layouts, lang)
    return EXIT_OK if clean else EXIT_PROBLEMS


def cmd_check(args: argparse.Namespace) -> int:
    from layout.check import error_report, report, report_json, spec_report

    if args.explain is not None:
        return _explain(args.explain, _lang(args))
    if not args.specs:
        raise UsageError("check needs at least one spec (or --explain [KIND])",
                         "check 需要至少一个版面描述文件（或 --explain [类型]）")
    manifest = _edition_argument(args.specs)
    if manifest is not None:
        return _check_edition(args, manifest)
    if args.junit:
        _check_output(args.junit, "XML", [*args.specs, args.profile])
    layouts, errors = _lay_out(args.specs, args, _memo(_lang(args)))
    lang = _lang(args)
    _print_errors(errors, lang)
    clean = _print_problems(layouts, lang, True)
    entries_by_path = {str(p): spec_report(str(p), lay) for p, lay in layouts}
    entries_by_path.update({str(p): error_report(str(p), errs) for p, errs in errors})
    full = report([entries_by_path[str(p)] for p in args.specs])
    if args.json:
        _emit(report_json(full.as_json(lang)))
    if args.junit:
        from layout.check import junit_xml

        _check_output(args.junit, "XML", _files_used(layouts))
        write_atomically(args.junit, junit_xml(full, lang))
    if errors:
        return EXIT_UNUSABLE
    return EXIT_OK if clean else EXIT_PROBLEMS


# --- editions (layout/spec/manifest.py, layout/edition.py) ---------------------------------


def _edition_argument(specs: Sequence[Path]) -> Path | None:
    """The edition manifest among the arguments, if one is (told by its ``edition:`` key);
    a manifest must come alone: its pages are the edition's, in its order."""
    from layout.spec.kind import is_manifest

    manifests = [path for path in specs if is_manifest(path)]
    if not manifests:
        return None
    if len(specs) > 1:
        raise UsageError(f"{manifests[0]} is an edition manifest: give it alone (its pages are listed in it)",
                         f"{manifests[0]} 是版面清单：请单独给出（各版已列在清单中）")
    return manifests[0]


def _refuse_edition(spec: Path) -> None:
    from layout.spec.kind import is_manifest

    if is_manifest(spec):
        raise UsageError(f"{spec} is an edition manifest, not a page: render or check it "
                         "(paiban render EDITION --split DIR writes each page)",
                         f"{spec} 是版面清单而不是单个版面：请用 render 或 check"
                         "（paiban render 清单 --split 文件夹 逐版输出）")


def _load_edition_pages(args: argparse.Namespace, manifest: Path, memo: Any):  # type: ignore[no-untyped-def]
    """The edition, its pages' spec errors, and its laid-out pages (in order).

    Raises:
        SpecInvalid: the manifest itself is unusable.
    """
    from dataclasses import replace

    from layout.edition import EditionPageLayout, finish_edition
    from layout.jump import PageJumps, Rest, jump_waves, with_rests
    from layout.spec.manifest import load_edition

    edition, loads = load_edition(manifest, memo)
    errors = [(load.page, list(load.errors)) for load in loads if load.loaded is None]
    usable = [load for load in loads if load.loaded is not None]
    # 转版: a page whose continuations take text from earlier pages waits for them (layout/jump.py)
    waves = jump_waves([load.loaded.jumps or PageJumps() for load in usable], [load.page.number for load in usable])
    rests: dict[str, Rest] = {}
    pages: list[EditionPageLayout] = []
    for wave in sorted(set(waves)):
        batch = [(load.page, replace(load.loaded, jumps=with_rests(load.loaded.jumps or PageJumps(), rests)))
                 for load, w in zip(usable, waves, strict=True) if w == wave]
        laid, failed = _lay_out([loaded for _, loaded in batch], args, memo)
        by_spec = {id(loaded): page for page, loaded in batch}
        pages += [EditionPageLayout(by_spec[id(loaded)], layout) for loaded, layout in laid]
        errors += [(by_spec[id(loaded)], found) for loaded, found in failed]
        rests.update((rest.continuation, rest) for _, layout in laid for rest in layout.rests)
    pages.sort(key=lambda page: page.page.index)
    errors.sort(key=lambda pair: pair[0].index)
    return edition, errors, finish_edition(edition, pages)


def _render_edition(args: argparse.Namespace, manifest: Path) -> int:
    from layout.edition import split_path
    from layout.spec.load import SpecInvalid

    lang = _lang(args)
    if args.output is None and args.split is None:
        raise UsageError("render needs -o FILE.pdf or --split DIR", "render 需要 -o 文件.pdf 或 --split 文件夹")
    if args.output is not None:
        _check_output(args.output, "PDF", [manifest, args.profile])
    if args.split is not None and not args.split.is_dir():
        raise UsageError(f"--split {args.split}: no such folder", f"--split {args.split}：文件夹不存在")
    memo = _memo(lang)
    try:
        edition, errors, laid = _load_edition_pages(args, manifest, memo)
    except SpecInvalid as exc:
        _print_errors([(manifest, exc.errors)], lang)
        return EXIT_UNUSABLE
    if errors:
        _print_errors(errors, lang)
        return EXIT_UNUSABLE
    layouts = [(page.page.source, page.layout) for page in laid.pages]
    used = [manifest, *_files_used(layouts)]
    from layout.render.pdf import render_pdf
    from layout.truetype import TrueTypeError

    outputs: list[tuple[Path, list[Any]]] = []
    if args.output is not None:
        outputs.append((args.output, [page.layout for page in laid.pages]))
    if args.split is not None:
        outputs += [(split_path(args.split, page.number, edition), [page.layout]) for page in laid.pages]
    for path, _ in outputs:
        _check_output(path, "PDF", used)
    try:  # every PDF made before any is written: a failure leaves none half done
        written = [(path, render_pdf(pages, memo=memo)) for path, pages in outputs]
    except TrueTypeError as exc:
        raise UsageError(f"{exc}; nothing written", f"{exc}（字体文件在排版期间被改动，未写入任何输出；请重新排版）") from None
    for path, data in written:
        write_atomically(path, data)
    clean = _print_problems(layouts, lang, args.fit)
    _say_written(args.output if args.output is not None else args.split, layouts, lang)
    return EXIT_OK if clean else EXIT_PROBLEMS


def _check_edition(args: argparse.Namespace, manifest: Path) -> int:
    """``check EDITION``: one report entry per page, named by its file and page number."""
    from layout.check import error_report, report, report_json, spec_report
    from layout.spec.load import SpecInvalid

    lang = _lang(args)
    if args.junit:
        _check_output(args.junit, "XML", [manifest, args.profile])
    memo = _memo(lang)
    used: list[Path] = [manifest]
    try:
        _, errors, laid = _load_edition_pages(args, manifest, memo)
    except SpecInvalid as exc:
        errors, laid = [], None
        _print_errors([(manifest, exc.errors)], lang)
        entries = [error_report(str(manifest), exc.errors)]
    else:
        _print_errors(errors, lang)
        layouts = [(page.page.source, page.layout) for page in laid.pages]
        used += _files_used(layouts)
        by_index = {page.page.index: spec_report(page.page.label, page.layout, page=page.number) for page in laid.pages}
        by_index.update({page.index: error_report(page.label, found, page=page.number) for page, found in errors})
        entries = [by_index[index] for index in sorted(by_index)]  # the manifest's order
    clean = laid is None or _print_problems([(p.page.source, p.layout) for p in laid.pages], lang, True)
    full = report(entries)
    if args.json:
        _emit(report_json(full.as_json(lang)))
    if args.junit:
        from layout.check import junit_xml

        _check_output(args.junit, "XML", used)
        write_atomically(args.junit, junit_xml(full, lang))
    if laid is None or errors:
        return EXIT_UNUSABLE
    return EXIT_OK if clean else EXIT_PROBLEMS


def _explain(name: str, lang: str) -> int:
    """``check --explain [KIND]``: one kind's description, or every kind's; an unknown
    name is unusable input (exit 2) with the closest kind as a did-you-mean."""
    from layout.check import UnknownKind, explain_all, explain_kind, find_kind

    if not name.strip():
        _emit(explain_all(lang))
        return EXIT_OK
    try:
        kind = find_kind(name)
    except UnknownKind as exc:
        raise UsageError(str(exc), exc.zh) from None
    _emit(explain_kind(kind, lang))
    return EXIT_OK


def cmd_preview(args: argparse.Namespace) -> int:
    if not 10 <= args.dpi <= 1200:
        raise UsageError(f"--dpi must be between 10 and 1200, got {args.dpi}",
                         f"--dpi 须在 10 到 1200 之间，而不是 {args.dpi}")
    _check_output(args.output, "PNG", [args.spec, args.profile])
    _refuse_edition(args.spec)
    memo = _memo(_lang(args))
    if args.watch:
        from layout.serve import watch_png
        from layout.spec.load import SpecInvalid, load_spec

        try:  # the raster limit, checked on the spec as it is now (it may be broken while editing)
            width, height = load_spec(args.spec, memo).spec.page.size
            if width * height * (args.dpi / 72) ** 2 > MAX_PREVIEW_PIXELS:
                raise UsageError(f"a {args.dpi} dpi preview of this page is over "
                                 f"{MAX_PREVIEW_PIXELS / 1e6:.0f} megapixels; use a lower --dpi",
                                 f"此页 {args.dpi} dpi 的预览超过 {MAX_PREVIEW_PIXELS / 1e6:.0f} 百万像素；请降低 --dpi")
        except SpecInvalid:
            pass

        watch_png(args.spec, args.output, args.dpi, write_atomically, memo)
        return EXIT_OK
    layouts, errors = _lay_out([args.spec], args, memo)
    if errors:
        _print_errors(errors, _lang(args))
        return EXIT_UNUSABLE
    _check_output(args.output, "PNG", _files_used(layouts))
    from layout.render.pdf import page_boxes
    from layout.render.png import render_png

    _, layout = layouts[0]
    width, height = page_boxes(layout).media
    pixels = (width / 72 * args.dpi) * (height / 72 * args.dpi)
    if pixels > MAX_PREVIEW_PIXELS:
        raise UsageError(f"a {args.dpi} dpi preview of this page would be {pixels / 1e6:.0f} megapixels "
                         f"(limit {MAX_PREVIEW_PIXELS / 1e6:.0f}); use a lower --dpi",
                         f"此页 {args.dpi} dpi 的预览将有 {pixels / 1e6:.0f} 百万像素"
                         f"（上限 {MAX_PREVIEW_PIXELS / 1e6:.0f}）；请降低 --dpi")
    write_atomically(args.output, render_png(layout, dpi=args.dpi, overlay=args.overlay, memo=memo))
    lang = _lang(args)
    clean = _print_problems(layouts, lang)
    _say_written(args.output, layouts, lang)
    return EXIT_OK if clean else EXIT_PROBLEMS


def cmd_export(args: argparse.Namespace) -> int:
    """``export``: each page's image and JSON document into ``--out`` (see layout/epaper.py)."""
    low, high = EXPORT_DPI
    if not low <= args.dpi <= high:
        raise UsageError(f"--dpi must be between {low} and {high}, got {args.dpi}",
                         f"--dpi 须在 {low} 到 {high} 之间，而不是 {args.dpi}")
    out: Path = args.out
    info = None
    try:
        info = os.stat(out)
    except OSError:
        pass
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--out {out} exists and is not a folder; choose a folder",
                         f"--out {out} 已存在且不是文件夹；请指定文件夹")
    parent = out.parent if str(out.parent) else Path(".")
    if info is None and not os.path.isdir(parent):
        raise UsageError(f"cannot write into {out}: folder {parent} does not exist",
                         f"无法写入 {out}：文件夹 {parent} 不存在")
    memo = _memo(_lang(args))
    lang = _lang(args)
    manifest = _edition_argument(args.specs)
    if manifest is not None:  # an edition: its pages in order, jumps (转版) linked both ways
        from layout.spec.load import SpecInvalid

        try:
            _, errors, laid = _load_edition_pages(args, manifest, memo)
        except SpecInvalid as exc:
            _print_errors([(manifest, exc.errors)], lang)
            return EXIT_UNUSABLE
        layouts = [(page.page.source, page.layout) for page in laid.pages]
    else:
        layouts, errors = _lay_out(args.specs, args, memo)
    if errors:
        _print_errors(errors, lang)
        return EXIT_UNUSABLE
    from layout.render.epaper import ImageFormat, duplicate_stems, page_stem

    pages = [layout for _, layout in layouts]
    for stem, first, second in duplicate_stems(pages):
        one, two = layouts[first - 1][0], layouts[second - 1][0]
        raise UsageError(f"pages {first} and {second} ({one}, {two}) would both "
                         f"be written as {stem}: give them different header.folio.page numbers",
                         f"第 {first} 页与第 {second} 页（{one}、{two}）"
                         f"都将写为 {stem}：请给它们不同的 header.folio.page 版次")
    for (path, layout) in layouts:
        width, height = layout.page.boxes.width, layout.page.boxes.height
        pixels = (width / 72 * args.dpi) * (height / 72 * args.dpi)
        if pixels > MAX_PREVIEW_PIXELS:
            raise UsageError(f"{path}: a {args.dpi} dpi image of this page would be {pixels / 1e6:.0f} megapixels "
                             f"(limit {MAX_PREVIEW_PIXELS / 1e6:.0f}); use a lower --dpi",
                             f"{path}：此页 {args.dpi} dpi 的图像将有 {pixels / 1e6:.0f} 百万像素"
                             f"（上限 {MAX_PREVIEW_PIXELS / 1e6:.0f}）；请降低 --dpi")
    image_format = ImageFormat(args.format)
    used = _files_used(layouts)
    for position, layout in enumerate(pages, start=1):
        stem = page_stem(layout, position)
        _check_output(out / f"{stem}{image_format.suffix}", "JPEG" if image_format is ImageFormat.JPEG else "PNG", used)
        _check_output(out / f"{stem}.json", "JSON", used)
    if info is None:
        try:
            os.mkdir(out)
        except FileExistsError:
            pass
        except OSError as exc:
            raise UsageError(f"cannot make folder {out}: {exc.strerror or exc}",
                             f"无法创建文件夹 {out}：{exc.strerror or exc}") from None
    from layout.truetype import TrueTypeError

    tasks = [(layout, position, args.dpi, image_format) for position, layout in enumerate(pages, start=1)]
    jobs = max(1, getattr(args, "jobs", 1) or 1)
    try:
        for files in _exported(tasks, jobs, memo):
            write_atomically(out / files.image_name, files.image)  # the image first: a document never names a missing image
            write_atomically(out / files.document_name, files.document)
    except TrueTypeError as exc:  # a font changed on disk between layout and drawing
        raise UsageError(f"{exc}", f"{exc}（字体文件在排版期间被改动；请重新导出）") from None
    clean = _print_problems(layouts, lang)
    _say_written(out, layouts, lang)
    return EXIT_OK if clean else EXIT_PROBLEMS


def _exported(tasks: list[Any], jobs: int, memo: Any) -> Any:  # an iterator of PageFiles, in page order
    """Each page's image and document: with ``--jobs N`` rasterised by N worker processes
    (a broadsheet page at 150 dpi is about a second of pdfium and PNG encoding)."""
    if jobs == 1 or len(tasks) == 1:
        yield from (_export_one(task, memo) for task in tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _worker_memo
    _worker_memo = memo
    fork = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=fork, initializer=_worker_start)
    try:
        mask = _block_interrupts()
        try:
            results = pool.map(_export_one, tasks)
        finally:
            _restore_interrupts(mask)
        yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _export_one(task: Any, memo: Any = None) -> Any:
    from layout.render.epaper import export_page

    layout, position, dpi, image_format = task
    return export_page(layout, position, dpi, image_format, memo if memo is not None else _worker_memo)


def cmd_serve(args: argparse.Namespace) -> int:
    if not args.spec.is_file():
        raise UsageError(f"no spec at {args.spec}", f"找不到版面描述 {args.spec}")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}",
                         f"--port 须在 0 到 65535 之间，而不是 {args.port}")
    if not 10 <= args.dpi <= 300:
        raise UsageError(f"--dpi must be between 10 and 300 for a live preview, got {args.dpi}",
                         f"实时预览的 --dpi 须在 10 到 300 之间，而不是 {args.dpi}")
    from layout.serve import serve

    try:
        serve(args.spec, args.port, args.dpi, _memo(_lang(args)), _lang(args), args.fit)
    except OSError as exc:
        raise UsageError(f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}",
                         f"无法在 127.0.0.1:{args.port} 上提供服务：{exc.strerror or exc}") from None
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from layout.paths import data_dir
    from layout.safeio import SPEC_MAX_BYTES, UnreadableFile, read_regular

    templates = data_dir("specs") / "templates"
    if args.list:
        _emit(_template_list(templates))
        return EXIT_OK
    if args.template is None or args.output is None:
        raise UsageError("new needs a template and -o FILE (or --list to see the templates)",
                         "new 需要模板名和 -o 文件（或用 --list 查看模板）")
    source = templates / f"{args.template}.yaml"
    if not source.is_file():
        source = Path(args.template)
    if not source.is_file():
        names = ", ".join(sorted(p.stem for p in templates.glob("*.yaml")))
        raise UsageError(f"no template {args.template!r} (templates: {names})",
                         f"没有模板 {args.template!r}（现有模板：{names}）")
    _check_output(args.output, "YAML", [source])
    if args.output.exists() and not args.force:
        raise UsageError(f"{args.output} exists (use --force to overwrite)",
                         f"{args.output} 已存在（用 --force 覆盖）")
    try:
        data = read_regular(source, SPEC_MAX_BYTES)
    except UnreadableFile as exc:
        raise UsageError(f"cannot read {source}: {exc.reason}", f"无法读取 {source}：{exc.reason}") from None
    write_atomically(args.output, data)
    if _lang(args) == "zh":
        _say(f"{args.output}：由 {source.name} 生成；请把填充文字（{{placeholder: N}}）换成稿件")
    else:
        _say(f"{args.output}: from {source.name}; replace the filler text ({{placeholder: N}}) with copy")
    return EXIT_OK


def _template_list(folder: Path) -> str:
    """One line per template: its name and the first sentence of its leading comment."""
    rows = [(path.stem, _template_summary(path)) for path in sorted(folder.glob("*.yaml"))]
    width = max((len(name) for name, _ in rows), default=0)
    return "\n".join(f"{name:<{width}}  {summary}".rstrip() for name, summary in rows)


def _template_summary(path: Path) -> str:
    from layout.check import visible
    from layout.safeio import SPEC_MAX_BYTES, UnreadableFile, read_regular

    try:
        text = read_regular(path, SPEC_MAX_BYTES).decode("utf-8", "replace")
    except UnreadableFile as exc:
        return f"({exc.reason})"
    comment: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("#").strip())
    joined = " ".join(part for part in comment if part)
    return visible(re.split(r"(?<=\.)\s", joined, maxsplit=1)[0])


def cmd_import(args: argparse.Namespace) -> int:
    """``paiban import FILE``: the article block on stdout or in ``-o``; what was read,
    and what was left out or changed, on stderr."""
    from layout.importer import ImportRefused, import_file
    from layout.spec.models import MAX_ID_CHARS

    lang = _lang(args)
    if args.output is not None:
        _check_output(args.output, "YAML", [args.file])
        if args.output.exists() and not args.force:
            raise UsageError(f"{args.output} exists (use --force to overwrite)", f"{args.output} 已存在（用 --force 覆盖）")
    block_id = args.id if args.id is not None else "-".join(args.file.stem.split()) or "imported"
    if not 1 <= len(block_id) <= MAX_ID_CHARS or not block_id.isprintable():
        raise UsageError(f"--id must be 1 to {MAX_ID_CHARS} printable characters; give one with --id",
                         f"--id 须为 1 到 {MAX_ID_CHARS} 个可打印字符；请用 --id 指定")
    try:
        imported = import_file(str(args.file), block_id)
    except ImportRefused as exc:
        raise UsageError(f"{args.file}: {exc}", f"{args.file}：{exc.zh}") from None
    read_as = ("Word 文档" if imported.source_kind == "docx" else f"{imported.source_kind} 编码的文本") if lang == "zh" \
        else ("a Word document" if imported.source_kind == "docx" else f"text in {imported.source_kind}")
    notes = [("读作" if lang == "zh" else "read as ") + read_as, *(note.text(lang) for note in imported.notes)]
    for note in notes:
        _say(f"paiban：{args.file}：{note}" if lang == "zh" else f"paiban: {args.file}: {note}")
    if args.output is None:
        _emit(imported.yaml.rstrip("\n"))
    else:
        write_atomically(args.output, imported.yaml.encode("utf-8"))
    return EXIT_OK


def _alternatives(text: str) -> int:
    """``--alternatives``: a whole number from 1 to 10."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 10:
        raise argparse.ArgumentTypeError(f"must be between 1 and 10, got {value}")
    return value


def _time_limit(text: str) -> float:
    """``--time-limit``: seconds, more than 0 and at most 120."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value <= 120:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 120, got {value:g}")
    return value


def cmd_arrange(args: argparse.Namespace) -> int:
    """``paiban arrange``: see layout/arrange/ and docs/arrange.md."""
    lang = _lang(args)
    try:
        import ortools.sat.python.cp_model  # noqa: F401 - only to say how to install it
    except ImportError:
        raise UsageError("arrange needs OR-Tools, an optional extra: pip install 'paiban[arrange]'",
                         "arrange 需要 OR-Tools（可选依赖）：pip install 'paiban[arrange]'") from None
    from layout.arrange.run import arrange
    from layout.spec.load import SpecInvalid

    if args.out is not None:
        if args.out.exists() and not args.out.is_dir():
            raise UsageError(f"--out {args.out} is not a folder", f"--out {args.out} 不是文件夹")
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot make {args.out}: {exc.strerror or exc}",
                             f"无法创建 {args.out}：{exc.strerror or exc}") from None
    memo = _memo(lang)
    try:
        report = arrange(args.set, args.page, args.out, memo, write_atomically, args.alternatives, args.time_limit,
                         args.preview, _probe_factory(memo))
    except SpecInvalid as exc:
        for error in exc.errors:
            _say(error.render(lang))
        return EXIT_UNUSABLE
    if args.json:
        _emit(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _emit(report.text(lang))
    return EXIT_OK if report.arrangements and not report.impossible else EXIT_PROBLEMS


def cmd_schema(args: argparse.Namespace) -> int:
    from layout.spec.models import PageSpec

    _emit(json.dumps(PageSpec.model_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written file,
    and never a temporary file left behind, even on an interrupt (Ctrl-C, SIGTERM)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not os.path.isdir(folder):  # also False for a name too long to look up
        raise UsageError(f"cannot write {path}: folder {folder} does not exist",
                         f"无法写入 {path}：文件夹 {folder} 不存在")
    _existing_output(path)  # checked again at the last moment: a rename would replace a device or a folder
    # Interrupts wait while the temporary file is made: one coming between its creation
    # and the ``try`` below would leave it behind.
    mask = _block_interrupts()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        _restore_interrupts(mask)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}",
                         f"无法写入 {path}：{exc.strerror or exc}") from None
    try:
        _restore_interrupts(mask)  # an interrupt that came meanwhile is raised here, inside the cleanup's reach
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:  # an OSError, or an interrupt: the temporary file goes either way
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}",
                             f"无法写入 {path}：{exc.strerror or exc}") from None
        raise


#: The signals that interrupt a command (Ctrl-C, ``kill``), held back around a file's creation.
INTERRUPT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _block_interrupts() -> set[signal.Signals] | None:
    """Hold back interrupts in this thread; the previous mask, or None where signals cannot be masked."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPT_SIGNALS)


def _restore_interrupts(mask: set[signal.Signals] | None) -> None:
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
