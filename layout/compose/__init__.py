"""Composition: paragraphs broken into lines, lines justified, headlines set."""
