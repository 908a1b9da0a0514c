"""Errors the host reports for an input instead of crashing a batch."""

from __future__ import annotations


class ReportReadError(Exception):
    """An input could not be read as a report. ``path`` names the file, ``reason`` the problem."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
