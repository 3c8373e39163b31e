"""Many sites in one crawl and one archive: a sites file, --site, each site judged and
paced on its own (real crawls of fixture sites on distinct loopback addresses)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.fixture_site import FixtureSite
from tests.crawl_helpers import FAST, news_archive

pytestmark = pytest.mark.e2e


def sites_file(tmp_path: Path, sites: dict[str, tuple[list[str], str]]) -> Path:
    """A sites file: ``{name: (start URLs, extra TOML lines)}``."""
    text = ""
    for name, (urls, extra) in sites.items():
        listed = ", ".join(f'"{u}"' for u in urls)
        text += f'[[site]]\nname = "{name}"\nstart_urls = [{listed}]\n{extra}\n'
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def crawl_sites(db: Path, path: Path, *extra: str):
    """``news-archive crawl --db DB --sites PATH`` with the fast settings and ``extra``."""
    return news_archive("crawl", "--db", str(db), "--sites", str(path), *FAST, *extra)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def three_sites():
    """Two good sites and one whose news list is gone (404), each on its own host."""
    with (
        FixtureSite(layout="default", articles_per_lang=12, host="127.0.0.1") as alpha,
        FixtureSite(layout="modern", articles_per_lang=12, host="127.0.0.2") as beta,
        FixtureSite(layout="default", articles_per_lang=12, host="127.0.0.3") as broken,
    ):
        yield alpha, beta, broken


def test_one_crawl_of_many_sites_judges_each_site(three_sites, tmp_path):
    alpha, beta, broken = three_sites
    path = sites_file(
        tmp_path,
        {
            "alpha": (alpha.start_urls, "delay = 0.01\ntime_zone = 'Asia/Almaty'"),
            "beta": (beta.start_urls, ""),
            "broken": ([f"{broken.url}/ru/no-such-list/"], ""),
        },
    )
    db = tmp_path / "archive.db"
    result = crawl_sites(db, path)
    # One broken site makes the run unhealthy, and the summary names it alone.
    assert result.returncode == 5, result.stderr[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert "site broken: no list page could be fetched" in summary
    assert "site alpha" not in summary and "site beta" not in summary
    # Every article of the good sites is stored, under its site's name.
    counts = dict(rows(db, "SELECT site, count(*) FROM articles GROUP BY site"))
    assert counts == {
        "alpha": len(alpha.expected_articles()),
        "beta": len(beta.expected_articles()),
    }
    # The run and each of its sites.
    ((crawl_id, sites, status),) = rows(db, "SELECT id, site, status FROM crawls")
    assert (sites, status) == ("alpha, beta, broken", "unhealthy")
    verdicts = rows(
        db, "SELECT site, status, articles_new, summary IS NULL FROM crawl_sites ORDER BY site"
    )
    assert verdicts == [
        ("alpha", "ok", counts["alpha"], 1),
        ("beta", "ok", counts["beta"], 1),
        ("broken", "unhealthy", 0, 0),
    ]
    # The good sites' lists count as walked: the next run is incremental for them.
    walked = {url for (url,) in rows(db, "SELECT start_url FROM list_walks")}
    assert walked == set(alpha.start_urls) | set(beta.start_urls)


def test_site_limits_a_run_and_names_older_articles(three_sites, tmp_path):
    alpha, beta, _broken = three_sites
    path = sites_file(tmp_path, {"alpha": (alpha.start_urls, ""), "beta": (beta.start_urls, "")})
    db = tmp_path / "archive.db"
    before = len(alpha.request_log)
    result = crawl_sites(db, path, "--site", "beta")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(alpha.request_log) == before  # not a single request to the other site
    assert rows(db, "SELECT DISTINCT site FROM articles") == [("beta",)]
    assert rows(db, "SELECT site FROM crawls") == [("beta",)]
    # An archive from before sites were named: the next run names its articles' site.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET site = NULL")
    result = crawl_sites(db, path, "--site", "beta")
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(db, "SELECT DISTINCT site FROM articles") == [("beta",)]


def test_a_site_delay_holds_under_autothrottle(tmp_path):
    """AutoThrottle would shorten the delay to the server's latency (milliseconds here);
    a site's own delay is its floor, with no random shortening."""
    delay = 0.25
    with FixtureSite(layout="default", articles_per_lang=12, host="127.0.0.4") as site:
        path = sites_file(tmp_path, {"slow": (site.start_urls[:1], f"delay = {delay}")})
        db = tmp_path / "archive.db"
        result = crawl_sites(
            db, path, "-s", "AUTOTHROTTLE_ENABLED=True", "-s", "AUTOTHROTTLE_START_DELAY=0"
        )
        assert result.returncode == 0, result.stderr[-3000:]
        times = site.request_times
    # Arrival times at the server: a request held up on its way in can make one gap
    # look short, so the whole run is checked, not each gap.
    assert len(times) >= 5
    assert times[-1] - times[0] >= 0.9 * delay * (len(times) - 1)


def test_a_refusing_site_is_given_up_while_the_others_go_on(tmp_path):
    with (
        FixtureSite(layout="default", articles_per_lang=12, host="127.0.0.5") as refusing,
        FixtureSite(layout="custom", articles_per_lang=12, host="127.0.0.6") as good,
    ):
        path = sites_file(
            tmp_path,
            {
                "refusing": ([refusing.hostile_url("refusing")], ""),
                "good": (good.start_urls, ""),
            },
        )
        db = tmp_path / "archive.db"
        result = crawl_sites(
            db, path, "-s", "NEWS_ARCHIVE_MAX_REFUSALS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"
        )
        expected = len(good.expected_articles())
    assert result.returncode == 5, result.stderr[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert "site refusing: given up: 127.0.0.5 refused 4 requests in a row" in summary
    assert "site good" not in summary
    assert rows(db, "SELECT site, count(*) FROM articles GROUP BY site") == [("good", expected)]
    assert rows(db, "SELECT site, status FROM crawl_sites ORDER BY site") == [
        ("good", "ok"),
        ("refusing", "unhealthy"),
    ]
    ((refused,),) = rows(db, "SELECT host_refused FROM crawls")
    assert refused.startswith("gave up 127.0.0.5: 127.0.0.5 refused 4 requests"), refused
    # What the refusing site did not answer is retried by the next run.
    retried = rows(db, "SELECT count(*) FROM failures WHERE url LIKE '%127.0.0.5%' AND retry = 1")
    assert retried[0][0] >= 1


def test_a_sites_selectors_serve_the_crawl_and_reparse_alike(tmp_path):
    """One override in the sites file: the crawl reads titles with it, and ``reparse
    --sites`` re-extracts an archive crawled without it to the very same titles."""
    with FixtureSite(layout="default", articles_per_lang=12, host="127.0.0.9") as site:
        plain = sites_file(tmp_path, {"alpha": (site.start_urls, "")})
        overridden = tmp_path / "with-selectors.toml"
        overridden.write_text(
            plain.read_text(encoding="utf-8") + '[site.selectors]\ntitle = "//title/text()"\n',
            encoding="utf-8",
        )
        by_crawl, by_reparse = tmp_path / "crawl.db", tmp_path / "reparse.db"
        assert crawl_sites(by_crawl, overridden).returncode == 0
        assert crawl_sites(by_reparse, plain).returncode == 0
    before = dict(rows(by_reparse, "SELECT url, title FROM articles"))
    result = news_archive("reparse", "--db", str(by_reparse), "--sites", str(overridden))
    assert result.returncode == 0, result.stderr[-3000:]
    after = dict(rows(by_reparse, "SELECT url, title FROM articles"))
    assert after == dict(rows(by_crawl, "SELECT url, title FROM articles"))
    changed = [url for url in after if after[url] != before[url]]
    assert len(changed) == len(after) > 0  # the <title> is not the page's heading
    assert rows(by_reparse, "SELECT DISTINCT site FROM articles") == [("alpha",)]
