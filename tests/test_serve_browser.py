"""The page of ``auditor serve`` in headless Chromium (the system's, driven by Playwright; nothing
downloads a browser): drop the seed report, see N001 marked at the narrative figure and at the
表四 cell, go from one to the other, dismiss it with a note, upload again and see it stay
dismissed, download the XLSX; a report with markup runs nothing; the print stylesheet.

Screenshots are saved under the test's tmp dir and copied to /tmp/serve-shots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import LUOHE

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path("/tmp/serve-shots")

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system's Chromium at /usr/bin/chromium (.ci/run installs it)"),
              pytest.mark.xdist_group("serve-browser")]  # one server and one browser for the module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``auditor serve`` on a free loopback port, its reviews in a temporary database."""
    directory = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {**os.environ, "AUDITOR_REVIEWS_DB": str(directory / "reviews.sqlite3"), "AUDITOR_CACHE_DIR": str(directory / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "auditor", "serve", "--port", str(port)], env=env,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()  # printed once the worker is warm
        assert f"http://127.0.0.1:{port}/" in line, line
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def shot(page, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 768


def drop_report(page, server, path) -> float:
    """Open the page, choose ``path``; the seconds until its page shows."""
    page.goto(server + "/")
    started = time.perf_counter()
    page.set_input_files("#files", str(path))
    page.wait_for_selector(".report-title")
    return time.perf_counter() - started


def xlsx_rules(page, tmp_path, name: str) -> list[str]:
    from openpyxl import load_workbook

    with page.expect_download() as download:
        page.locator(".summary a", has_text="XLSX").click()
    path = tmp_path / name
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]  # 问题 (findings), its header in the page's language: 规则 is the rule column
    header = [c.value for c in sheet[1]]
    return [row[header.index("规则")] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_dropped_report_shows_its_contradiction_at_both_places_and_a_dismissal_lasts(server, page, tmp_path):
    seconds = drop_report(page, server, LUOHE)
    assert seconds < 2, f"findings took {seconds:.2f} s"
    figure = page.locator("mark.place")
    cell = page.locator("td#c-review\\.total")
    assert figure.count() == 1 and figure.inner_text() == "行政复议 1 项"
    assert "sev-error" in figure.get_attribute("class") and "sev-error" in cell.get_attribute("class")
    assert cell.inner_text() == "0" and "错误" in page.locator("#finding-0 .badge").inner_text()
    shot(page, tmp_path, "report")

    figure.click()  # to the 表四 cell it contradicts
    page.wait_for_function("document.getElementById('c-review.total').classList.contains('flash')")
    assert in_view(page, "td#c-review\\.total") and "active" in page.locator("#finding-0").get_attribute("class")
    shot(page, tmp_path, "cell")
    cell.click()  # and back to the narrative figure
    page.wait_for_function("document.querySelector('mark.place').classList.contains('flash')")
    assert in_view(page, "mark.place")

    assert xlsx_rules(page, tmp_path, "before.xlsx") == ["N001"]
    page.fill("#finding-0 input[name=note]", "表四漏填，已核实")
    page.click("#finding-0 button.dismiss")
    page.wait_for_selector("#finding-0.is-dismissed")
    assert "表四漏填，已核实" in page.locator("#finding-0 .review-state").inner_text()

    drop_report(page, server, LUOHE)  # the same report again: still dismissed
    assert "is-dismissed" in page.locator("#finding-0").get_attribute("class")
    assert "sev-dismissed" in page.locator("mark.place").get_attribute("class")
    assert xlsx_rules(page, tmp_path, "after.xlsx") == []
    shot(page, tmp_path, "dismissed")

    page.emulate_media(media="print")
    assert not page.locator("#finding-0 form.review").is_visible() and not page.locator(".summary .downloads").is_visible()
    assert page.locator("table.grid").first.is_visible()
    shot(page, tmp_path, "print")
    assert page.dialogs == []


def test_markup_in_a_report_runs_nothing_and_shows_as_text(server, page, tmp_path):
    text = LUOHE.read_text("utf-8").replace("2023 年，党政办收到", "<script>alert(2)</script><img src=x onerror=alert(3)>2023 年，党政办收到")
    path = tmp_path / "<img src=x onerror=alert(1)>.txt"
    path.write_text(text, "utf-8")
    drop_report(page, server, path)
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.get_by_text("<script>alert(2)</script>", exact=False).count() == 1
    assert page.locator(".report-head .path").inner_text() == "<img src=x onerror=alert(1)>.txt"
    assert page.locator("main img").count() == 0
    shot(page, tmp_path, "markup")


def test_the_page_in_english_and_a_batch_table(server, page, tmp_path):
    page.goto(server + "/?lang=en")
    assert "Drop report files here" in page.inner_text("body")
    page.goto(server + "/")
    shot(page, tmp_path, "index")
    page.set_input_files("#files", [str(LUOHE), str(Path(__file__))])
    page.wait_for_selector("table.reports")
    assert page.locator("table.reports tbody tr").count() == 2
    assert "看起来不是政府信息公开工作年度报告" in page.inner_text("table.reports")
    shot(page, tmp_path, "batch")
    page.locator("table.reports a").first.click()
    page.wait_for_selector("mark.place")
    assert page.locator(".back").is_visible()


def test_the_server_refuses_60_mb_as_it_streams_and_goes_on(server):
    """A 60 MB body, declared or streamed in chunks without a length, gets the Chinese message
    within a second, and the server answers the next request."""
    import httpx

    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(60):
            yield b"x" * 2**20
        yield b"\r\n--b--\r\n"

    for request in ({"files": {"files": ("big.txt", b"x" * 60 * 2**20)}},
                    {"content": chunks(), "headers": {"content-type": "multipart/form-data; boundary=b"}}):
        answer = httpx.post(server + "/audit", timeout=30, **request)
        assert answer.status_code == 413 and "超过允许的 50 MB" in answer.text
    assert httpx.get(server + "/").status_code == 200


def test_a_report_dropped_on_the_page_is_audited(server, page):
    """The drop zone's own path: a file dropped (a DataTransfer, as a file manager gives it)."""
    page.goto(server + "/")
    page.evaluate("""text => {
        const data = new DataTransfer();
        data.items.add(new File([text], "dropped.txt", {type: "text/plain"}));
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
    }""", LUOHE.read_text("utf-8"))
    page.wait_for_selector("mark.place")
    assert page.locator(".report-head .path").inner_text() == "dropped.txt"


def test_the_page_refuses_60_mb_before_sending_it(server, page, tmp_path):
    big = tmp_path / "big.pdf"
    with big.open("wb") as out:
        out.truncate(60 * 2**20)  # sparse: nothing is written
    page.goto(server + "/")
    page.set_input_files("#files", str(big))
    problem = page.locator("#client-problem")
    problem.wait_for(state="visible")
    assert "超过允许的 50 MB" in problem.inner_text() and page.url == server + "/"
