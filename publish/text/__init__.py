"""Text per edition: script conversion, quotes, typesetting marks, Markdown, TOC, names, Han.

May import run and below (see tests/test_structure.py).
"""
