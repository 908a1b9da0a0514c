"""A content-hash cache of result records, so that re-running a batch re-audits only what changed.

The key of an input is the SHA-256 of its bytes together with a fingerprint of everything else
its record depends on: the product (version and a digest of its code and data files), the
loaded plugins (name, distribution and version; the content of local plugin files) and the run's
settings. Entries are JSON files written atomically (temporary file, then rename), so concurrent
runs may share a cache directory. The default directory follows the platform's conventions
(``platformdirs``: ``~/.cache/auditor`` on Linux).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.records import is_record
from auditor.worker import Settings


def default_directory() -> Path:
    """The platform's cache directory for auditor."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("auditor", appauthor=False))


@cache
def product_digest() -> str:
    """A digest of the product's code and data (auditor and its built-in plugins)."""
    digest = hashlib.sha256(__version__.encode())
    for package in ("auditor", "auditor_builtin"):
        root = resources.files(package)
        for path in sorted(Path(str(root)).rglob("*")):
            if path.suffix in (".py", ".toml", ".txt") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(Path(str(root))).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(settings: Settings, plugins: list[tuple[str, str]]) -> str:
    """The fingerprint of a run: product, plugins (``(name, source)`` pairs) and settings.
    A local plugin file's content is part of it, so editing the plugin invalidates the cache."""
    parts: dict[str, Any] = {"product": product_digest(), "plugins": sorted(plugins), "settings": settings.__dict__}
    files = {}
    for spec in settings.plugins:
        path = Path(spec)
        if path.is_file():
            files[spec] = hashlib.sha256(path.read_bytes()).hexdigest()
    parts["plugin_files"] = files
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class ResultCache:
    """Records by content key in ``directory``; ``hits`` and ``stored`` count this run's use."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint
        self.hits = 0
        self.stored = 0

    def key(self, data: bytes) -> str:
        """The key of an input's bytes."""
        return hashlib.sha256(self.fingerprint.encode() + b"\0" + data).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, name: str) -> dict[str, Any] | None:
        """The cached record for ``key`` (with ``name`` as its path), or None (also for an entry
        that is not a record: damaged or edited outside the tool; it is audited again)."""
        try:
            record = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not is_record(record):
            return None
        self.hits += 1
        record["path"] = name
        return record

    def put(self, key: str, record: dict[str, Any]) -> None:
        """Store a record (transient errors, such as timeouts, are not stored)."""
        if record.get("transient"):
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as handle:
                json.dump(record, handle, ensure_ascii=False)
            os.replace(handle.name, path)
            self.stored += 1
        except OSError:
            pass  # a cache that cannot be written only costs time
