"""The ``auditor`` command: ``check``, ``baseline``, ``extract``, ``parse``, ``stats``, ``rules``, ``plugins``, ``serve``.

Exit status of ``check``: 2 if any input could not be read, timed out or a rule failed (after
auditing all the others), else 1 if any finding has severity ``error``, else 0. ``extract``,
``parse``, ``stats`` and ``baseline`` exit 2 when an input could not be read, else 0. Any command ended by
Ctrl-C exits 130.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from auditor import __version__
from auditor.inputs import expand, output_conflict

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's status for a run ended by Ctrl-C (128 + SIGINT)


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    from auditor.i18n import translations

    _ = translations(lang).gettext
    parser = argparse.ArgumentParser(
        prog="auditor",
        description=_("Audit 政府信息公开工作年度报告 for contradictions between tables and narrative."),
    )
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    plugin = argparse.ArgumentParser(add_help=False)
    plugin.add_argument(
        "--plugin", action="append", default=[], metavar="MODULE_OR_PATH",
        help=_("load a local plugin (module name or .py file); repeatable"),
    )
    plugin.add_argument("--lang", metavar="LANG", help=_("language of messages: zh or en (default: the locale's)"))
    plugin.add_argument("--config", metavar="FILE", help=_("configuration file (auditor.toml, or a pyproject.toml with "
                        "[tool.auditor]); default: the nearest one upward from the inputs, then the working directory"))
    batch = argparse.ArgumentParser(add_help=False)
    batch.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help=_("worker processes (default: all cores)"))
    batch.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                       help=_("time one report may take before it becomes an error (default 60; 0: no limit)"))
    batch.add_argument("--executor", choices=("local", "dask"), default="local",
                       help=_("local process pool, or a dask.distributed cluster (with --scheduler)"))
    batch.add_argument("--scheduler", metavar="ADDRESS", help=_("dask scheduler address, e.g. tcp://10.0.0.5:8786"))
    batch.add_argument("--no-cache", action="store_true", help=_("audit every input again, ignoring the cache"))
    batch.add_argument("--cache-dir", metavar="DIR", help=_("cache directory (default: the platform's user cache "
                       "directory, or $AUDITOR_CACHE_DIR)"))
    batch.add_argument("--quiet", "-q", action="store_true", help=_("no progress bar"))
    batch.add_argument("--output", "-o", metavar="FILE", help=_("write the output to FILE instead of standard output"))
    selection = argparse.ArgumentParser(add_help=False)
    selection.add_argument("--select", action="append", default=[], metavar="PREFIXES",
                           help=_("only rules whose ID starts with one of these, replacing the configuration's "
                           "select (comma-separated; repeatable)"))
    selection.add_argument("--extend-select", action="append", default=[], metavar="PREFIXES",
                           help=_("also rules whose ID starts with one of these, besides the selection: the opt-in "
                           "cross-year rules run with --extend-select Y (comma-separated; repeatable)"))
    selection.add_argument("--ignore", action="append", default=[], metavar="PREFIXES",
                           help=_("also skip rules whose ID starts with one of these (comma-separated; repeatable)"))
    check = sub.add_parser("check", parents=[plugin, batch, selection],
                           help=_("audit reports: files, directories, globs, zip archives"))
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", default="text", metavar="FORMAT",
                       help=_("text, json, jsonl, csv, xlsx, sarif, html (or one a plugin adds)"))
    check.add_argument("--baseline", metavar="FILE", help=_("leave out the findings recorded in FILE (made by "
                       "`auditor baseline`) and say how many were left out"))
    check.add_argument("--reviews", metavar="FILE", help=_("leave out the findings dismissed in FILE (the reviews "
                       "database of `auditor serve`, or its JSON export) and say how many were left out"))
    baseline = sub.add_parser("baseline", parents=[plugin, batch, selection],
                              help=_("record the findings of reports as accepted: write a baseline file (-o FILE)"))
    baseline.add_argument("paths", nargs="+", metavar="PATH")
    parse = sub.add_parser("parse", parents=[plugin], help=_("print the typed model of reports (every cell, every figure)"))
    parse.add_argument("paths", nargs="+", metavar="PATH")
    parse.add_argument("--format", choices=("json", "text"), default="json",
                       help=_("json: the model; text: the extracted text that positions refer to"))
    extract = sub.add_parser("extract", parents=[plugin, batch], help=_("write every template cell of every report as a dataset"))
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=("csv", "parquet"), default="csv")
    stats = sub.add_parser("stats", parents=[plugin], help=_("coverage: share of cells read and figures resolved"))
    stats.add_argument("paths", nargs="+", metavar="PATH")
    stats.add_argument("--format", choices=("text", "json"), default="text")
    rules = sub.add_parser("rules", parents=[plugin], help=_("the rule catalogue: every rule, or the rules named"))
    rules.add_argument("ids", nargs="*", metavar="ID", help=_("rule IDs or prefixes to show in full"))
    rules.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                       help=_("markdown: the catalogue page (docs/rules.md)"))
    sub.add_parser("plugins", parents=[plugin], help=_("list loaded plugins: version, hooks, rules"))
    serve = sub.add_parser("serve", parents=[plugin], help=_("a local web page: drop reports, see their findings in "
                           "place, confirm or dismiss them"))
    serve.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1: this machine only)"))
    serve.add_argument("--port", type=int, default=8765, help=_("port (default 8765)"))
    serve.add_argument("--max-upload-mb", type=float, default=50.0, metavar="MB",
                       help=_("largest upload, all files together (default 50)"))
    serve.add_argument("--reviews-db", metavar="FILE", help=_("the reviews database (default: reviews.sqlite3 in the "
                       "user data directory, or $AUDITOR_REVIEWS_DB)"))
    serve.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                       help=_("time one report may take before it becomes an error (default 60; 0: no limit)"))
    for each in (parser, *sub.choices.values()):
        _localize_parser(each, _)
    return parser


def _localize_parser(parser: argparse.ArgumentParser, _) -> None:
    """argparse's own words (section titles, the usage prefix, -h's help) in the catalog's language."""
    parser._positionals.title = _("positional arguments")
    parser._optionals.title = _("options")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = _("show this help message and exit")
        elif isinstance(action, argparse._VersionAction):
            action.help = _("show the version and exit")
    prefix = _("usage: ")

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix_=None):
            super().add_usage(usage, actions, groups, prefix)

    parser.formatter_class = Formatter


def _option(argv: Sequence[str], name: str) -> str | None:
    """The value of option ``name`` in ``argv`` (``--lang zh`` or ``--lang=zh``), before parsing:
    the language of the help text is chosen before the parser is built."""
    for number, item in enumerate(argv):
        if item == name and number + 1 < len(argv):
            return argv[number + 1]
        if item.startswith(name + "="):
            return item.partition("=")[2]
    return None


def _prefixes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(p.strip() for text in values for p in text.split(",") if p.strip())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from auditor.i18n import language

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        lang = language(_option(argv, "--lang"))
    except ValueError as exc:
        print(f"auditor: error: {exc}", file=sys.stderr)
        return EXIT_TROUBLE
    args = _parser(lang).parse_args(argv)
    args.lang = lang
    from auditor.config import ConfigError, Configuration
    from auditor.plugins import PluginError, PluginHost, disabled_plugins, plugin_names

    try:
        config = Configuration.load(args.config) if args.config else Configuration.find(getattr(args, "paths", ()))
        if args.command in ("check", "baseline"):
            config = config.with_command_line(_prefixes(args.select), _prefixes(args.ignore), _prefixes(args.extend_select))
        host = PluginHost(args.plugin, disabled=(*disabled_plugins(), *config.disabled_plugins))
        rules = host.rules()
        host.figure_rules()  # a plugin's vocabulary that cannot be added is refused before the run
        config.validate(rules, plugin_names(host))
    except (PluginError, ConfigError) as exc:
        print(f"auditor: error: {exc}", file=sys.stderr)
        return EXIT_TROUBLE
    args.configuration = config
    if args.command == "rules":
        return _rules(args, rules)
    if args.command == "plugins":
        for info in host.plugins():
            print(f"{info.name}  ({info.source})  hooks: {', '.join(info.hooks) or '-'}"
                  + (f"  rules: {', '.join(info.rules)}" if info.rules else ""))
        for name in host.disabled:
            print(f"{name}  (disabled)")
        return EXIT_CLEAN
    if args.command == "parse":
        return _parse(args, host)
    if args.command == "stats":
        return _stats(args, host)
    if args.command == "extract":
        return _extract(args, host)
    if args.command == "baseline":
        return _baseline(args, host)
    if args.command == "serve":
        from auditor.serve import serve

        return serve(args)
    return _check(args, host, rules)


def _rules(args: argparse.Namespace, rules) -> int:
    from auditor.catalogue import rule_description, rule_json, rule_markdown, rule_text, rule_title, rules_markdown

    chosen = [r for r in rules.values() if not args.ids or any(r.id.startswith(p) for p in args.ids)]
    unknown = [p for p in args.ids if not any(r.id.startswith(p) for r in rules.values())]
    if unknown:
        print(f"auditor: error: no rule ID starts with {unknown[0]!r} (see `auditor rules`)", file=sys.stderr)
        return EXIT_TROUBLE
    if args.format == "json":
        print(json.dumps([rule_json(r, args.lang) for r in chosen], ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(rules_markdown(chosen) if not args.ids else "\n".join(rule_markdown(r) for r in chosen), end="")
    elif args.ids:
        print("\n\n".join(rule_text(r, args.lang) for r in chosen))
    else:
        for rule in chosen:
            print(f"{rule.id}  {rule.severity:<7}  {rule_title(rule, args.lang)}: {rule_description(rule, args.lang)}")
    return EXIT_CLEAN


def _settings(args: argparse.Namespace, **extra):
    from auditor.plugins import disabled_plugins
    from auditor.worker import Settings

    config = args.configuration
    return Settings(plugins=tuple(args.plugin), disabled=(*disabled_plugins(), *config.disabled_plugins), config=config,
                    timeout=max(args.timeout, 0.0), **extra)


def _cache(args: argparse.Namespace, host, settings):
    import os

    from auditor.cache import ResultCache, default_directory, fingerprint

    if args.no_cache:
        return None
    directory = args.cache_dir or os.environ.get("AUDITOR_CACHE_DIR") or default_directory()
    plugins = [(info.name, info.source) for info in host.plugins()]
    return ResultCache(Path(directory), fingerprint(settings, plugins))


def _records(args: argparse.Namespace, host, settings, stats, baseline=None):
    """The run's records in input order (without the findings ``baseline`` accepted), with a
    progress bar on a terminal."""
    from auditor import batch

    sources = list(expand(args.paths, host.suffixes()))
    jobs = args.jobs or batch.default_jobs()
    jobs = max(1, min(jobs, len(sources)))
    records = batch.run(sources, settings, jobs=jobs, executor=args.executor, scheduler=args.scheduler,
                        cache=_cache(args, host, settings), stats=stats, baseline=baseline)
    if args.quiet or not sys.stderr.isatty():
        yield from records
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}/s"),
               TimeRemainingColumn(), TextColumn("{task.fields[failed]} failed"))
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("audit", total=len(sources), rate="-", failed=0)
        for record in records:
            elapsed = progress.tasks[0].elapsed or 0
            progress.update(task, advance=1, failed=stats.errors, rate=f"{stats.done / elapsed:.1f}" if elapsed else "-")
            yield record


def _checked_records(args: argparse.Namespace, host, settings, stats, baseline, batch_rules):
    """The run's records; with batch rules selected, all records are held until the batch rules
    have run over them (``auditor.grouped``), then the baseline applies and they are counted."""
    if not batch_rules:
        yield from _records(args, host, settings, stats, baseline)
        return
    from collections import Counter

    from auditor.batch import BatchStats
    from auditor.grouped import apply_batch_rules

    first = BatchStats()
    records = apply_batch_rules(_records(args, host, settings, first), settings, batch_rules)
    stats.audited, stats.cached, stats.cached_reports = first.audited, first.cached, first.cached_reports
    accepted = Counter(baseline.counts) if baseline is not None else None
    for record in records:
        if baseline is not None:
            record, left_out = baseline.apply(record, accepted)
            stats.suppressed += left_out
        stats.count(record)
        yield record


def _refused_output(args: argparse.Namespace) -> bool:
    """True (and says why on stderr) when ``--output`` names an input or lies in an input directory."""
    conflict = output_conflict(args.output, args.paths) if args.output else None
    if conflict:
        print(f"auditor: error: {conflict}", file=sys.stderr)
    return conflict is not None


def _open_output(args: argparse.Namespace, binary: bool):
    if args.output:
        return open(args.output, "wb")
    if binary and sys.stdout.isatty():
        raise SystemExit("auditor: error: this format is binary; write it to a file with --output FILE")
    return sys.stdout.buffer


def _check(args: argparse.Namespace, host, rules) -> int:
    from auditor.batch import BatchStats

    from auditor.i18n import localize

    formats = host.formatters()
    if args.format not in formats:
        print(f"auditor: error: unknown format {args.format!r} (known: {', '.join(formats)})", file=sys.stderr)
        return EXIT_TROUBLE
    format_class = formats[args.format]
    if _refused_output(args):
        return EXIT_TROUBLE
    baseline = None
    if args.baseline:
        from auditor.baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(args.baseline)
        except BaselineError as exc:
            print(f"auditor: error: {exc}", file=sys.stderr)
            return EXIT_TROUBLE
    if args.reviews:
        from auditor.reviews import ReviewFilter, Reviews, ReviewsError

        try:
            baseline = ReviewFilter(Reviews.load(args.reviews), baseline)
        except ReviewsError as exc:
            print(f"auditor: error: {exc}", file=sys.stderr)
            return EXIT_TROUBLE
    batch_rules = host.batch_rules(args.configuration)
    from auditor.grouped import batch_cells

    settings = _settings(args, view=format_class.needs_view, cells=batch_cells(batch_rules))
    stats = BatchStats()
    out = _open_output(args, format_class.binary)
    try:
        formatter = format_class(out, rules)
        formatter.lang = args.lang
        for record in _checked_records(args, host, settings, stats, baseline, batch_rules):
            formatter.add(localize(record, args.lang))
        formatter.close(stats)
        stats.dismissed = getattr(baseline, "dismissed", 0)
        if not args.quiet:
            from auditor.formats.basic import summary

            print(summary(stats, args.lang), file=sys.stderr)
    except ValueError as exc:
        print(f"auditor: error: {exc}", file=sys.stderr)
        return EXIT_TROUBLE
    finally:
        out.flush()
        if args.output:
            out.close()
    if stats.errors:
        return EXIT_TROUBLE
    return EXIT_FINDINGS if stats.findings.get("error") else EXIT_CLEAN


def _baseline(args: argparse.Namespace, host) -> int:
    from auditor.baseline import Baseline
    from auditor.batch import BatchStats

    if not args.output:
        print("auditor: error: baseline writes a file: give --output FILE", file=sys.stderr)
        return EXIT_TROUBLE
    if _refused_output(args):
        return EXIT_TROUBLE
    stats = BatchStats()
    batch_rules = host.batch_rules(args.configuration)
    from auditor.grouped import batch_cells

    settings = _settings(args, cells=batch_cells(batch_rules))
    records = _checked_records(args, host, settings, stats, None, batch_rules)
    baseline = Baseline.of_records(r for r in records if _report_errors(r))
    baseline.write(args.output)
    print(f"{sum(baseline.counts.values())} finding(s) of {stats.done - stats.unreadable} report(s) recorded in "
          f"{args.output}; {stats.unreadable} unreadable", file=sys.stderr)
    return EXIT_TROUBLE if stats.errors else EXIT_CLEAN


def _extract(args: argparse.Namespace, host) -> int:
    from auditor.batch import BatchStats
    from auditor.dataset import dataset_rows, write_csv, write_parquet

    if not args.output:
        print("auditor: error: extract writes a file: give --output FILE", file=sys.stderr)
        return EXIT_TROUBLE
    if _refused_output(args):
        return EXIT_TROUBLE
    settings = _settings(args, cells=True)
    stats = BatchStats()
    rows = (row for r in _records(args, host, settings, stats) if _report_errors(r) for row in dataset_rows(r))
    if args.format == "parquet":
        try:
            write_parquet(rows, args.output)
        except ImportError:
            print("auditor: error: parquet needs pyarrow: pip install 'auditor[parquet]'", file=sys.stderr)
            return EXIT_TROUBLE
    else:
        write_csv(rows, args.output)
    print(f"{stats.done - stats.unreadable} report(s) written to {args.output}; {stats.unreadable} unreadable", file=sys.stderr)
    return EXIT_TROUBLE if stats.errors else EXIT_CLEAN


def _report_errors(record) -> bool:
    for message in record["errors"]:
        print(f"{record['path']}: error: {message}", file=sys.stderr)
    return record["readable"]


def _documents(paths: Sequence[str], host, errors: list[dict]):
    """(name, document) for each readable input; the others are printed and added to ``errors``."""
    from auditor.errors import ReportReadError

    for source in expand(paths, host.suffixes()):
        try:
            yield source.name, host.document(host.read(source.name, source.read()))
            continue
        except ReportReadError as exc:
            message = exc.reason
        except Exception as exc:  # a bug of ours on one input must not end the run
            message = f"internal error: {type(exc).__name__}: {exc}"
        errors.append({"path": source.name, "message": message})
        print(f"{source.name}: error: {message}", file=sys.stderr)


def _parse(args: argparse.Namespace, host) -> int:
    from auditor.records import model_json

    models: list[dict] = []
    errors: list[dict] = []
    for _, document in _documents(args.paths, host, errors):
        if args.format == "text":
            print(document.report.text, end="")
        else:
            models.append(model_json(document.report, document.figures, document.template))
    if args.format == "json":
        shown = models[0] if len(models) == 1 and not errors and len(args.paths) == 1 else {"reports": models, "errors": errors}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    return EXIT_TROUBLE if errors else EXIT_CLEAN


def _stats(args: argparse.Namespace, host) -> int:
    from auditor.coverage import coverage, total

    errors: list[dict] = []
    rows = [coverage(d.report, d.figures, d.template) for _, d in _documents(args.paths, host, errors)]
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
    """Console-script entry point. Ctrl-C ends the run with one line (workers are stopped; what
    was audited is in the cache, and a re-run starts from there)."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nauditor: interrupted; reports audited so far are kept in the cache", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
