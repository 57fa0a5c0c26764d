"""Exports of a board (YesWiki, Markdown, CSV, JSON, PDF, PNG) and imports: pure functions."""
