"""Scrapy spiders of the news-archive project.

Imports the standard library only.
"""
