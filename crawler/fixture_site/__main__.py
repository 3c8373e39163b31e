"""``python -m crawler.fixture_site``: serve the fixture site until Ctrl-C.

Imports :mod:`.site`, :mod:`.families`.
"""

from __future__ import annotations

import argparse
import threading

from .families import LAYOUTS
from .site import FixtureSite


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.fixture_site",
        description="Serve a generated Bitrix news archive. Example: "
        "python -m crawler.fixture_site --port 8000 --layout default",
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="mixed")
    parser.add_argument("--robots", choices=["open", "bitrix"], default="open")
    parser.add_argument("--articles-per-lang", type=int, default=60)
    parser.add_argument("--phase", type=int, choices=[1, 2], default=1)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    site = FixtureSite(
        layout=args.layout,
        robots=args.robots,
        articles_per_lang=args.articles_per_lang,
        phase=args.phase,
        port=args.port,
    )
    with site:
        print(site.url, flush=True)
        for url in site.start_urls:
            print(url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
