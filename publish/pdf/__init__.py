"""The print PDF: print HTML, one render or a long issue in parts, overlays and the join.

May import pdf.weasy, source and below (see tests/test_structure.py).
"""
