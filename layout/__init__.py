"""paiban (排版): Chinese newspaper pages from a YAML spec to a print PDF."""

__version__ = "0.1.0"
