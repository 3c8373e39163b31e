"""Scrapy spiders of the news-archive project."""
