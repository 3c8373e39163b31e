"""``python -m crawler`` runs the ``news-archive`` command line.

Imports :mod:`crawler.cli`.
"""

from crawler.cli import main

main()
