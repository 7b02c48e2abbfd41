"""Reading dates as publishers write them, into ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = r"(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)"
_PATTERNS = [
    # 2025-01-26, 2025-01-26T18:00:00+00:00, 2025-01-26T18:00:00.123Z, 2025/01/26
    re.compile(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
               r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?(?![\w:]))?", re.I),
    # 8 Feb 2025, 08 February, 2025
    re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.I),
    # Feb 08, 2025 / February 8 2025
    re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
]
_CLOCK = re.compile(rf"\b{_TIME}", re.I)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (with time when one is given, and with its offset
    from UTC when one is given: ``Z`` becomes ``+00:00``), else ``None``."""
    text = text.strip()
    if not text:
        return None
    try:  # RFC 822, as feeds write it: "Sun, 26 Jan 2025 18:00:00 +0000"
        value = parsedate_to_datetime(text)
        return value.isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for n, pattern in enumerate(_PATTERNS):
        m = pattern.search(text)
        if not m:
            continue
        g = m.groups()
        try:
            zone = None
            if n == 0:
                year, month, day = int(g[0]), int(g[1]), int(g[2])
                clock = (int(g[3]), int(g[4]), int(g[5] or 0)) if g[3] else None
                zone = _zone(g[6]) if g[3] else None
            else:
                if n == 1:
                    day, month_name, year = int(g[0]), g[1], int(g[2])
                else:
                    month_name, day, year = g[0], int(g[1]), int(g[2])
                month = _MONTHS[month_name.lower()[:3]]
                clock = _clock(text)
            if clock:
                return datetime(year, month, day, *clock, tzinfo=zone).isoformat()
            return datetime(year, month, day).date().isoformat()
        except (ValueError, KeyError):
            continue
    return None


def _zone(text: str | None) -> timezone | None:
    """``Z``, ``+02:00``, ``+0200`` or ``-05`` as a fixed offset."""
    if not text:
        return None
    if text.upper() == "Z":
        return timezone.utc
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _clock(text: str) -> tuple[int, int, int] | None:
    m = _CLOCK.search(text)
    if not m:
        return None
    hour, minute, second, ampm = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0), m.group(4)
    if ampm:
        ampm = ampm.lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour, minute, second


def day_of(iso: str | None) -> str:
    """The ``YYYY-MM-DD`` part of an ISO date, or an empty string."""
    return iso[:10] if iso else ""


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
