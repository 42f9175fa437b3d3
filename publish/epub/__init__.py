"""The EPUB 3: the book, its cover image, its reproducible container, font subsets.

May import source and below (see tests/test_structure.py).
"""
