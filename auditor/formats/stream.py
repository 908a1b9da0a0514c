"""Writing one JSON document a record at a time: the items of its arrays are written as they come,
so that a batch of 100 000 reports never holds its results in memory (issue 11)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def dumps(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` prints it ``depth`` levels down (UTF-8 text kept)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


class JsonArray:
    """A JSON array written item by item at ``depth`` (its items are ``depth`` levels down): the
    opening bracket is the caller's, ``add`` writes one item, ``close`` the closing bracket."""

    def __init__(self, write: Callable[[str], None], depth: int) -> None:
        self.write = write
        self.depth = depth
        self.count = 0

    def add(self, item: Any) -> None:
        """Write one item."""
        self.write(("," if self.count else "") + "\n" + "  " * self.depth + dumps(item, self.depth))
        self.count += 1

    def close(self) -> None:
        """Write the closing bracket."""
        self.write(("\n" + "  " * (self.depth - 1) if self.count else "") + "]")
