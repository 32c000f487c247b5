"""The library's version, recorded in every audit bundle."""

__version__ = "0.1.0"
