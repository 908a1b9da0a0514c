"""Reviews that last: a person confirms or dismisses a finding, with a note, and the decision
holds for that finding wherever it turns up again.

A decision is kept by the finding's fingerprint — the one a baseline uses
(``auditor.baseline.report_identity`` + ``fingerprint``: the report's agency and year, the rule,
the values the finding rests on; never paths or line numbers) — so it survives a re-audit of the
same report, and of the same report re-published or reformatted. Two findings of one report with
one fingerprint (the same rule on the same values) share a decision.

Decisions live in an SQLite database (``ReviewStore``), by default under the user's data
directory (``platformdirs.user_data_dir("auditor")/reviews.sqlite3``), or the file named by
``$AUDITOR_REVIEWS_DB``; the web page (``auditor serve``) writes it. ``auditor check --reviews
FILE`` (the database, or its JSON export) leaves the dismissed findings out of a run and says how
many (``ReviewFilter``); confirmed findings stay.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from auditor.baseline import fingerprint, report_identity

VERSION = 1
DECISIONS = ("confirmed", "dismissed")
ENVIRONMENT = "AUDITOR_REVIEWS_DB"
_SQLITE_HEADER = b"SQLite format 3\x00"
_SCHEMA = """CREATE TABLE IF NOT EXISTS reviews (
    fingerprint TEXT PRIMARY KEY, decision TEXT NOT NULL, note TEXT NOT NULL,
    report TEXT NOT NULL, rule TEXT NOT NULL, message TEXT NOT NULL, updated TEXT NOT NULL)"""


class ReviewsError(ValueError):
    """A reviews file that cannot be read or written: the file and the problem."""


@dataclass(frozen=True)
class Review:
    """One decision: the finding's fingerprint, ``decision`` ("confirmed" or "dismissed"), the
    reviewer's note, and for whoever reads the file the report identity, rule and message it was
    made on, and when (ISO 8601, UTC)."""

    fingerprint: str
    decision: str
    note: str
    report: str
    rule: str
    message: str
    updated: str


def finding_key(record: Mapping[str, Any], finding: Mapping[str, Any]) -> str:
    """The fingerprint a review of ``finding`` (a finding of the report ``record``) is kept by."""
    return fingerprint(report_identity(record), finding)


def default_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The reviews database: ``$AUDITOR_REVIEWS_DB``, else ``reviews.sqlite3`` in the user's data
    directory."""
    if environ.get(ENVIRONMENT):
        return Path(environ[ENVIRONMENT])
    from platformdirs import user_data_dir

    return Path(user_data_dir("auditor")) / "reviews.sqlite3"


class ReviewStore:
    """The SQLite database of reviews at ``path`` (created, with its folder, on first write).
    Each call opens its own connection, so the store may be used from several threads. Raises
    ``ReviewsError`` when the file cannot be opened or is not a reviews database."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=10)
            connection.execute(_SCHEMA)
            return connection
        except (OSError, sqlite3.Error) as exc:
            raise ReviewsError(f"{self.path}: cannot be used as a reviews database ({exc})") from None

    def decide(self, record: Mapping[str, Any], finding: Mapping[str, Any], decision: str, note: str = "") -> Review:
        """Keep ``decision`` ("confirmed" or "dismissed"; ValueError otherwise) with ``note`` for
        ``finding`` of the report ``record``, replacing an earlier decision."""
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
        review = Review(finding_key(record, finding), decision, note.strip(), report_identity(record),
                        str(finding.get("rule", "")), str(finding.get("message", "")),
                        datetime.now(timezone.utc).isoformat(timespec="seconds"))
        with closing(self._connect()) as connection, connection:
            connection.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?)", tuple(asdict(review).values()))
        return review

    def forget(self, key: str) -> None:
        """Drop the decision on the finding of fingerprint ``key`` (it is unreviewed again)."""
        with closing(self._connect()) as connection, connection:
            connection.execute("DELETE FROM reviews WHERE fingerprint = ?", (key,))

    def reviews(self, keys: Iterable[str] | None = None) -> dict[str, Review]:
        """The decisions on the fingerprints ``keys`` (all decisions when None), by fingerprint."""
        with closing(self._connect()) as connection:
            rows = connection.execute("SELECT * FROM reviews").fetchall() if keys is None else [
                row for key in set(keys) for row in connection.execute("SELECT * FROM reviews WHERE fingerprint = ?", (key,))]
        return {row[0]: Review(*row) for row in rows}

    def export(self) -> dict[str, Any]:
        """Every decision as the JSON document ``Reviews.load`` reads:
        ``{"version": 1, "reviews": [{fingerprint, decision, note, report, rule, message, updated}]}``."""
        entries = sorted(self.reviews().values(), key=lambda r: (r.report, r.rule, r.fingerprint))
        return {"version": VERSION, "reviews": [asdict(r) for r in entries]}


class Reviews:
    """Decisions read from a reviews database or its JSON export, by fingerprint."""

    def __init__(self, decisions: Mapping[str, Review]) -> None:
        self.decisions = dict(decisions)

    @classmethod
    def load(cls, path: str | Path) -> Reviews:
        """The decisions in ``path``: an SQLite reviews database (opened read-only) or a JSON
        export. Raises ``ReviewsError`` naming the file and the problem."""
        path = Path(path)
        try:
            head = path.open("rb").read(len(_SQLITE_HEADER))
        except OSError as exc:
            raise ReviewsError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        if head == _SQLITE_HEADER:
            try:
                with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
                    rows = connection.execute("SELECT fingerprint, decision, note, report, rule, message, updated FROM reviews").fetchall()
            except sqlite3.Error as exc:
                raise ReviewsError(f"{path}: not an auditor reviews database ({exc})") from None
            return cls({row[0]: Review(*row) for row in rows})
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ReviewsError(f"{path}: neither a reviews database nor its JSON export ({exc})") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("reviews"), list):
            raise ReviewsError(f"{path}: not an auditor reviews export of version {VERSION}")
        decisions = {}
        for entry in data["reviews"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str) or entry.get("decision") not in DECISIONS:
                raise ReviewsError(f"{path}: an entry without a fingerprint or decision: {str(entry)[:80]}")
            decisions[entry["fingerprint"]] = Review(**{k: str(entry.get(k, "")) for k in Review.__dataclass_fields__})
        return cls(decisions)

    def dismissed(self, record: Mapping[str, Any], finding: Mapping[str, Any]) -> bool:
        """True when ``finding`` of the report ``record`` was dismissed."""
        review = self.decisions.get(finding_key(record, finding))
        return review is not None and review.decision == "dismissed"


class ReviewFilter:
    """Leaves dismissed findings out of a run's records, after an optional baseline: it stands
    where a ``Baseline`` does (``counts`` and ``apply``, as ``auditor.batch.run`` calls them).
    ``apply`` returns the baseline's count; the dismissed findings left out are counted in
    ``dismissed``."""

    def __init__(self, reviews: Reviews, baseline: Any = None) -> None:
        self.reviews = reviews
        self.baseline = baseline
        self.dismissed = 0

    @property
    def counts(self) -> Counter:
        """The baseline's accepted fingerprints (none without a baseline)."""
        return self.baseline.counts if self.baseline is not None else Counter()

    def apply(self, record: dict[str, Any], remaining: Counter) -> tuple[dict[str, Any], int]:
        """``record`` without the baseline's accepted findings and the dismissed ones; the number
        the baseline left out (the dismissed ones are added to ``self.dismissed``)."""
        left_out = 0
        if self.baseline is not None:
            record, left_out = self.baseline.apply(record, remaining)
        findings = record.get("findings")
        if not findings:
            return record, left_out
        kept = [f for f in findings if not self.reviews.dismissed(record, f)]
        if len(kept) < len(findings):
            self.dismissed += len(findings) - len(kept)
            record = {**record, "findings": kept}
        return record, left_out
