"""The web app (Starlette) and the server (uvicorn) of ``auditor serve``.

Routes: ``GET /`` the upload form; ``POST /audit`` an upload (multipart: ``files``, ``text``),
answered by a redirect to its run; ``GET /runs/{run}`` the run (one report's page, or the table
of its reports); ``GET /runs/{run}/{n}`` one report; ``POST /runs/{run}/{n}/review`` a decision on
a finding; ``GET /runs/{run}/findings.xlsx`` and ``.json`` the run's findings (dismissed ones
left out, as ``auditor check --reviews`` does); ``GET /reviews.json`` every decision.
``?lang=en`` shows any page in English. Runs are kept in memory (the last ``KEPT_RUNS``).

Every answer carries a Content-Security-Policy that allows only this server's own script and
style (no inline script), so report text that looks like markup stays text. Bound to loopback,
the app only answers requests addressed to a loopback name (no DNS rebinding), and a form posted
from another origin is refused.
"""

from __future__ import annotations

import io
import secrets
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditor.reviews import ReviewStore, default_path, finding_key
from auditor.serve.engine import Engine, consecutive_years
from auditor.serve.page import batch_rows, environment, fingerprints, localized, reason, report_view
from auditor.serve.texts import N_, Text, language
from auditor.serve.uploads import PASTED_NAME, BodyTooLarge, Limits, Received, UploadError, receive

KEPT_RUNS = 32
DOWNLOADS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "json": "application/json"}
STATIC = Path(__file__).resolve().parent / "static"
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

@dataclass
class Run:
    """One upload's results: the records (language-free, as audited) and the files refused."""

    records: list[dict[str, Any]]
    refusals: list[Any] = field(default_factory=list)
    created: float = field(default_factory=time.time)


def create_app(engine: Engine, reviews: ReviewStore, limits: Limits | None = None,
               allowed_hosts: list[str] | None = None):
    """The Starlette application over a started ``engine`` and the ``reviews`` store.
    ``allowed_hosts``: the Host names it answers (None: any)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    limits = limits or Limits()
    runs: OrderedDict[str, Run] = OrderedDict()
    rules = engine.rules()

    def render(request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = language(request.query_params.get("lang"))
        html = environment(lang).get_template(name).render(limit_mb=limits.total // (1024 * 1024), **context)
        return HTMLResponse(html, status_code=status)

    def back(request, path: str) -> RedirectResponse:
        lang = language(request.query_params.get("lang"))
        return RedirectResponse(path.replace("#", "?lang=en#", 1) if lang == "en" and "#" in path
                                else path + ("?lang=en" if lang == "en" else ""), status_code=303)

    def run_of(request) -> Run | None:
        return runs.get(request.path_params["run"])

    def gone(request) -> HTMLResponse:
        return render(request, "index.html", 404, problem=Text(N_("This result is no longer kept; upload the files again.")))

    async def index(request):
        return render(request, "index.html")

    async def audit(request):
        try:
            received: Received = await receive(request, limits, engine.suffixes())
        except BodyTooLarge:
            body = getattr(request.state, "body", None)
            if body is not None:
                await body.drain(4 * limits.total)
            # the size is what was counted when the body was refused (a chunked body is not read to its end)
            problem = Text(N_("The upload is larger than the %(limit)s MB allowed. Upload fewer or smaller files."),
                           {"limit": limits.total // (1024 * 1024)})
            response = render(request, "index.html", 413, problem=problem)
            if body is None or body.more:
                response.headers["Connection"] = "close"
            return response
        except UploadError as exc:
            return render(request, "index.html", 400, problem=exc.reason)
        if not received.uploads and not received.refusals:
            return render(request, "index.html", 400, problem=Text(N_("Choose a file, or paste a report's text, first.")))
        from starlette.concurrency import run_in_threadpool

        items = [(u.name, u.data) for u in received.uploads]
        records = await run_in_threadpool(engine.audit, items) if items else []
        key = secrets.token_urlsafe(12)
        runs[key] = Run(records, received.refusals)
        while len(runs) > KEPT_RUNS:
            runs.popitem(last=False)
        return back(request, f"/runs/{key}")

    async def show_run(request):
        run = run_of(request)
        if run is None:
            return gone(request)
        if len(run.records) == 1 and run.records[0]["readable"] and not run.refusals:
            return _report(request, run, 0)
        lang = language(request.query_params.get("lang"))
        alone = _alone(run, lang)
        if alone is not None:  # one input, not audited: say why on the upload page, not in a table of one
            return render(request, "index.html", 422, problem=alone)
        decided = reviews.reviews(fingerprints(run.records))
        return render(request, "batch.html", run_id=request.path_params["run"], rows=batch_rows(run.records, decided, lang),
                      refusals=run.refusals, cross_year=consecutive_years(run.records))

    def _alone(run: Run, lang: str) -> Text | None:
        """Why the one input of ``run`` was not audited, naming it; None when the run has more."""
        if not run.refusals and len(run.records) == 1 and not run.records[0]["readable"]:
            name, said = run.records[0]["path"], reason(run.records[0], lang)
        elif not run.records and len(run.refusals) == 1:
            name, said = run.refusals[0].name, run.refusals[0].reason
        else:
            return None
        shown = Text(N_("The pasted text")).render(lang) if name == PASTED_NAME else name
        said = said.render(lang) if isinstance(said, Text) else said
        return Text(N_("%(name)s was not audited: %(reason)s"), {"name": shown, "reason": said})

    def _report(request, run: Run, number: int):
        record = run.records[number]
        lang = language(request.query_params.get("lang"))
        if not record["readable"]:
            return render(request, "index.html", 404, problem=reason(record, lang))
        decided = reviews.reviews(fingerprints([record]))
        return render(request, "report.html", run_id=request.path_params["run"], number=number, record=record,
                      view=report_view(record, rules, decided, lang), several=len(run.records) > 1 or bool(run.refusals),
                      errors=localized(record, lang)["errors"])

    async def show_report(request):
        run = run_of(request)
        number = request.path_params["number"]
        if run is None or not 0 <= number < len(run.records):
            return gone(request)
        return _report(request, run, number)

    async def review(request):
        run = run_of(request)
        number = request.path_params["number"]
        if run is None or not 0 <= number < len(run.records) or not run.records[number]["readable"]:
            return gone(request)
        form = await request.form(max_files=0, max_fields=10, max_part_size=64 * 1024)
        record = run.records[number]
        try:
            index = int(str(form.get("finding", "")))
            finding = record["findings"][index]
        except (ValueError, IndexError):
            return render(request, "index.html", 400, problem=Text(N_("There is no such finding.")))
        decision = str(form.get("decision", ""))
        if decision == "clear":
            reviews.forget(finding_key(record, finding))
        elif decision in ("confirmed", "dismissed"):
            reviews.decide(record, finding, decision, str(form.get("note", ""))[:2000])
        else:
            return render(request, "index.html", 400, problem=Text(N_("Choose to confirm or dismiss the finding.")))
        return back(request, f"/runs/{request.path_params['run']}/{number}#finding-{index}")

    def _kept(run: Run) -> list[dict[str, Any]]:
        decided = reviews.reviews(fingerprints(run.records))
        dismissed = {k for k, r in decided.items() if r.decision == "dismissed"}
        return [{**r, "findings": [f for f in r["findings"] if finding_key(r, f) not in dismissed]} if r["readable"] else r
                for r in run.records]

    async def download(request):
        run = run_of(request)
        if run is None:
            return gone(request)
        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            return gone(request)
        lang = language(request.query_params.get("lang"))
        formatter_class = engine.formatters()[kind]
        out = io.BytesIO()
        formatter = formatter_class(out, rules, err=io.StringIO())
        formatter.lang = lang
        for record in _kept(run):
            formatter.add(localized(record, lang))
        formatter.close(None)
        return Response(out.getvalue(), media_type=DOWNLOADS[kind],
                        headers={"Content-Disposition": f'attachment; filename="findings.{kind}"'})

    async def export(request):
        return JSONResponse(reviews.export(), headers={"Content-Disposition": 'attachment; filename="reviews.json"'})

    async def guard(scope, receive_, send):
        """Security headers on every answer; a form posted from another origin is refused."""
        if scope["type"] != "http":
            return await inner(scope, receive_, send)
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1")
        if scope["method"] == "POST" and origin and origin != "null" and urlsplit(origin).netloc != headers.get(b"host", b"").decode("latin-1"):
            response = Response("cross-origin form refused", status_code=403)
            return await response(scope, receive_, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"content-security-policy", POLICY.encode()),
                                      (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                                      (b"x-frame-options", b"DENY")]
            await send(message)

        await inner(scope, receive_, with_headers)

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)] if allowed_hosts else []
    inner = Starlette(routes=[
        Route("/", index),
        Route("/audit", audit, methods=["POST"]),
        Route("/reviews.json", export),
        Route("/runs/{run}", show_run),
        Route("/runs/{run}/findings.{kind:str}", download),
        Route("/runs/{run}/{number:int}", show_report),
        Route("/runs/{run}/{number:int}/review", review, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ], middleware=middleware)
    return guard


def run(args: Any) -> int:
    """Start the engine (warm), then serve until Ctrl-C; exit status."""
    import uvicorn

    from auditor.plugins import disabled_plugins

    config = args.configuration
    started = time.perf_counter()
    engine = Engine(config, args.plugin, (*disabled_plugins(), *config.disabled_plugins), max(args.timeout, 0.0))
    engine.start()
    store = ReviewStore(args.reviews_db or default_path())
    limits = Limits(total=int(args.max_upload_mb * 1024 * 1024))
    loopback = args.host in LOOPBACK
    app = create_app(engine, store, limits, allowed_hosts=[h.strip("[]") for h in LOOPBACK] + ["[::1]"] if loopback else None)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"auditor serve: http://{shown}:{args.port}/ (ready in {time.perf_counter() - started:.1f} s; reviews in "
          f"{store.path}; Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", h11_max_incomplete_event_size=64 * 1024)
    finally:
        engine.close()
    return 0

