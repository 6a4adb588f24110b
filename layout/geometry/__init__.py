"""Geometry: the page grid (contract §2) and the free text areas of articles."""
