"""The ``auditor`` command: ``check``, ``parse``, ``stats``, ``rules`` and ``plugins``.

Exit status of ``check``: 2 if any input could not be read or a plugin failed (after auditing
all the others), else 1 if any finding has severity ``error``, else 0. ``parse`` and ``stats``
exit 2 when an input could not be read, else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from auditor import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="Audit 政府信息公开工作年度报告 for contradictions between tables and narrative.",
    )
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    plugin = argparse.ArgumentParser(add_help=False)
    plugin.add_argument(
        "--plugin", action="append", default=[], metavar="MODULE_OR_PATH",
        help="load a local plugin (module name or .py file); repeatable",
    )
    check = sub.add_parser("check", parents=[plugin], help="audit reports (files or directories)")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--select", action="append", default=[], metavar="PREFIXES",
                       help="only rules whose ID starts with one of these (comma-separated; repeatable)")
    check.add_argument("--ignore", action="append", default=[], metavar="PREFIXES",
                       help="skip rules whose ID starts with one of these (comma-separated; repeatable)")
    parse = sub.add_parser("parse", parents=[plugin], help="print the typed model of reports (every cell, every figure)")
    parse.add_argument("paths", nargs="+", metavar="PATH")
    parse.add_argument("--format", choices=("json", "text"), default="json",
                       help="json: the model; text: the extracted text that positions refer to")
    stats = sub.add_parser("stats", parents=[plugin], help="coverage: share of cells read and figures resolved")
    stats.add_argument("paths", nargs="+", metavar="PATH")
    stats.add_argument("--format", choices=("text", "json"), default="text")
    sub.add_parser("rules", parents=[plugin], help="list rule IDs with their descriptions")
    sub.add_parser("plugins", parents=[plugin], help="list loaded plugins and the hooks they implement")
    return parser


def _prefixes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(p.strip() for text in values for p in text.split(",") if p.strip())


def expand_paths(paths: Sequence[str], suffixes: set[str]) -> Iterator[tuple[str, str | None]]:
    """``(path, error)`` for each file to read: files as given; directories walked recursively
    (sorted, hidden entries skipped) for files whose suffix a reader handles. A directory with
    no such file yields itself with an error; a missing path is yielded for the reader to report."""
    for given in paths:
        path = Path(given)
        if given.strip() and path.is_dir():
            found = False
            for file in sorted(path.rglob("*")):
                parts = file.relative_to(path).parts
                if file.is_file() and file.suffix.lower() in suffixes and not any(p.startswith(".") for p in parts):
                    found = True
                    yield str(file), None
            if not found:
                yield given, f"no report files ({', '.join(sorted(suffixes))}) in this directory"
        else:
            yield given, None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    from auditor.plugins import PluginError, PluginHost

    try:
        host = PluginHost(args.plugin)
        rules = host.rules()
    except PluginError as exc:
        print(f"auditor: error: {exc}", file=sys.stderr)
        return EXIT_TROUBLE
    if args.command == "rules":
        for rule in rules.values():
            print(f"{rule.id}  {rule.severity:<7}  {rule.name}: {rule.description}")
        return EXIT_CLEAN
    if args.command == "plugins":
        for info in host.plugins():
            print(f"{info.name}  ({info.source})  {', '.join(info.hooks)}")
        return EXIT_CLEAN
    if args.command == "parse":
        return _parse(args, host)
    if args.command == "stats":
        return _stats(args, host)
    return _check(args, host, set(rules))


def _check(args: argparse.Namespace, host, known: set[str]) -> int:
    from auditor.audit import AuditResult, audit_file
    from auditor.output import finding_line, render_json

    select, ignore = _prefixes(args.select), _prefixes(args.ignore)
    for prefix in select + ignore:
        if not any(rule.startswith(prefix) for rule in known):
            print(f"auditor: error: no rule ID starts with {prefix!r} (see `auditor rules`)", file=sys.stderr)
            return EXIT_TROUBLE
    results = []
    for path, error in expand_paths(args.paths, host.suffixes()):
        result = AuditResult(path, None, errors=[error]) if error else audit_file(path, host, select, ignore)
        results.append(result)
        if args.format == "text":
            for finding in result.findings:
                print(finding_line(result.path, finding))
            for message in result.errors:
                print(f"{result.path}: error: {message}", file=sys.stderr)
    if args.format == "json":
        print(render_json(results))
    findings = [f for r in results for f in r.findings]
    errors = sum(len(r.errors) for r in results)
    if args.format == "text":
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
        print(
            f"{sum(r.readable for r in results)} report(s): {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info; {errors} input(s) or plugin(s) failed",
            file=sys.stderr,
        )
    if errors:
        return EXIT_TROUBLE
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_CLEAN


def _documents(paths: Sequence[str], host):
    """(path, document or None, error or None) for each input."""
    from auditor.audit import read_document
    from auditor.errors import ReportReadError

    for path, error in expand_paths(paths, host.suffixes()):
        if error:
            yield path, None, error
            continue
        try:
            yield path, read_document(path, host), None
        except ReportReadError as exc:
            yield path, None, exc.reason


def _parse(args: argparse.Namespace, host) -> int:
    from auditor.output import model_json

    models, errors = [], []
    for path, document, error in _documents(args.paths, host):
        if document is None:
            errors.append({"path": path, "message": error})
            print(f"{path}: error: {error}", file=sys.stderr)
        elif args.format == "text":
            print(document.report.text, end="")
        else:
            models.append(model_json(document.report, document.figures, document.template))
    if args.format == "json":
        shown = models[0] if len(models) == 1 and not errors and len(args.paths) == 1 else {"reports": models, "errors": errors}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    return EXIT_TROUBLE if errors else EXIT_CLEAN


def _stats(args: argparse.Namespace, host) -> int:
    from auditor.coverage import coverage, total

    rows, errors = [], []
    for path, document, error in _documents(args.paths, host):
        if document is None:
            errors.append({"path": path, "message": error})
            print(f"{path}: error: {error}", file=sys.stderr)
        else:
            rows.append(coverage(document.report, document.figures, document.template))
    overall = total(rows)
    if args.format == "json":
        def as_json(c):
            return {"path": c.path, "template": c.template, "cells": c.cells, "cells_read": c.read,
                    "cells_recovered": c.recovered, "cells_in_group_rows": c.grouped, "cell_share": c.cell_share,
                    "count_statements": c.statements, "resolved": c.resolved, "figure_share": c.figure_share}
        print(json.dumps({"reports": [as_json(c) for c in rows], "total": as_json(overall), "errors": errors},
                         ensure_ascii=False, indent=2))
    else:
        def pct(share):
            return "   n/a" if share is None else f"{share:6.1%}"
        print(f"{'cells read':>15} {'share':>7} {'recovered':>9} {'in group rows':>13} {'figures resolved':>17} {'share':>7}  template  path")
        for c in [*rows, overall]:
            print(f"{c.read:>7}/{c.cells:<7} {pct(c.cell_share)} {c.recovered:>9} {c.grouped:>13} "
                  f"{c.resolved:>9}/{c.statements:<7} {pct(c.figure_share)}  {c.template or '':<8}  {c.path}")
    return EXIT_TROUBLE if errors else EXIT_CLEAN


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
