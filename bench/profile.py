"""``python -m bench.profile``: where one full crawl spends its CPU, by stage (py-spy).

Starts the fixture site, runs ``news-archive crawl`` into a fresh database under
``py-spy record`` (a sampling profiler: the crawl runs at nearly full speed), then sorts
every sample into a stage by the frames on its stack:

start-up (before the reactor runs), list extraction, article extraction, the spider's
own routing, normalisation, storage (SQLite and its full-text index) and, for the rest,
Scrapy and Twisted themselves. It also lists the project functions with the largest
inclusive share. py-spy is a tool, not a dependency: ``pip install py-spy``.

Freeing a parsed page happens when the extractor returns, so that share shows up on the
spider's line that called it ("spider routing"), not under extraction.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench import children, crawl

#: Stage of a sample: the first rule whose pattern is on the stack wins.
STAGES = [
    (
        "article extraction",
        re.compile(r"\b(extract_page|extract_article_page|extract_article) \("),
    ),
    ("list extraction", re.compile(r"\bextract_list_page \(")),
    ("normalise", re.compile(r"\bbuild_article \(")),
    ("handing pages to workers", re.compile(r"\b(PageWorkers|_Worker)\.")),
    ("storage + FTS", re.compile(r"\b(SQLitePipeline\.|ArchiveStore\.)")),
    ("spider routing", re.compile(r"\bNewsSpider\.")),
    ("Scrapy + Twisted", re.compile(r"\b(AsyncioSelectorReactor|ReactorBase)\.run \(")),
]
_PROJECT_FRAME = re.compile(r"^(.*) \(((?:crawler|spiders)/[^:]+):\d+\)$")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--articles-per-lang", type=int, default=1700)
    parser.add_argument("--layout", default="mixed")
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=25, help="project functions to list")
    parser.add_argument("--raw", type=Path, default=None, help="keep py-spy's raw output here")
    return parser.parse_args(argv)


def record(args: argparse.Namespace, out: Path) -> None:
    from crawler.fixture_site import FixtureSite

    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        sys.exit("py-spy is not installed: pip install py-spy")
    with FixtureSite(layout=args.layout, articles_per_lang=args.articles_per_lang) as site:
        with tempfile.TemporaryDirectory() as tmp:
            command = crawl.full_command(site, Path(tmp) / "profile.db")
            child = children.run(
                [
                    spy,
                    "record",
                    "-r",
                    str(args.rate),
                    "-f",
                    "raw",
                    "-o",
                    str(out),
                    "--",
                    sys.executable,
                    *command,
                ]
            )
    child.check()
    print(f"crawl under py-spy: {len(site.request_log):,} requests, wall {child.wall_s:.1f} s")


def stacks(raw: Path) -> list[tuple[list[str], int]]:
    """(frames outermost first, samples) from py-spy's raw (collapsed) format."""
    found = []
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            found.append((stack.split(";"), int(count)))
    return found


def busy(samples: list[tuple[list[str], int]]) -> list[tuple[list[str], int]]:
    """Leave out idle pool threads (py-spy counts a thread blocked in
    ``Condition.wait`` as active)."""
    return [
        (frames, count)
        for frames, count in samples
        if not frames[-1].startswith(("Condition.wait ", "Thread.join "))
    ]


def by_stage(samples: list[tuple[list[str], int]]) -> Counter:
    stages: Counter = Counter()
    for frames, count in samples:
        joined = ";".join(frames)
        stage = next((name for name, pattern in STAGES if pattern.search(joined)), "start-up")
        stages[stage] += count
    return stages


def project_functions(samples: list[tuple[list[str], int]]) -> Counter:
    """Inclusive samples of each project function (counted once per stack)."""
    inclusive: Counter = Counter()
    for frames, count in samples:
        seen = set()
        for frame in frames:
            match = _PROJECT_FRAME.match(frame)
            if match and (key := f"{match.group(2)}:{match.group(1)}") not in seen:
                seen.add(key)
                inclusive[key] += count
    return inclusive


def report(raw: Path, top: int) -> None:
    every = stacks(raw)
    samples = busy(every)
    total = sum(count for _frames, count in samples)
    idle = sum(count for _frames, count in every) - total
    print(f"{total:,} samples ({idle:,} of idle threads left out)\n\nby stage:")
    for stage, count in by_stage(samples).most_common():
        print(f"  {stage:20} {100 * count / total:5.1f} %")
    print("\nproject functions (inclusive):")
    for name, count in project_functions(samples).most_common(top):
        print(f"  {100 * count / total:5.1f} %  {name}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        raw = args.raw or Path(tmp) / "crawl.raw"
        record(args, raw)
        report(raw, args.top)


if __name__ == "__main__":
    main()
