"""Signals of our own, sent by the spider and received by the storage pipeline.

Imports the standard library only.
"""

#: A page could not be fetched. Arguments: ``url``, ``page``
#: (``article``, ``list`` or ``sitemap``), ``kind`` (see
#: :data:`crawler.archive.schema.FAILURE_KINDS`), ``status`` (int or None), ``error``.
fetch_failed = object()

#: A request was redirected to an article. Arguments: ``alias`` (the URL asked for,
#: canonical) and ``url`` (the article's canonical URL).
url_redirected = object()
