"""Kollega: an open-source social intranet."""

__version__ = "0.1.0"
