"""How work runs: pools, parallel calls, the rebuild cache, atomic output, logs, the build moment.

May import model, errors (see tests/test_structure.py).
"""
