"""facilitate: a terminal assistant for facilitating open meetings."""

__version__ = "0.1.0"
