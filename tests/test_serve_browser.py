"""``news-archive serve`` in a real headless Chromium (Debian's ``chromium`` and
``chromedriver``, driven by Selenium; nothing is downloaded): stemmed search in Russian
and Kazakh, an article's row page to its view counts, and every chart drawn.

The archive is a crawl of the fixture site, then a second ``--full`` crawl of its
phase 2 (more views, an edit), so view counts and crawls have a history. Every wait
is on an event (an element, an attribute set by the page), never on time.
Screenshots go to the test's temporary directory (``screenshots/``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlite_utils

from crawler.archive import search as archive_search
from crawler.archive.filters import ArticleFilter
from crawler.fixture_site import FixtureSite
from crawler.serve.charts import CHARTS
from tests.crawl_helpers import ROOT, crawl

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "browser tests need Debian's chromium and chromium-driver "
        "(apt-get install chromium chromium-driver; .ci/run installs them)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="pip install -e '.[test]'")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

#: Generous: a shared machine under load; each wait ends as soon as its event happens.
WAIT = 60

RUSSIAN = "медиацию"  # the fixture's texts hold медиация, медиации, медиацию...
KAZAKH = "еріктілердің"  # "of the volunteers": the texts hold еріктілерге, еріктілер...


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("served") / "archive.db"
    with FixtureSite(layout="mixed") as site:
        assert crawl(db, site.start_urls, "--refresh-days", "0").returncode == 0
        site.set_phase(2)
        assert crawl(db, site.start_urls, "--full").returncode == 0
    return db


@pytest.fixture(scope="module")
def server(archive):
    """``news-archive serve --port 0`` as a subprocess; its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(archive), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = process.stdout.readline()  # printed once the socket listens
        assert line.startswith("serving "), line + process.stderr.read()
        yield line.split(" at ")[1].split()[0].rstrip("/")
    finally:
        process.terminate()
        process.wait()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=ru",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition):
    return WebDriverWait(driver, WAIT).until(condition)


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def cli_search(archive: Path, text: str) -> list[str]:
    db = sqlite_utils.Database(archive)
    return [h.url for h in archive_search.search(db, text, ArticleFilter(), limit=100)]


def scroll_to(driver, css: str) -> None:
    """Bring the element into view, so a screenshot shows it rather than the page top."""
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView(true); window.scrollBy(0, -80);", element)


def table_urls(driver) -> list[str]:
    """The ``url`` cells of the rows shown (the table view or a query's results)."""
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "table.rows-and-columns")))
    cells = driver.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-url")
    return [cell.text.strip() for cell in cells]


@pytest.mark.parametrize("word", [RUSSIAN, KAZAKH])
def test_table_search_box_finds_every_inflected_form(server, archive, browser, screenshots, word):
    browser.get(f"{server}/archive/articles")
    box = wait(browser, EC.element_to_be_clickable((By.CSS_SELECTOR, "input#_search")))
    box.send_keys(word)
    box.submit()
    wait(browser, EC.url_contains("_search="))
    found = table_urls(browser)
    expected = cli_search(archive, word)
    assert len(expected) > 4  # more than the exact word would find
    assert sorted(found) == sorted(expected)
    scroll_to(browser, "h3")  # "N rows where search matches ..."
    browser.save_screenshot(str(screenshots / f"articles-search-{word}.png"))
    assert console_errors(browser) == []


@pytest.mark.parametrize("word", [RUSSIAN, KAZAKH])
def test_search_page_ranks_as_the_command_line(server, archive, browser, screenshots, word):
    browser.get(f"{server}/archive/search")
    box = wait(browser, EC.element_to_be_clickable((By.CSS_SELECTOR, "input#qp1, input[name=q]")))
    box.send_keys(word)
    box.submit()
    wait(browser, EC.url_contains("q="))
    assert table_urls(browser) == cli_search(archive, word)
    browser.save_screenshot(str(screenshots / f"search-{word}.png"))
    assert console_errors(browser) == []


def test_article_row_page_links_to_its_view_counts(server, archive, browser, screenshots):
    db = sqlite_utils.Database(archive)
    url, counts = db.execute(
        "SELECT url, count(*) FROM view_counts GROUP BY url ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    assert counts >= 2  # the second crawl saw more views
    browser.get(f"{server}/archive/articles?url__exact={quote(url, safe='')}")
    link = wait(browser, EC.element_to_be_clickable((By.CSS_SELECTOR, "td.col-url a")))
    link.click()
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "ul li a[href*='view_counts']")))
    scroll_to(browser, "a[href*='view_counts?url=']")
    browser.save_screenshot(str(screenshots / "article-row.png"))
    browser.find_element(By.CSS_SELECTOR, "a[href*='view_counts?url=']").click()
    wait(browser, EC.url_contains("/view_counts"))
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "table.rows-and-columns")))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) == counts
    assert all(url in row.text for row in rows)
    browser.save_screenshot(str(screenshots / "article-view-counts.png"))
    assert console_errors(browser) == []


@pytest.mark.parametrize("chart", [c.name for c in CHARTS])
def test_chart_renders_with_data(server, browser, screenshots, chart):
    browser.get(f"{server}/archive/-/charts/{chart}")
    drawn = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#chart[data-rows]")))
    assert int(drawn.get_attribute("data-rows")) > 0
    marks = browser.find_elements(
        By.CSS_SELECTOR,
        "#chart svg g.mark-rect path, #chart svg g.mark-line path, #chart svg g.mark-symbol path",
    )
    assert marks
    browser.save_screenshot(str(screenshots / f"chart-{chart}.png"))
    assert console_errors(browser) == []
