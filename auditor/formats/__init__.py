"""Output formats: one ``Formatter`` per ``--format`` value, provided through the
``auditor_formatters`` hook (the built-in ones by ``auditor.formats.builtin``)."""

from __future__ import annotations

import sys
from typing import IO, Any, ClassVar

from auditor.rules import Rule


class Formatter:
    """Writes a run's records to ``out`` (a binary stream).

    Subclasses set ``name`` and ``description``; ``needs_view`` when they show narratives and
    tables; ``binary`` when the output is not text (refused on a terminal). ``add`` is called per
    record in input order; ``close`` once, with the run's ``BatchStats``.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    needs_view: ClassVar[bool] = False
    binary: ClassVar[bool] = False
    # the language of the run ("zh", "en"): the host sets it after making the formatter; records
    # come with their messages already in it (auditor.i18n.localize), a formatter's own words
    # are translated with ``self.gettext``
    lang: str = "en"

    def gettext(self, text: str) -> str:
        """``text`` (an English msgid of the ``auditor`` catalog) in the run's language."""
        from auditor.i18n import gettext_for

        return gettext_for(self.lang, text)

    def __init__(self, out: IO[bytes], rules: dict[str, Rule], err: IO[str] | None = None) -> None:
        self.out = out
        self.rules = rules
        self.err = err or sys.stderr

    def write(self, text: str) -> None:
        """Write text to the output (UTF-8)."""
        self.out.write(text.encode("utf-8"))

    def add(self, record: dict[str, Any]) -> None:
        """Take one input's record."""
        raise NotImplementedError

    def close(self, stats: Any) -> None:
        """Finish the output."""
