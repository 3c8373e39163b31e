"""Signals of our own, sent by the spider and received by the storage pipeline."""

#: A page could not be fetched. Arguments: ``url``, ``status`` (int or None), ``error``.
fetch_failed = object()
