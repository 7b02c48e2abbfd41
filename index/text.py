"""Text helpers shared by every output: making document text safe to put on a terminal."""

from __future__ import annotations

import re

# C0 controls (but tab/newline), DEL and C1 controls. ESC starts ANSI/OSC sequences: shown as "␛",
# the sequence can no longer be read by the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_CONTROL_KEEP_NL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def visible(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every control character replaced by a visible symbol of the same length.

    Length is kept (one character for one), so spans computed on the original text still apply.
    Newlines become "␊" unless ``keep_newlines``; tabs are kept.
    """
    pattern = _CONTROL_KEEP_NL if keep_newlines else _CONTROL
    return pattern.sub(_symbol, text)
