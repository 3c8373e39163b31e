"""The crawler produces the records of ``tests/sample_data/records_snapshot.json.gz``.

The snapshot was taken before the layout change of issue 10 (see
:mod:`tests.records_snapshot`); a change meant to alter records saves a new one.
"""

from __future__ import annotations

import pytest

from tests import records_snapshot as snapshot


def test_saved_pages_give_the_snapshot_records() -> None:
    before = snapshot.load()["pages"]
    assert snapshot.differences(before, snapshot.saved_page_records()) == []


@pytest.mark.e2e
@pytest.mark.parametrize(("layout", "robots"), snapshot.CRAWLS)
def test_fixture_crawl_gives_the_snapshot_records(layout: str, robots: str) -> None:
    before = snapshot.load()["crawls"][snapshot.crawl_key(layout, robots)]
    assert snapshot.differences(before, snapshot.crawl_records(layout, robots)) == []
