"""Rough edges of the reading commands: closed pipes, what ``export -o`` does to what
is already there, default names that never replace a file, empty date spans."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.archive import export as archive_export
from crawler.cli import main
from tests.crawl_helpers import ROOT


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """``news-archive ARGS | true``: the reader is gone before anything is written."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "crawler", *args],
            cwd=ROOT,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "csv", "-o", "-"],
        ["export", "--format", "jsonl", "-o", "-"],
        ["query", "--csv", "SELECT * FROM articles"],
        ["query", "SELECT * FROM articles"],
        ["search", "медиация"],
        ["stats"],
    ],
)
def test_a_closed_pipe_ends_quietly_with_status_0(archive_path, args):
    result = run_into_closed_pipe(*args, "--db", str(archive_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr


def test_default_names_never_replace_an_export(archive_path, tmp_path, monkeypatch):
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 25, 22, 30, 0)

    monkeypatch.setattr(archive_export, "datetime", Frozen)
    monkeypatch.chdir(tmp_path)
    first = run("export", "--db", str(archive_path), "--format", "csv")
    second = run("export", "--db", str(archive_path), "--format", "csv", "--excel")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == "exports/articles-2026-11-25-223000.csv\n"
    assert second.stdout == "exports/articles-2026-11-25-223000-2.csv\n"
    plain = (tmp_path / "exports/articles-2026-11-25-223000.csv").read_bytes()
    excel = (tmp_path / "exports/articles-2026-11-25-223000-2.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf")


def test_export_writes_through_a_fifo(archive_path, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("export", "--db", str(archive_path), "--format", "jsonl", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert received and received[0].count(b"\n") == 4
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not a regular file


def test_export_through_a_symlink_writes_its_target(archive_path, tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = run("export", "--db", str(archive_path), "--format", "csv", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("url,lang,")


def test_re_export_keeps_mode_and_hard_links(archive_path, tmp_path):
    target = tmp_path / "articles.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    twin = tmp_path / "twin.csv"
    os.link(target, twin)
    result = run("export", "--db", str(archive_path), "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert twin.read_bytes() == target.read_bytes() and twin.read_bytes().startswith(b"url,")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_re_export_keeps_the_mode_of_a_single_file(archive_path, tmp_path):
    target = tmp_path / "articles.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    run("export", "--db", str(archive_path), "--format", "csv", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8").startswith("url,")


def test_export_to_a_directory_is_bad_input(archive_path, tmp_path):
    result = run("export", "--db", str(archive_path), "--format", "csv", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path} is a directory (give a file name)\n"


@pytest.mark.parametrize("command", [["export", "--format", "csv", "-o", "-"], ["search", "x"]])
def test_since_after_until_is_rejected(archive_path, command):
    result = run(*command, "--db", str(archive_path), "--since", "2023", "--until", "2022")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --since 2023-01-01 is after --until 2022-12-31: no article can match\n"
    )


def test_export_readme_says_what_output_does_to_an_existing_file():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "existing file" in readme.split("## Export", 1)[1].split("## For researchers")[0]


RUNAWAY = (
    "WITH RECURSIVE c(x) AS (SELECT {start} UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
)


def test_query_of_nothing_is_bad_input(archive_path):
    for sql in ("", "  ", ";"):
        result = run("query", "--db", str(archive_path), sql)
        assert result.exit_code == 2
        assert result.output == "Error: nothing to run: the SQL statement is empty\n"


def test_query_time_limit_stops_a_runaway_statement(archive_path):
    sql = RUNAWAY.format(start=1)
    result = run("query", "--db", str(archive_path), "--timeout", "0.2", sql)
    assert result.exit_code == 1
    assert result.output == "Error: query stopped after 0.2 s (--timeout; 0 for no limit)\n"


def test_ctrl_c_interrupts_a_running_statement(archive_path, monkeypatch):
    """SIGINT while the statement runs (sent once it has started): one line, 130."""
    import signal as signals

    from crawler.archive import query as archive_query

    started = threading.Event()
    connect = archive_query.connect_read_only

    def connect_with_probe(path):
        conn, guard = connect(path)
        conn.create_function("started", 0, lambda: started.set() or 1)
        return conn, guard

    monkeypatch.setattr(archive_query, "connect_read_only", connect_with_probe)

    def interrupt():
        if started.wait(timeout=60):
            os.kill(os.getpid(), signals.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    result = run(
        "query", "--db", str(archive_path), "--timeout", "0", RUNAWAY.format(start="started()")
    )
    assert result.exit_code == 130, result.output
    assert result.output == "Error: query interrupted (Ctrl-C)\n"


def damaged_copy(archive_path: Path, tmp_path: Path) -> Path:
    """The archive with every page after the first (the schema) overwritten."""
    damaged = tmp_path / "damaged.db"
    data = bytearray(archive_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xff" * (len(data) - page)
    damaged.write_bytes(bytes(data))
    return damaged


def test_a_malformed_database_is_exit_4(archive_path, tmp_path):
    damaged = damaged_copy(archive_path, tmp_path)
    result = run("query", "--db", str(damaged), "SELECT count(*), max(body) FROM articles")
    assert result.exit_code == 4, result.output
    assert result.output.startswith("Error: cannot ")  # read, or open: where it is seen
    assert "malformed" in result.output
    assert result.output.count("\n") == 1


def test_reading_commands_open_the_archive_read_only(archive_path):
    before = archive_path.read_bytes()
    for args in (["stats"], ["export", "--format", "csv", "-o", "-"], ["search", "медиация"]):
        result = run(*args, "--db", str(archive_path))
        assert result.exit_code == 0, result.output
    assert archive_path.read_bytes() == before


@pytest.mark.skipif(
    os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv"
)
@pytest.mark.e2e
def test_a_user_without_write_access_can_read_the_archive(archive_path, tmp_path):
    """A WAL archive in a directory the reader cannot write, with no -shm file."""
    import sqlite3

    conn = sqlite3.connect(archive_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with tempfile.TemporaryDirectory() as top:  # not under pytest's 0700 directory
        read_as_nobody(archive_path, Path(top))


def read_as_nobody(archive_path: Path, tmp_path: Path) -> None:
    import sqlite3

    from crawler.archive import search as archive_search

    shared = tmp_path / "shared"
    shared.mkdir()
    db = shared / "archive.db"
    db.write_bytes(archive_path.read_bytes())
    assert not Path(f"{db}-shm").exists()
    writable = sqlite3.connect(db)  # the index exists, as after any crawl
    archive_search.ensure_fts(__import__("sqlite_utils").Database(writable))
    writable.close()
    for path in (tmp_path, shared):
        path.chmod(0o755)
    db.chmod(0o644)
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*nobody, sys.executable, "-c", "import crawler.cli"], cwd="/", capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(
            "user nobody cannot read this checkout or its virtualenv (a 0700 directory "
            "above it): clone into a world-readable directory to run this test"
        )
    for args in (
        ["stats"],
        ["query", "SELECT count(*) FROM articles"],
        ["export", "--format", "csv", "-o", "-"],
        ["search", "медиация"],
    ):
        result = subprocess.run(
            [*nobody, sys.executable, "-m", "crawler", *args, "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, (args, result.stderr)
        assert "readonly" not in result.stderr
