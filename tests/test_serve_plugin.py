"""The Datasette plugin on an archive, in process (no browser): stemmed search as the
command line ranks it, metadata from the schema descriptions, README's queries as
canned queries, foreign-key links, the year facet, chart pages; and ``serve``'s
arguments."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from datasette.app import Datasette

from crawler.archive import search as archive_search
from crawler.archive.descriptions import END, START, TABLES, schema_markdown
from crawler.archive.filters import ArticleFilter
from crawler.cli import main
from crawler.serve.charts import CHARTS
from crawler.serve.queries import readme_queries
from crawler.serve.server import is_loopback

README = Path(__file__).resolve().parent.parent / "README.md"


def get(path: Path, url: str):
    async def fetch():
        ds = Datasette([str(path)])
        await ds.invoke_startup()
        return await ds.client.get(url)

    return asyncio.run(fetch())


def cli_urls(path: Path, text: str) -> list[str]:
    db = sqlite_utils.Database(path)
    return [hit.url for hit in archive_search.search(db, text, ArticleFilter(), limit=100)]


@pytest.mark.parametrize("word", ["медиация", "парламент", "mediation"])
def test_search_query_finds_and_ranks_as_the_command_line(archive_path, word):
    response = get(archive_path, f"/archive/search.json?q={word}&_shape=array")
    assert response.status_code == 200
    urls = [row["url"] for row in response.json()]
    assert urls and urls == cli_urls(archive_path, word)


def test_table_search_box_is_stemmed(archive_path):
    response = get(archive_path, "/archive/articles.json?_search=медиация&_shape=array")
    # «медиации», «медиацию»: Datasette's own quoting finds neither
    assert sorted(r["url"] for r in response.json()) == sorted(cli_urls(archive_path, "медиация"))
    assert len(response.json()) == 2


def test_search_with_no_word_finds_nothing_without_error(archive_path):
    assert get(archive_path, "/archive/search.json?q=&_shape=array").json() == []
    response = get(archive_path, "/archive/articles.json?_search=%21%21&_shape=array")
    assert response.status_code == 200


def test_metadata_describes_every_column_of_an_archive(archive_path):
    metadata = get(archive_path, "/-/metadata.json").json()
    tables = metadata["databases"]["archive"]["tables"]
    db = sqlite_utils.Database(archive_path)
    for name in TABLES:
        assert set(tables[name]["columns"]) == set(db[name].columns_dict), name
        assert all(tables[name]["columns"].values())
    assert tables["articles"]["sort_desc"] == "published"
    assert metadata["title"]


def test_readme_schema_is_generated_from_the_descriptions():
    text = README.read_text(encoding="utf-8")
    section = text[text.index(START) + len(START) : text.index(END)]
    assert section.strip() == schema_markdown()


def test_readme_queries_are_the_canned_queries(archive_path):
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```sql\n(-- 1\. .*?)\n```", text, re.S).group(1)
    assert block == readme_queries()
    queries = get(archive_path, "/archive.json").json()["queries"]
    names = [q["name"] for q in queries]
    assert {"articles_per_month", "view_count_history", "search", "crawl_health"} <= set(names)


def test_articles_newest_first_with_year_facet(archive_path):
    rows = get(archive_path, "/archive/articles.json?_shape=objects").json()
    published = [r["published"] for r in rows["rows"] if r["published"]]
    assert published == sorted(published, reverse=True)
    facets = rows["facet_results"]
    facets = facets.get("results", facets)
    years = {r["value"]: r["count"] for r in facets["published"]["results"]}
    assert years == {"2023": 2, "2022": 1}
    chosen = get(archive_path, "/archive/articles.json?published__startswith=2023&_shape=array")
    assert len(chosen.json()) == 2


def test_article_row_links_to_its_view_counts(archive_path):
    page = get(
        archive_path, "/archive/articles/https~3A~2F~2Fassembly~2Ekz~2Fkz~2Fnews~2Fparlament~2F"
    )
    assert page.status_code == 200
    assert "view_counts?url=" in page.text and "article_versions?url=" in page.text


@pytest.mark.parametrize("chart", [c.name for c in CHARTS])
def test_chart_pages(archive_path, chart):
    page = get(archive_path, f"/archive/-/charts/{chart}")
    assert page.status_code == 200
    assert "vega-embed.min.js" in page.text and '"url": "/archive/' in page.text


def test_plugin_leaves_other_databases_alone(tmp_path):
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["things"].insert({"a": 1})
    assert (
        "queries" not in get(other, "/other.json").json()
        or not get(other, "/other.json").json()["queries"]
    )
    assert get(other, "/other/-/charts").status_code == 404


def test_serve_refuses_a_missing_archive_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 4
    assert result.output.count("\n") == 1 and "not found" in result.output
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_served_archive_is_read_only_and_live(archive_path):
    """``serve``'s Datasette refuses writes and sees rows stored after it started (a
    crawl beside it), unlike ``--immutable``."""
    from crawler.serve.server import make_datasette

    async def scenario():
        ds = make_datasette(archive_path)
        await ds.invoke_startup()
        count = "/archive.json?sql=select+count(*)+as+n+from+articles&_shape=array"
        before = (await ds.client.get(count)).json()[0]["n"]
        refused = await ds.client.get("/archive.json?sql=delete+from+articles")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):  # below Datasette too
            await ds.get_database("archive").execute_fn(
                lambda conn: conn.execute("DELETE FROM articles")
            )
        sqlite_utils.Database(archive_path)["articles"].insert(
            {"url": "https://x/new/", "first_seen": "t", "last_seen": "t"}
        )
        after = (await ds.client.get(count)).json()[0]["n"]
        return before, refused, after

    before, refused, after = asyncio.run(scenario())
    assert refused.status_code == 400
    assert after == before + 1 == 5


def test_serve_declares_missing_foreign_keys_once(archive_path):
    from crawler.archive.schema import FOREIGN_KEYS, missing_foreign_keys
    from crawler.serve.server import prepare_archive

    db = sqlite_utils.Database(archive_path)
    db["view_counts"].transform(drop_foreign_keys=[c for c, _, _ in FOREIGN_KEYS["view_counts"]])
    said: list[str] = []
    prepare_archive(archive_path, said.append)
    assert missing_foreign_keys(sqlite_utils.Database(archive_path)) == {}
    assert said == ["declaring foreign keys in the archive (once)..."]
    prepare_archive(archive_path, said.append)
    assert len(said) == 1
