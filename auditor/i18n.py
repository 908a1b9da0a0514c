"""Messages in the user's language: gettext catalogs, extracted and compiled with Babel.

Every user-facing string is written in English in the code (the msgid) and translated through
the catalogs under ``auditor/locale`` (``zh_CN/LC_MESSAGES/auditor.po``, compiled to ``.mo``
with ``pybabel compile``; see docs/translations.md). A rule's message is a ``Message``: a ``str``
whose value is the English text, which also keeps its msgid and arguments, so that the output
renders it in the language the user chose (``--lang zh|en``, else the locale) and records keep
it language-free (``"msg"``: baselines and reviews fingerprint the English text).

A plugin ships its own catalog: ``register_catalog("myplugin", Path(__file__).parent / "locale")``
at import, and ``Message("…", domain="myplugin", …)`` for its messages; its rules' descriptions
and rationales are looked up in its domain too.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

DOMAIN = "auditor"
LOCALEDIR = Path(__file__).parent / "locale"
# The languages a user can choose, and the gettext locale of each catalog.
LANGUAGES: dict[str, str] = {"zh": "zh_CN", "en": "en"}
DEFAULT_LANGUAGE = "en"

_catalogs: dict[str, Path] = {DOMAIN: LOCALEDIR}


def N_(text: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark ``text`` as a msgid for extraction (``pybabel extract``) where it is defined; it is
    translated where it is shown (``gettext_for``)."""
    return text


def register_catalog(domain: str, localedir: str | Path) -> None:
    """Make a plugin's gettext ``domain`` (its ``.mo`` files under ``localedir/<locale>/LC_MESSAGES``)
    available to ``Message`` and to the rule catalogue."""
    _catalogs[domain] = Path(localedir)
    translations.cache_clear()


def language(requested: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """The language of the output: ``requested`` ("zh", "en", or a locale name such as
    "zh_CN.UTF-8") when given, else the locale's (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``, the first set), else English. Raises ``ValueError`` for a requested language that
    has no catalog."""
    if requested:
        code = _code(requested)
        if code is None:
            raise ValueError(f"no messages in language {requested!r} (choose one of {', '.join(LANGUAGES)})")
        return code
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            return _code(value.split(":")[0]) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _code(name: str) -> str | None:
    base = name.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return base if base in LANGUAGES else None


@lru_cache(maxsize=None)
def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of ``domain`` for ``lang`` ("zh", "en"); English is the msgids
    themselves. A domain or language without a catalog translates nothing."""
    if lang == "en" or domain not in _catalogs:
        return gettext.NullTranslations()
    return gettext.translation(domain, _catalogs[domain], languages=[LANGUAGES.get(lang, lang)], fallback=True)


def gettext_for(lang: str, text: str, domain: str | None = None) -> str:
    """``text`` (an English msgid) in ``lang``: from ``domain``, or the first catalog that has it."""
    if not text or lang == "en":
        return text
    for name in (domain,) if domain else (DOMAIN, *(d for d in _catalogs if d != DOMAIN)):
        translated = translations(lang, name).gettext(text)
        if translated != text:
            return translated
    return text


class Message(str):
    """A user-facing message: the ``str`` is its English text; ``parts`` keep, for each piece
    joined with ``+``, its gettext domain, msgid (a ``str.format`` template) and arguments, so
    that ``translate(lang)`` renders it in another language. An argument that is a ``Message``
    is translated too; numbers and quoted report text are not.

    ``Message("narrative states {label} {value}", label="行政复议", value=1)``
    """

    parts: tuple[tuple[str, str, dict[str, Any]], ...]

    def __new__(cls, msgid: str, /, domain: str = DOMAIN, **args: Any) -> Message:
        return cls._of(((domain, msgid, args),))

    @classmethod
    def _of(cls, parts) -> Message:
        self = str.__new__(cls, "".join(_render(part, "en") for part in parts))
        self.parts = tuple(parts)
        return self

    def __add__(self, other: str) -> Message:  # type: ignore[override]
        return Message._of(self.parts + _parts(other))

    def __radd__(self, other: str) -> Message:
        return Message._of(_parts(other) + self.parts)

    def __reduce__(self):
        return (Message._of, (self.parts,))

    def translate(self, lang: str) -> str:
        """The message in ``lang`` ("zh", "en"); a piece without a translation stays English."""
        return "".join(_render(part, lang) for part in self.parts)

    def to_json(self) -> list:
        """The language-free form a record keeps: ``[[domain, msgid, {name: value}], …]``, a
        ``Message`` argument nested as ``{"msg": […]}``."""
        return [[d, m, {k: ({"msg": v.to_json()} if isinstance(v, Message) else _plain(v)) for k, v in a.items()}]
                for d, m, a in self.parts]

    @classmethod
    def from_json(cls, data: list) -> Message:
        """The ``Message`` of ``to_json``'s output."""
        return cls._of(tuple(
            (d, m, {k: (cls.from_json(v["msg"]) if isinstance(v, dict) and "msg" in v else v) for k, v in a.items()})
            for d, m, a in data))


def join(items, separator: str = ", ") -> Message:
    """``items`` (messages or text) joined with ``separator`` — ", " or "; ", which a catalog
    translates (、 and ； in Chinese) — as one ``Message``."""
    between = SEPARATORS.get(separator) or separator
    message = Message("")
    for number, item in enumerate(items):
        message += (between + item) if number else item
    return message


def _parts(other: str) -> tuple:
    if isinstance(other, Message):
        return other.parts
    return (("", "{text}", {"text": str(other)}),)  # literal text: not translated


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, float, str)) or value is None else str(value)


def _render(part: tuple[str, str, dict[str, Any]], lang: str) -> str:
    domain, msgid, args = part
    template = gettext_for(lang, msgid, domain) if domain else msgid
    values = {k: (v.translate(lang) if isinstance(v, Message) else v) for k, v in args.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation naming an argument the msgid lacks
        return msgid.format(**values)


# the separators ``join`` translates (、 and ； in Chinese); other separators stay as written
SEPARATORS = {", ": Message(", "), "; ": Message("; ")}


def localize(record: dict[str, Any], lang: str) -> dict[str, Any]:
    """The record (``auditor.records``) as the output shows it: each finding's ``message`` and
    each error in ``lang``, rendered from their language-free forms, which are left out (``msg``,
    ``errors_msg``); the record given is not changed."""
    if not isinstance(record, dict) or not ("errors_msg" in record or any(
            isinstance(f, dict) and "msg" in f for f in record.get("findings") or ())):
        return record
    out = {k: v for k, v in record.items() if k != "errors_msg"}
    if isinstance(record.get("findings"), list):
        out["findings"] = [_localized(f, lang) for f in record["findings"]]
    forms = record.get("errors_msg") or []
    if forms and isinstance(record.get("errors"), list):
        out["errors"] = [Message.from_json(forms[n]).translate(lang) if n < len(forms) and forms[n] else error
                         for n, error in enumerate(record["errors"])]
    return out


def _localized(finding: Any, lang: str) -> Any:
    if not isinstance(finding, dict) or "msg" not in finding:
        return finding
    out = {k: v for k, v in finding.items() if k != "msg"}
    if lang != "en":
        out["message"] = Message.from_json(finding["msg"]).translate(lang)
    return out
