"""Recipe timestamps as file times, without ``datetime`` for the form eidos writes.

A bundle's files are dated with its recipe's ``recipe-timestamp``. eidos writes that as
``YYYY-MM-DDTHH:MM:SSZ`` (UTC); :func:`epoch_seconds` reads that form with integer
arithmetic and hands any other to ``datetime.fromisoformat``, which judges every ISO 8601
form Python knows. Heavy seam: ``datetime`` costs ~1.5 ms of a cold ``eidos bundle``.
"""

from __future__ import annotations

__all__ = ["epoch_seconds"]

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ASCII_DIGITS = frozenset("0123456789")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _utc_seconds(text: str) -> float | None:
    """``YYYY-MM-DDTHH:MM:SSZ`` as seconds since the epoch; None for any other text."""
    if len(text) != 20 or text[4] + text[7] + text[10] + text[13] + text[16] + text[19] != "--T::Z":
        return None
    fields = (text[0:4], text[5:7], text[8:10], text[11:13], text[14:16], text[17:19])
    if not all(_ASCII_DIGITS.issuperset(field) for field in fields):
        return None
    year, month, day, hour, minute, second = (int(field) for field in fields)
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59 or year < 1:
        return None
    days = _DAYS[month - 1] + (month == 2 and _leap(year))
    if not 1 <= day <= days:
        return None
    return float(_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second)


def epoch_seconds(timestamp: str) -> float | None:
    """Seconds since the epoch of an ISO 8601 ``timestamp`` (``Z`` for UTC); None if unreadable.

    A timestamp without a zone is local time, as ``datetime.timestamp`` reads it.
    """
    seconds = _utc_seconds(timestamp)
    if seconds is not None:
        return seconds
    from datetime import datetime  # the seam above: any form eidos does not write

    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
