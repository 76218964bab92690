"""Systemic: a serious strategy game of global systemic competition in the age of big data."""

__version__ = "0.1.0"
