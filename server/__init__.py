"""Ardoise: a self-hostable live sticky-note whiteboard for workshops."""

__version__ = "0.1.0"
