"""Errors the host reports for an input instead of crashing a batch."""

from __future__ import annotations


class ReportReadError(Exception):
    """An input could not be read as a report. ``path`` names the file, ``reason`` the problem."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class PluginTimeout(Exception):
    """A plugin's checks took longer than the run's ``--timeout`` and were stopped. An ordinary
    exception: the plugin host records it as that plugin's failure, named, and goes on."""


def damaged(path: str, what: str, exc: BaseException) -> ReportReadError:
    """The error for a file a parsing library gave up on, in words: ``what`` ("DOCX", "PDF page
    3") is damaged, and how, from the exception — a zip or zlib error says what broke, a library's
    own exception its message; Python's internal errors (IndexError …) say only that the
    structure is broken, never a library's file or line."""
    import zipfile
    import zlib

    message = str(exc).strip()
    if isinstance(exc, zipfile.BadZipFile):
        detail = f"its zip archive is broken ({message})" if message else "its zip archive is broken"
    elif isinstance(exc, zlib.error):
        detail = "a compressed part cannot be unpacked"
    elif isinstance(exc, EOFError):
        detail = "the file ends early (truncated?)"
    elif isinstance(exc, NotImplementedError):
        detail = f"it uses a format feature that cannot be read ({message})" if message else "it uses a format feature that cannot be read"
    elif type(exc).__module__ != "builtins" and message and len(message) <= 120 and message.isprintable():
        detail = message
    else:
        detail = "its internal structure is broken"
    from auditor.i18n import Message

    return ReportReadError(path, Message("{what} is damaged: {detail}", what=what, detail=detail))
