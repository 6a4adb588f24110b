"""Renderers of the display list: PDF (reportlab), PNG preview (pypdfium2 + Pillow)."""
