"""Reading and validating an issue folder: config, schema, YAML with lines, templates, fonts.

May import text and below (see tests/test_structure.py).
"""
