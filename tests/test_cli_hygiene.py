"""The ``paiban`` command's manners (issue 10): --version, help, ``new --list``, a
written-line on a terminal, outputs that cannot destroy inputs or devices, interrupts,
closed pipes, and control characters in reports."""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import signal
import stat
import subprocess
import sys
import time
import tomllib
from importlib.metadata import version as installed_version
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from layout import cli
from layout.check import UNSAFE_CHARS
from tests.conftest import MINIMAL_PAGE, REPO

EXAMPLE = REPO / "examples" / "maonan" / "page.yaml"
TEMPLATES = sorted((REPO / "specs" / "templates").glob("*.yaml"))
PAIBAN = [sys.executable, "-m", "layout"]


def paiban(*args: object, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PAIBAN, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def clean_failure(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


# 1. --version, help, new --list, the written-line ------------------------------------


def test_version_is_the_distribution_version():
    result = paiban("--version")
    assert result.returncode == 0 and result.stdout == f"paiban {installed_version('paiban')}\n"


def test_version_falls_back_to_pyproject(tmp_path):
    expected = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert cli._pyproject_version(REPO / "pyproject.toml") == expected
    broken = tmp_path / "pyproject.toml"
    broken.write_text("[project\nversion = 1", encoding="utf-8")
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path in (broken, fifo, tmp_path / "missing.toml"):  # a FIFO must not block
        assert cli._pyproject_version(path) == "unknown"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_described_and_every_option_has_help_with_its_default():
    commands = _subcommands()
    assert set(commands) == {"render", "check", "preview", "serve", "new", "schema", "import", "export", "arrange"}
    for name, parser in commands.items():
        assert parser.description and len(parser.description) > 20, name
        formatter = parser._get_formatter()
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, (name, action.dest)
            shown = formatter._get_help_string(action) or ""
            takes_value = action.option_strings and action.nargs != 0
            if takes_value and not action.required and "required" not in shown:
                assert "(default: " in shown, (name, action.dest, shown)
            if action.default not in (None, False) and action.option_strings:
                assert str(action.default) in shown % {"default": action.default}, (name, action.dest)


def test_help_shows_defaults_on_the_command_line():
    result = paiban("preview", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--dpi DPI resolution of the image, 10-1200 (default: 100)" in text
    assert "Render one spec to a PNG" in text


def _first_sentence_of_leading_comment(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    code = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    comment = " ".join(line.lstrip("# ").strip() for line in lines[:code])
    return comment.split(". ")[0].rstrip(".") + "."


def test_new_list_names_each_template_with_its_description():
    result = paiban("new", "--list")
    assert result.returncode == 0 and result.stderr == ""
    rows = [line.split(None, 1) for line in result.stdout.splitlines()]
    assert [name for name, _ in rows] == [p.stem for p in TEMPLATES]
    for (_, summary), path in zip(rows, TEMPLATES, strict=True):
        assert summary == _first_sentence_of_leading_comment(path)


def test_template_list_copes_with_odd_templates(tmp_path):
    (tmp_path / "plain.yaml").write_text("version: 1\n", encoding="utf-8")
    (tmp_path / "two.yaml").write_text("# First sentence. Second one.\n#\nversion: 1\n", encoding="utf-8")
    (tmp_path / "evil.yaml").write_text("# Bell \x07 and escape \x1b[2J here.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")  # must not block the listing
    rows = dict(line.split(None, 1) if " " in line else (line, "") for line in cli._template_list(tmp_path).splitlines())
    assert rows["plain"] == "" and rows["two"] == "First sentence."
    assert rows["evil"] == "Bell \\x07 and escape \\x1b[2J here." and "not a regular file" in rows["pipe"]


def _on_terminal(*args: object) -> tuple[int, str]:
    """Run paiban with stderr on a pseudo-terminal; its status and what the terminal showed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*PAIBAN, *map(str, args)], cwd=REPO, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: every end of the terminal's slave side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _article_count(spec: Path) -> int:
    import yaml

    return sum(1 for block in yaml.safe_load(spec.read_text(encoding="utf-8"))["blocks"] if block["type"] == "article")


@pytest.mark.parametrize("command, name, lang, line", [
    ("render", "maonan.pdf", "en", "wrote {out} (1 page, {n} articles, 0 problems)"),
    ("preview", "maonan.png", "en", "wrote {out} (1 page, {n} articles, 0 problems)"),
    ("render", "maonan.pdf", "zh", "已写入 {out}（1 页，{n} 篇稿件，0 个问题）"),
])
def test_a_terminal_is_told_what_was_written(tmp_path, command, name, lang, line):
    out = tmp_path / name
    status, shown = _on_terminal(command, EXAMPLE, "-o", out, "--lang", lang, *(["--dpi", "20"] * (command == "preview")))
    assert status == 0 and out.exists()
    assert shown == line.format(out=out, n=_article_count(EXAMPLE)) + "\n"


def test_the_written_line_counts_problems_and_a_pipe_gets_none(tmp_path):
    overflow = REPO / "specs" / "regression" / "overflow.yaml"
    out = tmp_path / "o.pdf"
    status, shown = _on_terminal("render", overflow, "-o", out, "--lang", "en")
    assert status == 1
    assert shown.splitlines()[-1] == f"wrote {out} (1 page, {_article_count(overflow)} articles, 1 problem)"
    piped = paiban("preview", EXAMPLE, "-o", tmp_path / "p.png", "--dpi", "20")
    assert piped.returncode == 0 and piped.stderr == ""


# 2. the output's kind follows its name ------------------------------------------------


@pytest.mark.parametrize("args, name, kind", [
    (["render", EXAMPLE], "page.png", "PNG"),
    (["render", EXAMPLE], "page.PNG", "PNG"),
    (["render", EXAMPLE], "page.yaml", "YAML"),
    (["preview", EXAMPLE], "page.pdf", "PDF"),
    (["preview", EXAMPLE], "page.jpg", "JPEG"),
    (["new", "tabloid", "--force"], "page.pdf", "PDF"),
])
def test_an_output_named_as_another_kind_is_refused(tmp_path, args, name, kind):
    out = tmp_path / name
    out.write_bytes(b"previous")
    result = paiban(*args, "-o", out)
    clean_failure(result)
    assert f"the name says {kind}" in result.stderr and out.read_bytes() == b"previous"


def test_a_junit_report_named_as_a_pdf_is_refused(tmp_path):
    result = paiban("check", EXAMPLE, "--junit", tmp_path / "report.pdf")
    clean_failure(result)
    assert "the name says PDF" in result.stderr and not (tmp_path / "report.pdf").exists()


def test_an_output_without_a_known_suffix_gets_the_commands_kind(tmp_path):
    out = tmp_path / "page.out"
    assert paiban("render", EXAMPLE, "-o", out).returncode == 0
    assert out.read_bytes().startswith(b"%PDF-")


# 3. -o never replaces an input or a non-regular file ---------------------------------


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "maonan"
    folder.mkdir()
    (folder / "page.yaml").write_bytes(EXAMPLE.read_bytes())
    (folder / "images").mkdir()
    for image in (EXAMPLE.parent / "images").iterdir():
        (folder / "images" / image.name).write_bytes(image.read_bytes())
    return folder / "page.yaml"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", ["spec-by-symlink", "spec-without-suffix", "image-by-hard-link", "profile",
                                  "junit-is-spec"])
def test_an_output_that_is_an_input_is_refused(example_copy, case):
    folder = example_copy.parent
    image = sorted((folder / "images").iterdir())[0]
    profile = REPO / "profiles" / next(p.name for p in (REPO / "profiles").iterdir() if p.suffix == ".icc")
    local_profile = folder / "press.out"
    local_profile.write_bytes(profile.read_bytes())
    bare = folder / "bare"
    bare.write_bytes(example_copy.read_bytes())
    if case == "spec-by-symlink":
        (folder / "out.pdf").symlink_to("page.yaml")
        args = ["render", example_copy, "-o", folder / "out.pdf"]
    elif case == "spec-without-suffix":
        args = ["render", bare, "-o", bare]
    elif case == "image-by-hard-link":
        os.link(image, folder / "photo.pdf")
        args = ["render", example_copy, "-o", folder / "photo.pdf"]
    elif case == "profile":
        args = ["render", example_copy, "--profile", local_profile, "-o", local_profile]
    else:
        (folder / "report.xml").symlink_to("page.yaml")
        args = ["check", example_copy, "--junit", folder / "report.xml"]
    before = _snapshot(folder)
    result = paiban(*args)
    clean_failure(result)
    assert "is an input" in result.stderr
    assert _snapshot(folder) == before


def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path):
    fifo, xml_fifo, folder = tmp_path / "fifo.pdf", tmp_path / "fifo.xml", tmp_path / "folder.png"
    os.mkfifo(fifo)
    os.mkfifo(xml_fifo)
    folder.mkdir()
    cases = [
        (["render", EXAMPLE, "-o", os.devnull], os.devnull, "a device"),
        (["render", EXAMPLE, "-o", fifo], fifo, "a named pipe"),
        (["preview", EXAMPLE, "-o", folder], folder, "a folder"),
        (["check", EXAMPLE, "--junit", xml_fifo], xml_fifo, "a named pipe"),
        (["new", "tabloid", "--force", "-o", os.devnull], os.devnull, "a device"),
    ]
    for args, target, kind in cases:
        mode = os.stat(target).st_mode
        result = paiban(*args)
        clean_failure(result)
        assert f"is not a regular file ({kind})" in result.stderr, result.stderr
        assert os.stat(target).st_mode == mode  # still the device, pipe or folder it was
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode) and sorted(tmp_path.iterdir()) == sorted([fifo, xml_fifo, folder])


def test_write_atomically_refuses_a_target_that_became_special(tmp_path):
    target = tmp_path / "x.pdf"
    os.mkfifo(target)
    with pytest.raises(cli.UsageError, match="not a regular file"):
        cli.write_atomically(target, b"data")
    assert stat.S_ISFIFO(os.stat(target).st_mode) and list(tmp_path.iterdir()) == [target]


#: Makes the write of an output slow (fsync waits), so that an interrupt surely comes
#: while the temporary file exists; then runs the command as ``python -m layout`` does.
SLOW_WRITE = ("import os, sys, time; real = os.fsync; "
              "os.fsync = lambda fd: (time.sleep(60), real(fd)); "
              "from layout.cli import run; run()")


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def _wait_for_temporary(folder: Path, proc: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if _temporaries(folder):
            return True
        time.sleep(0.001)
    return False


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_while_writing_removes_the_temporary_file(tmp_path, signum, status):
    out = tmp_path / "edition.pdf"
    out.write_bytes(b"previous edition")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, "render", str(EXAMPLE), "-o", str(out)], cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert _wait_for_temporary(tmp_path, proc, timeout=60), "the write never started"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == status, err
    assert b"interrupted; no output written" in err and b"Traceback" not in err
    assert _temporaries(tmp_path) == [] and out.read_bytes() == b"previous edition"


def test_an_interrupted_40_page_edition_leaves_the_old_output(tmp_path):
    """SIGINT as soon as the temporary file appears (the PDF is being written), without
    slowing anything down: the old edition stays, or the new one is complete."""
    out = tmp_path / "edition.pdf"
    out.write_bytes(b"previous edition")
    proc = subprocess.Popen([*PAIBAN, "render", *[str(EXAMPLE)] * 40, "-o", str(out)], cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert _wait_for_temporary(tmp_path, proc, timeout=120), "the PDF was never seen being written"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and _temporaries(tmp_path) == []
    if proc.returncode == 130:
        assert out.read_bytes() == b"previous edition"
    else:  # the write finished before the signal
        assert proc.returncode == 0 and out.read_bytes().startswith(b"%PDF-") and out.read_bytes().endswith(b"%%EOF\n")


# 4. a closed pipe is not an error -----------------------------------------------------


@pytest.mark.parametrize("args", [["schema"], ["check", "--json", EXAMPLE], ["new", "--list"], ["--version"]])
def test_a_reader_that_leaves_early_is_not_an_error(args):
    proc = subprocess.Popen([*PAIBAN, *map(str, args)], cwd=REPO, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # gone before paiban writes anything: its first write fails with EPIPE
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""


@pytest.mark.parametrize("command, first", [("schema | head -1", "{"), (f"check --json {EXAMPLE} | head -c 10", '{\n  "ok": ')])
def test_piping_into_head(command, first):
    result = subprocess.run(["bash", "-c", f"set -o pipefail; {sys.executable} -m layout {command}"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == "" and result.stdout.rstrip("\n") == first.rstrip("\n")


# 5. control characters in ids, messages and file names --------------------------------

#: An article id with ESC (a clear-screen sequence), BEL, the C1 CSI and a bidi override:
#: YAML's double-quoted escapes allow every one, and so does the spec (NUL it refuses).
HOSTILE_ID_YAML = r'"\e[2J\a\x9b\u202eid"'
HOSTILE_ID = "\x1b[2J\x07\x9b\u202eid"
HOSTILE_PAGE = MINIMAL_PAGE.lstrip() + f"""blocks:
  - type: article
    id: {HOSTILE_ID_YAML}
    frame: {{column: 1, span: 1, line: 1, lines: 3}}
    title: 标题
    body: {"正文" * 40}
"""


def _unsafe(text: str) -> list[str]:
    """The unsafe characters in ``text``, but for the line breaks between its lines."""
    return UNSAFE_CHARS.findall(text.replace("\n", ""))


def test_control_characters_are_escaped_in_every_report(tmp_path):
    spec = tmp_path / "ev\x1b[31mil.yaml"
    spec.write_text(HOSTILE_PAGE, encoding="utf-8")
    junit = tmp_path / "report.xml"
    result = subprocess.run([*PAIBAN, "check", str(spec), "--json", "--junit", str(junit), "--lang", "en"], cwd=REPO,
                            capture_output=True, timeout=120)
    assert result.returncode == 1, result.stderr
    stderr = result.stderr.decode("utf-8")
    assert _unsafe(stderr) == [] and "Traceback" not in stderr
    assert stderr.startswith(str(tmp_path / "ev\\x1b[31mil.yaml") + ": article \\x1b[2J\\x07\\x9b\\u202eid:")
    stdout = result.stdout.decode("utf-8")  # the JSON: every unsafe character as a \u escape
    assert _unsafe(stdout) == []
    report = json.loads(stdout)
    assert report["specs"][0]["spec"] == str(spec) and report["specs"][0]["problems"][0]["block"] == HOSTILE_ID
    root = ET.fromstring(junit.read_bytes())  # well-formed
    case = root.find("testsuite/testcase")
    failure = case.find("failure")
    assert case.get("name") == str(tmp_path / "ev\\x1b[31mil.yaml")
    assert failure.get("message").startswith("article \\x1b[2J\\x07\\x9b\\u202eid:")
    assert _unsafe(failure.get("message") + failure.text) == []


def test_control_characters_in_a_spec_error_are_escaped(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + 'blocks:\n  - {type: article, id: a, "\\e]0;pwned\\a": 1}\n',
                    encoding="utf-8")
    result = paiban("render", spec, "-o", tmp_path / "bad.pdf")
    clean_failure(result)
    assert _unsafe(result.stderr) == [] and "\\x1b]0;pwned\\x07" in result.stderr
    spec.write_text(MINIMAL_PAGE.lstrip() + 'blocks:\n  - {type: article, id: "\\ud800"}\n', encoding="utf-8")
    result = paiban("render", spec, "-o", tmp_path / "bad.pdf")
    clean_failure(result)
    assert f"{spec}:9: blocks[0].id:" in result.stderr  # a lone surrogate: a spec error, not a crash


def test_control_characters_are_escaped_in_the_pytest_plugin(tmp_path):
    repo = tmp_path / "paper"
    (repo / "pages").mkdir(parents=True)
    (repo / "pages" / "hostile.yaml").write_text(HOSTILE_PAGE, encoding="utf-8")
    (repo / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=no",
                             "--paiban-specs", "pages/*.yaml"], cwd=repo, capture_output=True, timeout=300)
    out = result.stdout.decode("utf-8", "replace")
    assert result.returncode == 1, out
    assert "article \\x1b[2J\\x07\\x9b\\u202eid:" in out
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out)


@pytest.mark.parametrize("redirect", [">&-", "> /dev/full"])
def test_stdout_closed_or_full_is_said_not_a_traceback(redirect):
    spec = REPO / "specs" / "regression" / "overflow.yaml"
    result = subprocess.run(["bash", "-c", f"{sys.executable} -m layout check {spec} --json {redirect}"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "paiban: cannot write to stdout" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_an_output_path_too_long_to_look_up_is_said(tmp_path):
    long = tmp_path.joinpath(*["y" * 200] * 30) / "o.pdf"
    result = subprocess.run([*PAIBAN, "render", str(REPO / "specs" / "regression" / "overflow.yaml"), "-o", str(long)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.splitlines()[-1].startswith("paiban: cannot write ")
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("delay", [0.5, 0.9, 1.3])
def test_ctrl_c_during_an_edition_with_workers_stops_it_and_writes_nothing(tmp_path, delay):
    """SIGINT to the whole process group (what a terminal's Ctrl-C sends) while --jobs 2
    lays out pages: the command stops within seconds, exit 130, nothing written."""
    import signal
    import time

    specs = [str(REPO / "examples" / "maonan" / "page.yaml")] * 8
    out = tmp_path / "edition.pdf"
    env = {**os.environ, "PAIBAN_CACHE_DIR": "off"}
    process = subprocess.Popen([*PAIBAN, "render", *specs, "-o", str(out), "--jobs", "2"], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError("an interrupted edition did not stop") from None
    if process.returncode == 0:  # finished before the interrupt came: nothing to judge
        assert out.exists()
        return
    assert process.returncode == 130 and not out.exists(), err
    assert b"Traceback" not in err and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("jobs", ["0", "-1", "x", "65"])
def test_jobs_outside_its_range_is_refused(jobs):
    result = subprocess.run([*PAIBAN, "check", str(REPO / "specs" / "regression" / "overflow.yaml"), "--jobs", jobs],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--jobs" in result.stderr and "Traceback" not in result.stderr


USAGE_ERRORS = [
    # arguments, English, Chinese
    (["render"], "the following arguments are required", "缺少必需的参数"),
    (["check", "p.yaml", "--frob"], "unrecognized arguments: --frob", "无法识别的参数：--frob"),
    (["frob"], "invalid choice: 'frob'", "无效的选项 'frob'"),
    (["render", "p.yaml", "-o"], "expected one argument", "需要一个值"),
    (["check", "p.yaml", "--jobs", "abc"], "expected a whole number, got 'abc'", "需要一个整数，而不是 'abc'"),
    (["check", "p.yaml", "--jobs", "0"], "must be between 1 and 64, got 0", "须在 1 到 64 之间，而不是 0"),
    (["check", "p.yaml", "--lang", "fr"], "invalid choice: 'fr'", "无效的选项 'fr'"),
]


@pytest.mark.parametrize(("argv", "english", "chinese"), USAGE_ERRORS)
def test_usage_errors_are_one_line_in_the_language_asked_for(argv, english, chinese, capsys):
    from layout import cli

    for lang, expected in (("en", english), ("zh", chinese)):
        with pytest.raises(SystemExit) as exit_info:
            cli.main([*argv, "--lang", lang] if argv[-1] != "fr" and argv != ["frob"] else argv)
        if argv == ["frob"] or argv[-1] == "fr":  # --lang itself is what failed, or no command took it
            lang = "en"
            expected = english
        err = capsys.readouterr().err
        assert exit_info.value.code == 2
        assert err.count("\n") == 1 and "usage:" not in err and expected in err, err
        assert ("--help）" in err) == (lang == "zh") and ("--help)" in err) == (lang == "en")
