"""Our WeasyPrint 70 extensions (listed in registry) and the only reads of its internals.

May import source and below (see tests/test_structure.py).
"""
