"""``auditor serve``: a local web page to audit reports by dropping them on it.

One page, in Chinese (English with ``?lang=en``): drop or choose files (HTML, DOCX, PDF, text, a
zip of several) or paste text; see each report's narrative and tables with every finding marked
in place, the findings by severity with each rule's explanation, and the tables as they were
read; confirm or dismiss findings (``auditor.reviews``); download the findings as XLSX or JSON.

Modules: ``app`` (routes, security headers, the server), ``uploads`` (size limits, the request
body read as it streams, zip archives unpacked in memory), ``engine`` (audits in a warmed
worker process), ``page`` (what the templates show), ``texts`` (the page's gettext catalog,
domain ``page``); ``templates/`` and ``static/`` hold the Jinja2 templates, CSS and script.
"""

from __future__ import annotations

from typing import Any


def serve(args: Any) -> int:
    """Run the server for the parsed ``auditor serve`` command line until Ctrl-C; exit status."""
    from auditor.serve.app import run

    return run(args)
