"""Scrapy commands of this project (``COMMANDS_MODULE``): ``scrapy crawl`` with the
crawl's verdict as its exit status.

Imports nothing.
"""
