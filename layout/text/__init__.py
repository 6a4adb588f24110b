"""Text: segmentation into unbreakable atoms, CLREQ classes, measurement."""
