"""``python -m crawler`` runs the ``news-archive`` command line."""

from crawler.cli import main

main()
