"""The web page of ``auditor serve`` without a browser (Starlette's TestClient): findings in place,
reviews that last, downloads, and the refusals — a body past the limit, a zip bomb, a zip member
that climbs out, a file that is no report, markup in a report — each in Chinese, the server
serving on."""

from __future__ import annotations

import asyncio
import io
import json
import re
import struct
import zipfile

import pytest

from auditor.reviews import ReviewStore
from auditor.serve.app import create_app
from auditor.serve.engine import Engine, consecutive_years
from auditor.serve.uploads import MB, Body, BodyTooLarge, Limits
from conftest import CORPORA, LUOHE

pytestmark = [pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`"),
              pytest.mark.xdist_group("serve")]  # one warmed engine for the module


@pytest.fixture(scope="module")
def engine():
    engine = Engine(workers=0)
    engine.start()
    return engine


@pytest.fixture
def client(engine, tmp_path):
    from starlette.testclient import TestClient

    app = create_app(engine, ReviewStore(tmp_path / "reviews.sqlite3"), Limits(unpacked=5 * MB))
    with TestClient(app) as client:
        yield client


def upload(client, *files, text=None, lang=""):
    data = {"text": text} if text is not None else None
    return client.post(f"/audit{lang}", files=[("files", f) for f in files] or None, data=data)


def luohe(name="luohe.txt"):
    return (name, LUOHE.read_bytes(), "text/plain")


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_the_page_is_chinese_with_a_policy_against_inline_script(client):
    page = client.get("/")
    assert page.status_code == 200 and "将报告文件拖放到这里" in page.text and "开始审核" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page.text and 'src="/static/page.js"' in page.text
    assert "Drop report files here" in client.get("/?lang=en").text
    assert client.get("/static/page.css").status_code == 200


def test_a_report_shows_its_finding_at_both_places(client):
    page = upload(client, luohe())
    assert page.status_code == 200 and "/runs/" in str(page.url)
    marks = re.findall(r'<mark id="(n[\d-]+)" class="place sev-error"[^>]*data-findings="(\d+)"[^>]*>([^<]*)</mark>', page.text)
    assert [(m[1], m[2]) for m in marks] == [("0", "行政复议 1 项")]
    assert re.search(r'<td id="c-review.total" class="place num number sev-error"[^>]*data-findings="0"[^>]*>0</td>', page.text)
    assert f'data-places="{marks[0][0]} c-review.total"' in page.text
    assert "N001" in page.text and "错误 1" in page.text and "关于规则 N001" in page.text
    assert "表四" in page.text and page.text.count('class="num number"') > 150  # the tables as read


def test_a_dismissal_lasts_across_uploads_and_leaves_the_downloads(client):
    page = upload(client, luohe())
    run = str(page.url).split("/runs/")[1]
    assert "N001" in client.get(f"/runs/{run}/findings.json").json()["reports"][0]["findings"][0]["rule"]
    answer = client.post(f"/runs/{run}/0/review", data={"finding": "0", "decision": "dismissed", "note": "表格漏填"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("#finding-0")
    again = upload(client, luohe("renamed.txt"))  # the same report, re-uploaded under another name
    assert 'class="finding sev-error is-dismissed"' in again.text and "表格漏填" in again.text and "已驳回 1" in again.text
    run = str(again.url).split("/runs/")[1]
    assert client.get(f"/runs/{run}/findings.json").json()["reports"][0]["findings"] == []
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/runs/{run}/findings.xlsx").content))
    assert book.sheetnames == ["问题", "报告"]  # the page's language
    assert [row[0].value for row in book.worksheets[0].iter_rows(min_row=2)] == []
    exported = client.get("/reviews.json").json()
    assert [(r["rule"], r["decision"], r["note"]) for r in exported["reviews"]] == [("N001", "dismissed", "表格漏填")]
    client.post(f"/runs/{run}/0/review", data={"finding": "0", "decision": "clear"})
    assert "is-dismissed" not in upload(client, luohe()).text


def test_an_upload_past_the_limit_is_refused_in_chinese_and_the_server_goes_on(client):
    body = b"x" * (60 * MB)
    answer = client.post("/audit", files=[("files", ("big.txt", body, "text/plain"))])
    assert answer.status_code == 413 and "超过允许的 50 MB" in answer.text
    assert client.get("/").status_code == 200
    assert "N001" in upload(client, luohe()).text


def test_a_body_is_refused_as_it_streams_past_the_limit():
    """The counted stream stops at the first chunk past the limit: the rest is never received."""
    sent = []

    async def receive():
        sent.append(1)
        return {"type": "http.request", "body": b"x" * MB, "more_body": True}

    async def read():
        body = Body(receive, 3 * MB)
        async for _ in body.chunks():
            pass

    with pytest.raises(BodyTooLarge):
        asyncio.run(read())
    assert len(sent) == 4


def test_a_zip_bomb_is_refused(client):
    bomb = zipped({"report.txt": b"0" * (6 * MB)})  # unpacks past the 5 MB these tests allow
    page = upload(client, ("bomb.zip", bomb, "application/zip"))
    assert "压缩炸弹" in page.text and "bomb.zip" in page.text


def test_a_zip_member_that_lies_about_its_size_is_not_read_past_it(client):
    data = bytearray(zipped({"report.txt": b"0" * (4 * MB)}))
    central = data.rindex(b"PK\x01\x02")  # declare 1000 bytes in the central directory
    data[central + 24:central + 28] = struct.pack("<I", 1000)
    page = upload(client, ("liar.zip", bytes(data), "application/zip"))
    assert "已损坏" in page.text and "liar.zip!report.txt" in page.text


def test_zip_members_that_climb_out_are_refused_and_the_others_audited(client):
    archive = zipped({"../evil.txt": LUOHE.read_bytes(), "ok/luohe.txt": LUOHE.read_bytes()})
    page = upload(client, ("reports.zip", archive, "application/zip"))
    assert "指向压缩包之外" in page.text and "reports.zip!../evil.txt" in page.text
    assert "reports.zip!ok/luohe.txt" in page.text and "示范区党政办" in page.text


def test_a_file_that_is_no_report_gets_the_readers_refusal_in_chinese(client):
    page = upload(client, ("hello.txt", b"hello world, nothing to see", "text/plain"),
                  ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image/png"))
    assert "hello.txt" in page.text and "看起来不是政府信息公开工作年度报告" in page.text
    assert "image.png" in page.text and "二进制数据" in page.text
    assert "N001" in upload(client, luohe()).text


def test_an_unread_row_is_pointed_at_in_the_table(client):
    """From the newcomer trial: M001 on a run-together row pointed nowhere; it links to the row's cells."""
    report = CORPORA / "holdout" / "2022-pingtan-zrz-page.txt"
    page = upload(client, (report.name, report.read_bytes(), "text/plain"))
    assert "M001" in page.text and 'data-place="c-active.normative_documents.issued"' in page.text


def test_one_input_not_audited_is_said_on_the_upload_page_naming_it(client):
    """From the newcomer trial: one refused file or pasted text opened a table of one."""
    page = upload(client, ("草稿.txt", b"hello world, nothing to see", "text/plain"))
    assert page.status_code == 422 and "草稿.txt 未能审核：" in page.text and "报告列表" not in page.text
    pasted = upload(client, text="今天开会。")
    assert pasted.status_code == 422 and "粘贴的文字 未能审核：" in pasted.text and "pasted.txt" not in pasted.text


def test_markup_in_a_report_is_shown_as_text(client):
    text = LUOHE.read_text("utf-8").replace("2023 年，党政办收到", "<script>alert(2)</script>2023 年，党政办收到")
    page = upload(client, ("<img src=x onerror=alert(1)>.txt", text.encode(), "text/plain"))
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page.text and "<img src=x" not in page.text
    pasted = upload(client, text=text)
    assert "N001" in pasted.text and "&lt;script&gt;" in pasted.text


def test_consecutive_years_of_one_body_run_the_cross_year_rules(client):
    """(The batch page says whether they ran: a newcomer could not tell.)"""
    archive = zipped({p.name: p.read_bytes() for p in (CORPORA / "flattened").glob("202[12]-pingtan-gaj-page.txt")})
    page = upload(client, ("gaj.zip", archive, "application/zip"))
    assert page.text.count('<tr><td><a href="/runs/') == 2
    assert "跨年度" in page.text and "已运行" in page.text
    rows = re.findall(r'href="(/runs/[^/]+/\d)"', page.text)
    assert any(re.search(r"<b class=\"rule-id\"[^>]*>Y00[12]</b>", client.get(row).text) for row in rows)
    assert consecutive_years([{"readable": True, "agency": "平潭综合实验区公安局", "year": 2021},
                              {"readable": True, "agency": "平潭综合实验区公安局", "year": 2022}])
    assert not consecutive_years([{"readable": True, "agency": "平潭综合实验区公安局", "year": 2021},
                                  {"readable": True, "agency": "平潭综合实验区公安局", "year": 2023}])


def test_a_form_from_another_origin_is_refused(client):
    page = upload(client, luohe())
    run = str(page.url).split("/runs/")[1]
    answer = client.post(f"/runs/{run}/0/review", data={"finding": "0", "decision": "dismissed"},
                         headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403


def test_every_word_of_the_page_has_its_chinese_translation():
    from babel.messages.extract import extract_from_dir

    from auditor.serve.texts import translations

    catalog = translations("zh")
    method_map = [("auditor/serve/**.py", "python"), ("auditor/serve/templates/**.html", "jinja2")]
    options = {"auditor/serve/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    from conftest import ROOT

    found = [m[2] for m in extract_from_dir(ROOT, method_map, options_map=options)]
    assert len(found) > 60
    missing = [m for m in found if isinstance(m, str) and catalog.gettext(m) == m]
    assert missing == []
    assert json.dumps(missing) == "[]"


def test_the_worker_process_audits_and_ends_with_its_engine():
    engine = Engine(workers=1)
    engine.start()
    [record] = engine.audit([("luohe.txt", LUOHE.read_bytes())])
    assert [f["rule"] for f in record["findings"]] == ["N001"] and record["view"]["paragraphs"]
    import time

    import psutil

    pids = [p.pid for p in engine.pool._processes.values()]
    engine.close()

    def gone(pid: int) -> bool:  # ended (the pool's own thread may have reaped it, or not yet: a zombie)
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    deadline = time.monotonic() + 10
    while not all(gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pids and all(gone(p) for p in pids)
