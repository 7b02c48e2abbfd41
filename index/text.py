"""Text helpers shared by every output: making document text safe to put on a terminal."""

from __future__ import annotations

import re

# C0 controls (but tab/newline), DEL and C1 controls. ESC starts ANSI/OSC sequences: shown as "␛",
# the sequence can no longer be read by the terminal. Then the invisible format characters that
# change what a terminal shows: zero-width space, (non-)joiners and direction marks (U+200B-U+200F,
# U+061C), line and paragraph separators (U+2028, U+2029), bidi embeddings and overrides
# (U+202A-U+202E, which can make text read backwards), word joiner and invisible operators
# (U+2060-U+2064), bidi isolates (U+2066-U+2069) and the zero-width no-break space / BOM (U+FEFF).
_FORMAT = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_CONTROL = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_FORMAT}]")
_CONTROL_KEEP_NL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_FORMAT}]")


def _symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls and the invisible format characters: �


def visible(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every control character (and every invisible bidi or zero-width format
    character) replaced by a visible symbol of the same length.

    Length is kept (one character for one), so spans computed on the original text still apply.
    Newlines become "␊" unless ``keep_newlines``; tabs are kept.
    """
    pattern = _CONTROL_KEEP_NL if keep_newlines else _CONTROL
    return pattern.sub(_symbol, text)
