"""The page's words: English msgids in the templates and the code, translated through the gettext
domain ``page`` (``auditor/locale/<locale>/LC_MESSAGES/page.mo``, compiled from ``page.po`` with
``pybabel compile``; extracted with ``pybabel extract -F babel-page.cfg``).

Messages made before the language is known (an upload refused, a reader's refusal) are kept as
a ``Text``: the msgid and its arguments, translated when the page is rendered.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from typing import Any

from auditor.i18n import LOCALEDIR, N_, register_catalog
from auditor.i18n import translations as catalog

DOMAIN = "page"
DEFAULT_LANGUAGE = "zh"
register_catalog(DOMAIN, LOCALEDIR)  # the page's catalog sits beside the auditor domain's


def translations(lang: str) -> gettext.NullTranslations:
    """The page's translations for ``lang`` ("zh" or "en"; English is the msgids themselves),
    through ``auditor.i18n`` like every other catalog."""
    return catalog(lang, DOMAIN)


def language(requested: str | None) -> str:
    """The page's language for the ``lang`` query parameter: "en" when asked for, else Chinese."""
    return "en" if (requested or "").lower().startswith("en") else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Text:
    """A message to translate later: its msgid (marked with ``N_``) and ``%``-style arguments."""

    msgid: str
    args: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The message in ``lang``."""
        text = translations(lang).gettext(self.msgid)
        return text % self.args if self.args else text


SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}

# What the readers and the worker say when they refuse an input (English, from auditor.read and
# auditor.worker), as the page says it; the first pattern that matches the whole reason wins.
_REFUSALS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.S), m) for p, m in [
    (r"empty file", N_("The file is empty.")),
    (r"binary data.*", N_("It holds binary data, not the text of a report.")),
    (r"does not look like a 政府信息公开工作年度报告: only a title.*",
     N_("It does not look like a government information disclosure annual report: it has a title, but no narrative or tables (an image-only page?).")),
    (r"does not look like a 政府信息公开工作年度报告: no report title, no section headings, no template table.*",
     N_("It does not look like a government information disclosure annual report: no report title, no section headings, no template table.")),
    (r"does not look like a 政府信息公开工作年度报告: (?P<what>.*)",
     N_("It does not look like a government information disclosure annual report (%(what)s).")),
    (r"no reader for this kind of file", N_("No reader handles this kind of file.")),
    (r"no text layer \(scanned\).*", N_("The PDF has no text layer (a scan); text recognition is not available.")),
    (r"encrypted PDF.*", N_("The PDF is encrypted and needs a password.")),
    (r"not a PDF.*", N_("The file is not a PDF.")),
    (r"not a DOCX.*", N_("The file is not a DOCX document.")),
    (r"old binary Word \.doc.*", N_("Old binary Word (.doc) files are not supported; save it as .docx.")),
    (r"DOCX .*zip bomb", N_("The DOCX unpacks to far more than it holds: refused as a zip bomb.")),
    (r"PDF has (?P<n>\d+) pages.*", N_("The PDF has %(n)s pages, more than a report can have.")),
    (r"(?:HTML page|DOCX) with no text", N_("The document holds no text.")),
    (r"its text runs .*", N_("Its text is longer than a report can be.")),
    (r"took longer than .*", N_("Reading it took longer than the time allowed.")),
    (r"the audit's worker process died.*", N_("The audit of this file stopped unexpectedly (its worker process died).")),
]]


def refusal(reason: str) -> Text:
    """A reader's or worker's refusal (English, from an error record) as a page ``Text``; one the
    page has no words for is quoted as it is."""
    for pattern, msgid in _REFUSALS:
        match = pattern.fullmatch(reason.strip())
        if match:
            return Text(msgid, match.groupdict())
    return Text(N_("The reader refused it: %(reason)s"), {"reason": reason})
