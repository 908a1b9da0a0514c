"""The ``auditor`` command: ``check``, ``rules`` and ``plugins``.

Exit status of ``check``: 2 if any input could not be read or a plugin failed (after auditing
all the others), else 1 if any finding has severity ``error``, else 0.
"""

from __future__ import annotations

import argparse
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
    check.add_argument("--select", default="", metavar="PREFIXES", help="only rules whose ID starts with one of these (comma-separated)")
    check.add_argument("--ignore", default="", metavar="PREFIXES", help="skip rules whose ID starts with one of these (comma-separated)")
    sub.add_parser("rules", parents=[plugin], help="list rule IDs with their descriptions")
    sub.add_parser("plugins", parents=[plugin], help="list loaded plugins and the hooks they implement")
    return parser


def _prefixes(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def expand_paths(paths: Sequence[str], suffixes: set[str]) -> Iterator[str]:
    """Files to audit: files as given; directories walked recursively (sorted) for files whose
    suffix a reader handles, hidden entries skipped. A missing path is yielded as given so that
    it is reported as unreadable."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                parts = file.relative_to(path).parts
                if file.is_file() and file.suffix.lower() in suffixes and not any(p.startswith(".") for p in parts):
                    yield str(file)
        else:
            yield given


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
    return _check(args, host, set(rules))


def _check(args: argparse.Namespace, host, known: set[str]) -> int:
    from auditor.audit import audit_file
    from auditor.output import finding_line, render_json

    select, ignore = _prefixes(args.select), _prefixes(args.ignore)
    for prefix in select + ignore:
        if not any(rule.startswith(prefix) for rule in known):
            print(f"auditor: error: no rule ID starts with {prefix!r} (see `auditor rules`)", file=sys.stderr)
            return EXIT_TROUBLE
    results = []
    for path in expand_paths(args.paths, host.suffixes()):
        result = audit_file(path, host, select, ignore)
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
            f"{len(results)} report(s): {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info; {errors} input(s) or plugin(s) failed",
            file=sys.stderr,
        )
    if errors:
        return EXIT_TROUBLE
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_CLEAN


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
