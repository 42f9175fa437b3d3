"""The build moment every output is stamped with, so that the same input gives the same bytes."""

from __future__ import annotations

import datetime
import os

from publish.errors import EnvironmentProblem
from publish.model import Issue

EARLIEST = datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)
"""The moment of an undated issue (also the earliest a zip entry can carry)."""


def build_moment(issue: Issue) -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set, else the issue's date, else 1980-01-01 (all UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return _from_epoch(epoch)
    if issue.config.date is not None:
        return datetime.datetime.combine(issue.config.date, datetime.time(), datetime.UTC)
    return EARLIEST


def _from_epoch(epoch: str) -> datetime.datetime:
    """The moment SOURCE_DATE_EPOCH names; a value that is not one stops the build."""
    try:
        if not (epoch.isascii() and epoch.isdigit()):
            raise ValueError("not a whole number of seconds")
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise EnvironmentProblem(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds ({error}); "
            "fix: set it to an integer such as $(git log -1 --format=%ct), or unset it"
        ) from None


def moment_text(moment: datetime.datetime) -> str:
    """The moment as PDF metadata wants it: ISO 8601, UTC, to the second."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
