"""Raw text to an issue folder: punctuation repair, the copy-desk preflight.

May import source and below (see tests/test_structure.py).
"""
