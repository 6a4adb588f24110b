"""Half-width punctuation pasted into Chinese text becomes full width.

Copy arrives from the web and from Word with ASCII ``, : ; ( ) ! ?`` and straight quotes
inside Chinese sentences; a Chinese newspaper sets those marks full width (GB/T 15834,
CLREQ A2).  A mark is Chinese when a Han character (or a full-width mark) stands next to
it, ignoring spaces.  Straight quotes are paired into “ ” and ‘ ’ by nesting.  A colon or
comma between two digits (10:30, 1,000) is left alone.  ``--`` and ``...`` in Chinese text
are not changed (the editor must choose —— or ……) but reported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: Half-width marks and their full-width forms inside Chinese text.
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
SUSPECT = (("--", "——"), ("...", "……"), ("。。。", "……"))


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    changed: Counter[str]  # "," -> how many became "，", and '"' / "'" for paired quotes
    suspects: tuple[str, ...]  # "--", "..." found in Chinese text, left as they are


def is_chinese(char: str) -> bool:
    if not char:
        return False
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code


#: The only characters normalisation may change; text without them is left as it is.
_CANDIDATES = re.compile(r"""[,;:!?()"']""")


def normalize(text: str) -> Normalized:
    """Full-width marks for half-width ones in Chinese context; see the module docstring."""
    out = list(text)
    changed: Counter[str] = Counter()
    open_double = open_single = False
    full_parens = _chinese_parentheses(text) if "(" in text or ")" in text else set()
    for match in _CANDIDATES.finditer(text):  # only marks that may change are looked at
        i, char = match.start(), match.group()
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        chinese = is_chinese(before) or is_chinese(after)
        if char == '"' and chinese:
            out[i] = "”" if open_double else "“"
            open_double = not open_double
            changed['"'] += 1
        elif char == "'" and chinese and not (before.isascii() and before.isalpha() and after.isascii() and after.isalpha()):
            out[i] = "’" if open_single else "‘"
            open_single = not open_single
            changed["'"] += 1
        elif char in "()":
            full = i in full_parens
            out[i] = FULL_WIDTH[char] if full else char
            changed[char] += int(full)
        elif char in FULL_WIDTH and chinese and not (before.isdigit() and after.isdigit()):
            out[i] = FULL_WIDTH[char]
            changed[char] += 1
    result = "".join(out) if changed else text
    suspects = tuple(s for s, _ in SUSPECT if s in result and _in_chinese(result, s))
    return Normalized(result, +changed, suspects)


def _chinese_parentheses(text: str) -> set[int]:
    """Positions of ( and ) to set full width: a pair goes full width together when
    either of its marks stands next to Chinese; an unpaired mark by its own neighbours."""
    full: set[int] = set()
    stack: list[int] = []
    context = lambda i: is_chinese(_neighbour(text, i, -1)) or is_chinese(_neighbour(text, i, 1))  # noqa: E731
    for i, char in enumerate(text):
        if char == "(":
            stack.append(i)
        elif char == ")":
            if stack:
                j = stack.pop()
                if context(i) or context(j):
                    full.update((i, j))
            elif context(i):
                full.add(i)
    full.update(i for i in stack if context(i))
    return full


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _in_chinese(text: str, needle: str) -> bool:
    for match in re.finditer(re.escape(needle), text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (before and is_chinese(before)) or (after and is_chinese(after)):
            return True
    return False
