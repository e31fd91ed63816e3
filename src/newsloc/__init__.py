"""newsloc: offline translation and localization pipeline for news articles."""

__version__ = "0.1.0"
