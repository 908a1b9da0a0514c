"""Babel's extraction of the ``auditor`` catalog's msgids: Python's calls to ``_``/``Message``,
and the rule catalogue's texts (each ``@rule(…)``/``@rules.rule(…)`` declaration's name — the
rule's title —, description, rationale and source), which are plain arguments, not calls to ``_``.

Named in ``babel.cfg`` as the extraction method ``auditor_python``; only ``pybabel`` and the
test that holds the catalogs complete import it (Babel is a test and development requirement,
not a runtime one: the runtime reads the compiled ``.mo`` with the standard ``gettext``).
"""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator, Mapping
from typing import IO, Any

KEYWORDS = {"_": None, "Message": None, "N_": None}


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """Babel extraction method: yields ``(lineno, funcname, message, comments)`` for the calls
    Babel's Python extractor finds and for every rule declaration's title, description and
    rationale (comments say which)."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    given = dict(keywords) if isinstance(keywords, Mapping) else dict.fromkeys(keywords or ())
    yield from extract_python(io.BytesIO(source), {**KEYWORDS, **given}, comment_tags, options)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not _is_rule_declaration(node):
            continue
        rule_id, name = node.args[0].value, node.args[1].value
        yield node.lineno, None, name, [f"title of rule {rule_id} (its name)"]
        yield node.args[3].lineno, None, node.args[3].value, [f"description of rule {rule_id}"]
        for keyword in node.keywords:
            if keyword.arg in ("rationale", "source") and isinstance(keyword.value, ast.Constant) \
                    and isinstance(keyword.value.value, str):
                yield keyword.value.lineno, None, keyword.value.value, [f"{keyword.arg} of rule {rule_id}"]


def _is_rule_declaration(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or len(node.args) < 4:
        return False
    function = node.func
    named = (isinstance(function, ast.Attribute) and function.attr == "rule") or (
        isinstance(function, ast.Name) and function.id == "rule")
    return named and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:4])
